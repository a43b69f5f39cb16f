import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fleetYaml, git, repoWithFleet, run, SMALL_FLEET, type FixtureCluster } from './support/review-fixtures.ts';
import { workspace } from './support/cli.ts';

/** The text output split into its cluster sections: name → { status, lines }. */
function sections(out: string): Map<string, { status: string; lines: string[] }> {
  const map = new Map<string, { status: string; lines: string[] }>();
  let current: string[] | undefined;
  for (const line of out.split('\n')) {
    const m = /^=== cluster (\S+): (\w+) /.exec(line);
    if (m) {
      current = [];
      map.set(m[1], { status: m[2], lines: current });
    } else current?.push(line);
  }
  return map;
}

/** Files of a section: `--- a/x`/`+++ b/x` of a changed file, `+++ added x: ...`/`--- removed x: ...` of a whole one. */
const files = (lines: string[]) =>
  lines
    .filter((l) => /^(\+\+\+|---) /.test(l))
    .map((l) => l.replace(/^(\+\+\+ added |--- removed |\+\+\+ b\/|--- a\/)/, '').replace(/: .*$/, ''));
const added = (lines: string[]) => lines.filter((l) => l.startsWith('+') && !l.startsWith('+++ '));
const removed = (lines: string[]) => lines.filter((l) => l.startsWith('-') && !l.startsWith('--- '));

async function diffAfter(
  change: readonly FixtureCluster[],
  ...args: string[]
): Promise<{ out: string; code: number; err: string }> {
  const dir = repoWithFleet(fleetYaml(SMALL_FLEET));
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml(change));
  return run(dir, 'diff', ...args);
}

