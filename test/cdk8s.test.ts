// The cdk8s workflow around meshfleet: generated classes match what `cdk8s import` makes from the vendored CRDs, and
// `cdk8s synth` renders the example fleet.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO } from './support/cli.ts';
import { tempDir } from './support/temp.ts';

const cdk8s = join(REPO, 'node_modules', '.bin', 'cdk8s');

test('imports/ is exactly what `cdk8s import` generates from cdk8s.yaml (never hand-edited)', () => {
  const out = tempDir('meshfleet-import-');
  execFileSync(cdk8s, ['import', '--output', out], { cwd: REPO, stdio: 'pipe' });
  const generated = readdirSync(out)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  const committed = readdirSync(join(REPO, 'imports'))
    .filter((f) => f.endsWith('.ts'))
    .sort();
  assert.equal(committed, generated);
  for (const file of generated) {
    assert.ok(
      readFileSync(join(out, file), 'utf8') === readFileSync(join(REPO, 'imports', file), 'utf8'),
      `${file} differs: run \`npx cdk8s import\``,
    );
  }
});

test('`cdk8s synth` renders every cluster of the example fleet', () => {
  const out = tempDir('meshfleet-synth-');
  execFileSync(cdk8s, ['synth', '--output', out], { cwd: REPO, stdio: 'pipe' });
  const files = readdirSync(out).sort();
  assert.ok(files.includes('data-bolt-infrastructure.k8s.yaml'), files.join(', '));
  assert.ok(files.includes('trino-production-0-config.k8s.yaml'), files.join(', '));
  assert.match(readFileSync(join(out, 'data-bolt-infrastructure.k8s.yaml'), 'utf8'), /kind: HelmRelease/);
});

test.run();
