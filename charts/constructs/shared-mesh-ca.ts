import { Construct } from 'constructs';
import { SHARED_CA_KEYS } from '../../src/plan/clustermesh-tls.ts';
import { Issuer } from './crds.ts';
import { metadata } from './metadata.ts';
import { VaultSecret } from './vault-secret.ts';

export interface SharedMeshCaProps {
  /** Name of the CA issuer and of the Secret holding the CA. */
  readonly name: string;
  readonly namespace: string;
  /** The ClusterSecretStore to read from. */
  readonly store: string;
  /** Path of the mesh CA inside the KV v2 mount; its properties are `tls.crt` and `tls.key`. */
  readonly vaultPath: string;
  /** How often External Secrets re-reads Vault, so that a rotated CA arrives. @default '1h' */
  readonly refreshInterval?: string;
}

/** One CA for the whole mesh: copied from Vault into the cluster, and a cert-manager CA issuer on it. */
export class SharedMeshCa extends Construct {
  constructor(scope: Construct, id: string, props: SharedMeshCaProps) {
    super(scope, id);
    new VaultSecret(this, 'secret', {
      name: props.name,
      namespace: props.namespace,
      store: props.store,
      values: SHARED_CA_KEYS.map((key) => ({ secretKey: key, path: props.vaultPath, property: key })),
      // cert-manager's CA issuer reads tls.crt and tls.key of a kubernetes.io/tls Secret.
      type: 'kubernetes.io/tls',
      refreshInterval: props.refreshInterval,
    });
    new Issuer(this, 'issuer', {
      metadata: metadata(props.name, props.namespace),
      spec: { ca: { secretName: props.name } },
    });
  }
}
