import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { infrastructureCharts, syncWaves } from '../src/plan/delivery.ts';
import type { ClusterPlan } from '../src/plan/types.ts';
import { Application } from './constructs/argo-application.ts';

export interface ArgoCdEntryChartProps {
  readonly plan: ClusterPlan;
}

/**
 * What Argo CD picks up from `clusters/<cluster>/`: one Application per infrastructure chart (a Helm source: Argo CD
 * has no HelmRelease) and one for the config layer folder, all aimed at the cluster by its Argo CD name and ordered
 * by sync waves: cert-manager, External Secrets and the MinIO operator, then Cilium, then the config layer.
 */
export class ArgoCdEntryChart extends Chart {
  constructor(scope: Construct, id: string, { plan }: ArgoCdEntryChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const repository = plan.gitops.repository;
    // Validation refuses engine argocd without a repository; this guards callers that skip validation.
    if (!repository) throw new Error(`cluster ${plan.name}: gitops.repository is required with engine argocd`);
    const charts = infrastructureCharts(plan);
    const waves = syncWaves(charts);
    const labels = (layer: string) => ({ 'meshfleet.io/cluster': plan.name, 'meshfleet.io/layer': layer });
    for (const c of charts) {
      new Application(this, c.name, {
        // Applications of every cluster share Argo CD's namespace: names carry the cluster.
        name: `${plan.name}-${c.name}`,
        labels: labels('infrastructure'),
        syncWave: waves.charts.get(c.name)!,
        source: { repoURL: c.repository, chart: c.chart, targetRevision: c.version, helm: { releaseName: c.name, ...(Object.keys(c.values).length > 0 ? { valuesObject: c.values } : {}) } },
        destinationCluster: plan.name,
        destinationNamespace: c.namespace,
        syncOptions: ['CreateNamespace=true'],
      });
    }
    new Application(this, 'config', {
      name: `${plan.name}-config`,
      labels: labels('config'),
      syncWave: waves.config,
      source: { repoURL: repository, targetRevision: plan.gitops.branch, path: `${plan.gitops.path}/config` },
      destinationCluster: plan.name,
      // Without an Application health check in argocd-cm, the wave before may not be healthy yet: the issuers and
      // secret stores are then applied without a dry run, and the retries cover the CRDs still arriving.
      syncOptions: ['SkipDryRunOnMissingResource=true'],
    });
  }
}
