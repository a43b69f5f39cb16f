import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { helmCharts, syncWave, type Layer } from '../src/plan/delivery.ts';
import type { ClusterPlan } from '../src/plan/types.ts';
import { Application } from './constructs/argo-application.ts';
import { KEEP_ON_PRUNE } from './constructs/keep-on-prune.ts';

export interface ArgoCdEntryChartProps {
  readonly plan: ClusterPlan;
  /** The layers written as folders of dist/<cluster>/ (those not only Helm charts), each synced by an Application. */
  readonly folders: readonly Layer[];
}

/**
 * What Argo CD picks up from `clusters/<cluster>/`: one Application per Helm chart (a Helm source: Argo CD has no
 * HelmRelease) and one per layer folder, all aimed at the cluster by its Argo CD name and ordered by sync waves,
 * one wave per layer in the order of src/plan/delivery.ts: the controllers, the PKI, Cilium, then the config layer.
 */
export class ArgoCdEntryChart extends Chart {
  constructor(scope: Construct, id: string, { plan, folders }: ArgoCdEntryChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const repository = plan.gitops.repository;
    // Validation refuses engine argocd without a repository; this guards callers that skip validation.
    if (!repository) throw new Error(`cluster ${plan.name}: gitops.repository is required with engine argocd`);
    const labels = (layer: string) => ({ 'meshfleet.io/cluster': plan.name, 'meshfleet.io/layer': layer });
    for (const c of helmCharts(plan)) {
      new Application(this, c.name, {
        // Applications of every cluster share Argo CD's namespace: names carry the cluster.
        name: `${plan.name}-${c.name}`,
        labels: labels(c.layer),
        syncWave: syncWave(c.layer),
        source: {
          repoURL: c.repository,
          chart: c.chart,
          targetRevision: c.version,
          helm: { releaseName: c.name, ...(Object.keys(c.values).length > 0 ? { valuesObject: c.values } : {}) },
        },
        destinationCluster: plan.name,
        destinationNamespace: c.namespace,
        // Server-side apply: External Secrets' store CRDs exceed the 256 KiB last-applied annotation of a client-side
        // apply (Argo CD's sync-options docs: "Server-Side Apply"); the other charts' CRDs are large too and lose nothing.
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        // The root Application never prunes a chart's Application (a removed cluster keeps its CNI and controllers).
        annotations: KEEP_ON_PRUNE,
      });
    }
    for (const layer of folders) {
      new Application(this, layer, {
        name: `${plan.name}-${layer}`,
        labels: labels(layer),
        syncWave: syncWave(layer),
        source: { repoURL: repository, targetRevision: plan.gitops.branch, path: `${plan.gitops.path}/${layer}` },
        destinationCluster: plan.name,
        // Without an Application health check in argocd-cm, the wave before may not be healthy yet: the issuers and
        // secret stores are then applied without a dry run, and the retries cover the CRDs still arriving.
        syncOptions: ['SkipDryRunOnMissingResource=true'],
      });
    }
  }
}
