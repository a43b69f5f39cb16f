// Issue 20, problems 4 and 5: the cause of a refused fleet file is what a person reads first, without a flood of
// knock-on errors, and a cluster is named, not only counted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EXAMPLE, MINIMAL, problems } from './support/cli.ts';

test('one tab used for indentation is one error and one line summing up its knock-ons', async () => {
  const text = EXAMPLE.replace('\n    id: 5\n', '\n\tid: 5\n');
  const lines = await problems(text);
  const line = text.split('\n').indexOf('\tid: 5') + 1;
  assert.is(lines[0], `fleet.yaml:${line}:1: tabs are not allowed for indentation in YAML; indent with spaces`);
  assert.is(lines.length, 2, lines.join('\n'));
  assert.match(
    lines[1],
    /^fleet\.yaml:\d+:\d+: and \d+ more YAML errors from here on, most likely knock-ons of the one above: fix it and run again$/,
  );
});

test("an unquoted {{…}} template, as in the README's TLS example, is named as the cause in two lines", async () => {
  const auth =
    '  auth: {mountPath: kubernetes-{{cluster}}, role: "{{cluster}}-clustermesh",\n' +
    '         serviceAccount: external-secrets/external-secrets}\n';
  const text = EXAMPLE.replace('  server: https://vault.sneaksanddata.internal:8200\n', (m) => m + auth);
  const lines = await problems(text);
  const line = text.split('\n').findIndex((l) => l.startsWith('  auth:')) + 1;
  assert.is(
    lines[0],
    `fleet.yaml:${line}:32: the template kubernetes-{{cluster}} must be quoted, as in "kubernetes-{{cluster}}": unquoted, YAML reads "{" as the start of a map`,
  );
  assert.ok(lines.length <= 2, lines.join('\n'));
});

test('an unquoted template alone on its line is one error', async () => {
  const text = EXAMPLE.replace('endpoint: "{{application}}.{{zone}}"', 'endpoint: {{application}}.{{zone}}');
  const lines = await problems(text);
  assert.equal(
    lines.map((l) => l.replace(/^fleet\.yaml:\d+:\d+: /, '')),
    [
      'the template {{application}}.{{zone}} must be quoted, as in "{{application}}.{{zone}}": unquoted, YAML reads "{" as the start of a map',
    ],
  );
});

test('syntax errors: one per line, at most five, then how many more', async () => {
  // Twelve independent errors: a key repeated in twelve maps.
  const extra = Array.from(
    { length: 12 },
    (_, i) => `    podCIDRs: [10.${50 + i}.0.0/16]\n    podCIDRs: [10.${80 + i}.0.0/16]\n`,
  ).join('');
  const clusters = Array.from(
    { length: 12 },
    (_, i) => `  - name: c${i}\n    id: ${10 + i}\n    role: application\n    application: a${i}\n    environment: e\n`,
  );
  const text = `${MINIMAL}${clusters
    .map(
      (c, i) =>
        c +
        extra
          .split('\n')
          .slice(2 * i, 2 * i + 2)
          .join('\n') +
        '\n',
    )
    .join('')}`;
  const lines = await problems(text);
  assert.is(lines.length, 6, lines.join('\n'));
  for (const l of lines.slice(0, 5)) assert.match(l, /: duplicate key "podCIDRs": each key may appear once in a map$/);
  assert.match(lines[5], /^fleet\.yaml:\d+:\d+: and 7 more YAML errors from here on$/);
  assert.is(new Set(lines.map((l) => l.split(':')[1])).size, 6, 'one per line');
});

test('a misspelt key is the one message: the fields it leaves missing are not reported too', async () => {
  const text = EXAMPLE.replace('    environment: batch-1\n', '    enviroment: batch-1\n');
  const lines = await problems(text);
  assert.equal(
    lines.map((l) => l.replace(/^fleet\.yaml:\d+:\d+: /, '')),
    ['clusters[4] (spark-batch-1).enviroment is not a known field; did you mean "environment"?'],
  );
});

test('a misspelt required key is one message, not also the missing field', async () => {
  const lines = await problems(MINIMAL.replace('    role: application\n', '    rol: application\n'));
  assert.equal(
    lines.map((l) => l.replace(/^fleet\.yaml:\d+:\d+: /, '')),
    ['clusters[1] (app).rol is not a known field; did you mean "role"?'],
  );
});

test('a message about a cluster names it, and the cluster it clashes with', async () => {
  const text = MINIMAL.replace('name: store', 'name: spark-ml').replace(
    'name: app\n    id: 2',
    'name: trino-adhoc\n    id: 1',
  );
  assert.equal(await problems(text), [
    'fleet.yaml:14:9: clusters[1] (trino-adhoc).id 1 is already the ID of clusters[0] (spark-ml); cluster IDs must be unique in the mesh',
  ]);
});

test('a value the schema and a rule both refuse is reported once, in the words of the rule', async () => {
  const text = MINIMAL.replace('name: app', `name: ${'a'.repeat(41)}`).replace('id: 2', 'id: 300');
  const lines = await problems(text);
  assert.equal(
    lines.map((l) => l.replace(/^fleet\.yaml:\d+:\d+: /, '').replace(/a{41}/g, 'A41')),
    [
      'clusters[1] (A41).name "A41" is 41 characters; Cilium allows at most 32',
      'clusters[1] (A41).id 300 is above maxConnectedClusters 255',
    ],
  );
});

test.run();
