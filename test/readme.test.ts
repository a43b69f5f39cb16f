import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fleetReference } from '../scripts/fleet-reference.ts';
import { REPO } from './support/cli.ts';

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

function block(name: string): string {
  const match = new RegExp(`<!-- ${name} -->\\n([\\s\\S]*?)\\n<!-- /${name} -->`).exec(readme);
  if (!match) throw new Error(`README.md has no <!-- ${name} --> block`);
  return match[1];
}

test('the README documents every fleet.yaml field exactly as the schema has it', () => {
  assert.fixture(block('fleet reference'), fleetReference(), 'regenerate with: npx tsx scripts/fleet-reference.ts');
});

test('the README names both commands a new user needs', () => {
  assert.ok(readme.includes('npm install && npm start'));
  assert.ok(readme.includes('npm test'));
});

test.run();
