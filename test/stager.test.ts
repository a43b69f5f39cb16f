// The stager: while a render synthesizes, each changed cluster's folder is written privately by a writer thread;
// a folder that cannot be written is left to the writer under the lock, and nothing staged outlives the render.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { joinParts, SharedText, type FilePart } from '../src/sharing/index.ts';
import { HEADER } from '../src/synth/header.ts';
import type { ClusterOutput } from '../src/synth/synth.ts';
import { filesDigest } from '../src/write/files-digest.mjs';
import { Stager } from '../src/write/stager.ts';
import { writeOutputs } from '../src/write/write.ts';
import { readTree } from './support/tree.ts';
import { tempDir } from './support/temp.ts';

function roots() {
  const dir = tempDir('meshfleet-stager-');
  return { dist: join(dir, 'dist'), clusters: join(dir, 'clusters') };
}

const output = (cluster: string, dist: Record<string, string>): ClusterOutput => ({
  cluster,
  dist: new Map(Object.entries(dist)),
  entry: new Map(),
  secretFindings: [],
});

test("a staged folder holds exactly the cluster's files, beside its target, which stays untouched", async () => {
  const r = roots();
  const stager = new Stager(r);
  const a = output('a', {
    'kustomization.yaml': `${HEADER}resources: [config]\n`,
    'config/service-s.yaml': `${HEADER}kind: Service\n`,
  });
  stager.add(a);
  const staged = await stager.take(join(r.dist, 'a'), a.dist);
  assert.ok(staged, 'the folder was staged');
  assert.equal(readTree(staged!), a.dist);
  assert.equal(readdirSync(r.dist), [`.meshfleet-tmp-a-${process.pid}`], 'only the staged folder, no dist/a yet');
  await stager.discard();
});

test('a staging folder already there (a dead render of the same pid) is emptied before the folder is staged', async () => {
  const r = roots();
  const left = join(r.dist, `.meshfleet-tmp-a-${process.pid}`);
  mkdirSync(join(left, 'config'), { recursive: true });
  writeFileSync(join(left, 'config', 'old.yaml'), `${HEADER}old: 1\n`);
  writeFileSync(join(left, 'kustomization.yaml'), 'left behind\n');
  const stager = new Stager(r);
  const a = output('a', {
    'kustomization.yaml': `${HEADER}resources: [config]\n`,
    'config/service-s.yaml': `${HEADER}kind: Service\n`,
  });
  stager.add(a);
  const staged = await stager.take(join(r.dist, 'a'), a.dist);
  assert.is(staged, left);
  assert.equal(readTree(staged!), a.dist, 'exactly the new files: the old ones gone, none written through');
  await stager.discard();
});

test('the writer thread gives the digest of what it wrote, the same the render cache makes of the files', async () => {
  const r = roots();
  const stager = new Stager(r);
  // Paths given out of order, and a text that UTF-8 encodes in more bytes than it has characters.
  const a = output('a', {
    'z.yaml': `${HEADER}z: é\n`,
    'config/b.yaml': `${HEADER}b: 1\n`,
    'config/a.yaml': `${HEADER}a: 1\n`,
  });
  stager.add(a);
  assert.is(stager.digestOf(a.dist), undefined, 'not before the thread has written the folder');
  const staged = await stager.take(join(r.dist, 'a'), a.dist);
  assert.equal(readTree(staged!), a.dist);
  assert.is(stager.digestOf(a.dist), filesDigest(a.dist));
  assert.is(stager.digestOf(new Map(a.dist)), undefined, 'known by the files it was given, not by their content');
  await stager.discard();
});

test('a file given as parts is written and digested as its text, a repeated part sent once for every folder', async () => {
  const r = roots();
  const stager = new Stager(r);
  const peer = new SharedText('  - name: é\n'); // more bytes than characters
  const withParts = (cluster: string, parts: readonly FilePart[]): ClusterOutput => ({
    ...output(cluster, { 'kustomization.yaml': `${HEADER}resources: []\n`, 'big.yaml': joinParts(parts) }),
    parts: new Map([['big.yaml', parts]]),
  });
  const a = withParts('a', [HEADER, 'peers:\n', peer, peer]);
  const b = withParts('b', [HEADER, 'peers:\n', peer, '  - name: b\n']); // the part by its number only
  stager.add(a);
  stager.add(b);
  for (const o of [a, b]) {
    const staged = await stager.take(join(r.dist, o.cluster), o.dist);
    assert.equal(readTree(staged!), o.dist);
    assert.is(stager.digestOf(o.dist), filesDigest(o.dist));
  }
  await stager.discard();
});

