import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fleetReference } from '../scripts/fleet-reference.ts';
import { REPO } from './support/cli.ts';
import { userDocs } from './support/docs.ts';

const read = (path: string) => readFileSync(join(REPO, path), 'utf8');
const readme = read('README.md');

function block(path: string, name: string): string {
  const match = new RegExp(`<!-- ${name} -->\\n([\\s\\S]*?)\\n<!-- /${name} -->`).exec(read(path));
  if (!match) throw new Error(`${path} has no <!-- ${name} --> block`);
  return match[1];
}

test('docs/fleet-reference.md documents every fleet.yaml field exactly as the schema has it', () => {
  assert.fixture(
    block('docs/fleet-reference.md', 'fleet reference'),
    fleetReference(),
    'regenerate with: npx tsx scripts/fleet-reference.ts',
  );
});

test('the README walks a new user from installing meshfleet to a rendered fleet; CONTRIBUTING.md a contributor', () => {
  for (const step of [
    'npm install --save-dev',
    'npx meshfleet init',
    'npx meshfleet validate',
    'npx meshfleet render',
  ]) {
    assert.ok(readme.includes(step), step);
  }
  const contributing = read('CONTRIBUTING.md');
  for (const step of ['npm ci', 'npm test', 'npm run bench']) assert.ok(contributing.includes(step), step);
});

// The README is for users: the depth lives in docs/, one link away (issue 21 sets the budget).
test('the README stays under 35 KB', () => {
  assert.ok(Buffer.byteLength(readme) < 35 * 1024, `README.md is ${Buffer.byteLength(readme)} bytes`);
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** The anchors of a page's headings, outside code blocks. */
function anchors(text: string): Set<string> {
  const found = new Set<string>();
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const f = /^(`{3,})/.exec(line);
    if (f && (fence === undefined || f[1] === fence)) fence = fence === undefined ? f[1] : undefined;
    else if (fence === undefined && /^#{1,6} /.test(line)) found.add(anchor(line.replace(/^#+ /, '')));
  }
  return found;
}

/** A page without its code: fenced blocks and `inline code` hold no links. */
const prose = (text: string) => text.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '').replace(/`[^`\n]*`/g, '');

test('every link between the README, docs/ and CONTRIBUTING.md finds its file and, where it names one, its heading', () => {
  const broken: string[] = [];
  const contributing = { path: 'CONTRIBUTING.md', text: read('CONTRIBUTING.md') };
  for (const page of [...userDocs(), contributing]) {
    for (const [, target] of prose(page.text).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [file, hash] = target.split('#');
      const path = file === '' ? page.path : normalize(join(dirname(page.path), file));
      if (!existsSync(join(REPO, path))) broken.push(`${page.path}: ${target} (no file ${path})`);
      else if (hash !== undefined && path.endsWith('.md') && !anchors(read(path)).has(hash))
        broken.push(`${page.path}: ${target} (no heading)`);
    }
  }
  assert.equal(broken, []);
});

test('every section the README sends the reader to by name (see "Delivery") is one of its headings', () => {
  const headings = [...readme.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
  const named = [...readme.matchAll(/\b[Ss]ee "([^"]+)"/g)].map((m) => m[1]);
  assert.ok(named.length >= 5, `only ${named.length} references`);
  for (const name of named)
    assert.ok(
      headings.some((h) => h.startsWith(name)),
      `see "${name}": no such section`,
    );
});

test.run();
