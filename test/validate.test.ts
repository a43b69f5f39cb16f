import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MINIMAL, problems, run, workspace } from './support/cli.ts';

test('the example fleet is valid and summarised in one line', async () => {
  const result = await run(workspace(), 'validate');
  assert.is(result.code, 0, result.err.join('\n'));
  assert.equal(result.out, ['fleet.yaml: valid: 8 clusters (1 storage, 7 application), 7 mesh connections']);
});

test('an ID above maxConnectedClusters is located at the value', async () => {
  const text = MINIMAL.replace('id: 2', 'id: 300');
  assert.equal(await problems(text), ['fleet.yaml:14:9: clusters[1] (app).id 300 is above maxConnectedClusters 255']);
});

test('IDs above 127 are refused with AWS VPC CNI chaining, per cluster override included', async () => {
  const text = MINIMAL.replace('id: 2\n', 'id: 200\n    cilium:\n      cni: aws-cni\n');
  assert.equal(await problems(text), [
    'fleet.yaml:14:9: clusters[1] (app).id 200 is above 127, the limit with cni aws-cni (Cilium refuses IDs 128..255 and 384..511 with AWS VPC CNI chaining, cilium/cilium#21330)',
  ]);
});

test('duplicate cluster names and IDs point at the second occurrence', async () => {
  const text = MINIMAL.replace('name: app\n    id: 2', 'name: store\n    id: 1');
  assert.equal(await problems(text), [
    'fleet.yaml:13:11: clusters[1] (store).name "store" is already the name of clusters[0] (store); cluster names must be unique',
    'fleet.yaml:14:9: clusters[1] (store).id 1 is already the ID of clusters[0] (store); cluster IDs must be unique in the mesh',
  ]);
});

test("Cilium's cluster name rule: length, characters, reserved name", async () => {
  const long = 'a'.repeat(33);
  const text = MINIMAL.replace('name: store', `name: ${long}`).replace('name: app', 'name: default');
  assert.equal(await problems(text), [
    `fleet.yaml:7:11: clusters[0] (${long}).name "${long}" is 33 characters; Cilium allows at most 32`,
    'fleet.yaml:13:11: clusters[1] (default).name "default" is reserved by Cilium for a cluster that is not in a mesh; pick another name',
  ]);
  assert.equal(await problems(MINIMAL.replace('name: app', 'name: App_1')), [
    'fleet.yaml:13:11: clusters[1] (App_1).name "App_1" must be lowercase letters, digits and "-", starting and ending with a letter or digit (Cilium\'s cluster name rule)',
  ]);
});

test('maxConnectedClusters accepts only 255 or 511', async () => {
  const text = MINIMAL.replace('dns:', 'cilium:\n  maxConnectedClusters: 300\ndns:');
  assert.equal(await problems(text), ['fleet.yaml:3:25: cilium.maxConnectedClusters 300 must be one of 255, 511']);
});

test('two clusters with the same mesh endpoint name are refused', async () => {
  const text = MINIMAL.replace('application: spark\n    environment: batch', 'application: s3\n    environment: prod');
  assert.equal(await problems(text), [
    'fleet.yaml:13:5: clusters[1] (app) mesh endpoint "prod.s3.mesh.example.internal" is already the endpoint of clusters[0] (store); each cluster needs its own DNS name',
  ]);
});

test('overlapping PodCIDRs across clusters are refused, naming the other cluster', async () => {
  const text = MINIMAL.replace('[10.1.0.0/16]', '[10.0.0.0/16]').replace('[10.2.0.0/16]', '[10.0.128.0/20, fd00::/64]');
  assert.equal(await problems(text), [
    'fleet.yaml:18:16: clusters[1] (app).podCIDRs[0] 10.0.128.0/20 overlaps 10.0.0.0/16 of store; PodCIDRs must not overlap across the mesh',
  ]);
});

test('a reference to a cluster that does not exist is located in the list', async () => {
  const text = MINIMAL.replace('environment: batch\n', 'environment: batch\n    connectsTo: [store, stroe]\n');
  assert.equal(await problems(text), [
    'fleet.yaml:18:25: clusters[1] (app).connectsTo[1] "stroe" names no cluster in the fleet',
  ]);
});

