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
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml([...SMALL_FLEET.filter((c) => c.name !== 'app-a'), { name: 'app-c', id: 4 }]));
  const { out, code } = await run(dir, 'diff', '--format', 'markdown');
  assert.is(code, 0);
  assert.ok(out.startsWith('<!-- meshfleet diff -->\n'), 'a marker the workflow can find the comment by');
  const rows = out.split('\n').filter((l) => l.startsWith('| `'));
  assert.equal(rows.map((r) => r.split('|')[1].trim() + ' ' + r.split('|')[2].trim()), ['`app-a` removed', '`app-c` added', '`store` changed']);
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
  assert.match(out, /^No changes in the rendered output against `fleet\.yaml` at `[0-9a-f]{12}` \(merge base with the main branch\): 3 clusters unchanged\.$/m);
  assert.not.match(out, /<details>/);
});

const fakeDiff = (patch: string, clusters = 1): TreeDiff => ({
  clusters: Array.from({ length: clusters }, (_, i) => ({
    cluster: `c${i}`, status: 'changed' as const, files: [{ path: `dist/c${i}/x.yaml`, status: 'changed' as const, patch }],
    objects: { added: [], removed: [], changed: ['Service ns/x'] },
  })),
  unchanged: [],
});

test('rendered text holding backticks cannot close the diff fence', () => {
  const md = formatMarkdown(fakeDiff('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+```` inside\n'), subject);
  assert.match(md, /^`````diff$/m);
  assert.match(md, /^`````$/m);
});

test('diffs that would pass GitHub\'s comment limit are left out, the table stays complete', () => {
  const big = `--- a/x\n+++ b/x\n@@ -1 +1 @@\n${'+x'.repeat(MARKDOWN_DIFF_BUDGET / 4)}\n`;
  const md = formatMarkdown(fakeDiff(big, 3), subject);
  assert.ok(md.length < 65_536, `comment is ${md.length} characters`);
  assert.is((md.match(/^\| `c\d` \|/gm) ?? []).length, 3);
  // Each diff takes half the budget: the first fits, the two after it do not.
  assert.is((md.match(/^```diff$/gm) ?? []).length, 1);
  assert.is((md.match(/Diff left out/g) ?? []).length, 2);
  assert.match(md, /Run `meshfleet diff --base 0123456789ab` to see it\./);
});

test.run();