test('adding a cluster lists its new files by object and shows the peer entries the storage cluster gains', async () => {
  const { out, code } = await diffAfter([...SMALL_FLEET, { name: 'app-c', id: 4 }]);
  assert.is(code, 0);
  assert.match(out, /^clusters: 1 added, 0 removed, 0 renamed, 1 changed, 2 unchanged$/m);
  const s = sections(out);
  assert.equal([...s.keys()], ['app-c', 'store']);
  const app = s.get('app-c')!;
  assert.is(app.status, 'added');
  assert.ok(files(app.lines).length > 10);
  for (const f of files(app.lines)) assert.match(f, /^(dist|clusters|vault)\/app-c\//);
  assert.ok(
    app.lines.includes('+++ added dist/app-c/cilium/helmrelease-cilium.yaml: HelmRelease flux-system/cilium'),
    app.lines.join('\n'),
  );
  assert.equal(added(app.lines), [], 'a new file is named with its objects, not dumped');
  assert.ok(files(app.lines).includes('vault/app-c/policy.hcl'), "the new cluster's Vault policy is in review");
  // The storage cluster gains references to app-c and loses nothing.
  const store = s.get('store')!;
  assert.is(store.status, 'changed');
  assert.equal(removed(store.lines), []);
  assert.ok(
    added(store.lines).some((l) => l.includes('prod.app-c.mesh.example.internal')),
    'the new peer endpoint is added to the storage cluster',
  );
});

test('Vault files are diffed as text: named alone when added, plain hunks when changed', async () => {
  const { out } = await diffAfter([...SMALL_FLEET, { name: 'app-c', id: 4 }]);
  const s = sections(out);
  assert.ok(s.get('app-c')!.lines.includes('+++ added vault/app-c/policy.hcl'), out);
  const store = s.get('store')!.lines;
  const at = store.indexOf('+++ b/vault/store/policy.hcl');
  assert.ok(at > 0, store.join('\n'));
  assert.match(store[at + 1], /^@@ -\d+,\d+ \+\d+,\d+ @@$/, 'an HCL hunk names no Kubernetes object');
  assert.not.match(out, /document \d/);
});

test('removing a cluster lists its files as removed and every reference to it in the others', async () => {
  const { out, code } = await diffAfter(SMALL_FLEET.filter((c) => c.name !== 'app-b'));
  assert.is(code, 0);
  assert.match(out, /^clusters: 0 added, 1 removed, 0 renamed, 1 changed, 1 unchanged$/m);
  const s = sections(out);
  assert.equal([...s.keys()], ['app-b', 'store']);
  const gone = s.get('app-b')!;
  assert.is(gone.status, 'removed');
  assert.equal(added(gone.lines), []);
  for (const f of files(gone.lines)) assert.match(f, /^(dist|clusters|vault)\/app-b\//);
  assert.ok(files(gone.lines).includes('vault/app-b/role.json'), 'its Vault role goes with it');
  const store = s.get('store')!;
  assert.equal(
    added(store.lines).filter((l) => l.includes('app-b')),
    [],
  );
  // The storage cluster's Vault policy loses the removed cluster's path, in the same review.
  assert.ok(files(store.lines).includes('vault/store/policy.hcl'));
  assert.ok(
    removed(store.lines).includes('-path "secret/data/clusters/app-b/tls/prod/infrastructure/clustermesh" {'),
    removed(store.lines).join('\n'),
  );
  assert.ok(removed(store.lines).some((l) => l.includes('prod.app-b.mesh.example.internal')));
});

test('a renamed cluster is shown as a rename, with the diff of its content under the new name', async () => {
  const { out } = await diffAfter([SMALL_FLEET[0], SMALL_FLEET[1], { name: 'app-z', id: 3 }]);
  assert.match(out, /^clusters: 0 added, 0 removed, 1 renamed, 1 changed, 1 unchanged$/m);
  assert.match(out, /^ {2}app-z +renamed from app-b: objects: /m);
  const s = sections(out);
  assert.equal(
    [...s.entries()].map(([k, v]) => `${k}:${v.status}`),
    ['app-z:renamed', 'store:changed'],
  );
  assert.match(out, /^=== cluster app-z: renamed from app-b /m);
  const z = s.get('app-z')!;
  assert.ok(z.lines.includes('--- a/dist/app-b/cilium/helmrelease-cilium.yaml'), z.lines.join('\n'));
  assert.ok(z.lines.includes('+++ b/dist/app-z/cilium/helmrelease-cilium.yaml'));
  assert.ok(removed(z.lines).includes('-      name: app-b'), 'the Cilium cluster name changes in place');
  assert.ok(added(z.lines).includes('+      name: app-z'));
  assert.ok(z.lines.length < 200, `${z.lines.length} lines: a rename shows what changes, not two whole folders`);
  const store = s.get('store')!;
  assert.ok(removed(store.lines).some((l) => l.includes('app-b')));
  assert.ok(added(store.lines).some((l) => l.includes('app-z')));
  // The storage cluster's peer ExternalSecrets share one file: the renamed peer's goes, the new name's comes, in it.
  const peers = 'dist/store/config/externalsecrets-cilium-kvstoremesh-peers.yaml';
  assert.ok(store.lines.includes(`+++ b/${peers}`), store.lines.join('\n'));
  // Each hunk's empty side says where the document sits there: right after app-a's, which both sides have.
  const header = (peer: string) =>
    store.lines.find((l) => l.endsWith(`@@ ExternalSecret kube-system/cilium-kvstoremesh-${peer}`));
  const inserted = /^@@ -(\d+),0 \+(\d+),\d+ @@/.exec(header('app-z') ?? '');
  const gone = /^@@ -(\d+),\d+ \+(\d+),0 @@/.exec(header('app-b') ?? '');
  assert.ok(inserted && gone, store.lines.join('\n'));
  assert.ok(Number(inserted[1]) > 0, 'the added peer follows app-a in the old file, not line 0');
  assert.is(Number(inserted[2]), Number(inserted[1]) + 1, 'and starts on the line after that place in the new file');
  assert.is(Number(gone[2]), Number(inserted[1]), 'the removed peer sat at that same place');
});

test('the summary comes first: a line per changed cluster before any file', async () => {
  const { out } = await diffAfter([...SMALL_FLEET.filter((c) => c.name !== 'app-a'), { name: 'app-c', id: 4 }]);
  const lines = out.split('\n');
  const first = lines.findIndex((l) => l.startsWith('=== '));
  assert.equal(
    lines
      .slice(3, first)
      .filter((l) => l !== '')
      .map((l) => l.trim().split(/\s+/).slice(0, 2).join(' ')),
    ['app-a removed:', 'app-c added:', 'store changed:'],
  );
});

test('changed files show hunks of the YAML, capped per file with a note of how many lines are left out', async () => {
  // A fleet-wide Cilium value changes every cluster's HelmRelease; a long list of them passes the cap.
  const dir = repoWithFleet(fleetYaml(SMALL_FLEET));
  const values = Array.from({ length: 80 }, (_, i) => `      key${i}: value-${i}`).join('\n');
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml(SMALL_FLEET, `cilium:\n  values:\n    extraConfig:\n${values}\n`));
  const { out } = await run(dir, 'diff');
  const store = sections(out).get('store')!;
  const at = store.lines.indexOf('+++ b/dist/store/cilium/helmrelease-cilium.yaml');
  assert.ok(at > 0, store.lines.join('\n'));
  const next = store.lines.findIndex((l, i) => i > at && /^(---|\+\+\+) /.test(l));
  const body = store.lines.slice(at + 1, next < 0 ? undefined : next).filter((l) => l !== '');
  assert.match(body[0], /^@@ -\d+,\d+ \+\d+,\d+ @@ HelmRelease flux-system\/cilium$/);
  assert.match(body[body.length - 1], /^\.\.\. \d+ more lines in this file$/);
  assert.ok(body.length <= 62, `${body.length} lines`);
  assert.ok(!store.lines.some((l) => l.startsWith(' apiVersion:')) || body.length < 70, 'hunks, not the whole file');
});

test('YAML document separators are never shown as changed lines', async () => {
  const { out } = await diffAfter([SMALL_FLEET[0], SMALL_FLEET[1], { name: 'app-z', id: 3 }]);
  assert.not.match(out, /^----$/m);
  assert.not.match(out, /^\+---$/m);
  const z = sections(out).get('app-z')!;
  // clusters/<cluster>/meshfleet.yaml holds four documents: each hunk names the one it changes.
  assert.ok(
    z.lines.some((l) => /^@@ .* @@ Kustomization flux-system\/meshfleet-cilium$/.test(l)),
    z.lines.join('\n'),
  );
});

test('outside a git repository: one clear line, no git message', async () => {
  const dir = workspace(fleetYaml(SMALL_FLEET));
  const r = await run(dir, 'diff');
  assert.is(r.code, 1);
  assert.equal(r.err.trim().split('\n'), [
    `meshfleet: ${dir} is not in a git repository: meshfleet diff compares the fleet file with a commit of its repository`,
  ]);
  assert.not.match(r.err, /fatal/);
});

test('without --base the merge base with main is the base: later commits on main do not show', async () => {
  const dir = repoWithFleet(fleetYaml(SMALL_FLEET));
  git(dir, 'checkout', '--quiet', 'main');
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml([...SMALL_FLEET, { name: 'app-m', id: 9 }]));
  git(dir, 'commit', '--quiet', '-am', 'main moves on');
  git(dir, 'checkout', '--quiet', 'feature');
  const unchanged = await run(dir, 'diff');
  assert.match(unchanged.out, /no changes in the rendered output \(3 clusters unchanged\)/);
  const againstMain = await run(dir, 'diff', '--base', 'main');
  assert.match(againstMain.out, /^=== cluster app-m: removed /m);
});

