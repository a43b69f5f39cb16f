// `meshfleet status` as a command: --wait as a readiness gate, exit codes for wrong usage, and its --help.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { COMMANDS } from '../src/cli/command-table.ts';
import { REPO, run } from './support/cli.ts';
import { setMeshMetrics } from './support/fake-kube-fleet.ts';
import { closeAfterEach, setup } from './support/fake-kube-setup.ts';

closeAfterEach(test);

test('--wait looks again until the fleet matches: converging midway exits 0', async () => {
  const s = await setup();
  const cm = s.state('app').configMaps.get('kube-system/cilium-config')!;
  cm.data['cluster-id'] = '9';
  let reads = 0;
  s.fake.onRequest = (cluster, a) => {
    // Cilium comes up with the right ID by the second look.
    if (cluster === 'app' && a.resource === 'configmaps' && ++reads === 2) cm.data['cluster-id'] = '2';
  };
  const r = await s.status('--wait', '60s', '--interval', '20ms');
  assert.is(r.code, 0, [...r.out, ...r.err].join('\n'));
  assert.is(reads, 2);
  assert.equal(r.err, ['waiting: 2 clusters: 1 does not match: app. Next look in 20ms.']);
  assert.is(r.out.at(-1), '2 clusters: all match test.');
});

test('--wait gives up at the deadline, exit 1, and prints what is still missing', async () => {
  const s = await setup();
  setMeshMetrics(s.state('app'), 'app', ['store'], () => false);
  const r = await s.status('--wait', '200ms', '--interval', '50ms');
  assert.is(r.code, 1);
  assert.ok(
    r.err.at(-1)!.startsWith('meshfleet: gave up waiting: 2 clusters: 1 does not match: app.'),
    r.err.join('\n'),
  );
  assert.ok(
    r.out.some((l) => l.startsWith('  mesh: peer store not ready')),
    r.out.join('\n'),
  );
});

test('wrong usage exits 2', async () => {
  const s = await setup();
  for (const args of [
    ['--wait', 'soon'],
    ['--timeout', '0s'],
    ['--concurrency', '0'],
    ['--context', '{{nope}}'],
    ['a.yaml', 'b.yaml'],
    ['--bogus'],
  ]) {
    const r = await s.status(...args);
    assert.is(r.code, 2, args.join(' '));
  }
});

test('an unknown cluster name or a missing kubeconfig exits 1, in one line', async () => {
  const s = await setup();
  const unknown = await s.status('--cluster', 'nope');
  assert.is(unknown.code, 1);
  assert.equal(unknown.err, ['meshfleet: fleet.yaml: no cluster named "nope"']);
  const missing = await run(s.dir, 'status', '--kubeconfig', join(s.dir, 'absent'));
  assert.is(missing.code, 1);
  assert.equal(missing.err, [`meshfleet: no kubeconfig: ${join(s.dir, 'absent')} not found`]);
});

const entry = COMMANDS.find((c) => c.name === 'status')!;

test('status --help documents every flag, with its default', async () => {
  const r = await run(REPO, 'status', '--help');
  assert.is(r.code, 0);
  const help = r.out.join('\n').replace(/\s+/g, ' ');
  for (const o of entry.options ?? []) {
    assert.ok(help.includes(o.flags), o.flags);
    if (o.default !== undefined)
      assert.ok(help.includes(`(default: "${o.default}")`), `${o.flags}: default ${o.default}`);
  }
  for (const flag of [
    '--context',
    '--kubeconfig',
    '--json',
    '--wait',
    '--cluster',
    '--interval',
    '--concurrency',
    '--timeout',
    '--argocd-context',
    '--dns',
    '--endpoint',
    '--region',
    '--rbac',
  ]) {
    assert.ok(help.includes(flag), flag);
  }
});

test('docs/status.md shows status --help as the CLI prints it', async () => {
  const help = (await run(REPO, 'status', '--help')).out.join('\n');
  const doc = readFileSync(join(REPO, 'docs/status.md'), 'utf8');
  assert.ok(
    doc.includes(`\`\`\`text\n$ meshfleet status --help\n${help}\n\`\`\``),
    'docs/status.md has an old copy of status --help',
  );
});

test.run();
