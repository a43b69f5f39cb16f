import { CILIUM_NAMESPACE, type ClusterPlan } from '../src/plan/types.ts';
import { ClustermeshExchange } from './constructs/clustermesh-exchange.ts';
import { ClustermeshPeerCert } from './constructs/clustermesh-peer-cert.ts';
import { ClustermeshRemoteUsers } from './constructs/clustermesh-remote-users.ts';
import { ClustermeshSecrets, peerSecretName } from './constructs/clustermesh-secrets.ts';
import { GlobalService, MeshNamespace } from './constructs/global-service.ts';
import { MinioTenant } from './constructs/minio-tenant.ts';
import { ServiceAccessPolicy } from './constructs/service-access-policy.ts';
import { SelfSignedCa } from './constructs/self-signed-ca.ts';
import { SharedMeshCa } from './constructs/shared-mesh-ca.ts';
import { VaultStore } from './constructs/vault-store.ts';
import { layerConstruct, peerConstruct, type LayerConstruct } from './layer-constructs.ts';

/**
 * The objects whose CRDs the controllers install, and the workloads' namespaces and services: the mesh's TLS, then
 * the namespaces, the global services and the MinIO tenant. charts/layers.ts splits them into the PKI layer (before
 * Cilium) and the config layer (after it).
 */
export function configConstructs(plan: ClusterPlan): LayerConstruct[] {
  return [
    ...meshTlsConstructs(plan),
    ...plan.namespaces.map((ns) => layerConstruct(`namespace-${ns.name}`, MeshNamespace, ns)),
    ...plan.services.map((service) =>
      layerConstruct(`service-${service.namespace}-${service.name}`, GlobalService, service),
    ),
    ...plan.services
      .filter((s) => s.access)
      .map((service) =>
        layerConstruct(
          `access-${service.namespace}-${service.name}`,
          ServiceAccessPolicy,
          { service, cluster: plan.name },
          true,
        ),
      ),
    ...(plan.tenant ? [layerConstruct('tenant', MinioTenant, { tenant: plan.tenant, store: plan.vault.store })] : []),
  ];
}

/**
 * Everything the cluster needs to trust its peers and be trusted by them, in the fleet's TLS mode; Vault holds the
 * material, read through the cluster's own store (its own Vault role).
 */
function meshTlsConstructs(plan: ClusterPlan): LayerConstruct[] {
  const { vault, tls } = plan;
  const store = layerConstruct(
    'vault',
    VaultStore,
    {
      name: vault.store,
      server: vault.server,
      mount: vault.mount,
      authMountPath: vault.authMountPath,
      role: vault.role,
      serviceAccount: vault.serviceAccount,
    },
    true,
  );
  const meshSecrets = layerConstruct('clustermesh-secrets', ClustermeshSecrets, {
    namespace: CILIUM_NAMESPACE,
    peers: plan.peers,
    kvstoremesh: plan.cilium.kvstoremesh,
    credentials: tls.mode === 'shared-ca' ? 'common' : 'peer',
  });
  const users = tls.remoteUsers
    ? [
        layerConstruct('clustermesh-remote-users', ClustermeshRemoteUsers, {
          namespace: CILIUM_NAMESPACE,
          peers: plan.peers,
        }),
      ]
    : [];
  if (tls.mode === 'shared-ca') {
    if (!vault.sharedCaPath)
      throw new Error(`cluster ${plan.name}: shared-ca mode without a shared CA path in the plan`);
    return [
      store,
      layerConstruct('mesh-ca', SharedMeshCa, {
        name: tls.issuer.name,
        namespace: CILIUM_NAMESPACE,
        store: vault.store,
        vaultPath: vault.sharedCaPath,
      }),
      meshSecrets,
      ...users,
    ];
  }
  const target = peerSecretName(plan.cilium.kvstoremesh);
  return [
    store,
    layerConstruct('mesh-ca', SelfSignedCa, { name: tls.issuer.name, namespace: CILIUM_NAMESPACE }),
    layerConstruct(
      'exchange',
      ClustermeshExchange,
      { namespace: CILIUM_NAMESPACE, store: vault.store, ownPath: vault.ownPath },
      true,
    ),
    meshSecrets,
    ...users,
    ...plan.peers.map((peer) =>
      peerConstruct(peer.name, `peer-cert-${peer.name}`, ClustermeshPeerCert, {
        namespace: CILIUM_NAMESPACE,
        store: vault.store,
        peer,
        target,
      }),
    ),
  ];
}
