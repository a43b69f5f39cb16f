import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../imports/externalsecret-external-secrets.io.ts';
import { metadata } from './metadata.ts';

/** One value to fetch: a property of a secret at a path inside the KV v2 mount, stored under `secretKey`. */
export interface VaultValue {
  readonly secretKey: string;
  readonly path: string;
  readonly property: string;
}

export interface VaultSecretProps {
  /** Name of the ExternalSecret and of the Secret it keeps in step. */
  readonly name: string;
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
}

/** A Secret filled from Vault by External Secrets: the manifest holds only where the values are, never the values. */
export class VaultSecret extends Construct {
  constructor(scope: Construct, id: string, props: VaultSecretProps) {
    super(scope, id);
    new LinearExternalSecret(this, 'external-secret', {
      metadata: metadata(props.name, props.namespace),
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: props.store },
        target: {
          name: props.name,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          template: { engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2, data: props.templateData, type: props.type },
        },
        data: props.values.map((v) => ({ secretKey: v.secretKey, remoteRef: { key: v.path, property: v.property } })),
      },
    });
  }
}

/*
 * The generated toJson of ExternalSecret and KubeSecret rebuilds every map by spreading it once per key: quadratic in
 * the keys, and most of a full-mesh render's time (the peers' secrets have one to four keys per peer). The props used
 * here are named as in the manifest, so the generic ApiObject serialization gives the same bytes (the upstream-schema
 * tests check them) in linear time.
 */
class LinearExternalSecret extends ExternalSecret {
  override toJson(): unknown {
    return ApiObject.prototype.toJson.call(this);
  }
}

/** A Secret whose many keys serialize in linear time (see above). */
export class LinearSecret extends k8s.KubeSecret {
  override toJson(): unknown {
    return ApiObject.prototype.toJson.call(this);
  }
}
