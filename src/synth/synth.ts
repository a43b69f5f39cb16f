import { ApiObject, App, Chart } from 'cdk8s';
import { ArgoCdEntryChart } from '../../charts/argocd-entry-chart.ts';
import { FluxEntryChart } from '../../charts/flux-entry-chart.ts';
import { HelmComponent } from '../../charts/constructs/helm-component.ts';
import { ConstructsChart, type ConstructClass, type LayerConstruct } from '../../charts/layer-constructs.ts';
import { LAYERS, layerConstructs, type Layer } from '../../charts/layers.ts';
import type { ClusterPlan, FleetPlan } from '../plan/types.ts';
import { ManifestEmitter, type Emitted } from './emit.ts';
import { planText, SharedText, type FilePart } from '../sharing/index.ts';
import { HEADER } from './header.ts';
import { layerFiles, located, sortByManifest, type Manifest, type Written } from './layout.ts';
import { vaultFiles } from '../vault/files.ts';

export { HEADER };

/** One cluster's rendered files, paths relative to `dist/<cluster>/` and to `clusters/<cluster>/`. */
export interface ClusterOutput {
  readonly cluster: string;
  readonly dist: ReadonlyMap<string, string>;
  readonly entry: ReadonlyMap<string, string>;
  /** Files relative to `vault/<cluster>/` (src/vault/files.ts): what Vault needs for this cluster, never synced to it. */
  readonly vault?: ReadonlyMap<string, string>;
  /**
   * The parts (src/sharing, shared text) of the dist/ files joined from shared entries, by the same paths as in `dist`, whose
   * texts are these parts joined: the writer thread writes those files from their parts. Other files are not here.
   */
  readonly parts?: ReadonlyMap<string, readonly FilePart[]>;
  /**
   * Secret-looking values found in the rendered objects, as `file: field holds what`. Scanned here, on the objects,
   * because re-parsing the YAML text later would cost more than rendering it; the writer refuses to write any.
   */
  readonly secretFindings: readonly string[];
}

type LayerConstructs = Record<Layer, readonly LayerConstruct[]>;

/** One cluster at a time, so that a large fleet's output never has to be in memory at once. */
export function* synthFleet(plan: FleetPlan): Generator<ClusterOutput> {
  const synthesizer = new FleetSynthesizer();
  for (const cluster of plan.clusters) yield synthesizer.cluster(cluster);
}

/**
 * Synthesizes the clusters of one render, and writes once what they have in common: the emitter's texts (emit.ts),
 * and the objects of each construct of their layers that is not per cluster (charts/layer-constructs.ts), built,
 * written and scanned once and shared by every cluster that has it. Most of a cluster's constructs are the same in
 * every cluster of a fleet (its Helm repositories and controllers, its mesh CA, its namespaces and services).
 */
export class FleetSynthesizer {
  readonly #emitter = new ManifestEmitter();
  /** The objects of each construct not per cluster, written, by its class and the text of its props. */
  readonly #shared = new Map<ConstructClass<never>, Map<string, readonly Written[]>>();
  /** The same for constructs per peer (`LayerConstruct.peer`), whose objects are written as documents (layout.ts). */
  readonly #sharedPerPeer = new Map<ConstructClass<never>, Map<string, readonly Written[]>>();

