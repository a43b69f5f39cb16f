import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterPlan } from '../src/plan/types.ts';
import { CILIUM_NAMESPACE } from '../src/plan/types.ts';
import { GlobalService, MeshNamespace } from './constructs/global-service.ts';
import { SelfSignedCa } from './constructs/self-signed-ca.ts';

export interface ConfigChartProps {
  readonly plan: ClusterPlan;
}

/** The second layer: objects whose CRDs the first layer installs (issuers, stores, secrets, tenants) and the services. */
export class ConfigChart extends Chart {
  constructor(scope: Construct, id: string, { plan }: ConfigChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    if (plan.tls.mode === 'per-cluster-ca') {
      new SelfSignedCa(this, 'mesh-ca', { name: plan.tls.issuer.name, namespace: CILIUM_NAMESPACE });
    }
    for (const ns of plan.namespaces) new MeshNamespace(this, `namespace-${ns.name}`, ns);
    for (const service of plan.services) new GlobalService(this, `service-${service.namespace}-${service.name}`, service);
  }
}
