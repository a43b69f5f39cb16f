import { Construct } from 'constructs';
import { HelmReleaseSpecChartSpecSourceRefKind } from '../../imports/helm.toolkit.fluxcd.io.ts';
import { HelmRelease, HelmRepository } from './crds.ts';
import { KEEP_ON_PRUNE } from './keep-on-prune.ts';
import { metadata } from './metadata.ts';

/** Where Flux keeps its sources and releases: it exists wherever Flux runs, so nothing waits for a namespace. */
export const FLUX_NAMESPACE = 'flux-system';

export interface HelmComponentProps {
  /** HelmRelease and HelmRepository name. */
  readonly name: string;
  /** Namespace the chart is installed into (created on install). */
  readonly targetNamespace: string;
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
  /** Helm release name. @default name */
  readonly releaseName?: string;
  /** @default {} */
  readonly values?: Record<string, unknown>;
  /** HelmReleases (in flux-system) that must be ready first. @default [] */
  readonly dependsOn?: readonly string[];
  /** Reconcile interval. @default '1h' */
  readonly interval?: string;
}

/**
 * A chart from a Helm repository, installed by Flux. No `install.crds`/`upgrade.crds`: those act on a chart's `crds/`
 * folder only, and none of these charts has one. cert-manager (`crds.enabled`), External Secrets (`installCRDs`) and
 * the MinIO operator render their CRDs as templates, which Helm installs and upgrades like any object; Cilium's
 * operator registers Cilium's CRDs itself.
 */
export class HelmComponent extends Construct {
  constructor(scope: Construct, id: string, props: HelmComponentProps) {
    super(scope, id);
    const interval = props.interval ?? '1h';
    // Kept with its release (below), which could not be upgraded or reconciled without its source.
    new HelmRepository(this, 'repository', {
      metadata: metadata(props.name, FLUX_NAMESPACE, { annotations: { ...KEEP_ON_PRUNE } }),
      spec: { url: props.repository, interval },
    });
    new HelmRelease(this, 'release', {
      // Pruning a HelmRelease uninstalls its chart from a running cluster: kept (keep-on-prune.ts says why).
      metadata: metadata(props.name, FLUX_NAMESPACE, { annotations: { ...KEEP_ON_PRUNE } }),
      spec: {
        releaseName: props.releaseName ?? props.name,
        targetNamespace: props.targetNamespace,
        interval,
        chart: {
          spec: {
            chart: props.chart,
            version: props.version,
            sourceRef: {
              kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY,
              name: props.name,
              namespace: FLUX_NAMESPACE,
            },
          },
        },
        // On a fresh cluster a first install can time out while what its pods need is still coming (nodes, images,
        // certificates); with the default of no retries the release then stalls for good. A negative count retries
        // without end, uninstalling the failed attempt in between (the HelmRelease CRD's install.remediation.retries).
        install: { createNamespace: true, remediation: { retries: -1 } },
        ...(props.dependsOn && props.dependsOn.length > 0
          ? { dependsOn: props.dependsOn.map((name) => ({ name, namespace: FLUX_NAMESPACE })) }
          : {}),
        ...(props.values && Object.keys(props.values).length > 0 ? { values: props.values } : {}),
      },
    });
  }
}
