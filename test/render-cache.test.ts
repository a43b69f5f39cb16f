// The render cache (src/write/render-cache.ts) lets a render skip clusters whose output cannot have changed; it must
// never let a render leave on disk anything but what the fleet renders.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_FLEET } from './support/big-fleet.ts';
import { readTree, run, spawnCli, tempProject } from './support/tree.ts';

test('a rendered file edited by hand after a render is put back by the next render, cache or not', async () => {
  const dir = tempProject();
  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET);
  assert.is((await run(dir, ['render'])).code, 0);
  const good = readTree(join(dir, 'dist'));
  const file = join(dir, 'dist', 'data-bolt', 'config', 'kustomization.yaml');
  writeFileSync(file, `${readFileSync(file, 'utf8')}# edited\n`); // still starts with the header: meshfleet's to fix
  const r = await run(dir, ['render']);
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
  assert.match(r.err, /^fleet\.yaml:\d+:\d+: clusters\[\d+\]\.id 300 is above/m);
  writeFileSync(join(dir, 'fleet.yaml'), EXAMPLE_FLEET);
  assert.is((await spawnCli(dir, ['render']).done).code, 0);
});

test.run();
