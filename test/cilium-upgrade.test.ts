// A Cilium minor upgrade on a live fleet, as the README's "Changes on a live fleet" walks it: one cluster at a time,
// each step a fleet that validates, renders through the pinned chart, and changes nothing but the upgraded
// cluster's Cilium release.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { EXAMPLE, run, workspace } from './support/cli.ts';
import { haveHelm, templateCilium } from './support/helm.ts';
import { readTree } from './support/tree.ts';

/** The example with some clusters on their own Cilium version. */
function withVersions(versions: Record<string, string>): string {
  let text = EXAMPLE;
  for (const [cluster, version] of Object.entries(versions)) {
    text = text.replace(
      new RegExp(`(  - name: ${cluster}\\n    id: \\d+\\n)`),
      `$1    cilium:\n      version: ${version}\n`,
    );
  }
  return text;
}

async function render(text: string): Promise<{ dir: string; files: Map<string, string> }> {
  const dir = workspace(text);
  const r = await run(dir, 'render');
  assert.is(r.code, 0, r.err.join('\n'));
  return {
    dir,
    files: new Map([...readTree(join(dir, 'dist')), ...readTree(join(dir, 'clusters'))].map(([k, v]) => [k, v])),
  };
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => before.get(p) !== after.get(p)).sort();
}

test("1.19 → 1.20, storage cluster first: each step changes only the upgraded cluster's Cilium release", async () => {
  const start = await render(EXAMPLE);
  const storageFirst = await render(withVersions({ 'data-bolt': '1.20.0' }));
  assert.equal(changed(start.files, storageFirst.files), ['data-bolt/cilium/helmrelease-cilium.yaml']);
  const release = parse(
    readFileSync(join(storageFirst.dir, 'dist', 'data-bolt', 'cilium', 'helmrelease-cilium.yaml'), 'utf8'),
  );
  assert.is(release.spec.chart.spec.version, '1.20.0');
  if (haveHelm('1.20 release of a mixed fleet')) {
    const chart = templateCilium('1.20.0', release.spec.values);
    assert.is(chart.error, undefined, chart.error);
  }
  const next = await render(withVersions({ 'data-bolt': '1.20.0', 'trino-production-0': '1.20.0' }));
  assert.equal(changed(storageFirst.files, next.files), ['trino-production-0/cilium/helmrelease-cilium.yaml']);
});

test('a mixed fleet validates while connected clusters are one minor apart, and is refused two minors apart', async () => {
  const oneApart = await run(workspace(withVersions({ 'data-bolt': '1.20.0' })), 'validate');
  assert.is(oneApart.code, 0, oneApart.err.join('\n'));
  const twoApart = await run(
    workspace(withVersions({ 'data-bolt': '1.20.0', 'spark-batch-1': '1.18.12' })),
    'validate',
  );
  assert.is(twoApart.code, 1);
  assert.match(twoApart.err.join('\n'), /1\.18\.12/);
});

test.run();
