/**
 * What each cluster should look like, taken from its ClusterPlan and from the objects its render writes: the
 * delivery and TLS objects to look for are listed from the rendered manifests, not named here, so that a new layer or
 * a renamed ExternalSecret in the charts needs no change in status.
 */
import { loadAll } from 'js-yaml';
import { byKey } from '../model/byte-order.ts';
import type { ClusterOutput } from '../synth/synth.ts';
import { CILIUM_NAMESPACE, type ClusterPlan, type ServicePlan } from '../plan/types.ts';

/** A rendered object status looks for, and the API it is listed from. */
export interface ObjectRef {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The resource name in the API path (lower-case plural). */
  readonly plural: string;
  readonly namespace?: string;
  readonly name: string;
  /** A HelmRelease's, or a chart Application's, chart as rendered. */
  readonly chart?: string;
  /** Its version when the render pins an exact one: what must be running. */
  readonly chartVersion?: string;
}

/** One cluster's expected state. */
export interface ClusterExpectation {
  readonly cluster: string;
  readonly id: number;
  readonly maxConnectedClusters: number;
  /** Names of the clusters it must be connected to, sorted. */
  readonly peers: readonly string[];
  readonly ciliumNamespace: string;
  /** Whether KVStoreMesh runs (its metrics report the remote clusters). */
  readonly kvstoremesh: boolean;
  /** The KVStoreMesh metrics port, when KVStoreMesh exports metrics. */
  readonly kvstoremeshMetricsPort?: number;
  /** The agents' metrics port, when the agents export metrics (chart value `prometheus.enabled`). */
  readonly agentMetricsPort?: number;
  /** Flux Kustomizations and HelmReleases, or Argo CD Applications. */
  readonly delivery: readonly ObjectRef[];
  /** cert-manager Certificates, ExternalSecrets and PushSecrets. */
  readonly tls: readonly ObjectRef[];
  readonly services: readonly ServicePlan[];
  /** The mesh endpoint name, and the load balancer it must alias when the fleet names one (`dns.target`). */
  readonly endpoint: {
    readonly fqdn: string;
    readonly target?: string;
    /** ExternalDNS keeps the record in-cluster: `meshfleet dns` (and so `status --dns`) leaves it alone. */
    readonly externalDns: boolean;
  };
}

/** Kinds (by API group) status reads, and the column they belong to. */
const WATCHED: Readonly<Record<string, { readonly column: 'delivery' | 'tls'; readonly kinds: readonly string[] }>> = {
  'kustomize.toolkit.fluxcd.io': { column: 'delivery', kinds: ['Kustomization'] },
  'helm.toolkit.fluxcd.io': { column: 'delivery', kinds: ['HelmRelease'] },
  'argoproj.io': { column: 'delivery', kinds: ['Application'] },
  'cert-manager.io': { column: 'tls', kinds: ['Certificate'] },
  'external-secrets.io': { column: 'tls', kinds: ['ExternalSecret', 'PushSecret'] },
};

/** The delivery and TLS objects among a cluster's rendered files (dist/ and its GitOps entry point). */
export function renderedObjects(output: ClusterOutput): { delivery: ObjectRef[]; tls: ObjectRef[] } {
  const delivery: ObjectRef[] = [];
  const tls: ObjectRef[] = [];
  for (const text of [...output.dist.values(), ...output.entry.values()]) {
    // Cheap test first: most files hold none of the watched kinds, and parsing every file of a large fleet adds up.
    if (!/^kind: (Kustomization|HelmRelease|Application|Certificate|ExternalSecret|PushSecret)$/m.test(text)) continue;
    for (const doc of loadAll(text) as RenderedDoc[]) {
      if (!doc?.apiVersion || !doc.kind || !doc.metadata?.name) continue;
      const [group, version] = doc.apiVersion.includes('/') ? doc.apiVersion.split('/') : ['', doc.apiVersion];
      const watched = WATCHED[group];
      if (!watched?.kinds.includes(doc.kind)) continue;
      const ref: ObjectRef = {
        group,
        version,
        kind: doc.kind,
        plural: `${doc.kind.toLowerCase()}s`,
        namespace: doc.metadata.namespace,
        name: doc.metadata.name,
        ...chartOf(doc),
      };
      (watched.column === 'delivery' ? delivery : tls).push(ref);
    }
  }
  return { delivery: sortRefs(delivery), tls: sortRefs(tls) };
}

interface RenderedDoc {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: {
    readonly chart?: { readonly spec?: { readonly chart?: string; readonly version?: string } };
    readonly source?: { readonly chart?: string; readonly targetRevision?: string };
  };
}

/** An exact chart version (not a range such as `1.x` or `>=1.2`): only that can be compared with what runs. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/;

/** The chart a HelmRelease or an Application with a Helm chart source installs, and its version if pinned exactly. */
function chartOf(doc: RenderedDoc): { chart?: string; chartVersion?: string } {
  const [chart, version] =
    doc.kind === 'HelmRelease'
      ? [doc.spec?.chart?.spec?.chart, doc.spec?.chart?.spec?.version]
      : doc.kind === 'Application'
        ? [doc.spec?.source?.chart, doc.spec?.source?.targetRevision]
        : [];
  if (!chart) return {};
  return version !== undefined && EXACT_VERSION.test(version) ? { chart, chartVersion: version } : { chart };
}

function sortRefs(refs: ObjectRef[]): ObjectRef[] {
  const key = (r: ObjectRef) => `${r.kind}\0${r.namespace ?? ''}\0${r.name}`;
  return refs.sort(byKey(key));
}

/** A cluster's expectation from its plan and its rendered objects. */
export function expectation(
  plan: ClusterPlan,
  rendered: { delivery: readonly ObjectRef[]; tls: readonly ObjectRef[] },
  dns: { readonly target?: string; readonly externalDns: boolean } = { externalDns: false },
): ClusterExpectation {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- chart values are untyped: each lookup below is optional
  const values = plan.cilium.values as Record<string, any>;
  const kvMetrics = values.clustermesh?.apiserver?.metrics?.kvstoremesh;
  return {
    cluster: plan.name,
    id: plan.id,
    maxConnectedClusters: Number(values.clustermesh?.maxConnectedClusters ?? 255),
    peers: plan.peers.map((p) => p.name).sort(),
    ciliumNamespace: CILIUM_NAMESPACE,
    kvstoremesh: plan.cilium.kvstoremesh,
    // The chart's ports (1.18 to 1.20) unless the values move them: KVStoreMesh 9964, agents 9962. KVStoreMesh metrics
    // are on by the chart's default; the agents' only because meshfleet renders prometheus.enabled (src/plan/cilium-values.ts).
    kvstoremeshMetricsPort:
      plan.cilium.kvstoremesh && kvMetrics?.enabled !== false ? Number(kvMetrics?.port ?? 9964) : undefined,
    agentMetricsPort: values.prometheus?.enabled === true ? Number(values.prometheus?.port ?? 9962) : undefined,
    delivery: rendered.delivery,
    tls: rendered.tls,
    services: plan.services,
    endpoint: { fqdn: plan.endpoint, ...dns },
  };
}
