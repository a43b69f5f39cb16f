import type { Construct } from 'constructs';
import { infrastructureCharts } from '../src/plan/delivery.ts';
import type { ClusterPlan } from '../src/plan/types.ts';
import { HelmComponent } from './constructs/helm-component.ts';
import { piece, PiecesChart, type Piece } from './pieces.ts';

export interface InfrastructureChartProps {
  readonly plan: ClusterPlan;
}

/**
 * The first layer: controllers and the CRDs they install (cert-manager, External Secrets, the MinIO operator) and
 * Cilium itself. Nothing here uses a custom resource that this layer does not install, so it applies on a fresh cluster.
 */
export class InfrastructureChart extends PiecesChart {
  constructor(scope: Construct, id: string, { plan }: InfrastructureChartProps) {
    super(scope, id, infrastructurePieces(plan));
  }
}

/** The infrastructure layer's pieces: the same chart list Argo CD installs (src/plan/delivery.ts), as Flux HelmReleases. */
export function infrastructurePieces(plan: ClusterPlan): Piece[] {
  return infrastructureCharts(plan).map((c) => piece(c.name, HelmComponent, {
    name: c.name, targetNamespace: c.namespace, chart: c.chart, version: c.version, repository: c.repository, values: c.values,
    dependsOn: c.dependsOn, interval: plan.gitops.interval,
  }, c.perCluster));
}
