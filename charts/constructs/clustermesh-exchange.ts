import { Construct } from 'constructs';
import {
  PushSecretSpecDeletionPolicy, PushSecretSpecSecretStoreRefsKind, PushSecretSpecUpdatePolicy,
} from '../../imports/pushsecret-external-secrets.io.ts';
import { REMOTE_CERT_KEYS, REMOTE_CERT_SECRET } from '../../src/plan/clustermesh-tls.ts';
import type { PeerPlan } from '../../src/plan/types.ts';
import { localKvstoremeshConfig, peerTemplateData, peerValues } from './clustermesh-templates.ts';
import { Secret } from './core-v1.ts';
import { PushSecret } from './crds.ts';
import { metadata } from './metadata.ts';
import { VaultSecret } from './vault-secret.ts';

export interface ClustermeshExchangeProps {
  /** Cilium's namespace: where the agent and the clustermesh-apiserver read their secrets. */
  readonly namespace: string;
  /** The ClusterSecretStore to push to and pull from. */
  readonly store: string;
  /** This cluster's path inside the KV v2 mount, where its client material goes. */
  readonly ownPath: string;
  /** The clusters this one is connected to, with their Vault paths. */
  readonly peers: readonly PeerPlan[];
  /** Whether the kvstoremesh sidecar dials the peers (else the agents do). */
  readonly kvstoremesh: boolean;
  /** How often External Secrets re-reads and re-pushes, so that a rotated certificate spreads. @default '1h' */
  readonly refreshInterval?: string;
}

/**
 * The original per-cluster-CA setup, with the chart's `clustermesh.config.enabled: false`: each cluster pushes its
 * `clustermesh-apiserver-remote-cert` to its own Vault path and builds the secrets its agents (or kvstoremesh) read
 * from its peers' paths.
 */
export class ClustermeshExchange extends Construct {
  constructor(scope: Construct, id: string, props: ClustermeshExchangeProps) {
    super(scope, id);
    const refreshInterval = props.refreshInterval ?? '1h';
    new PushSecret(this, 'push', {
      metadata: metadata(REMOTE_CERT_SECRET, props.namespace),
      spec: {
        refreshInterval,
        secretStoreRefs: [{ kind: PushSecretSpecSecretStoreRefsKind.CLUSTER_SECRET_STORE, name: props.store }],
        selector: { secret: { name: REMOTE_CERT_SECRET } },
        updatePolicy: PushSecretSpecUpdatePolicy.REPLACE,
        // Peers keep working from the last pushed copy if this cluster's PushSecret is removed by mistake.
        deletionPolicy: PushSecretSpecDeletionPolicy.NONE,
        data: REMOTE_CERT_KEYS.map((key) => ({ match: { secretKey: key, remoteRef: { remoteKey: props.ownPath, property: key } } })),
      },
    });
    if (props.peers.length === 0) return;

    const pulled = props.kvstoremesh ? 'cilium-kvstoremesh' : 'cilium-clustermesh';
    new VaultSecret(this, 'peers', {
      name: pulled,
      namespace: props.namespace,
      store: props.store,
      values: peerValues(props.peers),
      // 2,000 keys at a 511-cluster mesh, written from the peers' shared parts (grouped-mapping.ts says how).
      templateData: peerTemplateData(props.peers),
      refreshInterval,
    });
    if (props.kvstoremesh) {
      // Endpoints and file paths only: nothing to fetch, so a plain Secret rather than an ExternalSecret.
      new Secret(this, 'agents', {
        metadata: metadata('cilium-clustermesh', props.namespace),
        type: 'Opaque',
        stringData: localKvstoremeshConfig(props.peers, props.namespace),
      });
    }
  }
}
