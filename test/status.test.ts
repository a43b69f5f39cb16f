// `meshfleet status` end to end: the CLI in-process, the real @kubernetes/client-node, a fake API server on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dump } from 'js-yaml';
import { STATUS_CILIUM_VALUES } from '../src/status/cilium-values.ts';
import { STATUS_RBAC, rbacYaml } from '../src/status/rbac.ts';
import { MINIMAL, REPO, run, workspace } from './support/cli.ts';
import { FakeKube, startSilentServer, writeKubeconfig, type FakeClusterState } from './support/fake-kube.ts';
import { FakeAws, useFakeCredentials, type FakeRecord } from './support/fake-aws.ts';
import { customObject, healthyFleet, REVISION, setMeshMetrics } from './support/fake-kube-fleet.ts';

const closers: (() => Promise<void>)[] = [];
test.after.each(async () => {
  for (const close of closers.splice(0)) await close();
});

interface Setup {
  readonly dir: string;
  readonly fake: FakeKube;
  readonly kubeconfig: string;
  state(cluster: string): FakeClusterState;
  status(...args: string[]): ReturnType<typeof run>;
}

async function setup(fleet = MINIMAL, kube: Parameters<typeof writeKubeconfig>[3] & { readonly only?: readonly string[] } = {}): Promise<Setup> {
  const dir = workspace(fleet);
  const fake = await FakeKube.start();
  closers.push(() => fake.close());
  for (const [name, state] of healthyFleet(fleet)) fake.clusters.set(name, state);
  const kubeconfig = writeKubeconfig(dir, fake.url, kube.only ?? [...fake.clusters.keys()], kube);
  return {
    dir,
    fake,
    kubeconfig,
    state: (c) => fake.clusters.get(c)!,
    status: (...args) => run(dir, 'status', '--kubeconfig', kubeconfig, ...args),
  };
}

/** The table row of a cluster, as cells. */
function row(out: readonly string[], cluster: string): string[] {
  const line = out.find((l) => l.startsWith(`${cluster} `));
  assert.ok(line, `no row for ${cluster} in:\n${out.join('\n')}`);
  return line!.trim().split(/\s+/);
}

const HEADER = ['CLUSTER', 'DELIVERY', 'IDENTITY', 'TLS', 'MESH', 'SERVICES', 'ENDPOINT'];

test('a healthy fleet: every column ok, the revision and load balancer in the details, exit 0', async () => {
  const s = await setup();
  const r = await s.status();
  assert.is(r.code, 0, r.err.join('\n'));
  assert.equal(r.out[0].split(/\s+/), HEADER);
  assert.equal(row(r.out, 'app'), ['app', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
  assert.equal(row(r.out, 'store'), ['store', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
  assert.ok(r.out.includes(`  delivery: synced at ${REVISION}`), r.out.join('\n'));
  assert.ok(r.out.some((l) => l.includes('endpoint: ') && l.includes('app-lb.elb.us-east-1.amazonaws.com')));
  assert.is(r.out.at(-1), '2 clusters: all match test.');
  assert.equal(r.err, []);
});

test('--json: one document with every cluster and column, ok true', async () => {
  const s = await setup();
  const r = await s.status('--json');
  assert.is(r.code, 0);
  const doc = JSON.parse(r.out.join('\n'));
  assert.is(doc.fleet, 'test');
  assert.is(doc.ok, true);
  assert.equal(doc.clusters.map((c: { name: string }) => c.name), ['app', 'store']);
  assert.equal(Object.keys(doc.clusters[0].checks), ['delivery', 'identity', 'tls', 'mesh', 'services', 'endpoint']);
  assert.ok(Object.values(doc.clusters[0].checks).every((c) => (c as { status: string }).status === 'ok'));
});

test('an expired certificate fails TLS with its date; exit 1', async () => {
  const s = await setup();
  const cert = customObject(s.state('app'), 'Certificate', 'app-self-signed-ca');
  cert.status.notAfter = new Date(Date.now() - 3.5 * 86_400_000).toISOString();
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[3], 'FAIL');
  assert.is(row(r.out, 'store')[3], 'ok');
  assert.ok(r.out.includes(`  tls: Certificate kube-system/app-self-signed-ca expired 3 days ago (${cert.status.notAfter})`), r.out.join('\n'));
  assert.is(r.out.at(-1), '2 clusters: 1 does not match: app.');
});

test('a certificate expiring within 30 days is a warning, not a failure', async () => {
  const s = await setup();
  const cert = customObject(s.state('store'), 'Certificate', 'clustermesh-apiserver-server-cert');
  cert.status.notAfter = new Date(Date.now() + 10.5 * 86_400_000).toISOString();
  const r = await s.status('--json');
  assert.is(r.code, 0);
  const store = JSON.parse(r.out.join('\n')).clusters[1];
  assert.is(store.checks.tls.status, 'warn');
  assert.equal(store.checks.tls.details, [`Certificate kube-system/clustermesh-apiserver-server-cert expires in 10 days (${cert.status.notAfter})`]);
});

test('a wrong cluster ID fails identity, saying what runs and what the fleet says', async () => {
  const s = await setup();
  s.state('app').configMaps.get('kube-system/cilium-config')!.data['cluster-id'] = '9';
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[2], 'FAIL');
  assert.ok(r.out.includes('  identity: cluster-id is "9", the fleet says "2"'), r.out.join('\n'));
});

test('a disconnected peer fails the mesh column, as KVStoreMesh reports it', async () => {
  const s = await setup();
  setMeshMetrics(s.state('app'), 'app', ['store'], () => false);
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[4], 'FAIL');
  assert.ok(r.out.includes('  mesh: peer store not ready in 1 of 1 KVStoreMesh pod (clustermesh-apiserver-7d9f8)'), r.out.join('\n'));
});

test('a peer Cilium does not know at all is "not configured"', async () => {
  const s = await setup();
  setMeshMetrics(s.state('store'), 'store', []);
  const r = await s.status();
  assert.is(r.code, 1);
  assert.ok(r.out.includes('  mesh: peer app not configured in 1 of 1 KVStoreMesh pod (clustermesh-apiserver-7d9f8)'), r.out.join('\n'));
});

test('an unexpected peer is reported', async () => {
  const s = await setup();
  setMeshMetrics(s.state('app'), 'app', ['store', 'ghost']);
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[4], 'FAIL');
  assert.ok(r.out.some((l) => l.startsWith('  mesh: unexpected peer ghost')), r.out.join('\n'));
});

