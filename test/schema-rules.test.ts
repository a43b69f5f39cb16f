// Issue 20, problem 7: the schema an editor reads (yaml-language-server) refuses what `validate` refuses wherever
// JSON Schema can say it, so the editor flags it as the user types. Checked with a plain Ajv and the schema file
// alone, nothing of meshfleet's code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { EXAMPLE, MINIMAL, REPO } from './support/cli.ts';

const schema = JSON.parse(readFileSync(join(REPO, 'schema/fleet.schema.json'), 'utf8'));
// Editors use draft-07 without Ajv's strict mode: so does this check.
const editor = new Ajv({ allErrors: true, strict: false }).compile(schema);

function refusedAt(text: string): string[] {
  if (editor(parse(text))) return [];
  return (editor.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
}

test('the schema alone refuses a cluster name with capitals, one of 41 characters, and "default"', () => {
  assert.equal(refusedAt(EXAMPLE), []);
  assert.equal(refusedAt(MINIMAL), []);
  assert.ok(refusedAt(MINIMAL.replace('name: app', 'name: Trino-adhoc')).includes('/clusters/1/name pattern'));
  assert.ok(refusedAt(MINIMAL.replace('name: app', `name: ${'a'.repeat(41)}`)).includes('/clusters/1/name maxLength'));
  assert.ok(
    refusedAt(MINIMAL.replace('name: app', `name: ${'a'.repeat(32)}`)).length === 0,
    '32 characters are allowed',
  );
  assert.ok(refusedAt(MINIMAL.replace('name: app', 'name: default')).includes('/clusters/1/name not'));
});

test('the schema alone keeps cluster IDs within 1..255, 1..511 with maxConnectedClusters 511, 1..127 with aws-cni', () => {
  assert.ok(refusedAt(MINIMAL.replace('id: 2', 'id: 300')).includes('/clusters/1/id maximum'));
  assert.ok(refusedAt(MINIMAL.replace('id: 2', 'id: 0')).includes('/clusters/1/id minimum'));
  const wide = MINIMAL.replace('dns:', 'cilium:\n  maxConnectedClusters: 511\ndns:');
  assert.equal(refusedAt(wide.replace('id: 2', 'id: 300')), []);
  assert.ok(refusedAt(wide.replace('id: 2', 'id: 512')).includes('/clusters/1/id maximum'));
  const aws = MINIMAL.replace('dns:', 'cilium:\n  cni: aws-cni\ndns:');
  assert.ok(refusedAt(aws.replace('id: 2', 'id: 200')).includes('/clusters/1/id maximum'));
  assert.equal(
    refusedAt(aws.replace('id: 2', 'id: 200\n    cilium:\n      cni: native')),
    [],
    'a cluster that overrides cni to native',
  );
  assert.ok(
    refusedAt(MINIMAL.replace('id: 2', 'id: 200\n    cilium:\n      cni: aws-cni')).includes('/clusters/1/id maximum'),
  );
});

test('the schema alone refuses a connectsTo that cannot be a cluster name, a bucket name S3 refuses, a pod CIDR without a prefix', () => {
  assert.ok(
    refusedAt(MINIMAL.replace('podCIDRs: [10.2.0.0/16]', 'podCIDRs: [10.2.0.0/16]\n    connectsTo: [Store]')).includes(
      '/clusters/1/connectsTo/0 pattern',
    ),
  );
  assert.equal(
    refusedAt(MINIMAL.replace('podCIDRs: [10.2.0.0/16]', 'podCIDRs: [10.2.0.0/16]\n    connectsTo: [store]')),
    [],
  );
  const bucket = (name: string) =>
    refusedAt(
      MINIMAL.replace('podCIDRs: [10.1.0.0/16]', `podCIDRs: [10.1.0.0/16]\n    storage:\n      buckets: [${name}]`),
    );
  assert.equal(bucket('trino-spill'), []);
  assert.ok(bucket('Trino_Spill').includes('/clusters/0/storage/buckets/0 pattern'));
  assert.ok(bucket('ab').includes('/clusters/0/storage/buckets/0 minLength'));
  assert.ok(bucket('x'.repeat(64)).includes('/clusters/0/storage/buckets/0 maxLength'));
  assert.ok(
    refusedAt(MINIMAL.replace('[10.2.0.0/16]', '[10.2.0.0]')).includes('/clusters/1/podCIDRs/0 pattern'),
    'a pod CIDR without its prefix length',
  );
  assert.equal(refusedAt(MINIMAL.replace('[10.2.0.0/16]', '[fd00:10::/48, "::ffff:10.2.0.0/112"]')), []);
});

test("each component says what its own `enabled` installs, not another component's sentence", () => {
  const components = schema.properties.components.properties;
  const enabled = Object.entries(components).map(([name, c]) => [
    name,
    (c as { properties: { enabled: { description: string } } }).properties.enabled.description,
  ]);
  assert.is(new Set(enabled.map(([, d]) => d)).size, enabled.length, JSON.stringify(enabled));
  const product: Record<string, RegExp> = {
    certManager: /cert-manager/,
    externalSecrets: /External Secrets/,
    minioOperator: /MinIO operator/,
  };
  for (const [name, description] of enabled) assert.match(description, product[name], name);
});

test('what the schema says `fleet` does holds for the rendered output: no label claim no object bears out', () => {
  const description: string = schema.properties.fleet.description;
  if (!/label/i.test(description)) return;
  const rendered = readFileSync(join(REPO, 'dist/data-bolt/cilium/helmrelease-cilium.yaml'), 'utf8');
  assert.ok(rendered.includes(': sneaksanddata'), `schema says "${description}" but the objects carry no fleet label`);
});

test.run();
