import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fleetYaml, run, SMALL_FLEET } from './support/review-fixtures.ts';
import { packageRoot } from './support/upstream.ts';
import { tempDir } from './support/temp.ts';

async function graph(fleet: string, ...args: string[]): Promise<string> {
  const dir = tempDir('meshfleet-graph-');
  writeFileSync(join(dir, 'fleet.yaml'), fleet);
  const r = await run(dir, 'graph', ...args);
  assert.is(r.code, 0, r.err);
  return r.out;
}

test('clusters are grouped by role and each mesh connection is labelled with the services it carries', async () => {
  const out = await graph(fleetYaml(SMALL_FLEET), '--format', 'mermaid');
  assert.is(
    out,
    [
      'flowchart LR',
      '  subgraph role_storage["storage"]',
      '    c_store["store<br/>id 1"]',
      '  end',
      '  subgraph role_application["application"]',
      '    c_app_a["app-a<br/>id 2"]',
      '    c_app_b["app-b<br/>id 3"]',
      '  end',
      '  c_app_a ---|"s3-internal"| c_store',
      '  c_app_b ---|"s3-internal"| c_store',
      '',
    ].join('\n'),
  );
});

test('a connection between two consumers of a service carries nothing and has no label', async () => {
  const out = await graph(fleetYaml(SMALL_FLEET, 'topology: full-mesh\n'), '--format', 'mermaid');
  assert.match(out, /^ {2}c_app_a --- c_app_b$/m);
  assert.match(out, /^ {2}c_app_a ---\|"s3-internal"\| c_store$/m);
});

test('the order of clusters in fleet.yaml does not change the graph', async () => {
  const a = await graph(fleetYaml(SMALL_FLEET));
  const b = await graph(fleetYaml([...SMALL_FLEET].reverse()));
  assert.is(a, b);
  assert.ok(a.startsWith('```mermaid\n') && a.endsWith('```\n'), 'markdown by default, ready to paste');
});

test('README.md shows the graph of the example fleet as `meshfleet graph` prints it', async () => {
  const text = readFileSync(join(packageRoot, 'README.md'), 'utf8');
  const m = /<!-- meshfleet graph -->\n([\s\S]*?)<!-- \/meshfleet graph -->/.exec(text);
  assert.ok(m, 'README.md has no <!-- meshfleet graph --> ... <!-- /meshfleet graph --> block');
  const r = await run(packageRoot, 'graph');
  assert.is(m![1].trim(), r.out.trim(), 'run `node bin/meshfleet.mjs graph` and paste its output between the markers');
});

test.run();
