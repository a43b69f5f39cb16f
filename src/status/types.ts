/** What `meshfleet status` reports: one row per cluster, one mark per column, the details under the table. */

/** The columns of the table, in order. */
export const COLUMNS = ['delivery', 'identity', 'tls', 'mesh', 'services', 'endpoint'] as const;
export type Column = (typeof COLUMNS)[number];

/**
 * `ok` matches the fleet file; `warn` matches but needs attention soon (a certificate close to expiry); `fail` does
 * not match; `error` could not be checked (unreachable, forbidden, timed out); `none` has nothing to check.
 */
export type Mark = 'ok' | 'warn' | 'fail' | 'error' | 'none';

export interface CheckResult {
  readonly mark: Mark;
  /** One line each, for people: what is off, or what was seen when it matters (revisions, expiry). */
  readonly details: readonly string[];
  /** delivery: what each delivery object last synced, as its controller reports it. */
  readonly revisions?: readonly SyncedRevision[];
  /** endpoint: the clustermesh-apiserver load balancer's address (Service status), once it has one. */
  readonly loadBalancer?: string;
}

/** What one delivery object last synced, as its controller reports it. */
export interface SyncedRevision {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /**
   * Kustomization: `status.lastAppliedRevision` (branch@sha1:commit). HelmRelease: the chart version of its latest Helm
   * release (`status.history[0]`). Application: `status.sync.revision` (a commit, or a chart version).
   */
  readonly revision: string;
  /** HelmRelease: the chart's name and Helm's release number (`helm history`'s REVISION). */
  readonly chart?: string;
  readonly release?: number;
}

export interface ClusterStatus {
  readonly cluster: string;
  /** The kubeconfig context used. */
  readonly context: string;
  /** Set when the cluster could not be queried at all (no such context, unreachable, timed out). */
  readonly error?: string;
  readonly checks: { readonly [C in Column]: CheckResult };
}

export interface FleetStatus {
  readonly fleet: string;
  /** Sorted by cluster name. */
  readonly clusters: readonly ClusterStatus[];
}

/** Marks that count as "matches the fleet file": a warning does not fail a pipeline. */
export function passes(mark: Mark): boolean {
  return mark === 'ok' || mark === 'warn' || mark === 'none';
}

export function clusterPasses(c: ClusterStatus): boolean {
  return c.error === undefined && Object.values(c.checks).every((r) => passes(r.mark));
}

export function fleetPasses(s: FleetStatus): boolean {
  return s.clusters.every(clusterPasses);
}

/** The worst of several marks, for a column built from several findings. */
export function worst(marks: readonly Mark[]): Mark {
  const order: readonly Mark[] = ['error', 'fail', 'warn', 'ok', 'none'];
  for (const m of order) if (marks.includes(m)) return m;
  return 'none';
}
