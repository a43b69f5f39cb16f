/**
 * Recorded objects for the fake Kubernetes API: what a healthy cluster of a fleet holds once Flux, cert-manager,
 * External Secrets and Cilium have done their work. Built from the fleet's own render (the objects it writes, with
 * the status their controllers give them) and its plans (Cilium's config, its pods and the metrics they export).
 */
import { loadAll } from 'js-yaml';
import { compileFleet, renderFleet } from '../../src/pipeline.ts';
import { CILIUM_NAMESPACE } from '../../src/plan/types.ts';
import { AGENT_READINESS, KVSTOREMESH_READINESS } from '../../src/status/metrics.ts';
import { emptyCluster, type FakeClusterState } from './fake-kube.ts';

type Obj = Record<string, any>;

/** What Flux's Kustomizations report: the branch and commit they applied. */
export const REVISION = 'main@sha1:4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';
/** What Argo CD's Applications with a Git source report: the commit. */
export const ARGO_REVISION = '4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';
/** The fake cluster Argo CD runs in (its context and token): every Argo CD Application of the fleet lives there. */
export const ARGOCD = 'argocd';
const DAY = 86_400_000;
const ready = { type: 'Ready', status: 'True', reason: 'Ready', message: 'ready' };
const WATCHED = ['Kustomization', 'HelmRelease', 'Application', 'Certificate', 'ExternalSecret', 'PushSecret'];

/** Cluster name → its healthy state, for every cluster of the fleet text (and, for Argo CD fleets, the Argo CD cluster). */
export function healthyFleet(fleetText: string, now = Date.now()): Map<string, FakeClusterState> {
  const { fleet, diagnostics } = compileFleet('fleet.yaml', new TextEncoder().encode(fleetText));
  if (!fleet) throw new Error(`test fleet is invalid: ${diagnostics.map((d) => d.message).join('; ')}`);
  const { plan, outputs } = renderFleet(fleet);
  const plans = new Map(plan.clusters.map((c) => [c.name, c]));
  const states = new Map<string, FakeClusterState>();
  const argocd = emptyCluster();
  for (const output of outputs) {
    const p = plans.get(output.cluster)!;
    const s = emptyCluster();
    // The CRDs a cluster has installed; Argo CD's lives in the Argo CD cluster only.
    for (const kind of WATCHED.filter((k) => k !== 'Application')) s.custom.set(pluralKey(kind, groupOf(kind)), []);
    for (const text of [...output.dist.values(), ...output.entry.values()]) {
      for (const doc of loadAll(text) as Obj[]) {
        if (!doc?.kind || !doc.metadata?.name) continue;
        const group = doc.apiVersion.includes('/') ? doc.apiVersion.split('/')[0] : '';
        if (doc.kind === 'Application' && group === groupOf(doc.kind)) {
          const key = pluralKey(doc.kind, group);
          argocd.custom.set(key, [...(argocd.custom.get(key) ?? []), withStatus(doc, now)]);
        } else if (WATCHED.includes(doc.kind) && group === groupOf(doc.kind))
          s.custom.get(pluralKey(doc.kind, group))!.push(withStatus(doc, now));
        if (doc.kind === 'Service' && group === '')
          s.services.set(`${doc.metadata.namespace}/${doc.metadata.name}`, doc);
      }
    }
    // The chart's own clustermesh certificate (tls.auto.method certmanager), which the render does not write.
    s.custom.get(pluralKey('Certificate', 'cert-manager.io'))!.push(
      withStatus(
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: { name: 'clustermesh-apiserver-server-cert', namespace: CILIUM_NAMESPACE },
        },
        now,
      ),
    );
    s.configMaps.set(`${CILIUM_NAMESPACE}/cilium-config`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cilium-config', namespace: CILIUM_NAMESPACE },
      data: { 'cluster-name': p.name, 'cluster-id': String(p.id), 'max-connected-clusters': '255' },
    });
    s.services.set(`${CILIUM_NAMESPACE}/clustermesh-apiserver`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'clustermesh-apiserver', namespace: CILIUM_NAMESPACE },
      spec: { type: 'LoadBalancer', ports: [{ port: 2379 }] },
      status: { loadBalancer: { ingress: [{ hostname: `${p.name}-lb.elb.us-east-1.amazonaws.com` }] } },
    });
    s.pods.push(
      { name: 'clustermesh-apiserver-7d9f8', labels: { 'k8s-app': 'clustermesh-apiserver' }, phase: 'Running' },
      { name: 'cilium-4xk2p', labels: { 'k8s-app': 'cilium' }, phase: 'Running' },
      { name: 'cilium-9bq7r', labels: { 'k8s-app': 'cilium' }, phase: 'Running' },
    );
    setMeshMetrics(
      s,
      p.name,
      p.peers.map((x) => x.name),
    );
    states.set(p.name, s);
  }
  if (argocd.custom.size) states.set(ARGOCD, argocd);
  return states;
}

