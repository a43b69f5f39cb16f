import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoByObject, planText } from '../sharing/index.ts';
import type { ClusterPlan } from '../plan/types.ts';
import type { ClusterOutput } from '../synth/synth.ts';
import { filesDigest } from './files-digest.mjs';
import { holdsOnly, ownedFileBytes, ownedFilesDigest, type OutputRoots } from './write.ts';

/**
 * Lets a render skip synthesizing a cluster whose output cannot have changed: most renders in CI change nothing, and
 * synthesizing is most of their time. A cluster's output depends only on its ClusterPlan and on meshfleet's own code,
 * so the cache records, per cluster, a hash of both (the key) and a hash of the files that render wrote. It is a hint,
 * never a source of truth: a cluster is skipped only when its key matches and the files on disk still hash to what
 * was recorded, and then its output is read back from disk. `render --check` never uses it.
 */
declare const MESHFLEET_BUILD_ID: string | undefined; // a content hash of the sources, set by scripts/build.mjs

/** Unset when running from source (tests, tsx): sources change without a build, so no key would be sound. */
const BUILD_ID = typeof MESHFLEET_BUILD_ID === 'string' ? MESHFLEET_BUILD_ID : undefined;

interface Entry {
  readonly key: string;
  readonly files: string;
}

/** What the cache file holds: the fleet file last rendered (found valid), and each cluster's entry. */
interface Stored {
  /** Key of the fleet file's bytes alone: they were found valid. */
  readonly valid: string;
  /** Key of the fleet file's bytes and where the output is, from the GitOps engine's view: what `clusters` came from. */
  readonly rendered?: string;
  readonly clusters: Record<string, Entry>;
}

export interface RenderCache {
  /** Whether this build rendered a fleet file with exactly these bytes, which it must then have found valid. */
  knownValid(fleetBytes: Uint8Array): boolean;
  /**
   * The number of clusters, when the output folders hold exactly what this build last rendered from these bytes with
   * this `distPath` (so a render would change nothing, and need not even parse the file); undefined otherwise.
   */
  upToDate(fleetBytes: Uint8Array, distPath: string): number | undefined;
  /** The cluster's output read back from disk, when the cache vouches that synthesizing it would give the same. */
  reuse(plan: ClusterPlan): ClusterOutput | undefined;
  /**
   * The plans' keys, for save. Asked for before the render waits for its writes (the writer thread may still be
   * writing): they need nothing from the disk.
   */
  keys(plans: readonly ClusterPlan[]): readonly string[];
  /**
   * Records what was rendered from which (valid) fleet file; call only once it is on disk. `keys`: those of the plans
   * the outputs were rendered from, in the same order. `digestOf`: the digests (files-digest.mjs) of dist/ folders
   * already known, such as the writer thread's (stager.ts).
   */
  save(fleetBytes: Uint8Array, distPath: string, keys: readonly string[], outputs: readonly ClusterOutput[],
    digestOf?: (files: ReadonlyMap<string, string>) => string | undefined): void;
}

const NONE: RenderCache = { knownValid: () => false, upToDate: () => undefined, reuse: () => undefined, keys: () => [], save: () => {} };

/**
 * The cache for one pair of output folders, kept under the nearest node_modules/.cache/meshfleet/ above the fleet
 * file (or above meshfleet itself), never in the output: a file there would be rendered output no one can review.
 */
