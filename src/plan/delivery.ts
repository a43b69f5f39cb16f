import type { ClusterPlan, ComponentPlan } from './types.ts';
import { CILIUM_NAMESPACE } from './types.ts';

/**
 * The layers of a cluster's output, in the order they are applied, each once the one before is ready: the
 * controllers and the CRDs they install; the PKI the Cilium chart's pods need before they start (the issuers of its
 * Certificates, the secret store, a shared CA's copy); Cilium; then what needs Cilium running (the PushSecret of
 * the chart's certificate, the peers' material, namespaces, services, the MinIO tenant).
 */
export const LAYERS = ['infrastructure', 'pki', 'cilium', 'config'] as const;
export type Layer = (typeof LAYERS)[number];

/** The Cilium chart's Helm repository. */
export const CILIUM_REPOSITORY = 'https://helm.cilium.io/';

/** A Helm chart of a cluster, as either engine installs it. */
export interface HelmChartPlan {
  /** Release name and, with Flux, HelmRelease and HelmRepository name. */
  readonly name: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
  readonly values: Record<string, unknown>;
  /** Charts (by name) that must be installed and ready first. */
  readonly dependsOn: readonly string[];
  /** The layer it is installed in. */
  readonly layer: Layer;
  /** Whether its values are the cluster's own (Cilium's name the cluster and its id): no other cluster's are the same. */
  readonly perCluster: boolean;
}

/**
 * The Helm charts a cluster installs (controllers, then Cilium), in a fixed order. Flux installs them as HelmReleases, Argo CD as
 * Applications with a Helm source; both read this one list so that the two engines install the same things.
 */
export function helmCharts(plan: ClusterPlan): HelmChartPlan[] {
  const { certManager, externalSecrets, minioOperator } = plan.components;
  const component = (c: ComponentPlan): HelmChartPlan => ({
    name: c.name,
    namespace: c.namespace,
    chart: c.chart,
    version: c.version,
    repository: c.repository,
    values: c.values as Record<string, unknown>,
    dependsOn: [],
    layer: 'infrastructure',
    perCluster: false,
  });
  const charts = [certManager, externalSecrets, minioOperator]
    .filter((c): c is ComponentPlan => c !== undefined)
    .map(component);
  charts.push({
    name: 'cilium',
    namespace: CILIUM_NAMESPACE,
    chart: 'cilium',
    version: plan.cilium.version,
    repository: CILIUM_REPOSITORY,
    values: plan.cilium.values as Record<string, unknown>,
    // The clustermesh-apiserver certificates are cert-manager Certificates: its CRDs must exist first.
    dependsOn: certManager ? [certManager.name] : [],
    // After the PKI layer: the chart's clustermesh-apiserver mounts the Secret of a Certificate whose Issuer is there.
    layer: 'cilium',
    perCluster: true,
  });
  return charts;
}

/**
 * Argo CD sync wave of a layer: its place in LAYERS, for its folder's Application and for the charts it installs.
 * Waves are only compared within one sync, so they restart at 0 in each cluster.
 */
export function syncWave(layer: Layer): number {
  return LAYERS.indexOf(layer);
}
