import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TreeDiff } from '../src/review/compare.ts';
import { formatMarkdown, MARKDOWN_DIFF_BUDGET } from '../src/review/format.ts';
import { fleetYaml, repoWithFleet, run, SMALL_FLEET } from './support/review-fixtures.ts';

const subject = { file: 'fleet.yaml', base: { commit: '0123456789abcdef0123', label: 'main' } };

test('the markdown comment has a summary table and one collapsed section per changed cluster', async () => {
  const dir = repoWithFleet(fleetYaml(SMALL_FLEET));
  writeFileSync(
    join(dir, 'fleet.yaml'),
    fleetYaml([...SMALL_FLEET.filter((c) => c.name !== 'app-a'), { name: 'app-c', id: 4 }]),
  );
  const { out, code } = await run(dir, 'diff', '--format', 'markdown');
  assert.is(code, 0);
  assert.ok(out.startsWith('<!-- meshfleet diff -->\n'), 'a marker the workflow can find the comment by');
  const rows = out.split('\n').filter((l) => l.startsWith('| `'));
  assert.equal(
    rows.map((r) => r.split('|')[1].trim() + ' ' + r.split('|')[2].trim()),
    ['`app-a` removed', '`app-c` added', '`store` changed'],
  );
  // Objects of a removed cluster: every object it had is counted as removed, none added.
  assert.match(rows[0], /^\| `app-a` \| removed \| 0 \| [1-9]\d* \| 0 \|$/);
  const summaries = out.split('\n').filter((l) => l.startsWith('<details><summary>'));
  assert.is(summaries.length, 3);
  assert.is((out.match(/<\/details>/g) ?? []).length, 3);
  assert.is((out.match(/^`{3,}diff$/gm) ?? []).length, 3); // longer fences where a file (vault/*/readme.md) holds ```
});

test('with nothing changed the comment says so in one sentence', async () => {
  const dir = repoWithFleet(fleetYaml(SMALL_FLEET));
  const { out } = await run(dir, 'diff', '--format', 'markdown');
  assert.match(
    out,
    /^No changes in the rendered output against `fleet\.yaml` at `[0-9a-f]{12}` \(merge base with the main branch\): 3 clusters unchanged\.$/m,
  );
  assert.not.match(out, /<details>/);
});

const fakeDiff = (hunks: readonly string[], clusters = 1): TreeDiff => ({
  clusters: Array.from({ length: clusters }, (_, i) => ({
    cluster: `c${i}`,
    status: 'changed' as const,
    files: [{ path: `dist/c${i}/x.yaml`, status: 'changed' as const, hunks, omitted: 0, objects: [] }],
    objects: { added: [], removed: [], changed: ['Service ns/x'] },
  })),
  unchanged: [],
});

test('rendered text holding backticks cannot close the diff fence', () => {
  const md = formatMarkdown(fakeDiff(['@@ -1 +1 @@', '-a', '+```` inside']), subject);
  assert.match(md, /^`````diff$/m);
  assert.match(md, /^`````$/m);
});

test("diffs that would pass GitHub's comment limit are left out, the table stays complete", () => {
  const big = ['@@ -1 +1 @@', '+x'.repeat(MARKDOWN_DIFF_BUDGET / 4)];
  const md = formatMarkdown(fakeDiff(big, 3), subject);
  assert.ok(md.length < 65_536, `comment is ${md.length} characters`);
  assert.is((md.match(/^\| `c\d` \|/gm) ?? []).length, 3);
  // Each diff takes half the budget: the first fits, the two after it do not.
  assert.is((md.match(/^```diff$/gm) ?? []).length, 1);
  assert.match(
    md,
    /^Left out to stay under GitHub's comment limit: the diff of 2 clusters \(`c1`, `c2`\)\. Run `meshfleet diff --base 0123456789ab` to see it\.$/m,
  );
});

test('a change to hundreds of clusters stays under the comment limit and says what it left out', () => {
  const hunk = [
    '@@ -60,6 +60,9 @@ HelmRelease flux-system/cilium',
    ...Array.from({ length: 40 }, (_, i) => `+          - address: peer-${i}.mesh.example.internal`),
  ];
  const md = formatMarkdown(fakeDiff(hunk, 511), subject);
  assert.ok(md.length < 65_536, `comment is ${md.length} characters`);
  assert.match(md, /^\| 411 more clusters \| \| \| \| \|$/m);
  const shown = (md.match(/^```diff$/gm) ?? []).length;
  assert.ok(shown > 10, `${shown} diffs shown`);
  assert.match(
    md,
    new RegExp(
      `^Left out to stay under GitHub's comment limit: the diff of ${511 - shown} clusters \\(.* and \\d+ more\\)\\. Run \`meshfleet diff --base 0123456789ab\` to see it\\.$`,
      'm',
    ),
  );
});

test.run();