test('with STATUS_CILIUM_VALUES rendered, the agents are read too: one agent not connected fails the mesh', async () => {
  const values = dump({ cilium: { values: STATUS_CILIUM_VALUES } });
  const fleet = MINIMAL.replace('clusters:\n', `${values}clusters:\n`);
  const s = await setup(fleet);
  assert.is((await s.status()).code, 0);
  setMeshMetrics(s.state('app'), 'app', ['store'], (_peer, pod) => pod !== 'cilium-9bq7r');
  const r = await s.status();
  assert.is(r.code, 1);
  assert.ok(r.out.includes('  mesh: peer store not ready in 1 of 2 agent pods (cilium-9bq7r)'), r.out.join('\n'));
});

test('a Kustomization not Ready fails delivery with its reason', async () => {
  const s = await setup();
  const k = customObject(s.state('store'), 'Kustomization', 'meshfleet-config');
  k.status.conditions = [{ type: 'Ready', status: 'False', reason: 'DependencyNotReady', message: 'dependency flux-system/meshfleet-infrastructure is not ready' }];
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'store')[1], 'FAIL');
  assert.ok(r.out.includes('  delivery: Kustomization flux-system/meshfleet-config not Ready (DependencyNotReady: dependency flux-system/meshfleet-infrastructure is not ready)'), r.out.join('\n'));
});

test('a global Service with the wrong shared annotation fails services', async () => {
  const s = await setup();
  const svc = s.state('app').services.get('minio-tenant/s3-internal')!;
  svc.metadata.annotations['service.cilium.io/shared'] = 'true';
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[5], 'FAIL');
  assert.ok(r.out.includes('  services: Service minio-tenant/s3-internal: service.cilium.io/shared is "true", the fleet says "false"'), r.out.join('\n'));
});

test('a load balancer without an address fails the endpoint', async () => {
  const s = await setup();
  s.state('app').services.get('kube-system/clustermesh-apiserver')!.status = { loadBalancer: {} };
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[6], 'FAIL');
});

test('an Argo CD fleet: its Applications Synced and Healthy, with the revision; OutOfSync fails delivery', async () => {
  const fleet = MINIMAL.replace('clusters:\n', 'gitops:\n  engine: argocd\n  repository: https://git.example.internal/platform/fleet.git\nclusters:\n');
  const s = await setup(fleet);
  s.fake.rules = STATUS_RBAC;
  const healthy = await s.status();
  assert.is(healthy.code, 0, healthy.out.join('\n'));
  assert.ok(healthy.out.includes('  delivery: synced at 4f2a9c1e'), healthy.out.join('\n'));
  const app = s.state('app').custom.get('applications.argoproj.io')![0];
  app.status.sync.status = 'OutOfSync';
  const r = await s.status();
  assert.is(r.code, 1);
  assert.ok(r.out.includes(`  delivery: Application ${app.metadata.namespace}/${app.metadata.name} is OutOfSync/Healthy, not Synced/Healthy`), r.out.join('\n'));
});