test('a folder the writer thread cannot write is given up (left to the lock) and leaves nothing behind', async () => {
  const r = roots();
  const stager = new Stager(r);
  // `x` is a file, so `x/y.yaml` cannot be created: the thread fails mid-folder.
  const bad = output('bad', { x: `${HEADER}a\n`, 'x/y.yaml': `${HEADER}b\n` });
  stager.add(bad);
  assert.is(await stager.take(join(r.dist, 'bad'), bad.dist), undefined);
  assert.is(stager.digestOf(bad.dist), undefined, 'no digest for what was not written');
  assert.equal(readdirSync(r.dist), []);
  await stager.discard();
});

test('discard removes every folder not taken', async () => {
  const r = roots();
  const stager = new Stager(r);
  for (const name of ['a', 'b', 'c']) stager.add(output(name, { 'kustomization.yaml': `${HEADER}resources: []\n` }));
  await stager.discard();
  assert.equal(readdirSync(r.dist), []);
});

test('a new clusters/<cluster>/ folder is staged whole and moved in, unless one appeared meanwhile', async () => {
  const r = roots();
  const entry = (cluster: string): ClusterOutput => ({
    ...output(cluster, { 'kustomization.yaml': `${HEADER}resources: []\n` }),
    entry: new Map([['meshfleet.yaml', `${HEADER}kind: Kustomization\n`]]),
  });
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(entry);
  const stager = new Stager(r);
  const written = async (o: ClusterOutput) => {
    for (let i = 0; i < 5000 && stager.digestOf(o.entry) === undefined; i++)
      await new Promise((done) => setTimeout(done, 1));
  };
  stager.add(a);
  await written(a);
  stager.add(b);
  await written(b);
  stager.add(c);
  stager.add(d); // with c's folders still queued: the thread's backlog does not change what it is given
  // Meanwhile `flux bootstrap` makes clusters/b/flux-system/: b's staged folder must not replace it.
  mkdirSync(join(r.clusters, 'b', 'flux-system'), { recursive: true });
  writeFileSync(join(r.clusters, 'b', 'flux-system', 'gotk-sync.yaml'), 'kind: Kustomization\n');
  const changes = await writeOutputs([a, b, c, d], r, {}, undefined, stager);
  assert.equal(
    changes.filter((ch) => ch.path.startsWith(r.clusters)).map((ch) => ch.kind),
    ['create', 'create', 'create', 'create'],
  );
  for (const o of [a, c, d]) assert.equal(readTree(join(r.clusters, o.cluster)), o.entry, o.cluster);
  assert.equal(
    readTree(join(r.clusters, 'b')),
    new Map([...b.entry, ['flux-system/gotk-sync.yaml', 'kind: Kustomization\n']]),
  );
  assert.equal(readdirSync(r.clusters).sort(), ['a', 'b', 'c', 'd'], 'no staged folder left');
  assert.equal(
    [a, b, c, d].map((o) => stager.digestOf(o.entry) !== undefined),
    [true, true, true, true],
    'staged by the thread',
  );
});

test('a folder no one staged is staged under the lock and swapped in the same way', async () => {
  const r = roots();
  const a = output('a', {
    'kustomization.yaml': `${HEADER}resources: [config]\n`,
    'config/service-s.yaml': `${HEADER}kind: Service\n`,
  });
  const changes = await writeOutputs([a], r); // no stager: nothing was staged beforehand
  assert.equal(
    changes.map((c) => c.kind),
    ['create', 'create'],
  );
  assert.equal(readTree(join(r.dist, 'a')), a.dist);
  assert.equal(
    readdirSync(r.dist).filter((n) => n.startsWith('.meshfleet-') && !n.startsWith('.meshfleet-lock')),
    [],
  );
});

test('the build carries the writer thread beside the chunk that starts it (else every folder is written under the lock)', () => {
  for (const file of ['stage-worker.mjs', 'fill-folder.mjs', 'files-digest.mjs']) {
    const built = new URL(`../build/chunks/${file}`, import.meta.url);
    assert.is(
      readFileSync(built, 'utf8'),
      readFileSync(new URL(`../src/write/${file}`, import.meta.url), 'utf8'),
      file,
    );
  }
});

test.run();
