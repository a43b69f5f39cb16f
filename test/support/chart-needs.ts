// What a rendered Helm chart needs from the rest of a cluster, read from its `helm template` output, and the Cilium
// release of each cluster as meshfleet renders it (Flux HelmRelease or Argo CD Application). Used to hold the
// chart's output against meshfleet's: what its Pods mount must exist, its Certificates' issuers must be rendered,
// and no object may have two owners.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Obj } from './output.ts';
import { clusterObjects, objects } from './output.ts';

/** `Kind/namespace/name`; cluster-scoped objects have an empty namespace. */
export type ObjectKey = string;

export function keyOf(kind: string, namespace: string | undefined, name: string): ObjectKey {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** The Pod spec of a workload, or undefined for any other kind. */
export function podSpec(o: Obj): Obj | undefined {
  if (['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job'].includes(o.kind)) return o.spec?.template?.spec;
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.spec;
  return undefined;
}

/** A Secret or ConfigMap a Pod template cannot start without, and where the reference is. */
export interface Need {
  readonly key: ObjectKey;
  readonly from: string;
}

/**
 * Every Secret and ConfigMap the chart's Pod templates reference without `optional: true`: volumes (projected
 * sources included), `env[].valueFrom` and `envFrom` of containers and init containers.
 */
export function podNeeds(chartObjects: readonly Obj[], defaultNamespace: string): Need[] {
  const needs: Need[] = [];
  for (const o of chartObjects) {
    const spec = podSpec(o);
    if (!spec) continue;
    const namespace = o.metadata?.namespace ?? defaultNamespace;
    const where = `${o.kind} ${o.metadata?.name}`;
    const need = (
      kind: 'Secret' | 'ConfigMap',
      name: string | undefined,
      optional: boolean | undefined,
      from: string,
    ) => {
      if (name && optional !== true) needs.push({ key: keyOf(kind, namespace, name), from: `${where} ${from}` });
    };
    for (const v of spec.volumes ?? []) {
      if (v.secret) need('Secret', v.secret.secretName, v.secret.optional, `volume ${v.name}`);
      if (v.configMap) need('ConfigMap', v.configMap.name, v.configMap.optional, `volume ${v.name}`);
      for (const s of v.projected?.sources ?? []) {
        if (s.secret) need('Secret', s.secret.name, s.secret.optional, `projected volume ${v.name}`);
        if (s.configMap) need('ConfigMap', s.configMap.name, s.configMap.optional, `projected volume ${v.name}`);
      }
    }
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      for (const e of c.env ?? []) {
        const s = e.valueFrom?.secretKeyRef;
        const m = e.valueFrom?.configMapKeyRef;
        if (s) need('Secret', s.name, s.optional, `container ${c.name} env ${e.name}`);
        if (m) need('ConfigMap', m.name, m.optional, `container ${c.name} env ${e.name}`);
      }
      for (const e of c.envFrom ?? []) {
        if (e.secretRef) need('Secret', e.secretRef.name, e.secretRef.optional, `container ${c.name} envFrom`);
        if (e.configMapRef)
          need('ConfigMap', e.configMapRef.name, e.configMapRef.optional, `container ${c.name} envFrom`);
      }
    }
  }
  return needs;
}

/** The keys of the objects themselves, namespaced ones defaulting to `defaultNamespace` (as Helm installs them). */
export function objectKeys(list: readonly Obj[], defaultNamespace: string): Set<ObjectKey> {
  return new Set(
    list.map((o) =>
      keyOf(o.kind, o.metadata?.namespace ?? (isClusterScoped(o.kind) ? '' : defaultNamespace), o.metadata?.name),
    ),
  );
}

/** The Secrets that controllers make from these objects: a Certificate's `secretName`, an ExternalSecret's target. */
export function madeSecrets(list: readonly Obj[], defaultNamespace: string): Set<ObjectKey> {
  const out = new Set<ObjectKey>();
  for (const o of list) {
    const namespace = o.metadata?.namespace ?? defaultNamespace;
    if (o.kind === 'Certificate' && o.spec?.secretName) out.add(keyOf('Secret', namespace, o.spec.secretName));
    if (o.kind === 'ExternalSecret') out.add(keyOf('Secret', namespace, o.spec?.target?.name ?? o.metadata.name));
  }
  return out;
}

/**
 * The objects a party owns in the cluster: those it renders, and the Secrets its ExternalSecrets make, except a
 * Merge target (that Secret is rendered by its owner and only filled by External Secrets).
 */
export function ownedKeys(list: readonly Obj[], defaultNamespace: string): Set<ObjectKey> {
  const out = objectKeys(list, defaultNamespace);
  for (const o of list) {
    if (o.kind !== 'ExternalSecret' || o.spec?.target?.creationPolicy === 'Merge') continue;
    out.add(keyOf('Secret', o.metadata?.namespace ?? defaultNamespace, o.spec?.target?.name ?? o.metadata.name));
  }
  return out;
}

/** Each Certificate's issuer, as the Issuer or ClusterIssuer it must resolve to. */
export function issuerNeeds(list: readonly Obj[], defaultNamespace: string): Need[] {
  return list
    .filter((o) => o.kind === 'Certificate')
    .map((o) => {
      const ref = o.spec.issuerRef;
      const kind = ref.kind ?? 'Issuer';
      return {
        key: keyOf(kind, kind === 'ClusterIssuer' ? '' : (o.metadata?.namespace ?? defaultNamespace), ref.name),
        from: `Certificate ${o.metadata.name}`,
      };
    });
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterIssuer',
  'ClusterSecretStore',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
]);
function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** A cluster's Helm release of one chart, as its GitOps engine installs it. */
export interface RenderedRelease {
  readonly chart: string;
  readonly version: string;
  readonly namespace: string;
  readonly values: Obj;
}

/** Everything meshfleet rendered for one cluster: dist/<cluster>/ and clusters/<cluster>/. */
export function renderedObjects(dir: string, cluster: string): Obj[] {
  const out = clusterObjects(join(dir, 'dist'), cluster);
  const entry = join(dir, 'clusters', cluster);
  if (existsSync(entry)) for (const f of readdirSync(entry).sort()) out.push(...objects(join(entry, f)));
  return out.filter((o) => o && typeof o === 'object');
}

/** The release of `chart` in a cluster's rendered objects: a Flux HelmRelease, or an Argo CD Application's Helm source. */
export function releaseOf(rendered: readonly Obj[], chart: string): RenderedRelease | undefined {
  for (const o of rendered) {
    if (o.kind === 'HelmRelease' && o.spec?.chart?.spec?.chart === chart) {
      return {
        chart,
        version: o.spec.chart.spec.version,
        namespace: o.spec.targetNamespace ?? o.metadata.namespace,
        values: o.spec.values ?? {},
      };
    }
    if (o.kind === 'Application') {
      for (const source of o.spec?.sources ?? [o.spec?.source]) {
        if (source?.chart === chart) {
          return {
            chart,
            version: source.targetRevision,
            namespace: o.spec.destination?.namespace,
            values: source.helm?.valuesObject ?? {},
          };
        }
      }
    }
  }
  return undefined;
}