test('with dns.target set, a load balancer other than the target fails the endpoint', async () => {
  const fleet = MINIMAL.replace('    environment: batch\n', '    environment: batch\n    dns:\n      target:\n        dnsName: old-lb.elb.us-east-1.amazonaws.com\n        hostedZoneId: Z35SXDOTRQ7X7K\n');
  const s = await setup(fleet);
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[6], 'FAIL');
  assert.ok(r.out.includes('  endpoint: batch.spark.mesh.example.internal is set to alias old-lb.elb.us-east-1.amazonaws.com, but the load balancer is app-lb.elb.us-east-1.amazonaws.com'), r.out.join('\n'));
  s.state('app').services.get('kube-system/clustermesh-apiserver')!.status.loadBalancer.ingress = [{ hostname: 'old-lb.elb.us-east-1.amazonaws.com' }];
  assert.is((await s.status()).code, 0);
});

test('credentials the API server refuses (401) are that cluster\'s error', async () => {
  const s = await setup();
  s.fake.clusters.set('renamed', s.fake.clusters.get('app')!);
  s.fake.clusters.delete('app');
  const r = await s.status('--json');
  assert.is(r.code, 1);
  assert.is(JSON.parse(r.out.join('\n')).clusters[0].error, `unauthorized at ${s.fake.url}: the kubeconfig's credentials were refused`);
});

test('--dns: each endpoint name must alias its load balancer in Route 53 (the zone read as `dns plan` reads it)', async () => {
  useFakeCredentials();
  const aws = new FakeAws();
  const url = await aws.start();
  let awsUp = true;
  closers.push(async () => {
    if (awsUp) await aws.stop();
  });
  const alias = (name: string, lb: string): FakeRecord => ({
    Name: name, Type: 'A', AliasTarget: { HostedZoneId: 'Z215JYRZR1TBD5', DNSName: `dualstack.${lb}.`, EvaluateTargetHealth: false },
  });
  aws.addZone('ZMESH', 'mesh.example.internal', [
    alias('prod.s3.mesh.example.internal', 'store-lb.elb.us-east-1.amazonaws.com'),
    alias('batch.spark.mesh.example.internal', 'old-lb.elb.us-east-1.amazonaws.com'),
  ]);
  const s = await setup(MINIMAL.replace('  zone: mesh.example.internal\n', '  zone: mesh.example.internal\n  hostedZoneId: ZMESH\n'));
  const r = await s.status('--dns', '--endpoint', url, '--region', 'eu-central-1');
  assert.is(r.code, 1, r.err.join('\n'));
  assert.is(row(r.out, 'store')[6], 'ok');
  assert.is(row(r.out, 'app')[6], 'FAIL');
  assert.ok(r.out.includes('  endpoint: batch.spark.mesh.example.internal aliases old-lb.elb.us-east-1.amazonaws.com, not the load balancer app-lb.elb.us-east-1.amazonaws.com'), r.out.join('\n'));
  // Without --dns the record is not looked at.
  assert.is((await s.status()).code, 0);
  await aws.stop();
  awsUp = false;
  const down = await s.status('--dns', '--endpoint', url, '--region', 'eu-central-1', '--json');
  assert.is(down.code, 1);
  const app = JSON.parse(down.out.join('\n')).clusters[0];
  assert.is(app.checks.endpoint.status, 'error');
  assert.ok(app.checks.endpoint.details[0].startsWith('Route 53 zone ZMESH: '), app.checks.endpoint.details[0]);
});

test('least privilege: exactly the documented ClusterRole and Role suffice', async () => {
  const s = await setup();
  s.fake.rules = STATUS_RBAC;
  const r = await s.status();
  assert.is(r.code, 0, r.out.join('\n'));
});

test('least privilege: every rule is needed (without any one, a 403 shows as that column\'s error, no stack)', async () => {
  const s = await setup();
  // Argo CD's rule serves Argo CD fleets only; this one is delivered by Flux.
  for (const rule of STATUS_RBAC.filter((r) => !r.apiGroups.includes('argoproj.io'))) {
    s.fake.rules = STATUS_RBAC.filter((r) => r !== rule);
    const r = await s.status('--cluster', 'store');
    assert.is(r.code, 1, `still passes without ${JSON.stringify(rule)}`);
    assert.ok(r.out.some((l) => l.includes('forbidden: ')), r.out.join('\n'));
    assert.not.ok([...r.out, ...r.err].some((l) => /\n\s+at /.test(l) || l.includes('internal error')));
  }
});

test('a 403 is that column\'s error, one line; the other columns are still checked', async () => {
  const s = await setup();
  s.fake.rules = STATUS_RBAC.filter((r) => !r.resources.includes('certificates'));
  const r = await s.status();
  assert.is(r.code, 1);
  assert.equal(row(r.out, 'app'), ['app', 'ok', 'ok', 'ERROR', 'ok', 'ok', 'ok']);
  assert.ok(r.out.includes('  tls: forbidden: list certificates.cert-manager.io (see the ClusterRole in docs/status.md)'), r.out.join('\n'));
});