test('templates: an unknown variable names the template and the variable; a missing value names the cluster', async () => {
  const text = MINIMAL.replace(
    '  zone: mesh.example.internal',
    '  zone: mesh.example.internal\n  endpoint: "{{region}}.{{zone}}"',
  );
  assert.equal(await problems(text), [
    'fleet.yaml:4:13: dns.endpoint template "{{region}}.{{zone}}" uses unknown variable "region"; known: cluster, id, role, application, environment, zone, fleet',
  ]);
  const missing = MINIMAL.replace('    environment: batch\n', '');
  assert.equal(await problems(missing), [
    'fleet.yaml:13:5: clusters[1] (app) has no environment, which dns.endpoint "{{environment}}.{{application}}.{{zone}}" uses; add it to the cluster or change the template',
    'fleet.yaml:13:5: clusters[1] (app) has no environment, which vault.path "clusters/{{application}}/tls/{{environment}}/infrastructure/clustermesh" uses; add it to the cluster or change the template',
  ]);
});

test('schema errors: unknown fields with a suggestion, wrong types, missing fields; all reported at once', async () => {
  const text = MINIMAL.replace('    role: storage\n', '    role: storage\n    conectsTo: [app]\n')
    .replace('id: 2', 'id: two')
    .replace('  zone: mesh.example.internal\n', '  hostedZoneId: Z123\n');
  assert.equal(await problems(text), [
    'fleet.yaml:3:3: dns: missing required field "zone"',
    'fleet.yaml:10:5: clusters[0] (store).conectsTo is not a known field; did you mean "connectsTo"?',
    'fleet.yaml:15:9: clusters[1] (app).id must be an integer, not string "two"',
  ]);
});

test('YAML syntax errors and duplicate keys are located like every other problem', async () => {
  assert.equal(await problems(MINIMAL.replace('fleet: test\n', 'fleet: test\nfleet: again\n')), [
    'fleet.yaml:2:1: duplicate key "fleet": each key may appear once in a map',
  ]);
  const [line] = await problems(MINIMAL.replace('role: storage', 'role: [storage'));
  assert.match(line, /^fleet\.yaml:\d+:\d+: YAML: /);
});

test("Cilium values are checked against the pinned chart version's values schema", async () => {
  const text = MINIMAL.replace('dns:', 'cilium:\n  values:\n    clustermesh:\n      maxConnectedClusters: lots\ndns:');
  assert.equal(await problems(text), [
    'fleet.yaml:5:29: cilium.values.clustermesh.maxConnectedClusters must be integer (Cilium 1.19.6 values schema)',
  ]);
});

test('authMode cluster is refused with per-cluster CAs, where it would refuse every peer', async () => {
  const text = MINIMAL.replace(
    'dns:',
    'cilium:\n  values:\n    clustermesh:\n      apiserver:\n        tls:\n          authMode: cluster\ndns:',
  );
  assert.equal(await problems(text), [
    'fleet.yaml:7:21: cilium.values.clustermesh.apiserver.tls.authMode "cluster" cannot work with tls.mode per-cluster-ca (a peer presents the dialed cluster\'s remote certificate, which that mode refuses); use tls.mode shared-ca or another authMode',
  ]);
  const result = await run(workspace(text.replace('dns:', 'tls:\n  mode: shared-ca\ndns:')), 'validate');
  assert.is(result.code, 0, result.err.join('\n'));
});

test('--format github prints workflow annotations', async () => {
  const result = await run(workspace(MINIMAL.replace('id: 2', 'id: 300')), 'validate', '--format', 'github');
  assert.is(result.code, 1);
  assert.equal(result.out, [
    '::error file=fleet.yaml,line=14,col=9::clusters[1] (app).id 300 is above maxConnectedClusters 255',
  ]);
});

test('a missing file is one line without a stack, exit 1; a wrong flag is a usage error, exit 2', async () => {
  const missing = await run(workspace(), 'validate', 'nope.yaml');
  assert.is(missing.code, 1);
  assert.equal(missing.err, [
    'meshfleet: nope.yaml: no such file; pass the fleet file as an argument (default fleet.yaml)',
  ]);
  const usage = await run(workspace(), 'validate', '--colour');
  assert.is(usage.code, 2);
  assert.match(usage.err[0], /^meshfleet: unknown option '--colour'/);
});

test('an unknown --format is wrong usage: exit 2, the usage on stderr, for every command that takes one', async () => {
  for (const [command, allowed] of [
    ['validate', 'text, github'],
    ['diff', 'text, markdown'],
    ['graph', 'markdown, mermaid'],
  ]) {
    const result = await run(workspace(MINIMAL), command, '--format', 'json');
    assert.is(result.code, 2, `${command}: ${result.err.join('\n')}`);
    assert.equal(result.out, []);
    const first = result.err.join('\n').split('\n')[0];
    assert.ok(first.startsWith('meshfleet: ') && first.includes("'json'") && first.includes(allowed), first);
    assert.match(result.err.join('\n'), /--help/);
  }
});

test.run();
