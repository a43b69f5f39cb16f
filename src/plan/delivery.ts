import type { ClusterPlan, ComponentPlan } from './types.ts';
import { CILIUM_NAMESPACE } from './types.ts';

/** The Cilium chart's Helm repository. */
export const CILIUM_REPOSITORY = 'https://helm.cilium.io/';

/** A chart of the infrastructure layer, as either engine installs it. */
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
  /** Whether its values are the cluster's own (Cilium's name the cluster and its id): no other cluster's are the same. */
  readonly perCluster: boolean;
}

/**
 * The charts of a cluster's infrastructure layer, in a fixed order. Flux installs them as HelmReleases, Argo CD as
 * Applications with a Helm source; both read this one list so that the two engines install the same things.
 */
export function infrastructureCharts(plan: ClusterPlan): HelmChartPlan[] {
  const { certManager, externalSecrets, minioOperator } = plan.components;
  const component = (c: ComponentPlan): HelmChartPlan => ({
    name: c.name, namespace: c.namespace, chart: c.chart, version: c.version, repository: c.repository, values: c.values as Record<string, unknown>, dependsOn: [], perCluster: false,
  });
  const charts = [certManager, externalSecrets, minioOperator].filter((c): c is ComponentPlan => c !== undefined).map(component);
  charts.push({
    name: 'cilium',
    namespace: CILIUM_NAMESPACE,
    chart: 'cilium',
    version: plan.cilium.version,
    repository: CILIUM_REPOSITORY,
    values: plan.cilium.values as Record<string, unknown>,
    // The clustermesh-apiserver certificates are cert-manager Certificates: its CRDs must exist first.
    dependsOn: certManager ? [certManager.name] : [],
    perCluster: true,
  });
  return charts;
}

/**
 * Argo CD sync waves: a chart one wave after the charts it depends on, the config layer after every chart.
 * Waves are only compared within one sync, so they restart at 0 in each cluster.
 */
export function syncWaves(charts: readonly HelmChartPlan[]): { readonly charts: ReadonlyMap<string, number>; readonly config: number } {
  const waves = new Map<string, number>();
  const waveOf = (chart: HelmChartPlan): number => {
    const known = waves.get(chart.name);
    if (known !== undefined) return known;
    const deps = chart.dependsOn.map((d) => charts.find((c) => c.name === d)).filter((c): c is HelmChartPlan => c !== undefined);
    const wave = deps.length === 0 ? 0 : Math.max(...deps.map(waveOf)) + 1;
    waves.set(chart.name, wave);
    return wave;
  };
  charts.forEach(waveOf);
  return { charts: waves, config: Math.max(-1, ...waves.values()) + 1 };
}
