import { CILIUM_NAMESPACE, type ClusterPlan } from '../src/plan/types.ts';
import { ClustermeshExchange } from './constructs/clustermesh-exchange.ts';
import { GlobalService, MeshNamespace } from './constructs/global-service.ts';
import { MinioTenant } from './constructs/minio-tenant.ts';
import { SelfSignedCa } from './constructs/self-signed-ca.ts';
import { SharedMeshCa } from './constructs/shared-mesh-ca.ts';
import { VaultStore } from './constructs/vault-store.ts';
import { piece, type Piece } from './pieces.ts';

/**
 * The objects whose CRDs the controllers install, and the workloads' namespaces and services: the mesh's TLS, then
 * the namespaces, the global services and the MinIO tenant. charts/layers.ts splits them into the PKI layer (before
 * Cilium) and the config layer (after it).
 */
export function configPieces(plan: ClusterPlan): Piece[] {
  return [
    ...meshTlsPieces(plan),
    ...plan.namespaces.map((ns) => piece(`namespace-${ns.name}`, MeshNamespace, ns)),
    ...plan.services.map((service) => piece(`service-${service.namespace}-${service.name}`, GlobalService, service)),
    ...(plan.tenant ? [piece('tenant', MinioTenant, { tenant: plan.tenant, store: plan.vault.store })] : []),
  ];
}

/**
 * Everything the cluster needs to trust its peers and be trusted by them, in the fleet's TLS mode; Vault holds the
 * material, read through the cluster's own store (its own Vault role).
 */
function meshTlsPieces(plan: ClusterPlan): Piece[] {
  const { vault, tls } = plan;
  const store = piece('vault', VaultStore, {
    name: vault.store, server: vault.server, mount: vault.mount, authMountPath: vault.authMountPath, role: vault.role,
    serviceAccount: vault.serviceAccount,
  }, true);
  if (tls.mode === 'shared-ca') {
    if (!vault.sharedCaPath) throw new Error(`cluster ${plan.name}: shared-ca mode without a shared CA path in the plan`);
    return [store, piece('mesh-ca', SharedMeshCa, { name: tls.issuer.name, namespace: CILIUM_NAMESPACE, store: vault.store, vaultPath: vault.sharedCaPath })];
  }
  return [
    store,
    piece('mesh-ca', SelfSignedCa, { name: tls.issuer.name, namespace: CILIUM_NAMESPACE }),
    piece('exchange', ClustermeshExchange, {
      namespace: CILIUM_NAMESPACE, store: vault.store, ownPath: vault.ownPath, peers: plan.peers, kvstoremesh: plan.cilium.kvstoremesh,
    }, true),
  ];
}
