import { Construct } from 'constructs';
import {
  type ExternalSecretSpecData,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../imports/externalsecret-external-secrets.io.ts';
import { ExternalSecret } from './crds.ts';
import { metadata } from './metadata.ts';

/** One value to fetch: a property of a secret at a path inside the KV v2 mount, stored under `secretKey`. */
export interface VaultValue {
  readonly secretKey: string;
  readonly path: string;
  readonly property: string;
}

export interface VaultSecretProps {
  /** Name of the ExternalSecret, and of the Secret it keeps in step unless `target` names another. */
  readonly name: string;
  /** The Secret it fills. @default name */
  readonly target?: string;
  readonly namespace: string;
  /** The ClusterSecretStore that reads Vault. */
  readonly store: string;
  readonly values: readonly VaultValue[];
  /**
   * The Secret's data as External Secrets templates (Go template syntax, e.g. `{{ .accessKey }}`), passed through
   * untouched. @default the fetched values under their `secretKey`s
   */
  readonly templateData?: Readonly<Record<string, string>>;
  /** The Secret's type. @default 'Opaque' */
  readonly type?: string;
  /** How often External Secrets re-reads Vault, so that a rotated value arrives. @default '1h' */
  readonly refreshInterval?: string;
  /**
   * `Owner`: External Secrets creates the Secret and owns it. `Merge`: the Secret exists already (another object of
   * the output makes it) and External Secrets only adds its keys, so that several ExternalSecrets can fill one Secret.
   * @default 'Owner'
   */
  readonly creationPolicy?: 'Owner' | 'Merge';
}

/** A Secret filled from Vault by External Secrets: the manifest holds only where the values are, never the values. */
export class VaultSecret extends Construct {
  constructor(scope: Construct, id: string, props: VaultSecretProps) {
    super(scope, id);
    const template = {
      engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
      ...defined({ data: props.templateData, type: props.type }),
    };
    new ExternalSecret(this, 'external-secret', {
      metadata: metadata(props.name, props.namespace),
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: props.store },
        target: {
          name: props.target ?? props.name,
          creationPolicy: CREATION_POLICIES[props.creationPolicy ?? 'Owner'],
          template,
        },
        data: props.values.map(remoteRef),
      },
    });
  }
}

const CREATION_POLICIES = {
  Owner: ExternalSecretSpecTargetCreationPolicy.OWNER,
  Merge: ExternalSecretSpecTargetCreationPolicy.MERGE,
} as const;

/** A value's entry in `spec.data`. */
function remoteRef(value: VaultValue): ExternalSecretSpecData {
  return { secretKey: value.secretKey, remoteRef: { key: value.path, property: value.property } };
}

function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
