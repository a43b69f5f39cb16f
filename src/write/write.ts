import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UserError } from '../diagnostics.ts';
import { HEADER } from '../synth/header.ts';
import { JSON_HEADER } from '../vault/files.ts';
import type { ClusterOutput } from '../synth/synth.ts';
import { commitFolder, hasStale, recoverStale, removeFolder, stageFolder, TEMP_PREFIX, writeFileAtomic } from './atomic.ts';
import { assertNoSecrets } from './guard.ts';
import { sortedFilesDigest } from './files-digest.mjs';
import { acquireLock, LOCK_NAME, type LockOptions } from './lock.ts';
import { isSafeSegment, lstatOrUndefined, safeJoin } from './paths.ts';
import type { Stager } from './stager.ts';

/** Where rendered files go: `<dist>/<cluster>/...` and the GitOps entry points `<clusters>/<cluster>/...`. */
export interface OutputRoots {
  readonly dist: string;
  readonly clusters: string;
  /** `<vault>/<cluster>/...`: each cluster's Vault policy and role, written file by file like the entry points. */
  readonly vault?: string;
}

export type ChangeKind = 'create' | 'update' | 'delete';
export interface Change {
  readonly kind: ChangeKind;
  /** Absolute path. */
  readonly path: string;
  /** New content, for create and update. */
  readonly content?: string;
}

/** What a render does to disk: per-file changes (to show), carried out as whole-folder swaps and atomic files. */
export interface WritePlan {
  /** Every file that differs, sorted by path. Empty when the output is up to date. */
  readonly changes: readonly Change[];
  /** dist/<cluster>/ folders to replace with exactly these files, or to remove (`files` undefined). */
  readonly folders: readonly { readonly target: string; readonly files?: ReadonlyMap<string, string> }[];
  /** Changes inside clusters/<cluster>/, applied file by file (that folder is shared with `flux bootstrap`). */
  readonly entries: readonly Change[];
  /**
   * clusters/<cluster>/ folders not there yet: each created whole with these files (a new folder is no one else's),
   * or by its `changes` one by one if one appeared meanwhile.
   */
  readonly newEntryFolders: readonly { readonly target: string; readonly files: ReadonlyMap<string, string>; readonly changes: readonly Change[] }[];
}

/**
 * Compares what the fleet renders with what is on disk. Refuses, before anything is written, to overwrite or
 * delete a file meshfleet did not write (its first line is not HEADER) or to go through a symbolic link.
 */
export function planWrite(outputs: Iterable<ClusterOutput>, roots: OutputRoots, onDisk: ReadonlySet<ClusterOutput> = new Set()): WritePlan {
  const changes: Change[] = [];
  const folders: { target: string; files?: ReadonlyMap<string, string> }[] = [];
  const entries: Change[] = [];
  const newEntryFolders: WritePlan['newEntryFolders'][number][] = [];
  const conflicts: string[] = [];
  const seen = new Set<string>();
  const listed = listRoots(roots);
  for (const output of outputs) {
    if (!isSafeSegment(output.cluster)) throw new Error(`refusing cluster name ${JSON.stringify(output.cluster)} as a folder name`);
    seen.add(output.cluster);
    if (onDisk.has(output)) continue;
    const { dist: distChanges, entry: entryChanges, vault: vaultChanges } = outputChanges(output, roots, conflicts, listed);
    if (distChanges.length > 0) folders.push({ target: join(roots.dist, output.cluster), files: output.dist });
    changes.push(...distChanges, ...entryChanges, ...vaultChanges);
    entries.push(...vaultChanges);
    if (entryChanges.length > 0 && !listed.clusters.has(output.cluster)) {
      newEntryFolders.push({ target: join(roots.clusters, output.cluster), files: output.entry, changes: entryChanges });
    } else {
      entries.push(...entryChanges);
    }
  }
  // A cluster that left the fleet: its dist/ folder goes whole, its entry files one by one.
  for (const name of clusterFolders(roots.dist)) {
    if (seen.has(name)) continue;
    const target = join(roots.dist, name);
    const gone = diffFolder(target, new Map(), conflicts, true);
    noForeignFiles(target, conflicts);
    folders.push({ target });
    changes.push(...gone);
  }
  for (const root of roots.vault === undefined ? [roots.clusters] : [roots.clusters, roots.vault]) {
    for (const name of clusterFolders(root)) {
      if (seen.has(name)) continue;
      const gone = diffFolder(join(root, name), new Map(), conflicts, true);
      changes.push(...gone);
      entries.push(...gone);
    }
  }
  if (conflicts.length > 0) {
    throw new UserError(`${conflicts.length} file(s) in the way; nothing was written:\n${[...new Set(conflicts)].join('\n')}`);
  }
  return { changes: changes.sort(byPath), folders, entries, newEntryFolders };
}

