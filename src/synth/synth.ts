import { ApiObject, App, Chart } from 'cdk8s';
import { ArgoCdEntryChart } from '../../charts/argocd-entry-chart.ts';
import { FluxEntryChart } from '../../charts/flux-entry-chart.ts';
import { HelmComponent } from '../../charts/constructs/helm-component.ts';
import { ConstructsChart, type ConstructClass, type LayerConstruct } from '../../charts/layer-constructs.ts';
import { LAYERS, layerConstructs, type Layer } from '../../charts/layers.ts';
import { formatPath } from '../diagnostics.ts';
import { byKey } from '../model/byte-order.ts';
import type { ClusterPlan, FleetPlan } from '../plan/types.ts';
import { ManifestEmitter, type Emitted } from './emit.ts';
import { planText, SharedText, type FilePart } from '../sharing/index.ts';
import { HEADER } from './header.ts';
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
   * The parts (their own text and shared texts, src/sharing) of the dist/ files holding shared texts, by the same
   * paths as in `dist`, whose texts are these parts joined: the writer thread writes those files from their parts.
   * Other files are not here.
   */
  readonly parts?: ReadonlyMap<string, readonly FilePart[]>;
  /**
   * Secret-looking values found in the rendered objects, as `file: field holds what`. Scanned here, on the objects,
   * as they are written (src/synth/emit.ts), rather than by parsing the YAML again; the writer refuses to write any.
   */
  readonly secretFindings: readonly string[];
}

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

/** An object as written: its manifest (for its file's name and place) and its YAML. */
interface Written {
  readonly manifest: Manifest;
  readonly emitted: Emitted;
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

  cluster(plan: ClusterPlan): ClusterOutput {
    const app = new App();
    const constructs: LayerConstructs = layerConstructs(plan);
    const delivered = deliveredLayers(plan, constructs);
    // The cluster's own constructs are built in its own app, with its entry chart, as the layer charts would build them.
    const own = delivered.map((layer) => new ConstructsChart(app, layer, constructs[layer].filter((c) => c.perCluster)));
    const entryChart = plan.gitops.engine === 'flux' ? new FluxEntryChart(app, 'entry', { plan }) : new ArgoCdEntryChart(app, 'entry', { plan, folders: delivered });
    validateConstructs(app);
    const dist = new Map<string, string>();
    const parts = new Map<string, readonly FilePart[]>();
    const secretFindings: string[] = [];
    delivered.forEach((layer, i) => {
      const shared = constructs[layer].filter((c) => !c.perCluster).flatMap((c) => this.#sharedObjects(c));
      const files = objectFiles(plan.name, [...this.#write(manifests(own[i])), ...shared], `dist/${plan.name}/${layer}`, secretFindings);
      for (const [file, emitted] of files) {
        dist.set(`${layer}/${file}`, emitted.text);
        if (emitted.parts) parts.set(`${layer}/${file}`, emitted.parts);
      }
      dist.set(`${layer}/kustomization.yaml`, emit(this.#emitter, kustomization([...files.keys()]), `dist/${plan.name}/${layer}/kustomization.yaml`, secretFindings, HEADER).text);
    });
    dist.set('kustomization.yaml', emit(this.#emitter, kustomization([...delivered]), `dist/${plan.name}/kustomization.yaml`, secretFindings, HEADER).text);
    const documents = sortBy(manifests(entryChart), (o) => o).map((o) => emit(this.#emitter, o, `clusters/${plan.name}/meshfleet.yaml`, secretFindings).text);
    const entry = new Map([['meshfleet.yaml', HEADER + documents.join('---\n')]]);
    return { cluster: plan.name, dist, entry, vault: vaultFiles(plan), parts, secretFindings };
  }

  /**
   * The objects of a construct that is not per cluster, built and written on its first use in the render. Each file
   * is then one shared text (src/sharing): the writer thread is sent it once, and it is scanned once.
   */
  #sharedObjects(construct: LayerConstruct): readonly Written[] {
    let byProps = this.#shared.get(construct.type);
    if (!byProps) this.#shared.set(construct.type, (byProps = new Map()));
    const key = planText(construct.props);
    let written = byProps.get(key);
    if (!written) {
      const app = new App();
      const chart = new ConstructsChart(app, 'shared', [construct]);
      validateConstructs(app);
      written = this.#write(manifests(chart)).map(({ manifest, emitted }) => ({
        manifest, emitted: emitted.parts ? emitted : { ...emitted, parts: [new SharedText(emitted.text)] },
      }));
      byProps.set(key, written);
    }
    return written;
  }

  #write(objects: readonly Manifest[]): Written[] {
    return objects.map((manifest) => ({ manifest, emitted: this.#emitter.emit(manifest, HEADER) }));
  }
}

/**
 * The manifests of a chart's objects, unordered (they are sorted by kind and name for writing). Not `chart.toJson()`:
 * that prepares the whole app again on each call (dependency inference, ordering and validation, three times per
 * cluster), while meshfleet's constructs declare no dependencies; `validateConstructs` runs the validations once.
 * `npx cdk8s synth` (src/cli/synth-app.ts) still goes the whole cdk8s way.
 */
function manifests(chart: Chart): Manifest[] {
  return chart.node.findAll().filter((c) => c instanceof ApiObject && Chart.of(c) === chart).map((o) => (o as ApiObject).toJson() as Manifest);
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
      throw new Error(`cluster ${plan.name}: Argo CD output has no place for ${other.join(', ')} beside the Helm charts of the ${layer} layer; deliver it in charts/argocd-entry-chart.ts`);
    }
    return constructs[layer].length > 0 && helm.length === 0;
  });
}

/** One file per object, named `<kind>-<name>.yaml`: diffs in review then read object by object. */
function objectFiles(cluster: string, objects: readonly Written[], folder: string, findings: string[]): Map<string, Emitted> {
  const files = new Map<string, Emitted>();
  for (const { manifest, emitted } of sortBy(objects, (w) => w.manifest)) {
    const file = `${manifest.kind.toLowerCase()}-${manifest.metadata.name}.yaml`;
    if (files.has(file)) {
      throw new Error(`cluster ${cluster}: two ${manifest.kind} objects named ${manifest.metadata.name} would share ${file}`);
    }
    files.set(file, emitted);
    located(emitted, `${folder}/${file}`, findings);
  }
  return files;
}

/** prefix and the object's YAML; what looks like a secret in it is added to findings as `file: field holds what`. */
function emit(emitter: ManifestEmitter, object: object, where: string, findings: string[], prefix = ''): Emitted {
  return located(emitter.emit(object, prefix), where, findings);
}

function located(emitted: Emitted, where: string, findings: string[]): Emitted {
  for (const f of emitted.findings) findings.push(`${where}: ${formatPath(f.path)} holds ${f.kind}`);
  return emitted;
}

/** Stable order whatever order constructs were added in: by their manifests' kind, then namespace, then name. */
function sortBy<T>(items: readonly T[], manifest: (item: T) => Manifest): T[] {
  const key = (item: T) => {
    const o = manifest(item);
    return `${o.kind}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
  };
  return [...items].sort(byKey(key));
}

/** Written through the emitter like any object, which writes one text per distinct list: most clusters list the same. */
function kustomization(resources: string[]): object {
  return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources].sort() };
}
