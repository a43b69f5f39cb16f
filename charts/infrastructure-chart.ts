import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterPlan, ComponentPlan } from '../src/plan/types.ts';
import { CILIUM_NAMESPACE } from '../src/plan/types.ts';
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
    const { certManager, externalSecrets, minioOperator } = plan.components;
    const component = (c: ComponentPlan | undefined) => c && new HelmComponent(this, c.name, {
      name: c.name, targetNamespace: c.namespace, chart: c.chart, version: c.version, repository: c.repository, values: c.values, interval: plan.gitops.interval,
    });
    component(certManager);
    component(externalSecrets);
    component(minioOperator);
    new HelmComponent(this, 'cilium', {
      name: 'cilium',
      targetNamespace: CILIUM_NAMESPACE,
      chart: 'cilium',
      version: plan.cilium.version,
      repository: 'https://helm.cilium.io/',
      values: plan.cilium.values as Record<string, unknown>,
      // The clustermesh-apiserver certificates are cert-manager Certificates: its CRDs must exist first.
      dependsOn: certManager ? [certManager.name] : [],
      interval: plan.gitops.interval,
    });
  }
}
