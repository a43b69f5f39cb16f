// The writer: output stays inside --out, links are never followed, no-op and --check write nothing, stale leftovers
// of killed runs are finished or removed, and the lock keeps two renders from mixing their output.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recoverStale } from '../src/write/atomic.ts';
import { HEADER } from '../src/synth/synth.ts';
import { safeJoin } from '../src/write/paths.ts';
import { planWrite } from '../src/write/changes.ts';
import { LOCK_NAME } from '../src/write/lock.ts';
import { bigFleet, EXAMPLE_FLEET } from './support/big-fleet.ts';
import { run, runWith, spawnCli, tempProject } from './support/cli.ts';
import { readTree, stamps } from './support/tree.ts';
import { tempDir } from './support/temp.ts';

function project(fleet = EXAMPLE_FLEET): string {
  const dir = tempProject();
  writeFileSync(join(dir, 'fleet.yaml'), fleet);
  return dir;
}

test('--out and --clusters that overlap are refused before anything is written (each --out folder is replaced whole)', async () => {
  const dir = tempProject();
  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET);
  for (const [out, clusters] of [
    ['out', 'out'],
    ['out', 'out/entries'],
    ['gitops/clusters', 'gitops'],
    ['./out', 'out/'],
  ]) {
    for (const command of ['render', 'diff']) {
      const r = await run(dir, command, '--out', out, '--clusters', clusters);
      assert.is(r.code, 2, `${command} --out ${out} --clusters ${clusters}`);
      assert.match(r.err.join('\n'), /overlap: give the rendered output and the GitOps entry points a folder each/);
    }
  }
  assert.equal(readdirSync(dir).sort(), ['fleet.yaml', 'schema'], 'nothing was written');
  const r = await run(dir, 'render', '--out', 'out', '--clusters', '..out-entries'); // a sibling whose name starts with dots
  assert.is(r.code, 0, r.err.join('\n'));
});

test('path segments: `..`, absolute paths, separators and dot-names are refused before anything is written', () => {
  for (const rel of ['../x.yaml', 'a/../../x.yaml', '/etc/passwd', 'a\\..\\b', '.hidden', 'A.yaml', '', 'a//b']) {
    assert.throws(() => safeJoin('/tmp/out', rel), /refusing/, rel);
  }
  assert.is(safeJoin('/tmp/out', 'config/service-s3-internal.yaml'), '/tmp/out/config/service-s3-internal.yaml');
  const dist = new Map([['kustomization.yaml', HEADER]]);
  for (const cluster of ['..', '../evil', '/abs', '.meshfleet-tmp-x-1']) {
    assert.throws(
      () =>
        planWrite([{ cluster, dist, entry: new Map(), secretFindings: [] }], {
          dist: '/tmp/none-d',
          clusters: '/tmp/none-c',
        }),
      /refusing cluster name/,
      cluster,
    );
  }
});

test('a checked path is joined as path.join joins it, whatever the base', () => {
  const base = fc
    .array(fc.constantFrom('', '/', '.', '..', 'a', 'b.c', '/tmp', 'out/', './', 'x/..', '//'), { maxLength: 5 })
    .map((p) => p.join('/'));
  const rel = fc
    .array(fc.constantFrom('a', 'config', 'b.yaml', 'x-1_y'), { minLength: 1, maxLength: 3 })
    .map((p) => p.join('/'));
  fc.assert(
    fc.property(fc.array(fc.tuple(base, rel), { minLength: 1, maxLength: 4 }), (pairs) => {
      for (const [b, r] of pairs) assert.is(safeJoin(b, r), join(b, ...r.split('/')), `${b} + ${r}`);
    }),
  );
});

test('a symbolic link planted inside dist/ is neither followed nor written through; nothing is written', async () => {
  const dir = project();
  assert.is((await run(dir, 'render')).code, 0);
  const outside = join(dir, 'outside.yaml');
  writeFileSync(outside, 'not meshfleet\n');
  const target = join(dir, 'dist', 'data-bolt', 'config', 'service-s3-internal.yaml');
  const before = readFileSync(target, 'utf8');
  spawnSync('rm', [target]);
  symlinkSync(outside, target);
  writeFileSync(
    join(dir, 'fleet.yaml'),
    EXAMPLE_FLEET.replace('vault.sneaksanddata.internal', 'vault2.sneaksanddata.internal'),
  );
  const r = await run(dir, 'render');
  assert.is(r.code, 1, r.err.join('\n'));
  assert.match(
    r.err.join('\n'),
    /service-s3-internal\.yaml: is a symbolic link; meshfleet does not write through links/,
  );
  assert.is(readFileSync(outside, 'utf8'), 'not meshfleet\n');
  assert.not.match(
    readFileSync(join(dir, 'dist', 'airflow-production-1', 'pki', 'clustersecretstore-vault.yaml'), 'utf8'),
    /vault2/,
  );
  assert.ok(before.startsWith(HEADER));
});

test('a cluster folder that is a link to elsewhere is refused', async () => {
  const dir = project();
  mkdirSync(join(dir, 'elsewhere'));
  mkdirSync(join(dir, 'dist'));
  symlinkSync(join(dir, 'elsewhere'), join(dir, 'dist', 'data-bolt'));
  const r = await run(dir, 'render');
  assert.is(r.code, 1, r.err.join('\n'));
  assert.match(r.err.join('\n'), /dist\/data-bolt: is a symbolic link/);
  assert.equal(readdirSync(join(dir, 'elsewhere')), []);
});