/** The names in each output root, listed once per look: a cluster folder that is not there then costs no call. */
export interface RootListing {
  readonly dist: ReadonlySet<string>;
  readonly clusters: ReadonlySet<string>;
  readonly vault: ReadonlySet<string>;
}

export function listRoots(roots: OutputRoots): RootListing {
  const names = (root: string | undefined) => new Set(root === undefined ? [] : listDir(root).map((e) => e.name));
  return { dist: names(roots.dist), clusters: names(roots.clusters), vault: names(roots.vault) };
}

/** How one cluster's output differs from its folders on disk; what is in the way goes to conflicts. */
export function outputChanges(output: ClusterOutput, roots: OutputRoots, conflicts: string[], listed: RootListing): { dist: Change[]; entry: Change[]; vault: Change[] } {
  const target = join(roots.dist, output.cluster);
  const inDist = listed.dist.has(output.cluster);
  const dist = diffFolder(target, output.dist, conflicts, inDist);
  if (dist.length > 0 && inDist) noForeignFiles(target, conflicts);
  const vault = roots.vault === undefined ? [] : diffFolder(join(roots.vault, output.cluster), output.vault ?? new Map(), conflicts, listed.vault.has(output.cluster));
  return { dist, entry: diffFolder(join(roots.clusters, output.cluster), output.entry, conflicts, listed.clusters.has(output.cluster)), vault };
}

/** The file changes alone, for `render --check`: reads, never writes. */
export function planChanges(outputs: Iterable<ClusterOutput>, roots: OutputRoots): Change[] {
  return [...planWrite(outputs, roots).changes];
}

/**
 * The render's write step. Nothing to do (and nothing stale) means nothing is written, not even the lock. Otherwise,
 * under the lock: finish or remove what killed runs left, plan again (another run may have written meanwhile),
 * scan the output for secrets, then swap each changed cluster folder in and write each entry file atomically.
 * `onDisk`: outputs just read back from disk (render-cache.ts), which the first look need not compare again.
 * `stager`: what was staged while synthesizing (stager.ts); its folders are swapped in where the plan still wants
 * exactly them, and whatever is left of them is removed, whatever happens.
 */
export async function writeOutputs(
  outputs: readonly ClusterOutput[], roots: OutputRoots, lockOptions: LockOptions = {}, onDisk?: ReadonlySet<ClusterOutput>, stager?: Stager,
): Promise<readonly Change[]> {
  try {
    // A first look without the lock (moot if the stager already saw a change): most renders of an unchanged fleet end
    // here. What it sees may be another render's half-finished work, so its refusals are not final: only the look
    // under the lock decides.
    if (!stager?.changed) {
      const first = tryPlan(outputs, roots, new Set([...(onDisk ?? []), ...(stager?.unchanged ?? [])]));
      if (first && first.changes.length === 0 && !anyStale(roots)) return [];
    }
    mkdirSync(roots.dist, { recursive: true });
    const lock = acquireLock(roots.dist, lockOptions);
    try {
      recoverStale(roots.dist);
      recoverStale(roots.clusters);
      if (roots.vault !== undefined) recoverStale(roots.vault);
      for (const dir of entryFolders(roots)) recoverStale(dir);
      const plan = planWrite(outputs, roots);
      assertNoSecrets(outputs.filter((o) => !stager?.checked.has(o)));
      await applyFolders(plan, stager);
      await applyNewEntryFolders(plan, stager);
      applyEntries(plan.entries);
      return plan.changes;
    } finally {
      lock.release();
    }
  } finally {
    await stager?.discard();
  }
}

function tryPlan(outputs: readonly ClusterOutput[], roots: OutputRoots, onDisk?: ReadonlySet<ClusterOutput>): WritePlan | undefined {
  try {
    return planWrite(outputs, roots, onDisk);
  } catch (e) {
    if (e instanceof UserError) return undefined;
    throw e;
  }
}

/**
 * Applies file changes one by one, each atomically, without the lock or folder swaps: for a scratch folder no one
 * else reads (e.g. rendering into a temporary tree to compare). The repository's output goes through writeOutputs.
 */
export function applyChanges(changes: readonly Change[], _roots?: OutputRoots): void {
  applyEntries(changes);
}

