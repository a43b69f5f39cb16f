import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { LAYERS } from '../charts/layers.ts';
import { fleetYaml, run, SMALL_FLEET } from './support/review-fixtures.ts';
import { packageRoot, validateManifest } from './support/upstream.ts';
import { tempDir } from './support/temp.ts';
import { userDocs } from './support/docs.ts';

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
const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f !== 'kustomization.yaml')
    .flatMap((f) => docs(join(dir, f)));

test('flux: one Kustomization per layer, each waiting for the one before; all prune and wait', async () => {
  const dir = await rendered();
  const entry = docs(join(dir, 'clusters/store/meshfleet.yaml'));
  for (const o of entry) assert.equal(validateManifest(o), [], `${o.kind} ${o.metadata.name}`);
  const k = byName(entry);
  assert.equal([...k.keys()].sort(), LAYERS.map((l) => `meshfleet-${l}`).sort());
  LAYERS.forEach((layer, i) => {
    const o = k.get(`meshfleet-${layer}`);
    assert.equal(o.spec.dependsOn, i === 0 ? undefined : [{ name: `meshfleet-${LAYERS[i - 1]}` }], layer);
    assert.is(o.spec.path, `./dist/store/${layer}`);
    assert.is(o.spec.prune, true);
    assert.is(o.spec.wait, true); // without it, Ready does not mean the HelmReleases (and their CRDs) are installed
  });
});

test("flux: controllers first, then the PKI Cilium's pods mount, then Cilium, then what needs Cilium", async () => {
  const dir = await rendered();
  const layer = (name: string, cluster = 'store') => yamlFiles(join(dir, `dist/${cluster}/${name}`));
  const releases = (name: string, cluster = 'store') =>
    layer(name, cluster)
      .filter((o) => o.kind === 'HelmRelease')
      .map((o) => o.metadata.name)
      .sort();
  assert.equal(releases('infrastructure'), ['cert-manager', 'external-secrets', 'minio-operator']);
  assert.equal(releases('cilium'), ['cilium']);
  assert.not.ok(
    releases('infrastructure', 'app-a').includes('minio-operator'),
    'the MinIO operator only on storage clusters',
  );
  const kinds = (name: string) => [...new Set(layer(name).map((o) => o.kind))].sort();
  assert.equal(kinds('infrastructure'), ['HelmRelease', 'HelmRepository']);
  assert.equal(kinds('cilium'), ['HelmRelease', 'HelmRepository']);
  // The Issuer the chart's Certificates name is in the PKI layer, before the release that waits for them.
  const issuer = layer('cilium').find((o) => o.kind === 'HelmRelease').spec.values.clustermesh.apiserver.tls.auto
    .certManagerIssuerRef.name;
  assert.ok(
    layer('pki').some((o) => o.kind === 'Issuer' && o.metadata.name === issuer),
    issuer,
  );
  // The PushSecret's source is the chart's certificate: after Cilium.
  assert.ok(layer('config').some((o) => o.kind === 'PushSecret'));
  assert.not.ok(layer('pki').some((o) => o.kind === 'PushSecret'));
  // Every custom resource after the controllers is of a group whose CRDs the infrastructure layer installs.
  const installed = /^(cert-manager\.io|external-secrets\.io|minio\.min\.io)\//;
  for (const o of [...layer('pki'), ...layer('config')]) {
    assert.ok(!o.apiVersion.includes('.') || installed.test(o.apiVersion), `${o.kind} ${o.apiVersion}`);
  }
});

test('each layer folder builds with kubectl kustomize', async () => {
  const dir = await rendered();
  for (const layer of [...LAYERS.map((l) => `dist/store/${l}`), 'dist/store']) {
    const out = execFileSync('kubectl', ['kustomize', join(dir, layer)], { encoding: 'utf8' });
    assert.ok(out.includes('kind:'), layer);
  }
});

test('argocd: Applications per chart and for the config layer validate against the Argo CD CRDs', async () => {
  const dir = await rendered(ARGO);
  const apps = docs(join(dir, 'clusters/store/meshfleet.yaml'));
  for (const o of apps) assert.equal(validateManifest(o), [], `${o.kind} ${o.metadata.name}`);
  assert.equal(apps.map((o) => o.metadata.name).sort(), [
    'store-cert-manager',
    'store-cilium',
    'store-config',
    'store-external-secrets',
    'store-minio-operator',
    'store-pki',
  ]);
  for (const o of apps) {
    assert.is(o.metadata.namespace, 'argocd');
    assert.is(o.spec.destination.name, 'store', 'aimed at the cluster by its Argo CD name');
    assert.is(o.spec.syncPolicy.automated.prune, true);
  }
});

