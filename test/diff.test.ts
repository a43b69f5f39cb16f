import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fleetYaml, git, repoWithFleet, run, SMALL_FLEET, type FixtureCluster } from './support/review-fixtures.ts';

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

const files = (lines: string[]) => lines.filter((l) => l.startsWith('+++ ') || l.startsWith('--- ')).map((l) => l.slice(4));
const added = (lines: string[]) => lines.filter((l) => l.startsWith('+') && !l.startsWith('+++ '));
const removed = (lines: string[]) => lines.filter((l) => l.startsWith('-') && !l.startsWith('--- '));

async function diffAfter(change: readonly FixtureCluster[]): Promise<{ out: string; code: number }> {
  const dir = repoWithFleet(fleetYaml(SMALL_FLEET));
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml(change));
  return run(dir, 'diff');
}

test('adding a cluster shows its whole folder and one peer entry in the storage cluster, nothing else', async () => {
  const { out, code } = await diffAfter([...SMALL_FLEET, { name: 'app-c', id: 4 }]);
  assert.is(code, 0);
  assert.match(out, /^clusters: 1 added, 0 removed, 1 changed, 2 unchanged$/m);
  const s = sections(out);
  assert.equal([...s.keys()], ['app-c', 'store']);
  assert.is(s.get('app-c')!.status, 'added');
  for (const f of files(s.get('app-c')!.lines)) assert.ok(f === '/dev/null' || /^b\/(dist|clusters|vault)\/app-c\//.test(f), f);
  assert.ok(files(s.get('app-c')!.lines).includes('b/vault/app-c/policy.hcl'), 'the new cluster\'s Vault policy is in review');
  // The storage cluster gains references to app-c and loses nothing.
  const store = s.get('store')!;
  assert.is(store.status, 'changed');
  assert.equal(removed(store.lines), []);
  assert.ok(added(store.lines).some((l) => l.includes('prod.app-c.mesh.example.internal')), 'the new peer endpoint is added to the storage cluster');
});

test('removing a cluster removes its folders and every reference to it in the others', async () => {
  const { out, code } = await diffAfter(SMALL_FLEET.filter((c) => c.name !== 'app-b'));
  assert.is(code, 0);
  assert.match(out, /^clusters: 0 added, 1 removed, 1 changed, 1 unchanged$/m);
  const s = sections(out);
  assert.equal([...s.keys()], ['app-b', 'store']);
  const gone = s.get('app-b')!;
  assert.is(gone.status, 'removed');
  assert.equal(added(gone.lines), []);
  for (const f of files(gone.lines)) assert.ok(f === '/dev/null' || /^a\/(dist|clusters|vault)\/app-b\//.test(f), f);
  assert.ok(files(gone.lines).includes('a/vault/app-b/role.json'), 'its Vault role goes with it');
  const store = s.get('store')!;
  assert.equal(added(store.lines).filter((l) => l.includes('app-b')), []);
  // The storage cluster's Vault policy loses the removed cluster's path, in the same review.
  assert.ok(files(store.lines).includes('b/vault/store/policy.hcl'));
  assert.ok(removed(store.lines).includes('-path "secret/data/clusters/app-b/tls/prod/infrastructure/clustermesh" {'), removed(store.lines).join('\n'));
  assert.ok(removed(store.lines).some((l) => l.includes('prod.app-b.mesh.example.internal')));
});

test('renaming a cluster is its removal plus an addition, and the peers switch names', async () => {
  const { out } = await diffAfter([SMALL_FLEET[0], SMALL_FLEET[1], { name: 'app-z', id: 3 }]);
  assert.match(out, /^clusters: 1 added, 1 removed, 1 changed, 1 unchanged$/m);
  const s = sections(out);
  assert.equal([...s.entries()].map(([k, v]) => `${k}:${v.status}`), ['app-b:removed', 'app-z:added', 'store:changed']);
  const store = s.get('store')!;
  assert.ok(removed(store.lines).some((l) => l.includes('app-b')));
  assert.ok(added(store.lines).some((l) => l.includes('app-z')));
  assert.equal(removed(store.lines).filter((l) => l.includes('app-z')), []);
  assert.equal(added(store.lines).filter((l) => l.includes('app-b')), []);
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
  assert.match(r.out, /^clusters: 3 added, 0 removed, 0 changed, 0 unchanged$/m);
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
  assert.match(r.err, /^fleet\.yaml:\d+:\d+: clusters\[3\]\.id 2 is already the ID of clusters\[1\]/m);
});

test('diff output is the same bytes on every run', async () => {
  const dir = repoWithFleet(fleetYaml(SMALL_FLEET));
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml([...SMALL_FLEET, { name: 'app-c', id: 4 }]));
  const [a, b] = [await run(dir, 'diff', '--format', 'markdown'), await run(dir, 'diff', '--format', 'markdown')];
  assert.is(a.out, b.out);
});

test.run();
