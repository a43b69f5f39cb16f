import { Construct } from 'constructs';
import { ClusterSecretStoreSpecProviderVaultVersion } from '../../imports/clustersecretstore-external-secrets.io.ts';
import { ClusterSecretStore } from './crds.ts';
import { metadata } from './metadata.ts';

export interface VaultStoreProps {
  /** Store name; every ExternalSecret and PushSecret of the cluster refers to it. */
  readonly name: string;
  readonly server: string;
  /** The KV v2 mount; remote keys are paths inside it. */
  readonly mount: string;
  /** Vault's Kubernetes auth mount of this cluster, e.g. `kubernetes-data-bolt`. */
  readonly authMountPath: string;
  readonly role: string;
  /** The service account whose token logs in to Vault. */
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
}

/** The cluster's one way into Vault: KV v2, Kubernetes auth with the cluster's own role. */
export class VaultStore extends Construct {
  constructor(scope: Construct, id: string, props: VaultStoreProps) {
    super(scope, id);
    new ClusterSecretStore(this, 'store', {
      metadata: metadata(props.name),
      spec: {
        provider: {
          vault: {
            server: props.server,
            path: props.mount,
            version: ClusterSecretStoreSpecProviderVaultVersion.V2,
            auth: {
              kubernetes: {
                mountPath: props.authMountPath,
                role: props.role,
                serviceAccountRef: { name: props.serviceAccount.name, namespace: props.serviceAccount.namespace },
              },
            },
          },
        },
      },
    });
  }
}
