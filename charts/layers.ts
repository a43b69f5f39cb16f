import type { Construct } from 'constructs';
import { helmCharts, type Layer } from '../src/plan/delivery.ts';
import type { ClusterPlan } from '../src/plan/types.ts';
import { configConstructs } from './config-chart.ts';
import { ClustermeshExchange } from './constructs/clustermesh-exchange.ts';
import { ClustermeshPeerCert } from './constructs/clustermesh-peer-cert.ts';
import { GlobalService, MeshNamespace } from './constructs/global-service.ts';
import { HelmComponent } from './constructs/helm-component.ts';
import { ServiceAccessPolicy } from './constructs/service-access-policy.ts';
import { MinioTenant } from './constructs/minio-tenant.ts';
import { ConstructsChart, layerConstruct, type ConstructClass, type LayerConstruct } from './layer-constructs.ts';

export { LAYERS, type Layer } from '../src/plan/delivery.ts';

/**
 * What can only come once Cilium runs: the PushSecret of the chart's own certificate (its source Secret is made by
 * the chart's Certificate), the peers' material (a peer pushes it only once its own Cilium runs: pulled before
 * Cilium, a fresh fleet would wait on itself), and the workloads' namespaces, services and tenant. Everything
 * else of the mesh's TLS goes before Cilium, in the PKI layer: the chart's pods cannot start without it.
 */
const AFTER_CILIUM: ReadonlySet<ConstructClass<never>> = new Set<ConstructClass<never>>([
  ClustermeshExchange,
  ClustermeshPeerCert,
  MeshNamespace,
  GlobalService,
  ServiceAccessPolicy,
  MinioTenant,
] as ConstructClass<never>[]);

/** A cluster's constructs by layer (src/plan/delivery.ts says why in this order). */
export function layerConstructs(plan: ClusterPlan): Record<Layer, LayerConstruct[]> {
  const objects = configConstructs(plan);
  return {
    infrastructure: helmConstructs(plan, 'infrastructure'),
    pki: objects.filter((c) => !AFTER_CILIUM.has(c.type)),
    cilium: helmConstructs(plan, 'cilium'),
    config: objects.filter((c) => AFTER_CILIUM.has(c.type)),
  };
}

/** The Helm charts of a layer (the same list Argo CD installs, src/plan/delivery.ts), as Flux HelmReleases. */
function helmConstructs(plan: ClusterPlan, layer: Layer): LayerConstruct[] {
  return helmCharts(plan)
    .filter((c) => c.layer === layer)
    .map((c) =>
      layerConstruct(
        c.name,
        HelmComponent,
        {
          name: c.name,
          targetNamespace: c.namespace,
          chart: c.chart,
          version: c.version,
          repository: c.repository,
          values: c.values,
          dependsOn: c.dependsOn,
          interval: plan.gitops.interval,
        },
        c.perCluster,
      ),
    );
}

export interface LayerChartProps {
  readonly plan: ClusterPlan;
  /** Which of the cluster's layers. */
  readonly layer: Layer;
}

/** One layer of a cluster, built whole (as `cdk8s synth` builds it; a render builds its constructs apart, src/synth/synth.ts). */
export class LayerChart extends ConstructsChart {
  constructor(scope: Construct, id: string, { plan, layer }: LayerChartProps) {
    super(scope, id, layerConstructs(plan)[layer]);
  }
}
