import { Construct } from 'constructs';
import {
  PushSecretSpecDeletionPolicy,
  PushSecretSpecSecretStoreRefsKind,
  PushSecretSpecUpdatePolicy,
} from '../../imports/pushsecret-external-secrets.io.ts';
import { REMOTE_CERT_KEYS, REMOTE_CERT_SECRET } from '../../src/plan/clustermesh-tls.ts';
import { PushSecret } from './crds.ts';
import { metadata } from './metadata.ts';

export interface ClustermeshExchangeProps {
  /** Cilium's namespace: where the chart's cert-manager Certificate writes the remote certificate. */
  readonly namespace: string;
  /** The ClusterSecretStore to push to and pull from. */
  readonly store: string;
  /** This cluster's path inside the KV v2 mount, where its client material goes. */
  readonly ownPath: string;
  /** How often External Secrets re-pushes, so that a rotated certificate spreads. @default '1h' */
  readonly refreshInterval?: string;
}

/**
 * This cluster's half of the original per-cluster-CA setup: it pushes its `clustermesh-apiserver-remote-cert` to its
 * own Vault path, where the clusters that dial it fetch it (clustermesh-peer-cert.ts).
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
        data: REMOTE_CERT_KEYS.map((key) => ({
          match: { secretKey: key, remoteRef: { remoteKey: props.ownPath, property: key } },
        })),
      },
    });
  }
}