test('a fleet file that did not exist at the base renders as all added', async () => {
  const dir = repoWithFleet(fleetYaml(SMALL_FLEET));
  git(dir, 'mv', 'fleet.yaml', 'other.yaml');
  git(dir, 'commit', '--quiet', '-m', 'move the fleet file away');
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml(SMALL_FLEET));
  const r = await run(dir, 'diff', '--base', 'HEAD');
  assert.match(r.out, /^clusters: 3 added, 0 removed, 0 renamed, 0 changed, 0 unchanged$/m);
});

test('an unknown --base ref exits 1 with one line', async () => {
  const dir = repoWithFleet(fleetYaml(SMALL_FLEET));
  const bad = await run(dir, 'diff', '--base', 'no-such-branch');
  assert.is(bad.code, 1);
  assert.match(bad.err, /^meshfleet: --base no-such-branch: no such commit/);
  assert.is(bad.err.trim().split('\n').length, 1);
});

test('an invalid working-tree fleet file is reported with locations, exit 1', async () => {
  const dir = repoWithFleet(fleetYaml(SMALL_FLEET));
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml([...SMALL_FLEET, { name: 'app-c', id: 2 }]));
  const r = await run(dir, 'diff');
  assert.is(r.code, 1);
  assert.match(
    r.err,
    /^fleet\.yaml:\d+:\d+: clusters\[3\] \([\w-]+\)\.id 2 is already the ID of clusters\[1\] \([\w-]+\)/m,
  );
});

test('diff output is the same bytes on every run', async () => {
  const dir = repoWithFleet(fleetYaml(SMALL_FLEET));
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml([...SMALL_FLEET, { name: 'app-c', id: 4 }]));
  const [a, b] = [await run(dir, 'diff', '--format', 'markdown'), await run(dir, 'diff', '--format', 'markdown')];
  assert.is(a.out, b.out);
});

test.run();
