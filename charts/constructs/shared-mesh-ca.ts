import { Construct } from 'constructs';
import {
  ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../imports/externalsecret-external-secrets.io.ts';
import { Issuer } from '../../imports/issuer-cert-manager.io.ts';
import { SHARED_CA_KEYS } from '../../src/plan/clustermesh-tls.ts';
import { metadata } from './metadata.ts';

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
    new ExternalSecret(this, 'secret', {
      metadata: metadata(props.name, props.namespace),
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: props.store },
        target: {
          name: props.name,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          // cert-manager's CA issuer reads tls.crt and tls.key of a kubernetes.io/tls Secret.
          template: { engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2, type: 'kubernetes.io/tls' },
        },
        data: SHARED_CA_KEYS.map((key) => ({ secretKey: key, remoteRef: { key: props.vaultPath, property: key } })),
      },
    });
    new Issuer(this, 'issuer', {
      metadata: metadata(props.name, props.namespace),
      spec: { ca: { secretName: props.name } },
    });
  }
}