/** What the cluster's KVStoreMesh and agents report: `ready` per remote cluster (default: all ready). */
export function setMeshMetrics(
  s: FakeClusterState,
  self: string,
  peers: readonly string[],
  ready: (peer: string, pod: string) => boolean = () => true,
): void {
  for (const pod of s.pods) {
    const agent = pod.labels['k8s-app'] === 'cilium';
    const metric = agent ? AGENT_READINESS : KVSTOREMESH_READINESS;
    const port = agent ? 9962 : 9964;
    const lines = [`# HELP ${metric} The readiness status of the remote cluster`, `# TYPE ${metric} gauge`];
    for (const peer of peers) {
      const node = agent ? `source_node_name="node-${pod.name}",` : '';
      lines.push(
        `${metric}{source_cluster="${self}",${node}target_cluster="${peer}"} ${ready(peer, pod.name) ? 1 : 0}`,
      );
    }
    s.proxied.set(`${CILIUM_NAMESPACE}/${pod.name}:${port}/metrics`, `${lines.join('\n')}\n`);
  }
}

/** The recorded object of a kind by name. */
export function customObject(s: FakeClusterState, kind: string, name: string): Obj {
  const o = s.custom.get(pluralKey(kind, groupOf(kind)))?.find((x) => x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} recorded`);
  return o;
}

export function pluralKey(kind: string, group: string): string {
  return `${kind.toLowerCase()}s.${group}`;
}

function groupOf(kind: string): string {
  return {
    Kustomization: 'kustomize.toolkit.fluxcd.io',
    HelmRelease: 'helm.toolkit.fluxcd.io',
    Application: 'argoproj.io',
    Certificate: 'cert-manager.io',
    ExternalSecret: 'external-secrets.io',
    PushSecret: 'external-secrets.io',
  }[kind]!;
}

function withStatus(doc: Obj, now: number): Obj {
  const o = structuredClone(doc);
  if (o.kind === 'Application') {
    // A Helm chart source syncs at the chart version, a Git source at a commit.
    const revision = o.spec.source?.chart ? o.spec.source.targetRevision : ARGO_REVISION;
    o.status = { sync: { status: 'Synced', revision }, health: { status: 'Healthy' } };
  } else if (o.kind === 'Kustomization') o.status = { conditions: [ready], lastAppliedRevision: REVISION };
  else if (o.kind === 'HelmRelease') {
    const chart = o.spec.chart.spec;
    o.status = {
      conditions: [ready],
      history: [
        {
          chartName: chart.chart,
          chartVersion: chart.version,
          version: 1,
          status: 'deployed',
          name: o.spec.releaseName,
        },
      ],
    };
  } else if (o.kind === 'Certificate')
    o.status = { conditions: [ready], notAfter: new Date(now + 90 * DAY).toISOString() };
  else o.status = { conditions: [ready] };
  return o;
}
