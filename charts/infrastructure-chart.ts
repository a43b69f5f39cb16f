import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { infrastructureCharts } from '../src/plan/delivery.ts';
import type { ClusterPlan } from '../src/plan/types.ts';
import { HelmComponent } from './constructs/helm-component.ts';

export interface InfrastructureChartProps {
  readonly plan: ClusterPlan;
}

/**
 * The first layer: controllers and the CRDs they install (cert-manager, External Secrets, the MinIO operator) and
 * Cilium itself. Nothing here uses a custom resource that this layer does not install, so it applies on a fresh cluster.
 */
export class InfrastructureChart extends Chart {
  constructor(scope: Construct, id: string, { plan }: InfrastructureChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    // The same chart list Argo CD installs (src/plan/delivery.ts), here as Flux HelmReleases.
    for (const c of infrastructureCharts(plan)) {
      new HelmComponent(this, c.name, {
        name: c.name, targetNamespace: c.namespace, chart: c.chart, version: c.version, repository: c.repository, values: c.values,
        dependsOn: c.dependsOn, interval: plan.gitops.interval,
      });
    }
  }
}
