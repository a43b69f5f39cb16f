// The render cache (src/write/render-cache.ts) lets a render skip clusters whose output cannot have changed; it must
// never let a render leave on disk anything but what the fleet renders.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { HEADER } from '../src/synth/header.ts';
import { MAX_CACHE_FILES } from '../src/write/render-cache.ts';
import { EXAMPLE_FLEET } from './support/big-fleet.ts';
import { run, spawnCli, tempProject } from './support/cli.ts';
import { readTree } from './support/tree.ts';

test('a rendered file edited by hand after a render is put back by the next render, cache or not', async () => {
  const dir = tempProject();
  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET);
  assert.is((await run(dir, 'render')).code, 0);
  const good = readTree(join(dir, 'dist'));
  const file = join(dir, 'dist', 'data-bolt', 'config', 'kustomization.yaml');
  writeFileSync(file, `${readFileSync(file, 'utf8')}# edited\n`); // still starts with the header: meshfleet's to fix
  const r = await run(dir, 'render');
  assert.is(r.code, 0, r.err.join('\n'));
  assert.match(r.out[0], /1 updated/);
  assert.equal(readTree(join(dir, 'dist')), good);
});

test('the built CLI remembers valid fleet files by their bytes: an edited file is validated again', async () => {
  const dir = tempProject();
  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET);
  assert.is((await spawnCli(dir, ['render']).done).code, 0);
  const broken = EXAMPLE_FLEET.replace(/^(\s+id:) \d+$/m, '$1 300');
  assert.ok(broken !== EXAMPLE_FLEET);
  writeFileSync(join(dir, 'fleet.yaml'), broken);
  const r = await spawnCli(dir, ['render']).done;
  assert.is(r.code, 1);
  assert.match(r.err, /^fleet\.yaml:\d+:\d+: clusters\[\d+\] \([\w-]+\)\.id 300 is above/m);
  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET);
  assert.is((await spawnCli(dir, ['render']).done).code, 0);
});

/** The built CLI (the cache works only there) renders in dir; then the files on disk must be what the fleet renders. */
async function renderBuilt(dir: string, argv: string[] = [], fleetDir = dir): Promise<string> {
  const r = await spawnCli(fleetDir, ['render', ...argv]).done;
  assert.is(r.code, 0, r.err);
  const check = await run(fleetDir, 'render', '--check', ...argv); // in-process: never any cache
  assert.is(check.code, 0, check.err.join('\n'));
  return r.out;
}

test('an unchanged fleet file: the built CLI still puts back edited and deleted files', async () => {
  const dir = tempProject();
  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET);
  await renderBuilt(dir);
  assert.match(await renderBuilt(dir), /0 created, 0 updated, 0 removed/);
  const file = join(dir, 'dist', 'data-bolt', 'config', 'kustomization.yaml');
  writeFileSync(file, `${readFileSync(file, 'utf8')}# edited\n`);
  assert.match(await renderBuilt(dir), /0 created, 1 updated, 0 removed/);
  rmSync(join(dir, 'clusters', 'data-bolt', 'meshfleet.yaml'));
  assert.match(await renderBuilt(dir), /1 created, 0 updated, 0 removed/);
});

test('an unchanged fleet file and output: the built CLI answers from the cache, yet sees a byte changed in place', async () => {
  const dir = tempProject();
  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET);
  const cache = join(dir, 'node_modules', '.cache', 'meshfleet');
  mkdirSync(cache, { recursive: true });
  await renderBuilt(dir);
  const [cacheFile] = readdirSync(cache).map((name) => join(cache, name));
  const untouched = () => statSync(cacheFile).mtimeMs === 1_000_000_000;
  utimesSync(cacheFile, 1_000_000, 1_000_000); // a render that renders saves the cache anew; one answered from it does not
  assert.match(await renderBuilt(dir), /0 created, 0 updated, 0 removed/);
  assert.ok(untouched(), 'answered from the cache, without rendering');
  const file = join(dir, 'dist', 'data-bolt', 'config', 'kustomization.yaml');
  const text = readFileSync(file, 'utf8');
  writeFileSync(
    file,
    text.replace(/- (\w)/, (_, c: string) => `- ${c === 'a' ? 'b' : 'a'}`),
  ); // same size, same header
  assert.is(readFileSync(file, 'utf8').length, text.length);
  assert.match(await renderBuilt(dir), /0 created, 1 updated, 0 removed/);
  assert.not.ok(untouched(), 'rendered, and the cache saved anew');
});

test("an unchanged fleet file: the built CLI still removes a cluster folder it did not render and a killed run's leftovers", async () => {
  const dir = tempProject();
  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET);
  await renderBuilt(dir);
  mkdirSync(join(dir, 'dist', 'ghost'));
  writeFileSync(join(dir, 'dist', 'ghost', 'kustomization.yaml'), `${HEADER}resources: []\n`);
  assert.match(await renderBuilt(dir), /0 created, 0 updated, 1 removed/);
  const leftover = join(dir, 'dist', '.meshfleet-tmp-data-bolt-999999999');
  mkdirSync(leftover);
  writeFileSync(join(leftover, 'kustomization.yaml'), `${HEADER}half written`);
  await renderBuilt(dir);
  assert.not.ok(existsSync(leftover), 'the leftover is gone');
  const entryLeftover = join(dir, 'clusters', '.meshfleet-tmp-data-bolt-999999999'); // a new entry folder, staged
  mkdirSync(entryLeftover);
  writeFileSync(join(entryLeftover, 'meshfleet.yaml'), `${HEADER}half written`);
  await renderBuilt(dir);
  assert.not.ok(existsSync(entryLeftover), 'so is one beside the entry folders');
});

test('the same fleet file moved to another folder, rendered into the same output, re-renders the paths it gives Flux', async () => {
  const dir = tempProject();
  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET);
  await renderBuilt(dir);
  mkdirSync(join(dir, 'fleets'));
  renameSync(join(dir, 'fleet.yaml'), join(dir, 'fleets', 'fleet.yaml'));
  const out = await renderBuilt(dir, ['--out', '../dist', '--clusters', '../clusters'], join(dir, 'fleets'));
  assert.not.match(out, / 0 updated/);
});

test('the cache folder keeps the most recently written cache files, up to MAX_CACHE_FILES', async () => {
  const dir = tempProject();
  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET);
  const cache = join(dir, 'node_modules', '.cache', 'meshfleet'); // the nearest node_modules above the fleet file
  mkdirSync(cache, { recursive: true });
  const old = Array.from({ length: MAX_CACHE_FILES + 5 }, (_, i) => join(cache, `old-${i}.json`));
  old.forEach((file, i) => {
    writeFileSync(file, '{}');
    utimesSync(file, 1_000_000 + i, 1_000_000 + i); // old-0 is the oldest
  });
  await renderBuilt(dir);
  const left = readdirSync(cache);
  assert.is(left.length, MAX_CACHE_FILES);
  const ours = left.filter((name) => !name.startsWith('old-'));
  assert.is(ours.length, 1, 'the render kept its own cache file');
  assert.equal(
    left.filter((name) => name.startsWith('old-')).sort(),
    old
      .slice(6)
      .map((f) => basename(f))
      .sort(),
  );
  assert.match(await renderBuilt(dir), /0 created, 0 updated, 0 removed/);
});

test.run();
