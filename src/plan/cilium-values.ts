import { memoByObject } from '../memo.ts';
import type { ClusterSpec, Fleet, Values } from '../model/fleet.ts';
import { groupMapper } from '../model/grouped-list.ts';
import { mergeValues } from './merge.ts';
import { CLUSTERMESH_PORT, type IssuerRef, type PeerPlan } from './types.ts';

/** What the AWS Load Balancer Controller needs to give the clustermesh-apiserver an internal NLB. */
function loadBalancerAnnotations(cluster: ClusterSpec, endpoint: string): Values {
  const annotations: Record<string, string> = {
    'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
  };
  if (cluster.cilium.ipFamily !== 'ipv4') annotations['service.beta.kubernetes.io/aws-load-balancer-ip-address-type'] = 'dualstack';
  if (cluster.dns.externalDns) annotations['external-dns.alpha.kubernetes.io/hostname'] = endpoint;
  return annotations;
}

function ipFamilyValues(cluster: ClusterSpec): Values {
  const family = cluster.cilium.ipFamily;
  return { ipv4: { enabled: family !== 'ipv6' }, ipv6: { enabled: family !== 'ipv4' } };
}

/** Chaining with the AWS VPC CNI: the AWS CNI owns addressing and routing; Cilium adds policy and the mesh. */
function cniValues(cluster: ClusterSpec): Values {
  if (cluster.cilium.cni === 'aws-cni') {
    return {
      cni: { chainingMode: 'aws-cni', exclusive: false },
      enableIPv4Masquerade: false,
      routingMode: 'native',
      endpointRoutes: { enabled: true },
    };
  }
  const v4 = cluster.podCIDRs.filter((c) => !c.includes(':'));
  const v6 = cluster.podCIDRs.filter((c) => c.includes(':'));
  if (v4.length === 0 && v6.length === 0) return {};
  const operator: Record<string, unknown> = {};
  if (v4.length > 0) operator.clusterPoolIPv4PodCIDRList = v4;
  if (v6.length > 0) operator.clusterPoolIPv6PodCIDRList = v6;
  return { ipam: { operator } };
}

/** The server certificate must name the DNS name peers dial; Cilium 1.20 moved that list under `tls.auto.server`. */
function apiserverTls(version: string, endpoint: string, issuer: IssuerRef): Values {
  const auto = { enabled: true, method: 'certmanager', certManagerIssuerRef: { ...issuer } };
  const minor = Number(/^1\.(\d+)\./.exec(version)?.[1] ?? 0);
  if (minor >= 20) return { auto: { ...auto, server: { extraDnsNames: [endpoint] } } };
  return { auto, server: { extraDnsNames: [endpoint] } };
}

export interface CiliumValuesInput {
  readonly fleet: Fleet;
  readonly cluster: ClusterSpec;
  readonly endpoint: string;
  readonly peers: readonly PeerPlan[];
  readonly issuer: IssuerRef;
}

/** A peer's entry in `clustermesh.config.clusters`: one frozen object, shared by every cluster that dials the peer. */
const meshConfigEntry = memoByObject((peer: PeerPlan): Readonly<Record<string, unknown>> =>
  Object.freeze({ name: peer.name, address: peer.endpoint, port: CLUSTERMESH_PORT }));
const meshConfigEntries = groupMapper(meshConfigEntry);

/**
 * The Cilium chart values of one cluster. In shared-CA mode the chart renders the peer secrets itself
 * (`config.enabled`); in per-cluster-CA mode External Secrets builds them, so the chart must not.
 */
export function ciliumValues({ fleet, cluster, endpoint, peers, issuer }: CiliumValuesInput): Values {
  const computed: Values = {
    cluster: { name: cluster.name, id: cluster.id },
    ...ipFamilyValues(cluster),
    ...cniValues(cluster),
    clustermesh: {
      useAPIServer: true,
      maxConnectedClusters: fleet.cilium.maxConnectedClusters,
      config: {
        enabled: fleet.tls.mode === 'shared-ca',
        clusters: meshConfigEntries(peers),
      },
      apiserver: {
        kvstoremesh: { enabled: fleet.cilium.kvstoremesh },
        service: { type: 'LoadBalancer', annotations: loadBalancerAnnotations(cluster, endpoint) },
        tls: apiserverTls(cluster.cilium.version, endpoint, issuer),
      },
    },
  };
  return mergeValues(computed, fleet.cilium.values, cluster.cilium.values);
}
