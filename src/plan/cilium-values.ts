import { ciliumMinor } from '../model/cilium-version.ts';
import type { ClusterSpec, Fleet, Values } from '../model/fleet.ts';
import { shareEach } from '../sharing/index.ts';
import { mergeValues } from './merge.ts';
import { CLUSTERMESH_PORT, type IssuerRef, type PeerPlan } from './types.ts';

/**
 * What the AWS Load Balancer Controller needs to give the clustermesh-apiserver an internal NLB. Target type `ip`
 * sends traffic straight to pod addresses, which only works where pods have VPC addresses (AWS VPC CNI chaining, or
 * Cilium's own ENI IPAM); with cluster-pool IPAM the pods' addresses are not routable in the VPC, so the NLB must
 * target the nodes (`instance`, through the Service's NodePort).
 */
function loadBalancerAnnotations(fleet: Fleet, cluster: ClusterSpec, endpoint: string): Values {
  const annotations: Record<string, string> = {
    'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': podsOnVpcAddresses(fleet, cluster)
      ? 'ip'
      : 'instance',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
  };
  if (cluster.cilium.ipFamily !== 'ipv4')
    annotations['service.beta.kubernetes.io/aws-load-balancer-ip-address-type'] = 'dualstack';
  if (cluster.dns.externalDns) annotations['external-dns.alpha.kubernetes.io/hostname'] = endpoint;
  return annotations;
}

function podsOnVpcAddresses(fleet: Fleet, cluster: ClusterSpec): boolean {
  if (cluster.cilium.cni === 'aws-cni') return true;
  const ipam = (mergeValues({}, fleet.cilium.values, cluster.cilium.values).ipam ?? {}) as Values;
  return ipam.mode === 'eni';
}

function ipFamilyValues(cluster: ClusterSpec): Values {
  const family = cluster.cilium.ipFamily;
  return { ipv4: { enabled: family !== 'ipv6' }, ipv6: { enabled: family !== 'ipv4' } };
}

/**
 * Chaining with the AWS VPC CNI: the AWS CNI owns addressing, routing and masquerading; Cilium adds policy and the
 * mesh. Both masquerade switches go off: the chart's default `enableIPv6Masquerade: true` with `routingMode: native`
 * demands an `ipv6NativeRoutingCIDR` (templates/cilium-configmap.yaml) and fails every IPv6 EKS cluster.
 */
function cniValues(cluster: ClusterSpec): Values {
  if (cluster.cilium.cni === 'aws-cni') {
    return {
      cni: { chainingMode: 'aws-cni', exclusive: false },
      enableIPv4Masquerade: false,
      enableIPv6Masquerade: false,
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
  if ((ciliumMinor(version) ?? 0) >= 20) return { auto: { ...auto, server: { extraDnsNames: [endpoint] } } };
  return { auto, server: { extraDnsNames: [endpoint] } };
}

/**
 * The metrics `meshfleet status` reads to see the mesh the way Cilium does, through the API server's pod proxy.
 * The rule: a rendered fleet is one status can read.
 *
 * - `prometheus.enabled`: each agent exports `cilium_clustermesh_remote_cluster_readiness_status` only with its
 *   metrics server on (chart default off). KVStoreMesh alone tells whether the clustermesh-apiserver reaches its
 *   peers, not whether every agent reaches them.
 * - `clustermesh.apiserver.metrics.kvstoremesh.enabled`: KVStoreMesh's own readiness per peer; the chart's default,
 *   written out so that the rendered values say what status will find, whatever a later chart defaults to.
 *
 * A fleet's own `cilium.values` still wins; status then reports the mesh as not checkable instead of healthy.
 */
function statusMetricsValues(fleet: Fleet): Values {
  return {
    prometheus: { enabled: true },
    ...(fleet.cilium.kvstoremesh
      ? { clustermesh: { apiserver: { metrics: { kvstoremesh: { enabled: true } } } } }
      : {}),
  };
}

export interface CiliumValuesInput {
  readonly fleet: Fleet;
  readonly cluster: ClusterSpec;
  readonly endpoint: string;
  readonly peers: readonly PeerPlan[];
  readonly issuer: IssuerRef;
}

/** A peer's entry in `clustermesh.config.clusters`: one object, shared by every cluster that dials the peer. */
const meshConfigEntry = shareEach((peer: PeerPlan): Readonly<Record<string, unknown>> => ({
  name: peer.name,
  address: peer.endpoint,
  port: CLUSTERMESH_PORT,
}));

/**
 * The Cilium chart values of one cluster.
 *
 * `clustermesh.config.enabled` is false in both TLS modes: meshfleet, not the chart, renders `cilium-clustermesh`,
 * `cilium-kvstoremesh` and (1.19 on) `clustermesh-remote-users`, so that switching `tls.mode` on a live fleet never
 * moves an object between Helm and Flux (Helm refuses to adopt an object without its ownership metadata).
 * `config.clusters` still lists the peers: 1.18's users ConfigMap reads it whatever `config.enabled` says.
 *
 * With per-cluster CAs every cluster dialing X presents X's own remote certificate (CN `remote`), so per-cluster
 * users cannot tell the dialers apart: `authMode: legacy` says so, and the 1.19/1.20 clustermesh-apiserver then
 * neither mounts nor needs `clustermesh-remote-users`.
 *
 * Hubble's certificates come from cert-manager with the mesh issuer: the chart's default method `helm` uses
 * `lookup`, which is empty under `helm template` (Argo CD), and would issue new certificates at every render.
 */
export function ciliumValues({ fleet, cluster, endpoint, peers, issuer }: CiliumValuesInput): Values {
  const tls = apiserverTls(cluster.cilium.version, endpoint, issuer);
  const computed: Values = {
    cluster: { name: cluster.name, id: cluster.id },
    ...ipFamilyValues(cluster),
    ...cniValues(cluster),
    hubble: { tls: { auto: { enabled: true, method: 'certmanager', certManagerIssuerRef: { ...issuer } } } },
    clustermesh: {
      useAPIServer: true,
      maxConnectedClusters: fleet.cilium.maxConnectedClusters,
      config: {
        enabled: false,
        clusters: meshConfigEntry.list(peers),
      },
      apiserver: {
        kvstoremesh: { enabled: fleet.cilium.kvstoremesh },
        service: { type: 'LoadBalancer', annotations: loadBalancerAnnotations(fleet, cluster, endpoint) },
        tls: fleet.tls.mode === 'per-cluster-ca' ? { authMode: 'legacy', ...tls } : tls,
      },
    },
  };
  return mergeValues(computed, statusMetricsValues(fleet), fleet.cilium.values, cluster.cilium.values);
}
