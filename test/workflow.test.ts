import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { fleetYaml, git, repoWithFleet, run, SMALL_FLEET } from './support/review-fixtures.ts';
import { packageRoot } from './support/upstream.ts';

interface Step {
  name?: string;
  run?: string;
  env?: Record<string, string>;
  uses?: string;
  with?: Record<string, unknown>;
}
const workflow = parse(readFileSync(join(packageRoot, '.github/workflows/meshfleet.yml'), 'utf8'));
const steps: Step[] = workflow.jobs.review.steps;

/** The meshfleet arguments of a `node bin/meshfleet.mjs ...` step, with its env variables substituted. */
function meshfleetArgs(step: Step, env: Record<string, string>): string[] {
  const line = step.run!.split('\n')[0].replace(/\s*>.*$/, '');
  const words = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) =>
    (m[1] ?? m[2]).replace(/\$(\w+)/g, (_, k) => env[k] ?? ''),
  );
  assert.equal(words.slice(0, 2), ['node', 'bin/meshfleet.mjs'], step.run);
  return words.slice(2);
}

const commandSteps = () => steps.filter((s) => s.run?.startsWith('node bin/meshfleet.mjs'));

test('the workflow runs on pull requests with full history, npm ci, then validate, render --check and diff', () => {
  assert.ok('pull_request' in workflow.on);
  assert.is(steps.find((s) => s.uses?.startsWith('actions/checkout'))!.with!['fetch-depth'], 0);
  const at = (re: RegExp) => steps.findIndex((s) => s.run !== undefined && re.test(s.run));
  const order = [
    /^npm ci\b/,
    /meshfleet\.mjs validate --format github\b/,
    /meshfleet\.mjs render --check\b/,
    /meshfleet\.mjs diff --base "\$BASE" --format markdown\b/,
  ].map(at);
  assert.ok(
    order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])),
    `steps in order: ${order}`,
  );
  assert.match(steps.at(-1)!.run!, /gh pr comment "\$PR" --edit-last --create-if-none --body-file meshfleet-diff\.md/);
  assert.is(workflow.permissions['pull-requests'], 'write');
});

test('its meshfleet commands succeed on a pull request that adds a cluster, and the diff is a comment', async () => {
  const dir = repoWithFleet(fleetYaml(SMALL_FLEET));
  // What CI sees: the base branch as origin/main, the pull request's rendered output committed.
  git(dir, 'update-ref', 'refs/remotes/origin/main', 'main');
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml([...SMALL_FLEET, { name: 'app-c', id: 4 }]));
  assert.is((await run(dir, 'render')).code, 0);
  const env = { BASE: `origin/${'main'}` };
  const results = [];
  for (const step of commandSteps()) results.push(await run(dir, ...meshfleetArgs(step, env)));
  assert.equal(
    results.map((r) => r.code),
    [0, 0, 0],
    results.map((r) => r.err).join(''),
  );
  assert.ok(results[2].out.startsWith('<!-- meshfleet diff -->'));
  assert.match(results[2].out, /\| `app-c` \| added \|/);
});

test('its validate step turns problems into GitHub annotations with file, line and column', async () => {
  const dir = repoWithFleet(fleetYaml([...SMALL_FLEET, { name: 'app-c', id: 3 }]));
  const r = await run(dir, ...meshfleetArgs(commandSteps()[0], {}));
  assert.is(r.code, 1);
  assert.match(r.out, /^::error file=fleet\.yaml,line=\d+,col=\d+::clusters\[3\] \([\w-]+\)\.id 3 is already the ID/m);
});

test('its render --check step fails when the committed output is stale', async () => {
  const dir = repoWithFleet(fleetYaml(SMALL_FLEET));
  assert.is((await run(dir, 'render')).code, 0);
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml([...SMALL_FLEET, { name: 'app-c', id: 4 }]));
  assert.is((await run(dir, ...meshfleetArgs(commandSteps()[1], {}))).code, 1);
});

test.run();
