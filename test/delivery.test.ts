import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { fleetYaml, run, SMALL_FLEET } from './support/review-fixtures.ts';
import { packageRoot, validateManifest } from './support/upstream.ts';
import { tempDir } from './support/temp.ts';

const ARGO = 'gitops:\n  engine: argocd\n  repository: https://git.example.internal/platform/fleet.git\n';

async function rendered(extra = ''): Promise<string> {
  const dir = tempDir('meshfleet-delivery-');
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml(SMALL_FLEET, extra));
  const r = await run(dir, 'render');
  assert.is(r.code, 0, r.err);
  return dir;
}

const docs = (file: string): any[] => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
const byName = (objects: any[]) => new Map(objects.map((o) => [o.metadata.name, o]));
const yamlFiles = (dir: string) => readdirSync(dir).filter((f) => f !== 'kustomization.yaml').map((f) => parse(readFileSync(join(dir, f), 'utf8')));

test('flux: one Kustomization per layer, config waits for infrastructure, both prune and wait', async () => {
  const dir = await rendered();
  const entry = docs(join(dir, 'clusters/store/meshfleet.yaml'));
  for (const o of entry) assert.equal(validateManifest(o), [], `${o.kind} ${o.metadata.name}`);
  const k = byName(entry);
  assert.equal([...k.keys()].sort(), ['meshfleet-config', 'meshfleet-infrastructure']);
  const infra = k.get('meshfleet-infrastructure');
  const config = k.get('meshfleet-config');
  assert.is(infra.spec.dependsOn, undefined);
  assert.equal(config.spec.dependsOn, [{ name: 'meshfleet-infrastructure' }]);
  assert.is(infra.spec.path, './dist/store/infrastructure');
  assert.is(config.spec.path, './dist/store/config');
  for (const o of [infra, config]) {
    assert.is(o.spec.prune, true);
    assert.is(o.spec.wait, true); // without it, Ready does not mean the HelmReleases (and their CRDs) are installed
  }
});

test('flux: the infrastructure layer holds only Flux sources and releases; Cilium waits for cert-manager', async () => {
  const dir = await rendered();
  const infra = yamlFiles(join(dir, 'dist/store/infrastructure'));
  assert.equal([...new Set(infra.map((o) => o.kind))].sort(), ['HelmRelease', 'HelmRepository']);
  const releases = byName(infra.filter((o) => o.kind === 'HelmRelease'));
  assert.equal([...releases.keys()].sort(), ['cert-manager', 'cilium', 'external-secrets', 'minio-operator']);
  assert.equal(releases.get('cilium').spec.dependsOn, [{ name: 'cert-manager', namespace: 'flux-system' }]);
  const appInfra = yamlFiles(join(dir, 'dist/app-a/infrastructure'));
  assert.not.ok(appInfra.some((o) => o.metadata.name === 'minio-operator'), 'the MinIO operator only on storage clusters');
  // Every custom resource of the config layer is of a group whose CRDs the infrastructure layer installs.
  const installed = /^(cert-manager\.io|external-secrets\.io|minio\.min\.io)\//;
  for (const o of yamlFiles(join(dir, 'dist/store/config'))) {
    assert.ok(!o.apiVersion.includes('.') || installed.test(o.apiVersion), `${o.kind} ${o.apiVersion} in config`);
  }
});

test('each layer folder builds with kubectl kustomize', async () => {
  const dir = await rendered();
  for (const layer of ['dist/store/infrastructure', 'dist/store/config', 'dist/store']) {
    const out = execFileSync('kubectl', ['kustomize', join(dir, layer)], { encoding: 'utf8' });
    assert.ok(out.includes('kind:'), layer);
  }
});

test('argocd: Applications per chart and for the config layer validate against the Argo CD CRDs', async () => {
  const dir = await rendered(ARGO);
  const apps = docs(join(dir, 'clusters/store/meshfleet.yaml'));
  for (const o of apps) assert.equal(validateManifest(o), [], `${o.kind} ${o.metadata.name}`);
  assert.equal(apps.map((o) => o.metadata.name).sort(), ['store-cert-manager', 'store-cilium', 'store-config', 'store-external-secrets', 'store-minio-operator']);
  for (const o of apps) {
    assert.is(o.metadata.namespace, 'argocd');
    assert.is(o.spec.destination.name, 'store', 'aimed at the cluster by its Argo CD name');
    assert.is(o.spec.syncPolicy.automated.prune, true);
  }
});

test('argocd: sync waves put the operators first, Cilium after cert-manager, the config layer last', async () => {
  const dir = await rendered(ARGO);
  const apps = byName(docs(join(dir, 'clusters/store/meshfleet.yaml')));
  const wave = (name: string) => Number(apps.get(`store-${name}`).metadata.annotations['argocd.argoproj.io/sync-wave']);
  for (const op of ['cert-manager', 'external-secrets', 'minio-operator']) assert.ok(wave(op) < wave('cilium'), op);
  assert.ok(wave('cilium') < wave('config'));
  const config = apps.get('store-config');
  assert.ok(config.spec.syncPolicy.syncOptions.includes('SkipDryRunOnMissingResource=true'));
  assert.equal(config.spec.source, { repoURL: 'https://git.example.internal/platform/fleet.git', targetRevision: 'main', path: 'dist/store/config' });
});

test('argocd: charts come from their Helm repositories with the values Flux would use; no HelmRelease is written', async () => {
  const flux = await rendered();
  const argo = await rendered(ARGO);
  const cilium = byName(docs(join(argo, 'clusters/store/meshfleet.yaml'))).get('store-cilium');
  const release = parse(readFileSync(join(flux, 'dist/store/infrastructure/helmrelease-cilium.yaml'), 'utf8'));
  assert.is(cilium.spec.source.chart, 'cilium');
  assert.is(cilium.spec.source.targetRevision, release.spec.chart.spec.version);
  assert.equal(cilium.spec.source.helm.valuesObject, release.spec.values);
  assert.not.ok(existsSync(join(argo, 'dist/store/infrastructure')));
  assert.equal(parse(readFileSync(join(argo, 'dist/store/kustomization.yaml'), 'utf8')).resources, ['config']);
  // The config layer itself is the same for both engines.
  for (const f of readdirSync(join(flux, 'dist/store/config'))) {
    assert.is(readFileSync(join(argo, 'dist/store/config', f), 'utf8'), readFileSync(join(flux, 'dist/store/config', f), 'utf8'), f);
  }
});

test('argocd without gitops.repository is refused at gitops.engine', async () => {
  const dir = tempDir('meshfleet-delivery-');
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml(SMALL_FLEET, 'gitops:\n  engine: argocd\n'));
  const r = await run(dir, 'validate');
  assert.is(r.code, 1);
  assert.match(r.err, /^fleet\.yaml:7:11: gitops\.engine argocd needs gitops\.repository/m);
});

test('the root Application shown in the README is a valid Application', () => {
  const text = readFileSync(join(packageRoot, 'README.md'), 'utf8');
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1])).filter((o) => o?.kind === 'Application');
  assert.ok(blocks.length >= 1, 'the README shows the root Application');
  for (const o of blocks) assert.equal(validateManifest(o), []);
});

test.run();
