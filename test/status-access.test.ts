// `meshfleet status` reaching the clusters: contexts, credentials refused, forbidden reads, API servers that hang or
// refuse; and least privilege: the role `status --rbac` prints is exactly what it needs, enforced by the fake API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rbacYaml, STATUS_RBAC } from '../src/status/rbac.ts';
import { MINIMAL, REPO } from './support/cli.ts';
import { startSilentServer } from './support/fake-kube.ts';
import { ARGOCD } from './support/fake-kube-fleet.ts';
import { ARGO_FLEET, closeAfterEach, closeLater, HEALTHY, row, rulesOf, setup } from './support/fake-kube-setup.ts';

closeAfterEach(test);

const ERRORS = ['ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR'];

test("credentials the API server refuses (401) are that cluster's error", async () => {
  const s = await setup();
  s.fake.clusters.set('renamed', s.fake.clusters.get('app')!);
  s.fake.clusters.delete('app');
  const r = await s.status('--json');
  assert.is(r.code, 1);
  assert.is(
    JSON.parse(r.out.join('\n')).clusters[0].error,
    `unauthorized at ${s.fake.url}: the kubeconfig's credentials were refused`,
  );
});

test("a 403 is that column's error, one line; the other columns are still checked", async () => {
  const s = await setup();
  s.fake.rules = STATUS_RBAC.filter((r) => !r.resources.includes('certificates'));
  const r = await s.status();
  assert.is(r.code, 1);
  assert.equal(row(r.out, 'app').slice(1), ['ok', 'ok', 'ERROR', 'ok', 'ok', 'ok']);
  assert.ok(
    r.out.includes('  tls: forbidden: list certificates.cert-manager.io (see the ClusterRole in docs/status.md)'),
    r.out.join('\n'),
  );
});

test("an API server that accepts connections and never answers is that cluster's error after --timeout", async () => {
  const silent = await startSilentServer();
  closeLater(silent.close);
  const s = await setup(MINIMAL, { servers: { app: silent.url } });
  const r = await s.status('--timeout', '300ms');
  assert.is(r.code, 1);
  assert.equal(row(r.out, 'app').slice(1), ERRORS);
  assert.ok(r.out.includes(`  error: no answer from ${silent.url} within 300ms`), r.out.join('\n'));
});

test("a refused connection is that cluster's error", async () => {
  const silent = await startSilentServer();
  const url = silent.url;
  await silent.close();
  const s = await setup(MINIMAL, { servers: { store: url } });
  const r = await s.status('--json');
  assert.is(r.code, 1);
  assert.is(JSON.parse(r.out.join('\n')).clusters[1].error, `cannot reach ${url}: ECONNREFUSED`);
});

test("a missing context is that cluster's error; the others are checked", async () => {
  const s = await setup(MINIMAL, { only: ['store'] });
  const r = await s.status();
  assert.is(r.code, 1);
  assert.equal(row(r.out, 'app').slice(1), ERRORS);
  assert.ok(r.out.includes('  error: no context "app" in the kubeconfig'), r.out.join('\n'));
  assert.equal(row(r.out, 'store').slice(1), HEALTHY);
});

test("--context names the contexts by template; a cluster's kubeContext in the fleet wins", async () => {
  const fleet = MINIMAL.replace('    role: storage\n', '    role: storage\n    kubeContext: storage-admin\n');
  const s = await setup(fleet, { contextName: (c) => (c === 'store' ? 'storage-admin' : `eks-${c}-batch`) });
  const r = await s.status('--context', 'eks-{{cluster}}-{{environment}}');
  assert.is(r.code, 0, r.out.join('\n'));
  assert.ok(r.out.includes('app (context eks-app-batch):'), r.out.join('\n'));
  assert.ok(r.out.includes('store (context storage-admin):'));
});

test('--cluster checks only the named clusters', async () => {
  const s = await setup();
  const r = await s.status('--cluster', 'store', '--json');
  assert.is(r.code, 0);
  assert.equal(
    JSON.parse(r.out.join('\n')).clusters.map((c: { name: string }) => c.name),
    ['store'],
  );
});

for (const [engine, fleet, args] of [
  ['Flux', MINIMAL, []],
  ['Argo CD', ARGO_FLEET, ['--argocd-context', ARGOCD]],
] as const) {
  test(`least privilege, ${engine}: status works with exactly the role \`status --rbac\` prints`, async () => {
    const s = await setup(fleet);
    const printed = await s.status('--rbac');
    assert.is(printed.code, 0);
    s.fake.rules = rulesOf(printed.out.join('\n'));
    const r = await s.status(...args);
    assert.is(r.code, 0, r.out.join('\n'));
  });

  test(`least privilege, ${engine}: every rule \`status --rbac\` prints is needed (without it, a 403 in one line)`, async () => {
    const s = await setup(fleet);
    const rules = rulesOf((await s.status('--rbac')).out.join('\n'));
    for (const rule of rules) {
      for (const resource of rule.resources) {
        s.fake.rules = rules.map((r) =>
          r === rule ? { ...r, resources: r.resources.filter((x) => x !== resource) } : r,
        );
        const r = await s.status(...args);
        assert.is(r.code, 1, `still passes without ${resource}`);
        assert.ok(
          r.out.some((l) => l.includes('forbidden: ')),
          r.out.join('\n'),
        );
        assert.not.ok([...r.out, ...r.err].some((l) => /\n\s+at /.test(l) || l.includes('internal error')));
      }
    }
  });
}

test("--rbac prints only the kinds the fleet's engine uses, and contacts no cluster", async () => {
  const s = await setup(ARGO_FLEET);
  const argo = await s.status('--rbac');
  assert.ok(argo.out.join('\n').includes('argoproj.io'));
  assert.not.ok(argo.out.join('\n').includes('fluxcd.io'));
  const flux = await (await setup()).status('--rbac');
  assert.ok(flux.out.join('\n').includes('kustomize.toolkit.fluxcd.io'));
  assert.not.ok(flux.out.join('\n').includes('argoproj.io'));
  assert.is(s.fake.requests, 0);
});

test('docs/status.md gives the role status is tested with (both engines)', () => {
  const doc = readFileSync(join(REPO, 'docs/status.md'), 'utf8');
  assert.ok(doc.includes(rbacYaml()), 'docs/status.md is missing the current rbacYaml() output');
});

test.run();
