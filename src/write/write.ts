import { mkdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UserError } from '../diagnostics.ts';
import type { ClusterOutput } from '../synth/synth.ts';
import { commitFolder, recoverStale, removeFolder, stageFolder, writeFileAtomic } from './atomic.ts';
import { planWrite, type Change, type WritePlan } from './changes.ts';
import { assertNoSecrets } from './guard.ts';
import { acquireLock, type LockOptions } from './lock.ts';
import { anyStale, entryFolders, type OutputRoots } from './roots.ts';
import type { Stager } from './stager.ts';

/**
 * The render's write step. Nothing to do (and nothing stale) means nothing is written, not even the lock. Otherwise,
 * under the lock: finish or remove what killed runs left, plan again (another run may have written meanwhile),
 * scan the output for secrets, then swap each changed cluster folder in and write each entry file atomically.
 * `onDisk`: outputs just read back from disk (render-cache.ts), which the first look need not compare again.
 * `stager`: what was staged while synthesizing (stager.ts); its folders are swapped in where the plan still wants
 * exactly them, and whatever is left of them is removed, whatever happens.
 */
export async function writeOutputs(
  outputs: readonly ClusterOutput[],
  roots: OutputRoots,
  lockOptions: LockOptions = {},
  onDisk?: ReadonlySet<ClusterOutput>,
  stager?: Stager,
): Promise<readonly Change[]> {
  try {
    if (nothingToWrite(outputs, roots, onDisk, stager)) return [];
    mkdirSync(roots.dist, { recursive: true });
    const lock = acquireLock(roots.dist, lockOptions);
    try {
      return await writeUnderLock(outputs, roots, stager);
    } finally {
      lock.release();
    }
  } finally {
    await stager?.discard();
  }
}

/**
 * A first look without the lock (moot if the stager already saw a change): most renders of an unchanged fleet end
 * here. What it sees may be another render's half-finished work, so its refusals are not final: only the look under
 * the lock decides.
 */
function nothingToWrite(
  outputs: readonly ClusterOutput[],
  roots: OutputRoots,
  onDisk: ReadonlySet<ClusterOutput> | undefined,
  stager: Stager | undefined,
): boolean {
  if (stager?.changed) return false;
  const first = tryPlan(outputs, roots, new Set([...(onDisk ?? []), ...(stager?.unchanged ?? [])]));
  return first !== undefined && first.changes.length === 0 && !anyStale(roots);
}

async function writeUnderLock(
  outputs: readonly ClusterOutput[],
  roots: OutputRoots,
  stager: Stager | undefined,
): Promise<readonly Change[]> {
  for (const root of [roots.dist, roots.clusters, ...(roots.vault === undefined ? [] : [roots.vault])])
    recoverStale(root);
  for (const folder of entryFolders(roots)) recoverStale(folder); // listed after: recovering a root may bring one back
  const plan = planWrite(outputs, roots);
  assertNoSecrets(outputs.filter((o) => !stager?.checked.has(o)));
  await applyFolders(plan, stager);
  await applyNewEntryFolders(plan, stager);
  applyEntries(plan.entries);
  return plan.changes;
}

function tryPlan(
  outputs: readonly ClusterOutput[],
  roots: OutputRoots,
  onDisk?: ReadonlySet<ClusterOutput>,
): WritePlan | undefined {
  try {
    return planWrite(outputs, roots, onDisk);
  } catch (e) {
    if (e instanceof UserError) return undefined;
    throw e;
  }
}

async function applyFolders(plan: WritePlan, stager: Stager | undefined): Promise<void> {
  for (const folder of plan.folders) {
    if (!folder.files) removeFolder(folder.target);
    else
      commitFolder(
        folder.target,
        (await stager?.take(folder.target, folder.files)) ?? stageFolder(folder.target, folder.files),
      );
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

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir); // only succeeds on an empty folder
  } catch {
    // not empty or already gone: either way nothing to do
  }
}

/** `dist/a/b.yaml` relative to the working folder, with forward slashes: how paths are shown to people. */
export function displayPath(path: string, cwd: string): string {
  return relative(cwd, path).split(sep).join('/');
}
