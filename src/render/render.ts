import { relative, sep } from 'node:path';
import type { CompileOptions, Compiled } from '../compile.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Fleet } from '../model/fleet.ts';
import type { ClusterPlan } from '../plan/types.ts';
import type { ClusterOutput, FleetSynthesizer } from '../synth/synth.ts';
import { planChanges, type Change } from '../write/changes.ts';
import type { LockOptions } from '../write/lock.ts';
import { openRenderCache, type RenderCache } from '../write/render-cache.ts';
import type { OutputRoots } from '../write/roots.ts';
import { Stager } from '../write/stager.ts';
import { writeOutputs } from '../write/write.ts';

export interface RenderRequest {
  /** The fleet file as named in messages. */
  readonly file: string;
  /** The fleet file's bytes, or the fleet they were validated into already (then no render cache, which keys on bytes). */
  readonly source: { readonly bytes: Uint8Array } | { readonly fleet: Fleet };
  /**
   * The fleet file's folder: taken as the repository root, from which the GitOps engine sees the output's paths, and
   * where the render cache is looked for.
   */
  readonly fleetDir: string;
  readonly roots: OutputRoots;
  /** Compare the output on disk with what the fleet renders; write nothing. @default false */
  readonly check?: boolean;
  /** Warnings refuse the fleet as errors do. @default false */
  readonly strict?: boolean;
  /** Whether the render cache may be used; `check` never uses it. @default true */
  readonly cache?: boolean;
  /** How long to wait for another render's lock on the output, and whom to tell. */
  readonly lock?: LockOptions;
}

export type RenderOutcome = {
  /** The fleet file's errors: the fleet was refused. @default [] */
  readonly diagnostics: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
} & (
  | { readonly status: 'refused' }
  /** `check`: the files that differ from what the fleet renders (none: up to date). */
  | { readonly status: 'checked'; readonly changes: readonly Change[] }
  /** The changes written (none: the output was up to date), for this many clusters. */
  | {
      readonly status: 'written';
      readonly clusters: number;
      readonly changes: readonly Change[];
      readonly fleet?: Fleet;
    }
);

/**
 * `meshfleet render`, step by step: ask the cache whether the output is up to date already; compile the fleet file;
 * plan its clusters; synthesize each (or read it back where the cache vouches for it), staging its folders as it
 * comes; then compare (`check`), or write and record what was written in the cache. Everything that renders a fleet
 * to disk comes here, so that every output is written by the same steps.
 */
export async function render(request: RenderRequest): Promise<RenderOutcome> {
  const distPath = gitopsPath(request.fleetDir, request.roots.dist);
  const cache = openCache(request);
  const bytes = 'bytes' in request.source ? request.source.bytes : undefined;
  // Most renders in CI change nothing: the cache can tell from the bytes and the files, before anything is parsed.
  const upToDate = bytes && cache?.upToDate(bytes, distPath);
  if (upToDate !== undefined)
    return { status: 'written', clusters: upToDate, changes: [], diagnostics: [], warnings: [] };
  const { fleet, diagnostics, warnings = [] } = await compile(request, cache);
  if (!fleet || diagnostics.length > 0 || (request.strict && warnings.length > 0))
    return { status: 'refused', diagnostics, warnings };
  const plans = await plan(fleet, distPath);
  const stager = request.check ? undefined : new Stager(request.roots);
  const synthesized = await synthesize(plans, cache, stager);
  if (request.check)
    return { status: 'checked', changes: planChanges(synthesized.outputs, request.roots), diagnostics, warnings };
  const keys = cache?.keys(plans) ?? []; // before the writes are waited for: the writer thread may still be writing
  const changes = await writeOutputs(synthesized.outputs, request.roots, request.lock, synthesized.onDisk, stager);
  // A fleet with warnings is not recorded as known valid: the next render validates it again and prints them again.
  if (bytes && warnings.length === 0)
    cache?.save(bytes, distPath, keys, synthesized.outputs, (files) => stager?.digestOf(files));
  return { status: 'written', clusters: fleet.clusters.length, changes, fleet, diagnostics, warnings };
}

/** Where dist/ is from the repository root, with forward slashes, as the GitOps engine is given it. */
function gitopsPath(fleetDir: string, dist: string): string {
  return relative(fleetDir, dist).split(sep).join('/') || '.';
}

/** `check` must compare what the fleet renders now, so it never trusts the cache. */
function openCache(request: RenderRequest): RenderCache | undefined {
  if (request.check || request.cache === false || !('bytes' in request.source)) return undefined;
  return openRenderCache(request.fleetDir, request.roots);
}

/** The fleet, validated; the checks are skipped for bytes the cache knows this build found valid. */
async function compile(request: RenderRequest, cache: RenderCache | undefined): Promise<Compiled> {
  if ('fleet' in request.source) return { fleet: request.source.fleet, diagnostics: [] };
  const { bytes } = request.source;
  const options: CompileOptions = { knownValid: cache?.knownValid(bytes) };
  return (await import('../compile.ts')).compileFleet(request.file, bytes, options);
}

async function plan(fleet: Fleet, distPath: string): Promise<readonly ClusterPlan[]> {
  return (await import('../plan/plan.ts')).planFleet(fleet, { distPath }).clusters;
}

interface Synthesized {
  readonly outputs: readonly ClusterOutput[];
  /** The outputs read back from disk. */
  readonly onDisk: ReadonlySet<ClusterOutput>;
}

/**
 * Each cluster's files: read back from disk where the cache vouches for them, synthesized (loading cdk8s) otherwise,
 * and handed to the stager as they come, so that writing one cluster overlaps synthesizing the next. What was staged
 * is removed if synthesis fails (e.g. a cluster refused by the secret scan after others were staged).
 */
async function synthesize(
  plans: readonly ClusterPlan[],
  cache: RenderCache | undefined,
  stager: Stager | undefined,
): Promise<Synthesized> {
  let synthesizer: FleetSynthesizer | undefined;
  const outputs: ClusterOutput[] = [];
  const onDisk = new Set<ClusterOutput>();
  try {
    for (const plan of plans) {
      const reused = cache?.reuse(plan);
      if (reused) {
        outputs.push(reused);
        onDisk.add(reused);
        continue;
      }
      synthesizer ??= new (await import('../synth/synth.ts')).FleetSynthesizer();
      const output = synthesizer.cluster(plan);
      outputs.push(output);
      stager?.add(output);
    }
  } catch (e) {
    await stager?.discard();
    throw e;
  }
  return { outputs, onDisk };
}
