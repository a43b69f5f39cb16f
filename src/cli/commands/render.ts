import { dirname, relative, resolve, sep } from 'node:path';
import type { ClusterPlan } from '../../plan/types.ts';
import type { ClusterOutput } from '../../synth/synth.ts';
import { openRenderCache, type RenderCache } from '../../write/render-cache.ts';
import { Stager } from '../../write/stager.ts';
import { planChanges, type Change } from '../../write/changes.ts';
import { displayPath, writeOutputs } from '../../write/write.ts';
import { readFleetFile } from '../fleet-file.ts';
import type { Io } from '../io.ts';
import { reportProblems } from '../print-diagnostics.ts';

export interface RenderArgs {
  readonly file: string;
  readonly out: string;
  readonly clusters: string;
  /** Folder of each cluster's Vault policy and role (not synced to clusters). @default 'vault' */
  readonly vault?: string;
  readonly check: boolean;
  /** Warnings refuse the fleet: nothing is rendered (exit 1). */
  readonly strict: boolean;
}

export async function renderCommand(io: Io, args: RenderArgs): Promise<number> {
  const roots = { dist: resolve(io.cwd, args.out), clusters: resolve(io.cwd, args.clusters), vault: resolve(io.cwd, args.vault ?? 'vault') };
  const read = readFleetFile(io, args.file);
  // --check must compare what the fleet renders now, so it never trusts the cache.
  const cache = args.check ? undefined : openRenderCache(dirname(read.absolute), roots, io.env);
  // The GitOps engine sees paths from the repository root, which is taken to be the fleet file's folder.
  const distPath = relative(dirname(read.absolute), roots.dist).split(sep).join('/') || '.';
  const shown = (path: string) => displayPath(path, io.cwd);
  const where = `${shown(roots.dist)}/, ${shown(roots.clusters)}/ and ${shown(roots.vault)}/`;
  const rendered = (clusters: number, changes: readonly Change[]) => {
    const count = (kind: string) => changes.filter((c) => c.kind === kind).length;
    io.out(`rendered ${clusters} clusters into ${where}: ${count('create')} created, ${count('update')} updated, ${count('delete')} removed`);
  };
  // Most renders in CI change nothing: the cache can tell from the bytes and the files, before anything is parsed.
  const upToDate = read.bytes && cache?.upToDate(read.bytes, distPath);
  if (upToDate !== undefined) {
    rendered(upToDate, []);
    return 0;
  }
  const { file, fleet, diagnostics, warnings = [], bytes } = (await import('../read-fleet.ts')).compileFleetFile(read, cache && ((b) => cache.knownValid(b)));
  if (!reportProblems(io, file, diagnostics, warnings, { strict: args.strict }) || !fleet || !bytes) return 1;
  const plans = (await import('../../plan/plan.ts')).planFleet(fleet, { distPath }).clusters;
  const stager = args.check ? undefined : new Stager(roots);
  const { outputs, onDisk } = await synthesize(plans, cache, stager).catch(async (e: unknown) => {
    await stager?.discard(); // e.g. a cluster refused by the secret scan after others were staged
    throw e;
  });
  if (args.check) {
    const changes = planChanges(outputs, roots);
    if (changes.length === 0) {
      io.out(`${where} are up to date with ${file}`);
      return 0;
    }
    for (const c of changes) io.err(`${c.kind.padEnd(6)} ${shown(c.path)}`);
    io.err(`${where} are stale: ${changes.length} file${changes.length === 1 ? '' : 's'} differ from what ${file} renders; run \`meshfleet render\` and commit the result`);
    return 1;
  }
  const keys = cache?.keys(plans) ?? [];
  const changes = await writeOutputs(outputs, roots, {
    waitMs: Number(io.env.MESHFLEET_LOCK_WAIT_MS) || undefined,
    onWait: (holder) => io.err(`waiting for ${holder} to finish writing into ${shown(roots.dist)}/`) }, onDisk, stager);
  // A fleet with warnings is not recorded as known valid: the next render validates it again and prints them again.
  if (warnings.length === 0) cache?.save(bytes, distPath, keys, outputs, (files) => stager?.digestOf(files));
  rendered(fleet.clusters.length, changes);
  return 0;
}

/**
 * Each cluster's files: read back from disk where the cache vouches for them, synthesized (loading cdk8s) otherwise,
 * and handed to the stager as they come, so that writing one cluster overlaps synthesizing the next.
 */
async function synthesize(plans: readonly ClusterPlan[], cache: RenderCache | undefined, stager: Stager | undefined) {
  let synthesizer: import('../../synth/synth.ts').FleetSynthesizer | undefined;
  const outputs: ClusterOutput[] = [];
  const onDisk = new Set<ClusterOutput>();
  for (const plan of plans) {
    const reused = cache?.reuse(plan);
    if (reused) {
      outputs.push(reused);
      onDisk.add(reused);
      continue;
    }
    synthesizer ??= new (await import('../../synth/synth.ts')).FleetSynthesizer();
    const output = synthesizer.cluster(plan);
    outputs.push(output);
    stager?.add(output);
  }
  return { outputs, onDisk };
}