test('argocd: sync waves put the operators first, then the PKI, then Cilium, the config layer last', async () => {
  const dir = await rendered(ARGO);
  const apps = byName(docs(join(dir, 'clusters/store/meshfleet.yaml')));
  const wave = (name: string) => Number(apps.get(`store-${name}`).metadata.annotations['argocd.argoproj.io/sync-wave']);
  for (const op of ['cert-manager', 'external-secrets', 'minio-operator']) assert.ok(wave(op) < wave('pki'), op);
  assert.ok(wave('pki') < wave('cilium'));
  assert.ok(wave('cilium') < wave('config'));
  for (const layer of ['pki', 'config']) {
    const app = apps.get(`store-${layer}`);
    assert.ok(app.spec.syncPolicy.syncOptions.includes('SkipDryRunOnMissingResource=true'), layer);
    assert.equal(app.spec.source, {
      repoURL: 'https://git.example.internal/platform/fleet.git',
      targetRevision: 'main',
      path: `dist/store/${layer}`,
    });
  }
});

test('argocd: charts come from their Helm repositories with the values Flux would use; no HelmRelease is written', async () => {
  const flux = await rendered();
  const argo = await rendered(ARGO);
  const cilium = byName(docs(join(argo, 'clusters/store/meshfleet.yaml'))).get('store-cilium');
  const release = parse(readFileSync(join(flux, 'dist/store/cilium/helmrelease-cilium.yaml'), 'utf8'));
  assert.is(cilium.spec.source.chart, 'cilium');
  assert.is(cilium.spec.source.targetRevision, release.spec.chart.spec.version);
  assert.equal(cilium.spec.source.helm.valuesObject, release.spec.values);
  assert.not.ok(existsSync(join(argo, 'dist/store/infrastructure')));
  assert.not.ok(existsSync(join(argo, 'dist/store/cilium')));
  assert.equal(parse(readFileSync(join(argo, 'dist/store/kustomization.yaml'), 'utf8')).resources, ['config', 'pki']);
  // The folder layers themselves are the same for both engines.
  for (const layer of ['pki', 'config']) {
    for (const f of readdirSync(join(flux, 'dist/store', layer))) {
      assert.is(
        readFileSync(join(argo, 'dist/store', layer, f), 'utf8'),
        readFileSync(join(flux, 'dist/store', layer, f), 'utf8'),
        f,
      );
    }
  }
});

test("flux: releases retry a failed first install; none sets install/upgrade.crds, which only acts on a chart's crds/ folder", async () => {
  const dir = await rendered();
  const releases = LAYERS.flatMap((l) => yamlFiles(join(dir, `dist/store/${l}`))).filter(
    (o) => o.kind === 'HelmRelease',
  );
  assert.is(releases.length, 4);
  for (const o of releases) {
    // A first install that timed out on a fresh cluster is retried rather than left stalled.
    assert.is(o.spec.install.remediation.retries, -1, o.metadata.name);
    assert.is(o.spec.install?.crds, undefined, o.metadata.name);
    assert.is(o.spec.upgrade?.crds, undefined, o.metadata.name);
  }
  // The other charts render their CRDs as templates (crds.enabled, installCRDs, the MinIO operator's templates/).
  const charts = join(packageRoot, 'crds', 'cilium');
  for (const version of readdirSync(charts).filter((v) => /^\d/.test(v))) {
    const entries = execFileSync('tar', ['tzf', join(charts, version, `cilium-${version}.tgz`)], {
      encoding: 'utf8',
    }).split('\n');
    assert.ok(
      entries.some((e) => e.startsWith('cilium/templates/')),
      version,
    );
    assert.not.ok(
      entries.some((e) => e.startsWith('cilium/crds/')),
      `${version} ships crds/`,
    );
  }
});

test("argocd: chart Applications apply server-side (External Secrets' CRDs exceed the last-applied annotation)", async () => {
  const dir = await rendered(ARGO);
  const apps = docs(join(dir, 'clusters/store/meshfleet.yaml')).filter((o) => o.spec.source.chart);
  assert.equal(apps.map((o) => o.metadata.name).sort(), [
    'store-cert-manager',
    'store-cilium',
    'store-external-secrets',
    'store-minio-operator',
  ]);
  for (const o of apps) assert.ok(o.spec.syncPolicy.syncOptions.includes('ServerSideApply=true'), o.metadata.name);
});

test('argocd without gitops.repository is refused at gitops.engine', async () => {
  const dir = tempDir('meshfleet-delivery-');
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml(SMALL_FLEET, 'gitops:\n  engine: argocd\n'));
  const r = await run(dir, 'validate');
  assert.is(r.code, 1);
  assert.match(r.err, /^fleet\.yaml:7:11: gitops\.engine argocd needs gitops\.repository/m);
});

test('the root Application shown in the README and docs/ is a valid Application', () => {
  const text = userDocs()
    .map((page) => page.text)
    .join('\n');
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .flatMap((m) => parseAllDocuments(m[1]).map((d) => d.toJS()))
    .filter((o) => o?.kind === 'Application');
  assert.ok(blocks.length >= 1, 'the README shows the root Application');
  for (const o of blocks) assert.equal(validateManifest(o), []);
});

test.run();