test('an API server that accepts connections and never answers is that cluster\'s error after --timeout', async () => {
  const silent = await startSilentServer();
  closers.push(silent.close);
  const s = await setup(MINIMAL, { servers: { app: silent.url } });
  const r = await s.status('--timeout', '300ms');
  assert.is(r.code, 1);
  assert.equal(row(r.out, 'app'), ['app', 'ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR']);
  assert.equal(row(r.out, 'store'), ['store', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
  assert.ok(r.out.includes(`  error: no answer from ${silent.url} within 300ms`), r.out.join('\n'));
});

test('a refused connection is that cluster\'s error', async () => {
  const silent = await startSilentServer();
  const url = silent.url;
  await silent.close();
  const s = await setup(MINIMAL, { servers: { store: url } });
  const r = await s.status('--json');
  assert.is(r.code, 1);
  const store = JSON.parse(r.out.join('\n')).clusters[1];
  assert.is(store.error, `cannot reach ${url}: ECONNREFUSED`);
});

test('a missing context is that cluster\'s error; the others are checked', async () => {
  const s = await setup(MINIMAL, { only: ['store'] });
  const r = await s.status();
  assert.is(r.code, 1);
  assert.ok(r.out.includes('  error: no context "app" in the kubeconfig'), r.out.join('\n'));
  assert.equal(row(r.out, 'store'), ['store', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
});

test('--context names the contexts by template; a cluster\'s kubeContext in the fleet wins', async () => {
  const fleet = MINIMAL.replace('    role: storage\n', '    role: storage\n    kubeContext: storage-admin\n');
  const s = await setup(fleet, { contextName: (c) => (c === 'store' ? 'storage-admin' : `eks-${c}-batch`) });
  const r = await s.status('--context', 'eks-{{cluster}}-{{environment}}');
  assert.is(r.code, 0, r.out.join('\n'));
  assert.ok(r.out.includes('app (context eks-app-batch):'), r.out.join('\n'));
  assert.ok(r.out.includes('store (context storage-admin):'));
  const without = await s.status();
  assert.is(without.code, 1);
  assert.ok(without.out.includes('  error: no context "app" in the kubeconfig'));
});

test('--cluster checks only the named clusters', async () => {
  const s = await setup();
  const r = await s.status('--cluster', 'store', '--json');
  assert.is(r.code, 0);
  assert.equal(JSON.parse(r.out.join('\n')).clusters.map((c: { name: string }) => c.name), ['store']);
});

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

test('--wait gives up at the deadline and prints what is still missing', async () => {
  const s = await setup();
  setMeshMetrics(s.state('app'), 'app', ['store'], () => false);
  const r = await s.status('--wait', '200ms', '--interval', '50ms');
  assert.is(r.code, 1);
  assert.ok(r.err.at(-1)!.startsWith('meshfleet: gave up waiting: 2 clusters: 1 does not match: app.'), r.err.join('\n'));
  assert.ok(r.out.some((l) => l.startsWith('  mesh: peer store not ready')));
});

test('wrong usage exits 2; an unknown cluster name or a missing kubeconfig exits 1, one line', async () => {
  const s = await setup();
  for (const args of [['--wait', 'soon'], ['--timeout', '0s'], ['--concurrency', '0'], ['--context', '{{nope}}'], ['a.yaml', 'b.yaml']]) {
    const r = await s.status(...args);
    assert.is(r.code, 2, args.join(' '));
  }
  const unknown = await s.status('--cluster', 'nope');
  assert.is(unknown.code, 1);
  assert.equal(unknown.err, ['meshfleet: fleet.yaml: no cluster named "nope"']);
  const missing = await run(s.dir, 'status', '--kubeconfig', join(s.dir, 'absent'));
  assert.is(missing.code, 1);
  assert.equal(missing.err, [`meshfleet: no kubeconfig: ${join(s.dir, 'absent')} not found`]);
});

test('status --help documents every flag', async () => {
  const r = await run(REPO, 'status', '--help');
  assert.is(r.code, 0);
  const help = r.out.join('\n');
  for (const flag of ['--context', '--kubeconfig', '--json', '--wait', '--cluster', '--interval', '--concurrency', '--timeout']) assert.ok(help.includes(flag), flag);
});

test('docs/status.md gives the RBAC status is tested with', () => {
  const doc = readFileSync(join(REPO, 'docs/status.md'), 'utf8');
  assert.ok(doc.includes(rbacYaml()), 'docs/status.md is missing the current rbacYaml() output');
});

test.run();
