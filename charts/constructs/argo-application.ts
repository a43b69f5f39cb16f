import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { metadata } from './metadata.ts';

/**
 * Argo CD's Application, typed by hand for the fields meshfleet sets: the generated classes would come from a CRD
 * of 1.4 MB (ApplicationSet) for a handful of fields. Field names follow argoproj.io/v1alpha1 (crds/argo-cd/).
 */

/** Where Argo CD keeps Applications unless it was installed elsewhere. */
export const ARGOCD_NAMESPACE = 'argocd';

export interface ApplicationSource {
  readonly repoURL: string;
  readonly targetRevision: string;
  /** A folder of the Git repository (a kustomization or plain manifests). */
  readonly path?: string;
  /** A chart of the Helm repository `repoURL`. */
  readonly chart?: string;
  readonly helm?: { readonly releaseName?: string; readonly valuesObject?: Record<string, unknown> };
}

export interface ApplicationProps {
  readonly name: string;
  /** @default 'argocd' */
  readonly namespace?: string;
  /** @default 'default' */
  readonly project?: string;
  readonly labels?: Record<string, string>;
  /** `argocd.argoproj.io/sync-wave`: lower waves sync (and, with an Application health check, become healthy) first. */
  readonly syncWave: number;
  readonly source: ApplicationSource;
  /** Cluster name as registered in Argo CD (`argocd cluster add --name`). */
  readonly destinationCluster: string;
  /** Namespace for objects that name none. @default none */
  readonly destinationNamespace?: string;
  /** Argo CD sync options such as `CreateNamespace=true`. @default [] */
  readonly syncOptions?: readonly string[];
  /** Extra annotations on the Application itself. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An Application that syncs automatically, prunes, and retries with backoff until the objects it needs exist. */
export class Application extends Construct {
  constructor(scope: Construct, id: string, props: ApplicationProps) {
    super(scope, id);
    new ApiObject(this, 'application', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: metadata(props.name, props.namespace ?? ARGOCD_NAMESPACE, {
        labels: props.labels,
        annotations: { ...props.annotations, 'argocd.argoproj.io/sync-wave': String(props.syncWave) },
      }),
      spec: {
        project: props.project ?? 'default',
        source: props.source,
        destination: {
          name: props.destinationCluster,
          ...(props.destinationNamespace ? { namespace: props.destinationNamespace } : {}),
        },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          ...(props.syncOptions && props.syncOptions.length > 0 ? { syncOptions: [...props.syncOptions] } : {}),
          // A fresh cluster takes minutes to get its CRDs and webhooks; Argo CD's default is not to retry at all.
          retry: { limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } },
        },
      },
    });
  }
}