test('a file someone else put in a cluster folder that must be rewritten stops the render; nothing is written', async () => {
  const dir = project();
  await run(dir, 'render');
  writeFileSync(join(dir, 'dist', 'data-bolt', 'NOTES.md'), 'mine\n');
  writeFileSync(
    join(dir, 'fleet.yaml'),
    EXAMPLE_FLEET.replace('vault.sneaksanddata.internal', 'vault2.sneaksanddata.internal'),
  );
  const before = readTree(join(dir, 'dist'));
  const r = await run(dir, 'render');
  assert.is(r.code, 1, r.err.join('\n'));
  assert.match(r.err.join('\n'), /NOTES\.md: was not written by meshfleet/);
  assert.equal(readTree(join(dir, 'dist')), before);
  // The other clusters were staged while synthesizing (stager.ts): none of that may be left behind.
  assert.equal(
    readdirSync(join(dir, 'dist')).filter((n) => n.startsWith('.')),
    [],
  );
});

test("recovery removes a dead run's staged folder but never a live render's", () => {
  const dir = tempDir('meshfleet-stale-');
  const live = `.meshfleet-tmp-data-bolt-${process.pid}`;
  mkdirSync(join(dir, live));
  mkdirSync(join(dir, '.meshfleet-tmp-trino-999999'));
  recoverStale(dir);
  assert.equal(readdirSync(dir), [live]);
});

test('a render with nothing to change writes nothing (same inodes and times), and --check never writes', async () => {
  const dir = project();
  assert.is((await run(dir, 'render')).code, 0);
  const before = stamps(dir);
  const again = await run(dir, 'render');
  assert.is(again.code, 0);
  assert.match(again.out[0], /0 created, 0 updated, 0 removed/);
  assert.equal(stamps(dir), before);
  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET.replace('id: 8', 'id: 9'));
  const afterEdit = stamps(dir);
  const check = await run(dir, 'render', '--check');
  assert.is(check.code, 1);
  assert.equal(stamps(dir), afterEdit);
});

test('only the clusters whose output changed are rewritten', async () => {
  const dir = project();
  await run(dir, 'render');
  const before = stamps(join(dir, 'dist'));
  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET.replace('    id: 8', '    id: 9'));
  assert.is((await run(dir, 'render')).code, 0);
  const after = stamps(join(dir, 'dist'));
  const changed = new Set([...after].filter(([k, v]) => before.get(k) !== v).map(([k]) => k.split('/')[0]));
  assert.ok(changed.has('trino-production-0'));
  assert.ok(!changed.has('airflow-production-1'), `rewrote ${[...changed].join(', ')}`);
});

test('leftovers of a killed run are finished or removed by the next render', async () => {
  const dir = project();
  await run(dir, 'render');
  const good = readTree(join(dir, 'dist'));
  const dist = join(dir, 'dist');
  // Killed while filling a folder, and killed between the two renames of a swap (target moved aside).
  mkdirSync(join(dist, '.meshfleet-tmp-data-bolt-999999'));
  writeFileSync(join(dist, '.meshfleet-tmp-data-bolt-999999', 'half.yaml'), HEADER);
  spawnSync('mv', [join(dist, 'trino-production-0'), join(dist, '.meshfleet-old-trino-production-0-999998')]);
  writeFileSync(join(dir, 'clusters', 'data-bolt', '.meshfleet-tmp-meshfleet.yaml-999999'), HEADER);
  const r = await run(dir, 'render');
  assert.is(r.code, 0, r.err.join('\n'));
  assert.equal(readTree(dist), good);
  assert.equal(readdirSync(join(dir, 'clusters', 'data-bolt')), ['meshfleet.yaml']);
});

test('a stale lock (its process is gone) is taken over; a live one makes the render wait, then fail clearly', async () => {
  const dir = project();
  mkdirSync(join(dir, 'dist'));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  const host = (await import('node:os')).hostname();
  writeFileSync(join(dir, 'dist', LOCK_NAME), `${dead}\n${host}\n2020-01-01T00:00:00.000Z\n`);
  assert.is((await run(dir, 'render')).code, 0);
  assert.not.ok(existsSync(join(dir, 'dist', LOCK_NAME)));

  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET.replace('    id: 8', '    id: 9'));
  writeFileSync(join(dir, 'dist', LOCK_NAME), `${process.pid}\n${host}\n2020-01-01T00:00:00.000Z\n`);
  const before = readTree(join(dir, 'dist'));
  const r = await runWith({ MESHFLEET_LOCK_WAIT_MS: '200' }, dir, 'render');
  assert.is(r.code, 1, r.err.join('\n'));
  assert.match(r.err.join('\n'), new RegExp(`waiting for meshfleet \\(pid ${process.pid}`));
  assert.match(r.err.join('\n'), /is held by meshfleet .*another render is writing there/);
  assert.equal(readTree(join(dir, 'dist')), before);
});

test('two renders at once into one folder: both succeed, one after the other, and the output is one render', async () => {
  const dir = project(bigFleet(12));
  const reference = project(bigFleet(12));
  assert.is((await run(reference, 'render')).code, 0);
  const a = spawnCli(dir, ['render']);
  const b = spawnCli(dir, ['render']);
  const [ra, rb] = await Promise.all([a.done, b.done]);
  assert.is(ra.code, 0, ra.err);
  assert.is(rb.code, 0, rb.err);
  const created = [ra.out, rb.out].map((o) => /(\d+) created/.exec(o)?.[1]);
  assert.ok(created.includes('0'), `one of them found the work done: ${created.join(', ')}`);
  assert.equal(readTree(join(dir, 'dist')), readTree(join(reference, 'dist')));
  assert.equal(readTree(join(dir, 'clusters')), readTree(join(reference, 'clusters')));
});

test.run();
