import { Construct } from 'constructs';
import type { PeerPlan } from '../../src/plan/types.ts';
import { peerCertData } from './clustermesh-templates.ts';
import { VaultSecret } from './vault-secret.ts';

export interface ClustermeshPeerCertProps {
  /** Cilium's namespace. */
  readonly namespace: string;
  /** The ClusterSecretStore that reads Vault. */
  readonly store: string;
  /** The peer whose pushed `clustermesh-apiserver-remote-cert` is fetched. */
  readonly peer: PeerPlan;
  /** The per-peer Secret the files are merged into (clustermesh-secrets.ts renders it). */
  readonly target: string;
  /** How often External Secrets re-reads Vault, so that a rotated certificate spreads. @default '1h' */
  readonly refreshInterval?: string;
}

/**
 * One peer's certificate files, merged into the per-peer Secret. One ExternalSecret per peer, because External
 * Secrets fails an ExternalSecret as a whole when one remote key is missing: a peer that has not pushed yet then
 * holds back only itself. `creationPolicy: Merge` lets several ExternalSecrets fill one existing Secret; the peer's
 * config key, which makes it a peer, is not among these keys, so dropping a peer from the fleet drops the peer
 * whatever External Secrets leaves behind.
 */
export class ClustermeshPeerCert extends Construct {
  constructor(scope: Construct, id: string, props: ClustermeshPeerCertProps) {
    super(scope, id);
    const data = peerCertData(props.peer);
    new VaultSecret(this, 'secret', {
      name: `${props.target}-${props.peer.name}`,
      target: props.target,
      creationPolicy: 'Merge',
      namespace: props.namespace,
      store: props.store,
      values: data.values,
      templateData: data.templateData,
      refreshInterval: props.refreshInterval,
    });
  }
}
