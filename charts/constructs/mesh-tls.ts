import { Construct } from 'constructs';
import type { ClusterPlan } from '../../src/plan/types.ts';
import { CILIUM_NAMESPACE } from '../../src/plan/types.ts';
import { ClustermeshExchange } from './clustermesh-exchange.ts';
import { SelfSignedCa } from './self-signed-ca.ts';
import { SharedMeshCa } from './shared-mesh-ca.ts';
import { VaultStore } from './vault-store.ts';

export interface MeshTlsProps {
  readonly plan: ClusterPlan;
}

/** Everything the cluster needs to trust its peers and be trusted by them, in the fleet's TLS mode; Vault holds the material. */
export class MeshTls extends Construct {
  constructor(scope: Construct, id: string, { plan }: MeshTlsProps) {
    super(scope, id);
    const { vault, tls } = plan;
    new VaultStore(this, 'vault', {
      name: vault.store,
      server: vault.server,
      mount: vault.mount,
      authMountPath: vault.authMountPath,
      role: vault.role,
      serviceAccount: vault.serviceAccount,
    });
    if (tls.mode === 'shared-ca') {
      if (!vault.sharedCaPath) throw new Error(`cluster ${plan.name}: shared-ca mode without a shared CA path in the plan`);
      new SharedMeshCa(this, 'mesh-ca', { name: tls.issuer.name, namespace: CILIUM_NAMESPACE, store: vault.store, vaultPath: vault.sharedCaPath });
      return;
    }
    new SelfSignedCa(this, 'mesh-ca', { name: tls.issuer.name, namespace: CILIUM_NAMESPACE });
    new ClustermeshExchange(this, 'exchange', {
      namespace: CILIUM_NAMESPACE,
      store: vault.store,
      ownPath: vault.ownPath,
      peers: plan.peers,
      kvstoremesh: plan.cilium.kvstoremesh,
    });
  }
}
