import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hasStale } from './atomic.ts';
import { LOCK_NAME } from './lock.ts';
import { isSafeSegment } from './paths.ts';

/** Where rendered files go: `<dist>/<cluster>/...` and the GitOps entry points `<clusters>/<cluster>/...`. */
export interface OutputRoots {
  readonly dist: string;
  readonly clusters: string;
  /** `<vault>/<cluster>/...`: each cluster's Vault policy and role, written file by file like the entry points. */
  readonly vault?: string;
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

/** Leftovers of killed runs, a left-behind lock included: those make even a no-op render take the lock and clean. */
export function anyStale(roots: OutputRoots): boolean {
  return (
    existsSync(join(roots.dist, LOCK_NAME)) ||
    hasStale(roots.dist) ||
    hasStale(roots.clusters) ||
    (roots.vault !== undefined && hasStale(roots.vault)) ||
    entryFolders(roots).some(hasStale)
  );
}

/**
 * Whether the output roots hold cluster folders of these clusters only, and nothing a render would recover first
 * (a lock, leftovers of killed runs): with each cluster's files as rendered, a render would then change nothing.
 */
export function holdsOnly(roots: OutputRoots, clusters: ReadonlySet<string>): boolean {
  const vault = roots.vault === undefined ? [] : clusterFolders(roots.vault);
  return (
    [...clusterFolders(roots.dist), ...clusterFolders(roots.clusters), ...vault].every((name) => clusters.has(name)) &&
    !anyStale(roots)
  );
}

/**
 * The clusters/<cluster>/ and vault/<cluster>/ folders there are, where a killed run may have left a file's draft:
 * only those, so that a new cluster's folder, not there yet, is not looked for.
 */
export function entryFolders(roots: OutputRoots): string[] {
  const vault = roots.vault === undefined ? [] : clusterFolders(roots.vault).map((n) => join(roots.vault!, n));
  return [...clusterFolders(roots.clusters).map((n) => join(roots.clusters, n)), ...vault];
}

/** Sub-folders of an output root that could be a cluster's (not the writer's own dot-entries). */
export function clusterFolders(root: string): string[] {
  return listDir(root)
    .filter((e) => e.isDirectory() && isSafeSegment(e.name))
    .map((e) => e.name);
}

/** A folder's entries in name order; none if it cannot be listed. */
export function listDir(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}