async function applyFolders(plan: WritePlan, stager: Stager | undefined): Promise<void> {
  for (const folder of plan.folders) {
    if (!folder.files) removeFolder(folder.target);
    else commitFolder(folder.target, (await stager?.take(folder.target, folder.files)) ?? stageFolder(folder.target, folder.files));
  }
}

/**
 * A new clusters/<cluster>/ folder, staged whole, is moved in with one rename. If one appeared meanwhile (say, from
 * `flux bootstrap`, which does not take meshfleet's lock), its files are written one by one, as in any existing one.
 */
async function applyNewEntryFolders(plan: WritePlan, stager: Stager | undefined): Promise<void> {
  for (const { target, files, changes } of plan.newEntryFolders) {
    const staged = await stager?.take(target, files);
    if (staged) {
      try {
        renameSync(staged, target); // onto nothing, or onto an empty folder: either way the target is then complete
        continue;
      } catch {
        rmSync(staged, { recursive: true, force: true });
      }
    }
    applyEntries(changes);
  }
}

function applyEntries(entries: readonly Change[]): void {
  for (const change of entries) if (change.kind !== 'delete') writeFileAtomic(change.path, change.content!);
  for (const change of entries) {
    if (change.kind !== 'delete') continue;
    rmSync(change.path);
    removeIfEmpty(join(change.path, '..'));
  }
}

/** Leftovers of killed runs, a left-behind lock included: those make even a no-op render take the lock and clean. */
function anyStale(roots: OutputRoots): boolean {
  return existsSync(join(roots.dist, LOCK_NAME)) || hasStale(roots.dist) || hasStale(roots.clusters)
    || (roots.vault !== undefined && hasStale(roots.vault)) || entryFolders(roots).some(hasStale);
}

/**
 * Whether the output roots hold cluster folders of these clusters only, and nothing a render would recover first
 * (a lock, leftovers of killed runs): with each cluster's files as rendered, a render would then change nothing.
 */
export function holdsOnly(roots: OutputRoots, clusters: ReadonlySet<string>): boolean {
  const vault = roots.vault === undefined ? [] : clusterFolders(roots.vault);
  return [...clusterFolders(roots.dist), ...clusterFolders(roots.clusters), ...vault].every((name) => clusters.has(name)) && !anyStale(roots);
}

/**
 * The clusters/<cluster>/ folders there are, where a killed run may have left a file's draft: only those. Asking for
 * each cluster's folder, there or not, cost a failed listing per new cluster (a twentieth of a cold render's end).
 */
function entryFolders(roots: OutputRoots): string[] {
  const vault = roots.vault === undefined ? [] : clusterFolders(roots.vault).map((n) => join(roots.vault!, n));
  return [...clusterFolders(roots.clusters).map((n) => join(roots.clusters, n)), ...vault];
}

/** @param listed whether the folder's root lists it: if not, every wanted file is new and the disk is not asked */
function diffFolder(folder: string, wanted: ReadonlyMap<string, string>, conflicts: string[], listed: boolean): Change[] {
  if (!listed) return [...wanted].map(([rel, content]) => ({ kind: 'create', path: safeJoin(folder, rel), content }));
  const changes: Change[] = [];
  const { owned: existing, others } = ownedFiles(folder, conflicts);
  for (const [rel, content] of wanted) {
    const path = safeJoin(folder, rel);
    const current = existing.get(path);
    if (current === undefined) {
      // Known from the listing already made: one lstat per rendered file cost more than the writes themselves.
      if (others.has(path)) conflicts.push(`${path}: exists and was not written by meshfleet; move it away or delete it, then render again`);
      else changes.push({ kind: 'create', path, content });
    } else if (current !== content) {
      changes.push({ kind: 'update', path, content });
    }
    existing.delete(path);
  }
  for (const path of existing.keys()) changes.push({ kind: 'delete', path });
  return changes;
}

/** dist/<cluster>/ is replaced whole, so a file someone else put there would be lost: refuse instead. */
function noForeignFiles(folder: string, conflicts: string[]): void {
  const walk = (dir: string) => {
    for (const entry of listDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isSymbolicLink()) conflicts.push(`${path}: is a symbolic link; meshfleet does not write through links`);
      else if (!entry.isFile() || !isOwnedText(readFileSync(path, 'utf8'))) {
        conflicts.push(`${path}: was not written by meshfleet, and ${folder} is rewritten whole; move it away, then render again`);
      }
    }
  };
  if (lstatOrUndefined(folder)?.isDirectory()) walk(folder);
}

/**
 * Files under folder whose first line is meshfleet's header, with their content, and every other entry found (folders,
 * links, foreign files), which a rendered file must not replace. Links are never followed.
 */
