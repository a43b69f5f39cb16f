import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fillFolder } from './fill-folder.mjs';
import { processAlive } from './lock.ts';
import { lstatOrUndefined, safeJoin } from './paths.ts';

/**
 * Writing without ever leaving half a result. A cluster folder in dist/ is built whole beside its target and
 * swapped in with renames; a file in clusters/<cluster>/ (a folder shared with `flux bootstrap`) is written beside
 * itself and renamed over the old one. Every temporary entry is named `.meshfleet-<stage>-<name>-<pid>`, a name no
 * cluster or rendered file can have (those never start with a dot), so the next run can find and finish or remove it.
 *
 * Folder stages: `tmp` (being filled; useless if found), `new` (complete, not yet swapped in), `old` (the previous
 * folder, moved aside). Between moving the old folder aside and moving the new one in, the target is absent for
 * the time of one rename; a run killed exactly then leaves both complete copies, and `recoverStale` rolls forward.
 */
export const TEMP_PREFIX = '.meshfleet-';
const STAGED = /^\.meshfleet-(tmp|new|old)-(.+)-(\d+)$/;

const stage = (target: string, kind: 'tmp' | 'new' | 'old'): string =>
  join(dirname(target), `${TEMP_PREFIX}${kind}-${basename(target)}-${process.pid}`);

/** Where the new content of the folder `target` is built before it is swapped in. */
export const stagingFolder = (target: string): string => stage(target, 'tmp');

/**
 * Builds the complete new content of the folder `target` beside it, in `stagingFolder(target)`, leaving `target`
 * untouched; `commitFolder` swaps it in under the lock. A render's writer thread (stager.ts, stage-worker.mjs) stages
 * folders the same way while the render synthesizes; this is for a folder it did not stage.
 */
export function stageFolder(target: string, files: ReadonlyMap<string, string>): string {
  const tmp = stagingFolder(target);
  fillFolder(
    tmp,
    [...files].map(([rel, content]) => [safeJoin(tmp, rel), content] as const),
  );
  return tmp;
}

/** Swaps a folder made by stageFolder in for `target` (created or replaced). Call under the lock. */
export function commitFolder(target: string, staged: string): void {
  // A new folder needs no `new` stage: one rename takes it from absent to complete, and nothing is ever half there.
  if (!exists(target)) return renameSync(staged, target);
  const ready = stage(target, 'new');
  rmSync(ready, { recursive: true, force: true });
  renameSync(staged, ready);
  const old = stage(target, 'old');
  rmSync(old, { recursive: true, force: true });
  renameSync(target, old);
  renameSync(ready, target);
  rmSync(old, { recursive: true, force: true });
}

/** Removes the folder `target` in one step: it is renamed aside first, then deleted at leisure. */
export function removeFolder(target: string): void {
  if (!exists(target)) return;
  const old = stage(target, 'old');
  rmSync(old, { recursive: true, force: true });
  renameSync(target, old);
  rmSync(old, { recursive: true, force: true });
}

/** Writes one file by renaming a complete sibling over it: readers see the old or the new content, never a mix. */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = stage(path, 'tmp');
  rmSync(tmp, { force: true });
  writeFileSync(tmp, content, { flag: 'wx' });
  renameSync(tmp, path);
}

/** Whether `dir` holds entries a killed run left behind (checked without the lock, so nothing is changed). */
export function hasStale(dir: string): boolean {
  return names(dir).some((n) => n.startsWith(TEMP_PREFIX));
}

/**
 * Finishes or removes what killed runs left in `dir`: a complete `new` folder whose target is missing is moved in
 * (roll forward), then an `old` folder whose target is still missing is moved back, and every other leftover is
 * deleted. Only called under the lock, so no live run owns any of these.
 */
export function recoverStale(dir: string): void {
  const entries = names(dir).filter((n) => n.startsWith(TEMP_PREFIX));
  for (const kind of ['new', 'old']) {
    for (const name of entries) {
      const m = STAGED.exec(name);
      if (!m || m[1] !== kind || !exists(join(dir, name))) continue;
      const target = join(dir, m[2]);
      if (!exists(target) && lstatOrUndefined(join(dir, name))?.isDirectory()) renameSync(join(dir, name), target);
    }
  }
  for (const name of names(dir)) {
    // A render waiting for the lock keeps its lock draft and its staged folders here: not ours to remove while it
    // lives (this render's own staged folders included).
    const draft = /^\.meshfleet-lock-(?:stale-)?(\d+)\.tmp$/.exec(name);
    if (draft && processAlive(Number(draft[1]))) continue;
    const staged = STAGED.exec(name);
    if (
      staged &&
      staged[1] === 'tmp' &&
      lstatOrUndefined(join(dir, name))?.isDirectory() &&
      processAlive(Number(staged[3]))
    )
      continue;
    if (name.startsWith(TEMP_PREFIX)) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function names(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function exists(path: string): boolean {
  return lstatOrUndefined(path) !== undefined;
}
