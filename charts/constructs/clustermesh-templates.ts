// What the Cilium agent and kvstoremesh read from `cilium-clustermesh` / `cilium-kvstoremesh` (mounted at
// /var/lib/cilium/clustermesh/): the etcd configs, which meshfleet writes itself, and (per-cluster CAs) each peer's
// certificate files, which External Secrets fetches. Those keys are Go templates (`{{ .name }}`) that External
// Secrets fills at sync time; they are plain TypeScript strings on purpose, so that meshfleet's own Handlebars
// templating never sees them.
import { shareEach } from '../../src/sharing/index.ts';
import type { PeerPlan } from '../../src/plan/types.ts';
import { REMOTE_CERT_KEYS, type RemoteCertKey } from '../../src/plan/clustermesh-tls.ts';
import type { VaultValue } from './vault-secret.ts';

export const CLUSTERMESH_DIR = '/var/lib/cilium/clustermesh';

/** The agent's and kvstoremesh's file names for one peer's copy of `clustermesh-apiserver-remote-cert`. */
export const PEER_FILES: Readonly<Record<RemoteCertKey, string>> = {
  'ca.crt': 'etcd-client-ca.crt',
  'tls.crt': 'etcd-client.crt',
  'tls.key': 'etcd-client.key',
};

/**
 * The ExternalSecret data key holding one property of a peer's Vault secret. Go templates reach map keys with
 * `.name` only when the name is an identifier, so dashes and dots become underscores and the property comes first
 * (a cluster name may start with a digit).
 */
export function templateKey(peer: string, property: RemoteCertKey): string {
  return `${property}_${peer}`.replace(/[-.]/g, '_');
}

/** `{{ .tls_crt_data_bolt }}`: the Go template that copies one fetched value into the Secret unchanged. */
export function goTemplateRef(peer: string, property: RemoteCertKey): string {
  return `{{ .${templateKey(peer, property)} }}`;
}

/**
 * An etcd client config, byte for byte as the chart's clustermesh-config helper writes it (no final newline), so that
 * a switch between meshfleet's Secret and the chart's would change no key.
 */
export function etcdConfig(endpoint: string, filePrefix: string): string {
  return [
    'endpoints:',
    `- ${endpoint}`,
    `trusted-ca-file: ${CLUSTERMESH_DIR}/${filePrefix}etcd-client-ca.crt`,
    `key-file: ${CLUSTERMESH_DIR}/${filePrefix}etcd-client.key`,
    `cert-file: ${CLUSTERMESH_DIR}/${filePrefix}etcd-client.crt`,
  ].join('\n');
}

/** What the per-peer ExternalSecret of one peer fetches and the keys it merges into the peer secret. */
export interface PeerCertData {
  readonly values: readonly VaultValue[];
  /** The peer's three certificate files, as Go templates over the fetched values. */
  readonly templateData: Readonly<Record<string, string>>;
}

/** One peer's copy of its `clustermesh-apiserver-remote-cert`, fetched from its Vault path. */
export function peerCertData(peer: PeerPlan): PeerCertData {
  const templateData: Record<string, string> = {};
  const values: VaultValue[] = [];
  for (const property of REMOTE_CERT_KEYS) {
    templateData[`${peer.name}.${PEER_FILES[property]}`] = goTemplateRef(peer.name, property);
    values.push({ secretKey: templateKey(peer.name, property), path: peer.vaultPath, property });
  }
  return { values, templateData };
}

/**
 * Which client certificate a peer's etcd config names. `peer`: the peer's own remote certificate, fetched into the
 * same Secret as `<peer>.etcd-client*` (per-cluster CAs). `common`: this cluster's own remote certificate, which the
 * chart mounts beside the Secret as `common-etcd-client*` (one shared CA), as the chart's own
 * `clustermesh-config-generate-etcd-cfg` writes it for a peer without per-peer TLS values.
 */
export type PeerCredentials = 'peer' | 'common';

/**
 * A peer's etcd config dialing its endpoint: the one key that makes it a peer (it holds `endpoints:`). Made once per
 * peer and shared by every cluster dialing it (src/sharing), as the Secrets' text of a shared group of peers then is.
 */
const dialEntry = {
  peer: shareEach(
    (peer: PeerPlan) => [peer.name, etcdConfig(`https://${peer.endpoint}:${peer.port}`, `${peer.name}.`)] as const,
  ),
  common: shareEach(
    (peer: PeerPlan) => [peer.name, etcdConfig(`https://${peer.endpoint}:${peer.port}`, 'common-')] as const,
  ),
};

/**
 * The per-peer secret's etcd configs (`cilium-kvstoremesh`, or `cilium-clustermesh` without KVStoreMesh): one key
 * per peer, named after it, dialing its endpoint. Endpoints and file paths only, nothing secret.
 */
export function peerDialConfig(
  peers: readonly PeerPlan[],
  credentials: PeerCredentials,
): Readonly<Record<string, string>> {
  return dialEntry[credentials].mapping(peers);
}

/** localKvstoremeshConfig of a namespace, made once per namespace so that its entries are shared as dialEntry's are. */
const localConfigIn = new Map<string, (peers: readonly PeerPlan[]) => Readonly<Record<string, string>>>();

/**
 * `cilium-clustermesh` with KVStoreMesh on: the agents dial the local kvstoremesh for every peer, with the local
 * client certificate the chart mounts as `local-etcd-client*`. Nothing here is secret.
 */
export function localKvstoremeshConfig(
  peers: readonly PeerPlan[],
  namespace: string,
): Readonly<Record<string, string>> {
  let configOf = localConfigIn.get(namespace);
  if (!configOf) {
    const config = etcdConfig(`https://clustermesh-apiserver.${namespace}.svc:2379`, 'local-');
    const entry = shareEach((peer: PeerPlan) => [peer.name, config] as const);
    localConfigIn.set(namespace, (configOf = (list) => entry.mapping(list)));
  }
  return configOf(peers);
}
