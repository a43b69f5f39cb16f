import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterPlan } from '../src/plan/types.ts';
import { GlobalService, MeshNamespace } from './constructs/global-service.ts';
import { MinioTenant } from './constructs/minio-tenant.ts';
import { MeshTls } from './constructs/mesh-tls.ts';

export interface ConfigChartProps {
  readonly plan: ClusterPlan;
}

/** The second layer: objects whose CRDs the first layer installs (issuers, stores, secrets, tenants) and the services. */
export class ConfigChart extends Chart {
  constructor(scope: Construct, id: string, { plan }: ConfigChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    new MeshTls(this, 'mesh-tls', { plan });
    for (const ns of plan.namespaces) new MeshNamespace(this, `namespace-${ns.name}`, ns);
    for (const service of plan.services) new GlobalService(this, `service-${service.namespace}-${service.name}`, service);
    if (plan.tenant) new MinioTenant(this, 'tenant', { tenant: plan.tenant, store: plan.vault.store });
  }
}
