import { Construct } from 'constructs';
import type { NamespacePlan, ServicePlan } from '../../src/plan/types.ts';
import { Namespace, Service } from './core-v1.ts';
import { KEEP_ON_PRUNE } from './keep-on-prune.ts';
import { metadata } from './metadata.ts';

/** A Service Cilium load-balances across the mesh: same name, namespace and port names in every cluster. */
export class GlobalService extends Construct {
  constructor(scope: Construct, id: string, service: ServicePlan) {
    super(scope, id);
    const annotations: Record<string, string> = {
      'service.cilium.io/global': 'true',
      'service.cilium.io/shared': service.shared ? 'true' : 'false',
    };
    if (service.affinity) annotations['service.cilium.io/affinity'] = service.affinity;
    new Service(this, 'service', {
      metadata: metadata(service.name, service.namespace, { annotations }),
      spec: {
        type: 'ClusterIP',
        ports: service.ports.map((p) => ({
          name: p.name,
          port: p.port,
          protocol: p.protocol,
          targetPort: p.targetPort,
        })),
        ...(Object.keys(service.selector).length > 0 ? { selector: { ...service.selector } } : {}),
      },
    });
  }
}

/** A Namespace meshfleet needs. Every one is kept when it leaves the output: it may hold workloads that are not meshfleet's. */
export class MeshNamespace extends Construct {
  constructor(scope: Construct, id: string, ns: NamespacePlan) {
    super(scope, id);
    new Namespace(this, 'namespace', {
      metadata: metadata(ns.name, undefined, {
        annotations: { ...KEEP_ON_PRUNE, ...(ns.global ? { 'clustermesh.cilium.io/global': 'true' } : {}) },
      }),
    });
  }
}
