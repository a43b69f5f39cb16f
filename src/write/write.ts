import { lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { UserError } from '../diagnostics.ts';
import { HEADER, type ClusterOutput } from '../synth/synth.ts';

/** Where rendered files go: `<dist>/<cluster>/...` and the GitOps entry points `<clusters>/<cluster>/...`. */
export interface OutputRoots {
  readonly dist: string;
  readonly clusters: string;
}

export type ChangeKind = 'create' | 'update' | 'delete';
export interface Change {
  readonly kind: ChangeKind;
  /** Absolute path. */
  readonly path: string;
  /** New content, for create and update. */
  readonly content?: string;
}

const SAFE_SEGMENT = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * Compares what the fleet renders with what is on disk, and returns the changes that would make them equal.
 * Refuses, before anything is written, to overwrite or delete a file meshfleet did not write (its first line is
 * not HEADER) or to go through a symbolic link.
 */
export function planChanges(outputs: Iterable<ClusterOutput>, roots: OutputRoots): Change[] {
  const changes: Change[] = [];
  const conflicts: string[] = [];
  const seen = new Set<string>();
  for (const output of outputs) {
    if (!SAFE_SEGMENT.test(output.cluster)) throw new Error(`refusing cluster name ${JSON.stringify(output.cluster)} as a folder name`);
    seen.add(output.cluster);
    // dist/<cluster>/ is meshfleet's alone: anything of ours not rendered again goes. clusters/<cluster>/ is shared
    // with `flux bootstrap` (flux-system/), so there only our own files are compared.
    diffFolder(join(roots.dist, output.cluster), output.dist, true, changes, conflicts);
    diffFolder(join(roots.clusters, output.cluster), output.entry, true, changes, conflicts);
  }
  for (const root of [roots.dist, roots.clusters]) {
    for (const entry of listDir(root)) {
      if (!entry.isDirectory() || seen.has(entry.name)) continue;
      diffFolder(join(root, entry.name), new Map(), true, changes, conflicts); // a cluster that left the fleet
    }
  }
  if (conflicts.length > 0) {
    throw new UserError(`${conflicts.length} file(s) in the way; nothing was written:\n${conflicts.join('\n')}`);
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Applies changes; deletions last so that a folder is emptied only after its replacements exist. */
export function applyChanges(changes: readonly Change[], roots: OutputRoots): void {
  for (const change of changes) {
    if (change.kind === 'delete') continue;
    mkdirSync(dirname(change.path), { recursive: true });
    writeFileSync(change.path, change.content!);
  }
  const emptied = new Set<string>();
  for (const change of changes) {
    if (change.kind !== 'delete') continue;
    rmSync(change.path);
    emptied.add(dirname(change.path));
  }
  for (const dir of [...emptied].sort().reverse()) removeEmptyUpwards(dir, new Set([roots.dist, roots.clusters]));
}

function diffFolder(folder: string, wanted: ReadonlyMap<string, string>, prune: boolean, changes: Change[], conflicts: string[]): void {
  const existing = ownedFiles(folder, conflicts);
  for (const [rel, content] of wanted) {
    const path = join(folder, ...rel.split('/'));
    const current = existing.get(path);
    if (current === undefined) {
      const stat = lstatOrUndefined(path);
      if (stat) conflicts.push(`${path}: exists and was not written by meshfleet; move it away or delete it, then render again`);
      else changes.push({ kind: 'create', path, content });
    } else if (current !== content) {
      changes.push({ kind: 'update', path, content });
    }
    existing.delete(path);
  }
  if (prune) for (const path of existing.keys()) changes.push({ kind: 'delete', path });
}

/** Files under folder whose first line is meshfleet's header, with their content. Links are never followed. */
function ownedFiles(folder: string, conflicts: string[]): Map<string, string> {
  const owned = new Map<string, string>();
  const stat = lstatOrUndefined(folder);
  if (!stat) return owned;
  if (!stat.isDirectory()) {
    conflicts.push(`${folder}: is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; meshfleet writes only into real folders`);
    return owned;
  }
  const walk = (dir: string) => {
    for (const entry of listDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        conflicts.push(`${path}: is a symbolic link; meshfleet does not write through links`);
      } else if (entry.isDirectory()) {
        walk(path);
      } else if (entry.isFile()) {
        const content = readFileSync(path, 'utf8');
        if (content.startsWith(HEADER)) owned.set(path, content);
      }
    }
  };
  walk(folder);
  return owned;
}

function listDir(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Removes folders left empty, up to (not including) the output roots. */
function removeEmptyUpwards(dir: string, roots: ReadonlySet<string>): void {
  for (let current = dir; !roots.has(current) && current !== dirname(current); current = dirname(current)) {
    try {
      rmdirSync(current); // only succeeds on an empty folder
    } catch {
      return;
    }
  }
}

/** `dist/a/b.yaml` relative to the working folder, with forward slashes: how paths are shown to people. */
export function displayPath(path: string, cwd: string): string {
  return relative(cwd, path).split(sep).join('/');
}
