import { Construct } from 'constructs';
import { VaultSecret } from './vault-secret.ts';

/** The Vault keys the root credentials are read from, and the variables MinIO reads them as. */
export const ROOT_CREDENTIAL_KEYS = { accessKey: 'MINIO_ROOT_USER', secretKey: 'MINIO_ROOT_PASSWORD' } as const;

export interface MinioRootCredentialsProps {
  /** The Secret the Tenant's `configuration.name` names; also the ExternalSecret's name. */
  readonly secretName: string;
  readonly namespace: string;
  /** The ClusterSecretStore that reads Vault. */
  readonly store: string;
  /** Vault path inside the KV mount holding the keys `accessKey` and `secretKey`. */
  readonly vaultPath: string;
  /** How often External Secrets re-reads Vault. @default '1h' */
  readonly refreshInterval?: string;
}

/**
 * The tenant's root credentials, from Vault into the `config.env` file the MinIO operator reads. Only the Vault
 * path is rendered; the values exist in the cluster alone. The template is External Secrets' (Go template syntax),
 * so its braces must reach the manifest as written.
 */
export class MinioRootCredentials extends Construct {
  constructor(scope: Construct, id: string, props: MinioRootCredentialsProps) {
    super(scope, id);
    const keys = Object.keys(ROOT_CREDENTIAL_KEYS) as (keyof typeof ROOT_CREDENTIAL_KEYS)[];
    // The operator parses `export NAME="value"` lines; a value must therefore not contain a double quote.
    const configEnv = keys.map((key) => `export ${ROOT_CREDENTIAL_KEYS[key]}="{{ .${key} }}"\n`).join('');
    new VaultSecret(this, 'external-secret', {
      name: props.secretName,
      namespace: props.namespace,
      store: props.store,
      values: keys.map((key) => ({ secretKey: key, path: props.vaultPath, property: key })),
      templateData: { 'config.env': configEnv },
      refreshInterval: props.refreshInterval,
    });
  }
}
