// Defect 11 of issue 19: what a change to fleet.yaml removes from git, Flux and Argo CD prune from the cluster. What
// others' workloads stand on is kept (charts/constructs/keep-on-prune.ts): a dropped service's Namespace, the MinIO
// tenant, and every Helm release (a removed cluster keeps its CNI and controllers). The rest is pruned as before.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { run, workspace } from './support/cli.ts';
import { REGIONAL } from './support/regional-fleet.ts';

const FLUX_KEEP = ['kustomize.toolkit.fluxcd.io/prune', 'disabled'];
const ARGO_KEEP = ['argocd.argoproj.io/sync-options', 'Prune=false'];
const ARGO = 'gitops:\n  engine: argocd\n  repository: https://git.example.internal/platform/fleet.git\nclusters:';
// The metastore service, served by spark-eu in namespace hive and consumed by trino-us, dropped from the fleet.
const WITHOUT_METASTORE = REGIONAL.replace(/services:\n(?: {2}- name: metastore\n(?: {4}.*\n)+)/, 'services: []\n');

async function rendered(text: string): Promise<string> {
  const dir = workspace(text);
  const r = await run(dir, 'render');
  assert.is(r.code, 0, r.err.join('\n'));
  return dir;
}

/** Every object under dist/<cluster>/ and clusters/<cluster>/ of a render, with the file it is in. */
function all(dir: string): { file: string; o: any }[] {
  const out: { file: string; o: any }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, name.name);
      if (name.isDirectory()) walk(path);
      else if (name.name !== 'kustomization.yaml')
        for (const doc of parseAllDocuments(readFileSync(path, 'utf8')))
          out.push({ file: path.slice(dir.length + 1), o: doc.toJS() });
    }
  };
  walk(join(dir, 'dist'));
  walk(join(dir, 'clusters'));
  return out;
}

const kept = (o: any, [key, value]: string[]) => o.metadata.annotations?.[key] === value;

test('a dropped service leaves the output, its Service is pruned, its Namespace is kept by both engines', async () => {
  const before = await rendered(REGIONAL);
  const after = await rendered(WITHOUT_METASTORE);
  for (const cluster of ['spark-eu', 'trino-us']) {
    const ns = parse(readFileSync(join(before, 'dist', cluster, 'config', 'namespace-hive.yaml'), 'utf8'));
    // What the cluster holds is the object as last applied: its annotations decide what the next prune does.
    assert.ok(kept(ns, FLUX_KEEP) && kept(ns, ARGO_KEEP), `${cluster}: ${JSON.stringify(ns.metadata)}`);
    const service = parse(readFileSync(join(before, 'dist', cluster, 'config', 'service-metastore.yaml'), 'utf8'));
    assert.not.ok(kept(service, FLUX_KEEP) || kept(service, ARGO_KEEP), 'the Service itself goes with the service');
    assert.not.ok(
      existsSync(join(after, 'dist', cluster, 'config', 'namespace-hive.yaml')),
      'meshfleet no longer writes it',
    );
    assert.not.ok(existsSync(join(after, 'dist', cluster, 'config', 'service-metastore.yaml')));
  }
});

for (const [engine, text] of [
  ['flux', REGIONAL],
  ['argocd', REGIONAL.replace('clusters:', ARGO)],
]) {
  test(`${engine}: every Helm release and source, Namespace and Tenant is kept when it leaves the output; nothing else is`, async () => {
    const objects = all(await rendered(text));
    const protectedKinds = new Set(['HelmRelease', 'HelmRepository', 'Namespace', 'Tenant']);
    let releases = 0;
    for (const { file, o } of objects) {
      const chartApp = o.kind === 'Application' && o.spec.source.chart !== undefined;
      if (o.kind === 'HelmRelease' || chartApp) releases++;
      if (protectedKinds.has(o.kind) || chartApp)
        assert.ok(kept(o, FLUX_KEEP) && kept(o, ARGO_KEEP), `${file}: ${o.kind} ${o.metadata.name}`);
      else
        assert.not.ok(
          kept(o, FLUX_KEEP) || kept(o, ARGO_KEEP),
          `${file}: ${o.kind} ${o.metadata.name} should be pruned with its fleet.yaml entry`,
        );
    }
    // Cilium and the controllers of all four clusters, and the MinIO operator of both storage clusters.
    assert.is(releases, 4 * 3 + 2);
  });
}

test('removing a cluster removes its folders; the Cilium release it had applied is kept by both engines', async () => {
  const without = WITHOUT_METASTORE.replace(/ {2}- name: trino-us\n(?: {4}.*\n)+/, '');
  for (const text of [REGIONAL, REGIONAL.replace('clusters:', ARGO)]) {
    const before = all(await rendered(text));
    const cilium = before.find(
      ({ o }) =>
        (o.kind === 'HelmRelease' && o.metadata.name === 'cilium' && o.spec.values.cluster.name === 'trino-us') ||
        (o.kind === 'Application' && o.metadata.name === 'trino-us-cilium'),
    );
    assert.ok(cilium, 'trino-us has a Cilium release');
    assert.ok(
      kept(cilium!.o, cilium!.o.kind === 'HelmRelease' ? FLUX_KEEP : ARGO_KEEP),
      JSON.stringify(cilium!.o.metadata),
    );
    const after = await rendered(text === REGIONAL ? without : without.replace('clusters:', ARGO));
    assert.not.ok(existsSync(join(after, 'dist', 'trino-us')));
    assert.not.ok(existsSync(join(after, 'clusters', 'trino-us')));
  }
});

test.run();
