import type { ClusterOutput } from '../synth/synth.ts';
import { keyMaterialInText } from '../validate/secrets.ts';

/**
 * The last chance before anything is written: every rendered file is scanned with the same rules `validate`
 * applies to fleet.yaml. Validation should already have refused any secret with its fleet.yaml position, so a
 * finding here is a fault of meshfleet (a secret made up or let through by a later stage): an internal error,
 * and nothing is written.
 */
export function assertNoSecrets(outputs: Iterable<ClusterOutput>): void {
  const found: string[] = [];
  for (const output of outputs) {
    found.push(...output.secretFindings);
    for (const [folder, files] of [[`dist/${output.cluster}`, output.dist], [`clusters/${output.cluster}`, output.entry]] as const) {
      for (const [rel, content] of files) {
        const where = `${folder}/${rel}`;
        // The text too, for what the object scan in synth cannot see (comments). Every string value was scanned there
        // with all the rules, so key material is all this needs to look for.
        const kind = keyMaterialInText(content);
        if (kind && found.every((line) => !line.startsWith(`${where}:`))) found.push(`${where}: holds ${kind}`);
      }
    }
  }
  if (found.length > 0) {
    throw new Error(`refusing to write rendered output that holds secret material; nothing was written:\n${found.join('\n')}`);
  }
}
