import { byKey, byteOrder } from '../model/byte-order.ts';
import type { ClusterPlan } from '../plan/types.ts';

export type Capability = 'create' | 'read' | 'update';

/** One `path` block of a cluster's Vault policy: a Vault API path (mount, then `data/` or `metadata/`) and why. */
export interface Grant {
  readonly path: string;
  readonly capabilities: readonly Capability[];
  readonly reason: string;
}

/**
 * What the cluster's ClusterSecretStore role must be allowed, derived from the same plan fields the ExternalSecrets
 * and the PushSecret are rendered from, and nothing more: reading a KV v2 secret is `read` on `<mount>/data/<path>`;
 * the PushSecret (deletionPolicy None, so never `delete`) reads and writes its own secret's data, and reads and
 * writes its metadata, where External Secrets marks the secret as its own (`managed-by: external-secrets`).
 * Sorted by path; test/vault-policy.test.ts holds it equal to what the rendered objects use.
 */
export function vaultGrants(plan: ClusterPlan): Grant[] {
  const { mount } = plan.vault;
  const grants: Grant[] = [];
  const read = (path: string, reason: string) => grants.push({ path: `${mount}/data/${path}`, capabilities: ['read'], reason });
  if (plan.tls.mode === 'shared-ca') {
    if (plan.vault.sharedCaPath) read(plan.vault.sharedCaPath, 'the shared mesh CA (ExternalSecret clustermesh-ca)');
  } else {
    const own: Capability[] = ['create', 'read', 'update'];
    grants.push({ path: `${mount}/data/${plan.vault.ownPath}`, capabilities: own, reason: 'own clustermesh material (PushSecret clustermesh-apiserver-remote-cert)' });
    grants.push({ path: `${mount}/metadata/${plan.vault.ownPath}`, capabilities: own, reason: 'its metadata, where the PushSecret marks the secret as managed by External Secrets' });
    for (const peer of plan.peers) read(peer.vaultPath, `peer ${peer.name} (ExternalSecret cilium-kvstoremesh-${peer.name})`);
  }
  if (plan.tenant) read(plan.tenant.credentialsPath, `MinIO root credentials (ExternalSecret ${plan.tenant.configurationSecret})`);
  // Two reasons for one path (a peer's path named as the credentials path) must still be one block.
  const merged = new Map<string, Grant>();
  for (const g of grants) {
    const seen = merged.get(g.path);
    merged.set(g.path, seen
      ? { path: g.path, capabilities: [...new Set([...seen.capabilities, ...g.capabilities])].sort(byteOrder), reason: `${seen.reason}; ${g.reason}` }
      : g);
  }
  return [...merged.values()].sort(byKey((g) => g.path));
}
