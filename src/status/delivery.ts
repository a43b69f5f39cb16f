/** The delivery column: meshfleet's Flux objects (or Argo CD Applications) in step, and what each last synced. */
import type { ClusterExpectation, ObjectRef } from './expect.ts';
import { KubeError, type CustomObject, type KubeReader } from './kube.ts';
import { label, listed, notReady, readyCondition, refKey } from './objects.ts';
import type { CheckResult, SyncedRevision } from './types.ts';

/** The Applications of the Argo CD cluster by refKey, or why they could not be read. */
export type ArgoApplications =
  | { readonly context: string; readonly objects: ReadonlyMap<string, CustomObject> }
  | { readonly context: string; readonly error: string };

/**
 * Flux Kustomizations and HelmReleases Ready, or Argo CD Applications Synced and Healthy (read from the Argo CD
 * cluster, where they live), with what each last synced; a chart the render pins must be the version that runs.
 */
export async function checkDelivery(
  exp: ClusterExpectation,
  reader: KubeReader,
  argo?: ArgoApplications,
): Promise<CheckResult> {
  if (exp.delivery.length === 0) return { mark: 'none', details: [] };
  const own = exp.delivery.filter((r) => r.kind !== 'Application');
  const objects = own.length ? await listed(reader, own) : new Map<string, CustomObject>();
  if (own.length < exp.delivery.length) {
    if (!argo) throw new KubeError('the Argo CD cluster was not read', false);
    if ('error' in argo)
      return { mark: 'error', details: [`Argo CD cluster (context ${argo.context}): ${argo.error}`] };
    for (const [key, o] of argo.objects) objects.set(key, o);
  }
  const problems: string[] = [];
  const revisions: SyncedRevision[] = [];
  for (const r of exp.delivery) {
    const o = objects.get(refKey(r.plural, r.group, r.namespace, r.name));
    if (!o) {
      problems.push(
        `${label(r)} not found${r.kind === 'Application' && argo ? ` in the Argo CD cluster (context ${argo.context})` : ''}`,
      );
      continue;
    }
    const synced = syncedRevision(r, o);
    if (synced) revisions.push(synced);
    if (r.kind === 'Application') {
      const sync = (o.status?.sync ?? {}) as { status?: string };
      const health = (o.status?.health ?? {}) as { status?: string };
      if (sync.status !== 'Synced' || health.status !== 'Healthy') {
        problems.push(`${label(r)} is ${sync.status ?? 'Unknown'}/${health.status ?? 'Unknown'}, not Synced/Healthy`);
      }
    } else {
      const ready = readyCondition(o);
      if (ready?.status !== 'True') problems.push(notReady(r, ready));
    }
    if (r.chartVersion && synced && synced.revision !== r.chartVersion) {
      problems.push(`${label(r)} runs chart ${r.chart} ${synced.revision}, the fleet renders ${r.chartVersion}`);
    }
  }
  const details = [...problems, ...revisionLines(exp.delivery, revisions)];
  return { mark: problems.length ? 'fail' : 'ok', details, revisions };
}

/** What a delivery object last synced, from the status its controller writes. */
function syncedRevision(r: ObjectRef, o: CustomObject): SyncedRevision | undefined {
  const base = { kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}), name: r.name };
  const status = o.status ?? {};
  if (r.kind === 'Kustomization')
    return typeof status.lastAppliedRevision === 'string'
      ? { ...base, revision: status.lastAppliedRevision }
      : undefined;
  if (r.kind === 'Application') {
    const revision = (status.sync as { revision?: unknown } | undefined)?.revision;
    return typeof revision === 'string' ? { ...base, revision, ...(r.chart ? { chart: r.chart } : {}) } : undefined;
  }
  // Flux keeps the Helm releases it made newest first; the first is what runs.
  const latest = (
    status.history as { chartName?: unknown; chartVersion?: unknown; version?: unknown }[] | undefined
  )?.[0];
  if (typeof latest?.chartVersion !== 'string') return undefined;
  const chart = typeof latest.chartName === 'string' ? latest.chartName : r.chart;
  return {
    ...base,
    revision: latest.chartVersion,
    ...(chart ? { chart } : {}),
    ...(typeof latest.version === 'number' ? { release: latest.version } : {}),
  };
}

/** The revisions as people read them: the Git revision the manifests were synced at, then each chart's version. */
function revisionLines(refs: readonly ObjectRef[], revisions: readonly SyncedRevision[]): string[] {
  const charted = new Set(refs.filter((r) => r.chart).map((r) => `${r.kind} ${r.namespace ?? ''}/${r.name}`));
  const isChart = (s: SyncedRevision) => charted.has(`${s.kind} ${s.namespace ?? ''}/${s.name}`);
  const lines: string[] = [];
  const git = new Map<string, string[]>();
  for (const s of revisions.filter((x) => !isChart(x))) git.set(s.revision, [...(git.get(s.revision) ?? []), s.name]);
  if (git.size === 1) lines.push(`synced at ${[...git.keys()][0]}`);
  else if (git.size > 1)
    lines.push(
      `synced at ${[...git]
        .sort()
        .map(([rev, names]) => `${rev} (${names.join(', ')})`)
        .join(', ')}`,
    );
  const charts = revisions
    .filter(isChart)
    .map((s) => `${s.chart ?? s.name} ${s.revision}`)
    .sort();
  if (charts.length) lines.push(`charts ${charts.join(', ')}`);
  return lines;
}
