// What the Cilium agent and kvstoremesh read from `cilium-clustermesh` / `cilium-kvstoremesh` (mounted at
// /var/lib/cilium/clustermesh/): the etcd configs, which meshfleet writes itself, and (per-cluster CAs) each peer's
// certificate files, which External Secrets fetches. Those keys are Go templates (`{{ .name }}`) that External
// Secrets fills at sync time; they are plain TypeScript strings on purpose, so that meshfleet's own Handlebars
// templating never sees them.
import { memoByObject } from '../../src/memo.ts';
import { groupFlatMapper, listGroups } from '../../src/model/grouped-list.ts';
import { groupedMapping, type MappingEntry, type MappingGroup } from '../../src/synth/grouped-mapping.ts';
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
export interface PeerCertPart {
  readonly values: readonly VaultValue[];
  /** The peer's three certificate files, as Go templates over the fetched values. */
  readonly templateData: Readonly<Record<string, string>>;
}

/**
 * One peer's copy of its `clustermesh-apiserver-remote-cert`, fetched from its Vault path. Made once per peer (the
 * plan shares a peer's PeerPlan among the clusters that dial it), since a full mesh repeats every peer 510 times.
 */
export const peerCertPart = memoByObject((peer: PeerPlan): PeerCertPart => {
  const templateData: Record<string, string> = {};
  const values: VaultValue[] = [];
  for (const property of REMOTE_CERT_KEYS) {
    templateData[`${peer.name}.${PEER_FILES[property]}`] = goTemplateRef(peer.name, property);
    values.push({ secretKey: templateKey(peer.name, property), path: peer.vaultPath, property });
  }
  return Object.freeze({ values: Object.freeze(values), templateData: Object.freeze(templateData) });
});

/**
 * Which client certificate a peer's etcd config names. `peer`: the peer's own remote certificate, fetched into the
 * same Secret as `<peer>.etcd-client*` (per-cluster CAs). `common`: this cluster's own remote certificate, which the
 * chart mounts beside the Secret as `common-etcd-client*` (one shared CA), as the chart's own
 * `clustermesh-config-generate-etcd-cfg` writes it for a peer without per-peer TLS values.
 */
export type PeerCredentials = 'peer' | 'common';

/** A peer's etcd config dialing its endpoint: the one key that makes it a peer (it holds `endpoints:`). */
const dialEntry = (credentials: PeerCredentials) => memoByObject((peer: PeerPlan): MappingGroup<string> => {
  const prefix = credentials === 'peer' ? `${peer.name}.` : 'common-';
  return Object.freeze([Object.freeze([peer.name, etcdConfig(`https://${peer.endpoint}:${peer.port}`, prefix)] as const)]);
});
const dialEntries = { peer: dialEntry('peer'), common: dialEntry('common') };
const groupedDialEntries = {
  peer: groupFlatMapper(dialEntries.peer),
  common: groupFlatMapper(dialEntries.common),
};

/**
 * The per-peer secret's etcd configs (`cilium-kvstoremesh`, or `cilium-clustermesh` without KVStoreMesh): one key
 * per peer, named after it, dialing its endpoint. Endpoints and file paths only, nothing secret.
 */
export function peerDialConfig(peers: readonly PeerPlan[], credentials: PeerCredentials): Readonly<Record<string, string>> {
  return peerMapping(peers, dialEntries[credentials], groupedDialEntries[credentials]);
}

/** localKvstoremeshConfig's entries of a grouped peer list, by namespace: a block of peers' entries is one group. */
const localEntriesIn = new Map<string, (peers: readonly PeerPlan[]) => readonly MappingEntry<string>[]>();

/**
 * `cilium-clustermesh` with KVStoreMesh on: the agents dial the local kvstoremesh for every peer, with the local
 * client certificate the chart mounts as `local-etcd-client*`. Nothing here is secret.
 */
export function localKvstoremeshConfig(peers: readonly PeerPlan[], namespace: string): Readonly<Record<string, string>> {
  let entriesOf = localEntriesIn.get(namespace);
  if (!entriesOf) localEntriesIn.set(namespace, (entriesOf = groupFlatMapper((peer: PeerPlan) => localKvstoremeshEntry(peer, namespace))));
  return peerMapping(peers, (peer) => localKvstoremeshEntry(peer, namespace), entriesOf);
}

/**
 * A groupedMapping of the peers' entries: a group per block of a grouped peer list (`entriesOf` joins a block's
 * entries once), else a group per peer (`groupOf`).
 */
function peerMapping(
  peers: readonly PeerPlan[], groupOf: (peer: PeerPlan) => MappingGroup<string>, entriesOf: (peers: readonly PeerPlan[]) => readonly MappingEntry<string>[],
): Readonly<Record<string, string>> {
  return groupedMapping(listGroups(peers) ? listGroups(entriesOf(peers))! : peers.map(groupOf));
}

/** A peer's entry in localKvstoremeshConfig, made once per peer and namespace: it recurs in every cluster. */
function localKvstoremeshEntry(peer: PeerPlan, namespace: string): MappingGroup<string> {
  const made = localEntries(peer);
  let group = made.get(namespace);
  if (!group) {
    const config = etcdConfig(`https://clustermesh-apiserver.${namespace}.svc:2379`, 'local-');
    made.set(namespace, (group = Object.freeze([Object.freeze([peer.name, config] as const)])));
  }
  return group;
}

const localEntries = memoByObject((_: PeerPlan) => new Map<string, MappingGroup<string>>());
