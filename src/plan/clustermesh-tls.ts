import { ciliumMinor } from '../model/cilium-version.ts';
import type { Values } from '../model/fleet.ts';

/**
 * The contract between what a cluster pushes to Vault and what its peers pull: the keys of the cluster's
 * `clustermesh-apiserver-remote-cert` Secret, stored under the same names as properties of its Vault path.
 */
export const REMOTE_CERT_SECRET = 'clustermesh-apiserver-remote-cert';
export const REMOTE_CERT_KEYS = ['ca.crt', 'tls.crt', 'tls.key'] as const;
export type RemoteCertKey = (typeof REMOTE_CERT_KEYS)[number];

/** The properties of the shared mesh CA's Vault path: what a cert-manager CA issuer reads from its Secret. */
export const SHARED_CA_KEYS = ['tls.crt', 'tls.key'] as const;

export type AuthMode = 'legacy' | 'migration' | 'cluster';

function at(values: Values, path: readonly string[]): unknown {
  let cur: unknown = values;
  for (const key of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return cur;
}

/**
 * `clustermesh.apiserver.tls.authMode` as the chart will see it: the values' own setting, else the chart's default,
 * which changed from `legacy` (1.18) to `migration` (1.19).
 */
export function effectiveAuthMode(version: string, values: Values): AuthMode {
  const given = at(values, ['clustermesh', 'apiserver', 'tls', 'authMode']);
  if (given === 'legacy' || given === 'migration' || given === 'cluster') return given;
  return (ciliumMinor(version) ?? 0) >= 19 ? 'migration' : 'legacy';
}

/** Whether the kvstoremesh sidecar runs, as the final chart values say (the chart default has been on since 1.16). */
export function effectiveKvstoremesh(values: Values): boolean {
  return at(values, ['clustermesh', 'apiserver', 'kvstoremesh', 'enabled']) !== false;
}

/**
 * Whether meshfleet must render the ConfigMap `clustermesh-remote-users`. The clustermesh-apiserver mounts it (not
 * optional) whenever `authMode` is not `legacy`. Chart 1.18 renders it then from `config.clusters`, whatever
 * `config.enabled` says; 1.19 and 1.20 only with `config.enabled`, which meshfleet keeps off
 * (templates/clustermesh-apiserver/users-configmap.yaml).
 */
export function rendersRemoteUsers(version: string, authMode: AuthMode): boolean {
  return authMode !== 'legacy' && (ciliumMinor(version) ?? 0) >= 19;
}
