import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoByObject, planText } from '../sharing/index.ts';
import type { ClusterPlan } from '../plan/types.ts';
import type { ClusterOutput } from '../synth/synth.ts';
import { filesDigest } from './files-digest.mjs';
import { ownedFileBytes, ownedFilesDigest } from './owned.ts';
import { holdsOnly, type OutputRoots } from './roots.ts';

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
  save(
    fleetBytes: Uint8Array,
    distPath: string,
    keys: readonly string[],
    outputs: readonly ClusterOutput[],
    digestOf?: (files: ReadonlyMap<string, string>) => string | undefined,
  ): void;
}

const NONE: RenderCache = {
  knownValid: () => false,
  upToDate: () => undefined,
  reuse: () => undefined,
  keys: () => [],
  save: () => {},
};

/**
 * The cache for one pair of output folders, kept under the nearest node_modules/.cache/meshfleet/ above the fleet
 * file (or above meshfleet itself), never in the output: a file there would be rendered output no one can review.
 * None when running from source (no build to key on) or with no node_modules folder above.
 */
export function openRenderCache(fleetDir: string, roots: OutputRoots): RenderCache {
  if (!BUILD_ID) return NONE;
  const file = cacheFile(fleetDir, roots);
  return file === undefined ? NONE : new DiskRenderCache(file, roots, readStored(file), BUILD_ID);
}

function cacheFile(fleetDir: string, roots: OutputRoots): string | undefined {
  const base = nodeModulesAbove(fleetDir) ?? nodeModulesAbove(dirname(fileURLToPath(import.meta.url)));
  if (!base) return undefined;
  const folders = `${roots.dist}\0${roots.clusters}${roots.vault === undefined ? '' : `\0${roots.vault}`}`;
  return join(base, '.cache', 'meshfleet', `${hash(folders).slice(0, 24)}.json`);
}

/** What the cache file holds; missing or unreadable, nothing: everything is validated and synthesized anew. */
function readStored(file: string): Stored {
  try {
    const read = JSON.parse(readFileSync(file, 'utf8')) as Partial<Stored>;
    if (typeof read.valid === 'string' && typeof read.clusters === 'object' && read.clusters !== null)
      return read as Stored;
  } catch {
    // as if there were none
  }
  return { valid: '', clusters: {} };
}

/** Replaces the cache file whole: renders may run side by side. A cache that cannot be written is no error. */
function writeStored(file: string, stored: Stored): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(stored));
    renameSync(tmp, file);
    pruneCaches(dirname(file));
  } catch {
    // the next render validates and synthesizes everything
  }
}

class DiskRenderCache implements RenderCache {
  readonly #file: string;
  readonly #roots: OutputRoots;
  readonly #stored: Stored;
  readonly #build: string;
  /** Memoized: reuse asks for a plan's key, and keys asks again for every plan. */
  readonly #keyOf = memoByObject((plan: ClusterPlan) => hash(`${this.#build}\0${planText(plan)}`));
  /** Outputs read back, by the hash their files were found to have: save need not hash them again. */
  readonly #vouched = new WeakMap<ClusterOutput, string>();

  constructor(file: string, roots: OutputRoots, stored: Stored, build: string) {
    this.#file = file;
    this.#roots = roots;
    this.#stored = stored;
    this.#build = build;
  }

  knownValid(bytes: Uint8Array): boolean {
    return this.#stored.valid === this.#fleetKey(bytes);
  }

  upToDate(bytes: Uint8Array, distPath: string): number | undefined {
    if (this.#stored.rendered !== this.#renderKey(bytes, distPath)) return undefined;
    const entries = this.#stored.clusters;
    const names = Object.keys(entries);
    // Nothing else a render would remove or recover, and every cluster's files as they were written.
    if (!holdsOnly(this.#roots, new Set(names))) return undefined;
    return names.every((name) => this.#digestOnDisk(name) === entries[name].files) ? names.length : undefined;
  }

  reuse(plan: ClusterPlan): ClusterOutput | undefined {
    const entry = Object.hasOwn(this.#stored.clusters, plan.name) ? this.#stored.clusters[plan.name] : undefined;
    const files = entry && entry.key === this.#keyOf(plan) ? this.#onDisk(plan.name, entry) : undefined;
    if (!files) return undefined;
    const text = (bytes: ReadonlyMap<string, Buffer>) => new Map([...bytes].map(([rel, b]) => [rel, b.toString()]));
    const output: ClusterOutput = {
      cluster: plan.name,
      dist: text(files.dist),
      entry: text(files.entry),
      vault: text(files.vault),
      secretFindings: [],
    };
    this.#vouched.set(output, entry!.files);
    return output;
  }

  keys(plans: readonly ClusterPlan[]): readonly string[] {
    return plans.map(this.#keyOf);
  }

  save(
    fleetBytes: Uint8Array,
    distPath: string,
    keys: readonly string[],
    outputs: readonly ClusterOutput[],
    digestOf?: (files: ReadonlyMap<string, string>) => string | undefined,
  ): void {
    const next: Stored = {
      valid: this.#fleetKey(fleetBytes),
      rendered: this.#renderKey(fleetBytes, distPath),
      clusters: {},
    };
    outputs.forEach((output, i) => {
      const vault =
        this.#roots.vault === undefined ? new Map<string, string>() : (output.vault ?? new Map<string, string>());
      const files = this.#vouched.get(output) ?? filesHash(output.dist, output.entry, vault, digestOf?.(output.dist));
      next.clusters[output.cluster] = { key: keys[i], files };
    });
    writeStored(this.#file, next);
  }

  #fleetKey(bytes: Uint8Array): string {
    return createHash('sha256').update(`${this.#build}\0`).update(bytes).digest('hex');
  }

  /** A plan depends on the fleet file and on distPath (the paths the GitOps engine is given): so does the output. */
  #renderKey(bytes: Uint8Array, distPath: string): string {
    return createHash('sha256').update(`${this.#build}\0${distPath}\0`).update(bytes).digest('hex');
  }

  /** The cluster's folders (dist/, clusters/, vault/): none for vault/ when the render writes no Vault files. */
  #folders(cluster: string): { dist: string; entry: string; vault?: string } {
    const { dist, clusters, vault } = this.#roots;
    return {
      dist: join(dist, cluster),
      entry: join(clusters, cluster),
      vault: vault === undefined ? undefined : join(vault, cluster),
    };
  }

  /** The cluster's files on disk, as bytes, when they still hash to what was recorded for it. */
  #onDisk(cluster: string, entry: Entry) {
    const conflicts: string[] = [];
    const folders = this.#folders(cluster);
    const read = (folder: string | undefined) =>
      folder === undefined ? new Map<string, Buffer>() : relativeTo(folder, ownedFileBytes(folder, conflicts));
    const files = { dist: read(folders.dist), entry: read(folders.entry), vault: read(folders.vault) };
    if (conflicts.length > 0) return undefined; // let the writer find and report them
    return filesHash(files.dist, files.entry, files.vault) === entry.files ? files : undefined;
  }

  /** What `#onDisk` compares, without keeping the files: all a render that changes nothing needs. */
  #digestOnDisk(cluster: string): string | undefined {
    const conflicts: string[] = [];
    const folders = this.#folders(cluster);
    const digest = (folder: string | undefined) =>
      folder === undefined ? filesDigest(new Map()) : ownedFilesDigest(folder, conflicts);
    const hashed = foldersHash(digest(folders.dist), digest(folders.entry), digest(folders.vault));
    return conflicts.length > 0 ? undefined : hashed;
  }
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
