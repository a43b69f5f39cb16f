import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { KustomizationSpecSourceRefKind } from '../imports/kustomize.toolkit.fluxcd.io.ts';
import type { ClusterPlan } from '../src/plan/types.ts';
import { GitRepository, Kustomization } from './constructs/crds.ts';
import { FLUX_NAMESPACE } from './constructs/helm-component.ts';
import { metadata } from './constructs/metadata.ts';
import { LAYERS } from './layers.ts';

export interface FluxEntryChartProps {
  readonly plan: ClusterPlan;
}

/**
 * What `flux bootstrap --path clusters/<cluster>` picks up: one Flux Kustomization per layer, each waiting for the
 * one before to be ready (src/plan/delivery.ts says why the layers come in this order): CRDs are established
 * before the objects that use them are applied, and what Cilium's pods need is there before Cilium's release waits
 * for them.
 */
export class FluxEntryChart extends Chart {
  constructor(scope: Construct, id: string, { plan }: FluxEntryChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    // Without a repository URL, the GitRepository that `flux bootstrap` made is the source.
    const source = plan.gitops.repository ? 'meshfleet' : 'flux-system';
    if (plan.gitops.repository) {
      new GitRepository(this, 'source', {
        metadata: metadata(source, FLUX_NAMESPACE),
        spec: { url: plan.gitops.repository, interval: plan.gitops.interval, ref: { branch: plan.gitops.branch } },
      });
    }
    LAYERS.forEach((layer, i) => {
      new Kustomization(this, layer, {
        metadata: metadata(`meshfleet-${layer}`, FLUX_NAMESPACE),
        spec: {
          interval: plan.gitops.interval,
          path: `./${plan.gitops.path}/${layer}`,
          prune: true,
          // wait: the Kustomization is Ready only once every object it applied is (HelmReleases installed, CRDs
          // established), which is what dependsOn in the next layer waits for; healthChecks would be ignored with it.
          wait: true,
          timeout: '10m',
          // On a fresh cluster the first attempts can fail while controllers start; retry sooner than `interval`.
          retryInterval: '2m',
          sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: source },
          ...(i > 0 ? { dependsOn: [{ name: `meshfleet-${LAYERS[i - 1]}` }] } : {}),
        },
      });
    });
  }
}