export function openRenderCache(fleetDir: string, roots: OutputRoots, env: Readonly<Record<string, string | undefined>>): RenderCache {
  if (!BUILD_ID || env.MESHFLEET_NO_CACHE) return NONE;
  const base = nodeModulesAbove(fleetDir) ?? nodeModulesAbove(dirname(fileURLToPath(import.meta.url)));
  if (!base) return NONE;
  const file = join(base, '.cache', 'meshfleet', `${hash(`${roots.dist}\0${roots.clusters}${roots.vault === undefined ? '' : `\0${roots.vault}`}`).slice(0, 24)}.json`);
  let stored: Stored = { valid: '', clusters: {} };
  try {
    const read = JSON.parse(readFileSync(file, 'utf8')) as Partial<Stored>;
    if (typeof read.valid === 'string' && typeof read.clusters === 'object' && read.clusters !== null) stored = read as Stored;
  } catch {
    // missing or unreadable: everything is validated and synthesized, and the cache written anew
  }
  const entries = stored.clusters;
  // Memoized: reuse asks for a plan's key, and keys asks again for every plan.
  const keyOf = memoByObject((plan: ClusterPlan) => hash(`${BUILD_ID}\0${planText(plan)}`));
  // Outputs read back, by the hash their files were found to have: save need not hash them again.
  const vouched = new WeakMap<ClusterOutput, string>();
  const fleetKey = (bytes: Uint8Array) => createHash('sha256').update(`${BUILD_ID}\0`).update(bytes).digest('hex');
  // A plan depends on the fleet file and on distPath (the paths the GitOps engine is given): so does the output.
  const renderKey = (bytes: Uint8Array, distPath: string) => createHash('sha256').update(`${BUILD_ID}\0${distPath}\0`).update(bytes).digest('hex');
  /** The cluster's files on disk, as bytes, when they still hash to what was recorded for it. */
  const onDisk = (cluster: string, entry: Entry) => {
    const conflicts: string[] = [];
    const dist = relativeTo(join(roots.dist, cluster), ownedFileBytes(join(roots.dist, cluster), conflicts));
    const entryFiles = relativeTo(join(roots.clusters, cluster), ownedFileBytes(join(roots.clusters, cluster), conflicts));
    const vault = roots.vault === undefined ? new Map<string, Buffer>() : relativeTo(join(roots.vault, cluster), ownedFileBytes(join(roots.vault, cluster), conflicts));
    if (conflicts.length > 0) return undefined; // let the writer find and report them
    return filesHash(dist, entryFiles, vault) === entry.files ? { dist, entry: entryFiles, vault } : undefined;
  };
  /** What `onDisk` compares, without keeping the files: all a render that changes nothing needs. */
  const digestOnDisk = (cluster: string) => {
    const conflicts: string[] = [];
    const dist = ownedFilesDigest(join(roots.dist, cluster), conflicts);
    const entryFiles = ownedFilesDigest(join(roots.clusters, cluster), conflicts);
    const vault = roots.vault === undefined ? filesDigest(new Map()) : ownedFilesDigest(join(roots.vault, cluster), conflicts);
    return conflicts.length > 0 ? undefined : foldersHash(dist, entryFiles, vault);
  };
  const text = (files: ReadonlyMap<string, Buffer>) => new Map([...files].map(([rel, bytes]) => [rel, bytes.toString()]));
  return {
    knownValid: (bytes) => stored.valid === fleetKey(bytes),
    upToDate(bytes, distPath) {
      if (stored.rendered !== renderKey(bytes, distPath)) return undefined;
      const names = Object.keys(entries);
      // Nothing else a render would remove or recover, and every cluster's files as they were written.
      if (!holdsOnly(roots, new Set(names))) return undefined;
      return names.every((name) => digestOnDisk(name) === entries[name].files) ? names.length : undefined;
    },
    reuse(plan) {
      const entry = Object.hasOwn(entries, plan.name) ? entries[plan.name] : undefined;
      const files = entry && entry.key === keyOf(plan) ? onDisk(plan.name, entry) : undefined;
      if (!files) return undefined;
      const output: ClusterOutput = { cluster: plan.name, dist: text(files.dist), entry: text(files.entry), vault: text(files.vault), secretFindings: [] };
      vouched.set(output, entry!.files);
      return output;
    },
    keys: (plans) => plans.map(keyOf),
    save(fleetBytes, distPath, keys, outputs, digestOf) {
      const next: Stored = { valid: fleetKey(fleetBytes), rendered: renderKey(fleetBytes, distPath), clusters: {} };
      outputs.forEach((output, i) => {
        const vault = roots.vault === undefined ? new Map<string, string>() : output.vault ?? new Map<string, string>();
        const files = vouched.get(output) ?? filesHash(output.dist, output.entry, vault, digestOf?.(output.dist));
        next.clusters[output.cluster] = { key: keys[i], files };
      });
      try {
        mkdirSync(dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`; // renders may run side by side: each replaces the file whole
        writeFileSync(tmp, JSON.stringify(next));
        renameSync(tmp, file);
        pruneCaches(dirname(file));
      } catch {
        // a cache that cannot be written only costs the next render its speed
      }
    },
  };
}

/**
 * Cache files kept per folder. There is one per pair of output folders ever rendered: a person has a few, but
 * scripts and test suites that render into temporary folders would leave one each, for good.
 */
export const MAX_CACHE_FILES = 64;

/** Removes all but the MAX_CACHE_FILES files written last (a save rewrites its file, so those in use stay). */
function pruneCaches(folder: string): void {
  const names = readdirSync(folder);
  if (names.length <= MAX_CACHE_FILES) return;
  const byAge = names.map((name) => {
    const path = join(folder, name);
    return { path, mtime: statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Infinity };
  });
  byAge.sort((a, b) => b.mtime - a.mtime);
  for (const { path } of byAge.slice(MAX_CACHE_FILES)) rmSync(path, { force: true });
}

function nodeModulesAbove(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) return join(d, 'node_modules');
    if (dirname(d) === d) return undefined;
  }
}

function relativeTo<T>(folder: string, files: ReadonlyMap<string, T>): Map<string, T> {
  return new Map([...files].map(([path, content]) => [relative(folder, path).split(sep).join('/'), content]));
}

/** A folder's files by relative path: texts, or their UTF-8 bytes as read back, which digest alike. */
type Files = ReadonlyMap<string, string | Uint8Array>;

/** Paths and contents of the cluster's folders: equal hashes mean the same files with the same bytes. */
function filesHash(dist: Files, entry: Files, vault: Files, distDigest = filesDigest(dist)): string {
  return foldersHash(distDigest, filesDigest(entry), filesDigest(vault));
}

/** The hash of the cluster's folders (dist/, clusters/, vault/), from their digests. */
function foldersHash(distDigest: string, entryDigest: string, vaultDigest: string): string {
  return hash(`${distDigest}\0${entryDigest}\0${vaultDigest}`);
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
