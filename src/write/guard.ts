import { joinParts, partText, type FilePart, type SharedText } from '../sharing/index.ts';
import type { ClusterOutput } from '../synth/synth.ts';
import { KEY_MATERIAL_WORDS, keyMaterialInText } from '../validate/secrets.ts';

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
    const folders = [
      [`dist/${output.cluster}`, output.dist, output.parts],
      [`clusters/${output.cluster}`, output.entry, undefined],
    ] as const;
    for (const [folder, files, parts] of folders) {
      for (const [rel, content] of files) {
        const where = `${folder}/${rel}`;
        // The text too, for what the object scan in synth cannot see (comments). Every string value was scanned there
        // with all the rules, so key material is all this needs to look for.
        const fileParts = parts?.get(rel);
        const kind = fileParts ? keyMaterialInParts(fileParts) : keyMaterialInText(content);
        if (kind && found.every((line) => !line.startsWith(`${where}:`))) found.push(`${where}: holds ${kind}`);
      }
    }
  }
  if (found.length > 0) {
    throw new Error(
      `refusing to write rendered output that holds secret material; nothing was written:\n${found.join('\n')}`,
    );
  }
}

const WORD_SPAN = Math.max(...KEY_MATERIAL_WORDS.map((w) => w.length)) - 1;
if (KEY_MATERIAL_WORDS.some((w) => w.includes('\n'))) throw new Error('keyMaterialInParts assumes words within a line');
const holdsWord = (text: string): boolean => KEY_MATERIAL_WORDS.some((w) => text.includes(w));
const sharedHoldsWord = new WeakMap<SharedText, boolean>();

/**
 * keyMaterialInText of the parts joined, without joining them (a copy of the file) unless one of its words is in the
 * text: each shared text is searched once per render, each other part every time, and each seam where the line
 * before it is not finished (a word is within a line; most parts are whole lines).
 */
export function keyMaterialInParts(parts: readonly FilePart[]): string | undefined {
  let line = ''; // the end of the unfinished line so far, up to WORD_SPAN characters: a word across a seam starts there
  for (const part of parts) {
    const text = partText(part);
    let inPart = typeof part === 'string' ? undefined : sharedHoldsWord.get(part);
    if (inPart === undefined) {
      inPart = holdsWord(text);
      if (typeof part !== 'string') sharedHoldsWord.set(part, inPart);
    }
    if (inPart || (line !== '' && holdsWord(line + text.slice(0, WORD_SPAN))))
      return keyMaterialInText(joinParts(parts));
    const lineEnd = text.lastIndexOf('\n');
    line = (lineEnd >= 0 ? text.slice(lineEnd + 1) : line + text).slice(-WORD_SPAN);
  }
  return undefined;
}