  cluster(plan: ClusterPlan): ClusterOutput {
    const app = new App();
    const constructs: LayerConstructs = layerConstructs(plan);
    const delivered = deliveredLayers(plan, constructs);
    // The cluster's own constructs are built in its own app, with its entry chart, as the layer charts would build them.
    const ownConstructs = delivered.map((layer) => constructs[layer].filter((c) => c.perCluster));
    const own = delivered.map((layer, i) => new ConstructsChart(app, layer, ownConstructs[i]));
    const entryChart =
      plan.gitops.engine === 'flux'
        ? new FluxEntryChart(app, 'entry', { plan })
        : new ArgoCdEntryChart(app, 'entry', { plan, folders: delivered });
    validateConstructs(app);
    const dist = new Map<string, string>();
    const parts = new Map<string, readonly FilePart[]>();
    const secretFindings: string[] = [];
    delivered.forEach((layer, i) => {
      const shared = constructs[layer].filter((c) => !c.perCluster).flatMap((c) => this.#sharedObjects(c));
      const files = layerFiles(
        plan.name,
        [...this.#write(manifests(own[i], ownConstructs[i])), ...shared],
        `dist/${plan.name}/${layer}`,
        secretFindings,
      );
      for (const [file, emitted] of files) {
        dist.set(`${layer}/${file}`, emitted.text);
        if (emitted.parts) parts.set(`${layer}/${file}`, emitted.parts);
      }
      dist.set(
        `${layer}/kustomization.yaml`,
        emit(
          this.#emitter,
          kustomization([...files.keys()]),
          `dist/${plan.name}/${layer}/kustomization.yaml`,
          secretFindings,
          HEADER,
        ).text,
      );
    });
    dist.set(
      'kustomization.yaml',
      emit(this.#emitter, kustomization([...delivered]), `dist/${plan.name}/kustomization.yaml`, secretFindings, HEADER)
        .text,
    );
    const documents = sortByManifest(
      manifests(entryChart).map((o) => o.manifest),
      (o) => o,
    ).map((o) => emit(this.#emitter, o, `clusters/${plan.name}/meshfleet.yaml`, secretFindings).text);
    const entry = new Map([['meshfleet.yaml', HEADER + documents.join('---\n')]]);
    return { cluster: plan.name, dist, entry, vault: vaultFiles(plan), parts, secretFindings };
  }

  /**
   * The objects of a construct that is not per cluster, built and written on its first use in the render. Each file
   * is then one shared text (src/sharing): the writer thread is sent it once, and it is scanned once.
   */
  #sharedObjects(construct: LayerConstruct): readonly Written[] {
    const known = construct.peer === undefined ? this.#shared : this.#sharedPerPeer;
    let byProps = known.get(construct.type);
    if (!byProps) known.set(construct.type, (byProps = new Map()));
    const key = planText(construct.props);
    let written = byProps.get(key);
    if (!written) {
      const app = new App();
      const chart = new ConstructsChart(app, 'shared', [construct]);
      validateConstructs(app);
      written = this.#write(manifests(chart, [construct])).map((w) => ({
        ...w,
        emitted: w.emitted.parts ? w.emitted : { ...w.emitted, parts: [new SharedText(w.emitted.text)] },
      }));
      byProps.set(key, written);
    }
    return written;
  }

  /** A peer's object is a document of a file shared with the other peers' (layout.ts): the file has the header. */
  #write(objects: readonly ChartObject[]): Written[] {
    return objects.map(({ manifest, peer }) => ({
      manifest,
      peer,
      emitted: this.#emitter.emit(manifest, peer === undefined ? HEADER : ''),
    }));
  }
}

/**
 * The manifests of a chart's objects, unordered (they are sorted by kind and name for writing). Not `chart.toJson()`:
 * that prepares the whole app again on each call (dependency inference, ordering and validation, three times per
 * cluster), while meshfleet's constructs declare no dependencies; `validateConstructs` runs the validations once.
 * `npx cdk8s synth` (src/cli/synth-app.ts) still goes the whole cdk8s way.
 */
function manifests(chart: Chart, constructs: readonly LayerConstruct[] = []): ChartObject[] {
  const peers = new Map(constructs.map((c) => [c.id, c.peer]));
  const depth = chart.node.scopes.length; // an object's scope at this depth is the layer construct it belongs to
  return chart.node
    .findAll()
    .filter((c) => c instanceof ApiObject && Chart.of(c) === chart)
    .map((o) => ({ manifest: (o as ApiObject).toJson() as Manifest, peer: peers.get(o.node.scopes[depth].node.id) }));
}

/** A chart's object and, if its layer construct is one of a cluster's per-peer constructs, the peer. */
interface ChartObject {
  readonly manifest: Manifest;
  readonly peer?: string;
}

/** What cdk8s checks before synthesis: every construct's validations (`node.addValidation`). */
function validateConstructs(app: App): void {
  const errors = app.node.findAll().flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * The layers written to dist/<cluster>/. Argo CD installs the Helm charts from their Helm repositories
 * (charts/argocd-entry-chart.ts), so the HelmReleases, which only Flux reads, are not written for it, nor a layer
 * that holds nothing else.
 */
export function deliveredLayers(plan: ClusterPlan, constructs: LayerConstructs): Layer[] {
  if (plan.gitops.engine === 'flux') return [...LAYERS];
  return LAYERS.filter((layer) => {
    const helm = constructs[layer].filter((c) => c.type === HelmComponent);
    if (helm.length > 0 && helm.length < constructs[layer].length) {
      const other = constructs[layer].filter((c) => !helm.includes(c)).map((c) => c.id);
      throw new Error(
        `cluster ${plan.name}: Argo CD output has no place for ${other.join(', ')} beside the Helm charts of the ${layer} layer; deliver it in charts/argocd-entry-chart.ts`,
      );
    }
    return constructs[layer].length > 0 && helm.length === 0;
  });
}

/** prefix and the object's YAML; what looks like a secret in it is added to findings as `file: field holds what`. */
function emit(emitter: ManifestEmitter, object: object, where: string, findings: string[], prefix = ''): Emitted {
  return located(emitter.emit(object, prefix), where, findings);
}

/** Written through the emitter like any object, which writes one text per distinct list: most clusters list the same. */
function kustomization(resources: string[]): object {
  return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources].sort() };
}