export function ownedFiles(folder: string, conflicts: string[]): { owned: Map<string, string>; others: Set<string> } {
  return walkOwned(folder, conflicts, (path) => readFileSync(path, 'utf8'), isOwnedText);
}

/** meshfleet's files start with HEADER, or (JSON, which has no comments) with JSON_HEADER. */
const isOwnedText = (content: string) => content.startsWith(HEADER) || content.startsWith(JSON_HEADER);
const HEADER_BYTES = Buffer.from(HEADER);
const JSON_HEADER_BYTES = Buffer.from(JSON_HEADER);
const startsWithBytes = (content: Uint8Array, prefix: Buffer) => Buffer.compare(content.subarray(0, prefix.length), prefix) === 0;
const isOwnedBytes = (content: Uint8Array) => startsWithBytes(content, HEADER_BYTES) || startsWithBytes(content, JSON_HEADER_BYTES);

/** ownedFiles' owned files, as bytes: what the render cache digests needs no decoding (a 511-cluster mesh is 384 MB). */
export function ownedFileBytes(folder: string, conflicts: string[]): Map<string, Buffer> {
  return walkOwned(folder, conflicts, (path) => readFileSync(path), isOwnedBytes).owned;
}

/**
 * The digest (files-digest.mjs) of ownedFiles' owned files by their paths relative to folder, each read into the
 * same buffer: a no-op render digests every file (384 MB for a 511-cluster mesh), and a new buffer for each (memory
 * the system maps and faults in anew) cost a quarter of that.
 */
export function ownedFilesDigest(folder: string, conflicts: string[]): string {
  const files: [rel: string, path: string][] = [];
  walkFolder(folder, conflicts, (path, rel) => files.push([rel, path]));
  files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sortedFilesDigest(ownedContents(files));
}

function* ownedContents(files: Iterable<[rel: string, path: string]>): Generator<[string, Uint8Array]> {
  for (const [rel, path] of files) {
    const content = readReused(path);
    if (isOwnedBytes(content)) yield [rel, content];
  }
}

let reused = Buffer.allocUnsafe(1 << 20);

/** The file's bytes, in a buffer the next call reuses. */
function readReused(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === reused.length) reused = Buffer.concat([reused, Buffer.allocUnsafe(reused.length)]);
      const read = readSync(fd, reused, length, reused.length - length, null);
      if (read === 0) return reused.subarray(0, length);
      length += read;
    }
  } finally {
    closeSync(fd);
  }
}

function walkOwned<T>(folder: string, conflicts: string[], read: (path: string) => T, isOwned: (content: T) => boolean) {
  const owned = new Map<string, T>();
  const others = new Set<string>();
  walkFolder(folder, conflicts, (path) => {
    const content = read(path);
    if (isOwned(content)) {
      owned.set(path, content);
      others.delete(path);
    }
  }, others);
  return { owned, others };
}

/**
 * Calls onFile with each file under folder, and its path relative to folder, depth first; adds each entry seen to
 * `others`. Links are conflicts, never followed; a killed run's leftovers are passed over (recovered under the lock).
 */
function walkFolder(folder: string, conflicts: string[], onFile: (path: string, rel: string) => void, others?: Set<string>): void {
  const stat = lstatOrUndefined(folder);
  if (!stat) return;
  if (!stat.isDirectory()) {
    conflicts.push(`${folder}: is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; meshfleet writes only into real folders`);
    return;
  }
  const walk = (dir: string, prefix: string) => {
    for (const entry of listDir(dir)) {
      if (entry.name.startsWith(TEMP_PREFIX)) continue;
      const path = join(dir, entry.name);
      others?.add(path);
      if (entry.isSymbolicLink()) {
        conflicts.push(`${path}: is a symbolic link; meshfleet does not write through links`);
      } else if (entry.isDirectory()) {
        walk(path, `${prefix}${entry.name}/`);
      } else if (entry.isFile()) {
        onFile(path, prefix + entry.name);
      }
    }
  };
  walk(folder, '');
}

/** Sub-folders of an output root that could be a cluster's (not the writer's own dot-entries). */
function clusterFolders(root: string): string[] {
  return listDir(root)
    .filter((e) => e.isDirectory() && isSafeSegment(e.name))
    .map((e) => e.name);
}

function listDir(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir); // only succeeds on an empty folder
  } catch {
    // not empty or already gone: either way nothing to do
  }
}

const byPath = (a: Change, b: Change) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** `dist/a/b.yaml` relative to the working folder, with forward slashes: how paths are shown to people. */
export function displayPath(path: string, cwd: string): string {
  return relative(cwd, path).split(sep).join('/');
}
