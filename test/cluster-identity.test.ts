import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { run, workspace } from './support/cli.ts';

test('each cluster carries its identity in the ConfigMap meshfleet-cluster of its pki layer', async () => {
  const dir = workspace();
  assert.is((await run(dir, 'render')).code, 0);
  const map = parse(readFileSync(join(dir, 'dist/data-bolt/pki/configmap-meshfleet-cluster.yaml'), 'utf8'));
  assert.equal(map.data, { cluster: 'data-bolt', endpoint: 's3.cluster-mesh.sneaksanddata.internal', fleet: 'sneaksanddata', id: '1' });
});

test.run();
