import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ClientRulePlan, ServiceAccessPlan, ServicePlan } from '../../src/plan/types.ts';
import { metadata } from './metadata.ts';

// Typed by hand, and only in the fields meshfleet renders (cilium.io/v2 CiliumNetworkPolicy); tests check the output
// against the CRD in crds/cilium-policy/.

/** The label Cilium gives every endpoint with its cluster's name; a selector naming it means the same on 1.18 to 1.20. */
export const CLUSTER_LABEL = 'io.cilium.k8s.policy.cluster';
/** The label Cilium gives every endpoint with its pod's namespace. */
export const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';

type Labels = { readonly [label: string]: string };
type PortRule = { readonly ports: readonly { readonly port: string; readonly protocol: string }[] };

interface IngressRule {
  readonly fromEndpoints?: readonly { readonly matchLabels: Labels }[];
  readonly fromEntities?: readonly string[];
  readonly toPorts?: readonly PortRule[];
}

export interface ServiceAccessPolicyProps {
  /** The service on this (serving) cluster; its `access` must be set. */
  readonly service: ServicePlan;
  /** This cluster's name: in-cluster rules name it too. */
  readonly cluster: string;
}

/**
 * A CiliumNetworkPolicy selecting a global service's backends: they then take ingress only from the clients its
 * `access` lists, from the node they run on (kubelet probes), and for a MinIO tenant from its own pods and the
 * operator. Egress stays as it was (`enableDefaultDeny.egress: false`).
 */
export class ServiceAccessPolicy extends Construct {
  constructor(scope: Construct, id: string, { service, cluster }: ServiceAccessPolicyProps) {
    super(scope, id);
    const access = service.access;
    if (!access) throw new Error(`service ${service.name}: no access to render a policy from`);
    if (Object.keys(service.selector).length === 0)
      throw new Error(`service ${service.name}: a policy needs the backends' selector`);
    new ApiObject(this, 'policy', {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: metadata(access.name, service.namespace),
      spec: {
        description: `Who may reach the backends of the global service ${service.name} (meshfleet: services[].access)`,
        endpointSelector: { matchLabels: { ...service.selector } },
        enableDefaultDeny: { ingress: true, egress: false },
        ingress: ingressRules(access, cluster),
      },
    });
  }
}

function ingressRules(access: ServiceAccessPlan, cluster: string): IngressRule[] {
  const toPorts: PortRule[] = [{ ports: access.ports.map((p) => ({ port: p.port, protocol: p.protocol })) }];
  // Kubelet probes come from the node itself; without this rule a probe on any port of a backend would fail.
  const rules: IngressRule[] = [{ fromEntities: ['host'] }];
  for (const client of access.clients) rules.push({ fromEndpoints: selectors(client), toPorts });
  const tenant = access.tenant;
  if (tenant) {
    const tenantPort: PortRule[] = [{ ports: [{ port: String(tenant.port), protocol: 'TCP' }] }];
    // The tenant's servers talk to each other (erasure coding, locks) on the MinIO port.
    rules.push({
      fromEndpoints: [
        { matchLabels: { [CLUSTER_LABEL]: cluster, [NAMESPACE_LABEL]: tenant.namespace, [tenant.label]: tenant.name } },
      ],
      toPorts: tenantPort,
    });
    // The operator calls the tenant's API: health, bucket creation, administration.
    if (tenant.operatorNamespace) {
      rules.push({
        fromEndpoints: [{ matchLabels: { [CLUSTER_LABEL]: cluster, [NAMESPACE_LABEL]: tenant.operatorNamespace } }],
        toPorts: tenantPort,
      });
    }
  }
  return rules;
}

/** One selector per cluster and namespace: matchLabels cannot say "any of". */
function selectors(client: ClientRulePlan): { matchLabels: Labels }[] {
  return client.clusters.flatMap((c) =>
    client.namespaces.map((ns) => ({
      matchLabels: { ...client.podLabels, [CLUSTER_LABEL]: c, [NAMESPACE_LABEL]: ns },
    })),
  );
}
