import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../diagnostics.ts';
import type { ClusterOutput } from '../synth/synth.ts';
import { isOwnedText, ownedFiles } from './owned.ts';
import { isSafeSegment, lstatOrUndefined, safeJoin } from './paths.ts';
import { clusterFolders, listDir, listRoots, type OutputRoots, type RootListing } from './roots.ts';

export type ChangeKind = 'create' | 'update' | 'delete';
export interface Change {
  readonly kind: ChangeKind;
  /** Absolute path. */
  readonly path: string;
  /** New content, for create and update. */
  readonly content?: string;
}

/** A dist/<cluster>/ folder to replace with exactly these files, or to remove (`files` undefined). */
export interface FolderChange {
  readonly target: string;
  readonly files?: ReadonlyMap<string, string>;
}

/** A clusters/<cluster>/ folder not there yet, with its files, and the same as file changes. */
export interface NewEntryFolder {
  readonly target: string;
  readonly files: ReadonlyMap<string, string>;
  readonly changes: readonly Change[];
}

/** What a render does to disk: per-file changes (to show), carried out as whole-folder swaps and atomic files. */
export interface WritePlan {
  /** Every file that differs, sorted by path. Empty when the output is up to date. */
  readonly changes: readonly Change[];
  /** dist/<cluster>/ folders to replace whole, or to remove. */
  readonly folders: readonly FolderChange[];
  /** Changes inside clusters/<cluster>/ and vault/<cluster>/, applied file by file (`flux bootstrap` shares the former). */
  readonly entries: readonly Change[];
  /**
   * clusters/<cluster>/ folders not there yet: each created whole with these files (a new folder is no one else's),
   * or by its `changes` one by one if one appeared meanwhile.
   */
  readonly newEntryFolders: readonly NewEntryFolder[];
}

/** A WritePlan being gathered, with what stands in the way. */
interface Draft {
  readonly changes: Change[];
  readonly folders: FolderChange[];
  readonly entries: Change[];
  readonly newEntryFolders: NewEntryFolder[];
  readonly conflicts: string[];
}

/**
 * Compares what the fleet renders with what is on disk. Refuses, before anything is written, to overwrite or
 * delete a file meshfleet did not write (its first line is not HEADER) or to go through a symbolic link.
 * `onDisk`: outputs known to be what is on disk, not compared again.
 */
export function planWrite(
  outputs: Iterable<ClusterOutput>,
  roots: OutputRoots,
  onDisk: ReadonlySet<ClusterOutput> = new Set(),
): WritePlan {
  const draft: Draft = { changes: [], folders: [], entries: [], newEntryFolders: [], conflicts: [] };
  const listed = listRoots(roots);
  const seen = new Set<string>();
  for (const output of outputs) {
    if (!isSafeSegment(output.cluster))
      throw new Error(`refusing cluster name ${JSON.stringify(output.cluster)} as a folder name`);
    seen.add(output.cluster);
    if (!onDisk.has(output)) addCluster(draft, output, roots, listed);
  }
  removeDeparted(draft, roots, seen);
  if (draft.conflicts.length > 0) {
    throw new UserError(
      `${draft.conflicts.length} file(s) in the way; nothing was written:\n${[...new Set(draft.conflicts)].join('\n')}`,
    );
  }
  const { changes, folders, entries, newEntryFolders } = draft;
  return { changes: changes.sort(byPath), folders, entries, newEntryFolders };
}

/** One cluster's changes: its dist/ folder whole, its entry folder whole if new, the rest file by file. */
function addCluster(draft: Draft, output: ClusterOutput, roots: OutputRoots, listed: RootListing): void {
  const { dist, entry, vault } = outputChanges(output, roots, draft.conflicts, listed);
  if (dist.length > 0) draft.folders.push({ target: join(roots.dist, output.cluster), files: output.dist });
  draft.changes.push(...dist, ...entry, ...vault);
  draft.entries.push(...vault);
  if (entry.length > 0 && !listed.clusters.has(output.cluster)) {
    draft.newEntryFolders.push({ target: join(roots.clusters, output.cluster), files: output.entry, changes: entry });
  } else {
    draft.entries.push(...entry);
  }
}

/** A cluster that left the fleet: its dist/ folder goes whole, its entry and Vault files one by one. */
function removeDeparted(draft: Draft, roots: OutputRoots, seen: ReadonlySet<string>): void {
  for (const name of clusterFolders(roots.dist)) {
    if (seen.has(name)) continue;
    const target = join(roots.dist, name);
    draft.changes.push(...diffFolder(target, new Map(), draft.conflicts, true));
    noForeignFiles(target, draft.conflicts);
    draft.folders.push({ target });
  }
  for (const root of roots.vault === undefined ? [roots.clusters] : [roots.clusters, roots.vault]) {
    for (const name of clusterFolders(root)) {
      if (seen.has(name)) continue;
      const gone = diffFolder(join(root, name), new Map(), draft.conflicts, true);
      draft.changes.push(...gone);
      draft.entries.push(...gone);
    }
  }
}

/** How one cluster's output differs from its folders on disk; what is in the way goes to conflicts. */
export function outputChanges(
  output: ClusterOutput,
  roots: OutputRoots,
  conflicts: string[],
  listed: RootListing,
): { dist: Change[]; entry: Change[]; vault: Change[] } {
  const target = join(roots.dist, output.cluster);
  const inDist = listed.dist.has(output.cluster);
  const dist = diffFolder(target, output.dist, conflicts, inDist);
  if (dist.length > 0 && inDist) noForeignFiles(target, conflicts);
  const vault =
    roots.vault === undefined
      ? []
      : diffFolder(
          join(roots.vault, output.cluster),
          output.vault ?? new Map(),
          conflicts,
          listed.vault.has(output.cluster),
        );
  return {
    dist,
    entry: diffFolder(
      join(roots.clusters, output.cluster),
      output.entry,
      conflicts,
      listed.clusters.has(output.cluster),
    ),
    vault,
  };
}

/** The file changes alone, for `render --check`: reads, never writes. */
export function planChanges(outputs: Iterable<ClusterOutput>, roots: OutputRoots): Change[] {
  return [...planWrite(outputs, roots).changes];
}

/** @param listed whether the folder's root lists it: if not, every wanted file is new and the disk is not asked */
function diffFolder(
  folder: string,
  wanted: ReadonlyMap<string, string>,
  conflicts: string[],
  listed: boolean,
): Change[] {
  if (!listed) return [...wanted].map(([rel, content]) => ({ kind: 'create', path: safeJoin(folder, rel), content }));
  const changes: Change[] = [];
  const { owned: existing, others } = ownedFiles(folder, conflicts);
  for (const [rel, content] of wanted) {
    const path = safeJoin(folder, rel);
    const current = existing.get(path);
    if (current === undefined) {
      // What else is there is known from the listing already made, not asked of the disk file by file.
      if (others.has(path))
        conflicts.push(
          `${path}: exists and was not written by meshfleet; move it away or delete it, then render again`,
        );
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
      else if (entry.isSymbolicLink())
        conflicts.push(`${path}: is a symbolic link; meshfleet does not write through links`);
      else if (!entry.isFile() || !isOwnedText(readFileSync(path, 'utf8'))) {
        conflicts.push(
          `${path}: was not written by meshfleet, and ${folder} is rewritten whole; move it away, then render again`,
        );
      }
    }
  };
  if (lstatOrUndefined(folder)?.isDirectory()) walk(folder);
}

const byPath = (a: Change, b: Change) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
