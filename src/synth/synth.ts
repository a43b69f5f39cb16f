import { ApiObject, App, Chart } from 'cdk8s';
import { ConfigChart } from '../../charts/config-chart.ts';
import { FluxEntryChart, LAYERS, type Layer } from '../../charts/flux-entry-chart.ts';
import { InfrastructureChart } from '../../charts/infrastructure-chart.ts';
import { ArgoCdEntryChart } from '../../charts/argocd-entry-chart.ts';
import type { ClusterPlan, FleetPlan } from '../plan/types.ts';
import { formatPath } from '../diagnostics.ts';
import { ManifestEmitter, type Emitted } from './emit.ts';
import type { FilePart } from './file-parts.ts';
import { HEADER } from './header.ts';

export { HEADER };

/** One cluster's rendered files, paths relative to `dist/<cluster>/` and to `clusters/<cluster>/`. */
export interface ClusterOutput {
  readonly cluster: string;
  readonly dist: ReadonlyMap<string, string>;
  readonly entry: ReadonlyMap<string, string>;
  /**
   * The parts (file-parts.ts) of the dist/ files joined from repeated entries, by the same paths as in `dist`, whose
   * texts are these parts joined: the writer thread writes those files from their parts. Other files are not here.
   */
  readonly parts?: ReadonlyMap<string, readonly FilePart[]>;
  /**
   * Secret-looking values found in the rendered objects, as `file: field holds what`. Scanned here, on the objects,
   * because re-parsing the YAML text later would cost more than rendering it; the writer refuses to write any.
   */
  readonly secretFindings: readonly string[];
}

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

/** One cluster at a time, so that a large fleet's output never has to be in memory at once. */
export function* synthFleet(plan: FleetPlan): Generator<ClusterOutput> {
  const emitter = new ManifestEmitter();
  for (const cluster of plan.clusters) yield synthCluster(cluster, emitter);
}

/** @param emitter shared by the clusters of one render, so that what they have in common is written once */
export function synthCluster(plan: ClusterPlan, emitter = new ManifestEmitter()): ClusterOutput {
  const app = new App();
  const layers: Record<Layer, Chart> = {
    infrastructure: new InfrastructureChart(app, 'infrastructure', { plan }),
    config: new ConfigChart(app, 'config', { plan }),
  };
  const entryChart = plan.gitops.engine === 'flux' ? new FluxEntryChart(app, 'entry', { plan }) : new ArgoCdEntryChart(app, 'entry', { plan });
  validateConstructs(app);
  const dist = new Map<string, string>();
  const parts = new Map<string, readonly FilePart[]>();
  const secretFindings: string[] = [];
  const delivered = deliveredLayers(plan, layers);
  for (const layer of delivered) {
    const files = objectFiles(plan.name, manifests(layers[layer]), `dist/${plan.name}/${layer}`, emitter, secretFindings);
    for (const [file, emitted] of files) {
      dist.set(`${layer}/${file}`, emitted.text);
      if (emitted.parts) parts.set(`${layer}/${file}`, emitted.parts);
    }
    dist.set(`${layer}/kustomization.yaml`, emit(emitter, kustomization([...files.keys()]), `dist/${plan.name}/${layer}/kustomization.yaml`, secretFindings, HEADER).text);
  }
  dist.set('kustomization.yaml', emit(emitter, kustomization([...delivered]), `dist/${plan.name}/kustomization.yaml`, secretFindings, HEADER).text);
  const documents = sortObjects(manifests(entryChart)).map((o) => emit(emitter, o, `clusters/${plan.name}/meshfleet.yaml`, secretFindings).text);
  const entry = new Map([['meshfleet.yaml', HEADER + documents.join('---\n')]]);
  return { cluster: plan.name, dist, entry, parts, secretFindings };
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
 * The layers written to dist/<cluster>/. Argo CD installs the infrastructure charts from their Helm repositories
 * (charts/argocd-entry-chart.ts), so the HelmReleases, which only Flux reads, are not written for it.
 */
function deliveredLayers(plan: ClusterPlan, layers: Record<Layer, Chart>): Layer[] {
  if (plan.gitops.engine === 'flux') return [...LAYERS];
  const undelivered = manifests(layers.infrastructure).filter((o) => o.kind !== 'HelmRelease' && o.kind !== 'HelmRepository');
  if (undelivered.length > 0) {
    throw new Error(`cluster ${plan.name}: Argo CD output has no place for ${undelivered.map((o) => `${o.kind} ${o.metadata.name}`).join(', ')} of the infrastructure layer; deliver it in charts/argocd-entry-chart.ts`);
  }
  return LAYERS.filter((l) => l !== 'infrastructure');
}

/** One file per object, named `<kind>-<name>.yaml`: diffs in review then read object by object. */
function objectFiles(cluster: string, objects: Manifest[], folder: string, emitter: ManifestEmitter, findings: string[]): Map<string, Emitted> {
  const files = new Map<string, Emitted>();
  for (const object of sortObjects(objects)) {
    const file = `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
    if (files.has(file)) {
      throw new Error(`cluster ${cluster}: two ${object.kind} objects named ${object.metadata.name} would share ${file}`);
    }
    files.set(file, emit(emitter, object, `${folder}/${file}`, findings, HEADER));
  }
  return files;
}

/** prefix and the object's YAML; what looks like a secret in it is added to findings as `file: field holds what`. */
function emit(emitter: ManifestEmitter, object: object, where: string, findings: string[], prefix = ''): Emitted {
  const emitted = emitter.emit(object, prefix);
  for (const f of emitted.findings) findings.push(`${where}: ${formatPath(f.path)} holds ${f.kind}`);
  return emitted;
}

/** Stable order whatever order constructs were added in: kind, then namespace, then name. */
function sortObjects(objects: Manifest[]): Manifest[] {
  const key = (o: Manifest) => `${o.kind}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
  return [...objects].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Written through the emitter like any object, which writes one text per distinct list: most clusters list the same. */
function kustomization(resources: string[]): object {
  return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources].sort() };
}
