// `meshfleet status`, one column at a time: the CLI in-process, the real @kubernetes/client-node, a fake API server on
// 127.0.0.1 serving the fleet's healthy clusters, each test breaking one thing.
import { dump } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MINIMAL } from './support/cli.ts';
import { ARGO_REVISION, ARGOCD, customObject, REVISION, setMeshMetrics } from './support/fake-kube-fleet.ts';
import { ARGO_FLEET, closeAfterEach, HEALTHY, row, setup } from './support/fake-kube-setup.ts';

closeAfterEach(test);

const HEADER = ['CLUSTER', 'DELIVERY', 'IDENTITY', 'TLS', 'MESH', 'SERVICES', 'ENDPOINT'];
const json = (out: readonly string[]) => JSON.parse(out.join('\n'));

test('a healthy fleet: every column ok, the summary says so, exit 0', async () => {
  const s = await setup();
  const r = await s.status();
  assert.is(r.code, 0, r.out.join('\n'));
  assert.equal(r.out[0].split(/\s+/), HEADER);
  assert.equal(row(r.out, 'app').slice(1), HEALTHY);
  assert.equal(row(r.out, 'store').slice(1), HEALTHY);
  assert.is(r.out.at(-1), '2 clusters: all match test.');
  assert.equal(r.err, []);
});

test('--json: one document with every cluster and column, ok true', async () => {
  const s = await setup();
  const r = await s.status('--json');
  assert.is(r.code, 0);
  const doc = json(r.out);
  assert.is(doc.fleet, 'test');
  assert.is(doc.ok, true);
  assert.equal(
    doc.clusters.map((c: { name: string }) => c.name),
    ['app', 'store'],
  );
  assert.equal(Object.keys(doc.clusters[0].checks), ['delivery', 'identity', 'tls', 'mesh', 'services', 'endpoint']);
  assert.ok(Object.values(doc.clusters[0].checks).every((c) => (c as { status: string }).status === 'ok'));
});

test("delivery: the revision the Kustomizations applied and each chart's version, in the details", async () => {
  const s = await setup();
  const r = await s.status('--cluster', 'app');
  assert.ok(r.out.includes(`  delivery: synced at ${REVISION}`), r.out.join('\n'));
  const charts = r.out.find((l) => l.startsWith('  delivery: charts '));
  assert.match(charts ?? '', /^ {2}delivery: charts cert-manager v\S+, cilium 1\.19\.6, external-secrets \S+$/);
});

test("delivery --json: each object's revision; a HelmRelease's with its chart and Helm release number", async () => {
  const s = await setup();
  const cilium = customObject(s.state('app'), 'HelmRelease', 'cilium');
  cilium.status.history.unshift({ ...cilium.status.history[0], version: 4 });
  const revisions = json((await s.status('--json', '--cluster', 'app')).out).clusters[0].checks.delivery.revisions;
  assert.equal(
    revisions.find((x: { name: string }) => x.name === 'cilium'),
    { kind: 'HelmRelease', namespace: 'flux-system', name: 'cilium', revision: '1.19.6', chart: 'cilium', release: 4 },
  );
  const kustomizations = revisions.filter((x: { kind: string }) => x.kind === 'Kustomization');
  assert.ok(kustomizations.length > 0);
  assert.ok(
    kustomizations.every((x: { revision: string }) => x.revision === REVISION),
    JSON.stringify(kustomizations),
  );
});

test('delivery: a HelmRelease still running another chart version than the render pins fails', async () => {
  const s = await setup();
  customObject(s.state('store'), 'HelmRelease', 'cilium').status.history[0].chartVersion = '1.18.12';
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'store')[1], 'FAIL');
  assert.ok(
    r.out.includes('  delivery: HelmRelease flux-system/cilium runs chart cilium 1.18.12, the fleet renders 1.19.6'),
    r.out.join('\n'),
  );
});

test('delivery: a Kustomization not Ready fails with its reason', async () => {
  const s = await setup();
  const k = customObject(s.state('store'), 'Kustomization', 'meshfleet-config');
  k.status.conditions = [
    {
      type: 'Ready',
      status: 'False',
      reason: 'DependencyNotReady',
      message: 'dependency flux-system/meshfleet-infrastructure is not ready',
    },
  ];
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'store')[1], 'FAIL');
  assert.ok(
    r.out.includes(
      '  delivery: Kustomization flux-system/meshfleet-config not Ready (DependencyNotReady: dependency flux-system/meshfleet-infrastructure is not ready)',
    ),
    r.out.join('\n'),
  );
});

test('Argo CD: the Applications are read from the Argo CD cluster, with their revisions', async () => {
  const s = await setup(ARGO_FLEET);
  const r = await s.status('--argocd-context', ARGOCD);
  assert.is(r.code, 0, r.out.join('\n'));
  assert.ok(r.out.includes(`  delivery: synced at ${ARGO_REVISION}`), r.out.join('\n'));
  assert.ok(
    r.out.some((l) => /^ {2}delivery: charts cert-manager v\S+, cilium 1\.19\.6, external-secrets \S+$/.test(l)),
    r.out.join('\n'),
  );
});

test("Argo CD: an Application OutOfSync fails that cluster's delivery", async () => {
  const s = await setup(ARGO_FLEET);
  const app = customObject(s.state(ARGOCD), 'Application', 'app-config');
  app.status.sync.status = 'OutOfSync';
  const r = await s.status('--argocd-context', ARGOCD);
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[1], 'FAIL');
  assert.is(row(r.out, 'store')[1], 'ok');
  assert.ok(
    r.out.includes('  delivery: Application argocd/app-config is OutOfSync/Healthy, not Synced/Healthy'),
    r.out.join('\n'),
  );
});

test('Argo CD: without --argocd-context the current context is the Argo CD cluster', async () => {
  const s = await setup(ARGO_FLEET, { current: ARGOCD });
  assert.is((await s.status()).code, 0);
});

test("Argo CD: an Argo CD cluster that cannot be read is every cluster's delivery error, the rest still checked", async () => {
  const s = await setup(ARGO_FLEET);
  const r = await s.status('--argocd-context', 'nowhere');
  assert.is(r.code, 1);
  assert.equal(row(r.out, 'app').slice(1), ['ERROR', 'ok', 'ok', 'ok', 'ok', 'ok']);
  assert.ok(
    r.out.includes('  delivery: Argo CD cluster (context nowhere): no context "nowhere" in the kubeconfig'),
    r.out.join('\n'),
  );
});

test('identity: a wrong cluster ID fails, saying what runs and what the fleet says', async () => {
  const s = await setup();
  s.state('app').configMaps.get('kube-system/cilium-config')!.data['cluster-id'] = '9';
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[2], 'FAIL');
  assert.ok(r.out.includes('  identity: cluster-id is "9", the fleet says "2"'), r.out.join('\n'));
});

test('tls: an expired certificate fails with its date; exit 1', async () => {
  const s = await setup();
  const cert = customObject(s.state('app'), 'Certificate', 'app-self-signed-ca');
  cert.status.notAfter = new Date(Date.now() - 3.5 * 86_400_000).toISOString();
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[3], 'FAIL');
  assert.is(row(r.out, 'store')[3], 'ok');
  assert.ok(
    r.out.includes(`  tls: Certificate kube-system/app-self-signed-ca expired 3 days ago (${cert.status.notAfter})`),
    r.out.join('\n'),
  );
  assert.is(r.out.at(-1), '2 clusters: 1 does not match: app.');
});

test('tls: a certificate expiring within 30 days is a warning, not a failure', async () => {
  const s = await setup();
  const cert = customObject(s.state('store'), 'Certificate', 'clustermesh-apiserver-server-cert');
  cert.status.notAfter = new Date(Date.now() + 10.5 * 86_400_000).toISOString();
  const r = await s.status('--json');
  assert.is(r.code, 0);
  const store = json(r.out).clusters[1];
  assert.is(store.checks.tls.status, 'warn');
  assert.equal(store.checks.tls.details, [
    `Certificate kube-system/clustermesh-apiserver-server-cert expires in 10 days (${cert.status.notAfter})`,
  ]);
});

test('mesh: a disconnected peer fails, as KVStoreMesh reports it', async () => {
  const s = await setup();
  setMeshMetrics(s.state('app'), 'app', ['store'], (_peer, pod) => !pod.startsWith('clustermesh-apiserver'));
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[4], 'FAIL');
  assert.ok(
    r.out.includes('  mesh: peer store not ready in 1 of 1 KVStoreMesh pod (clustermesh-apiserver-7d9f8)'),
    r.out.join('\n'),
  );
});

test('mesh: one agent not connected fails, as the agents report it (the rendered values turn their metrics on)', async () => {
  const s = await setup();
  setMeshMetrics(s.state('app'), 'app', ['store'], (_peer, pod) => pod !== 'cilium-9bq7r');
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[4], 'FAIL');
  assert.ok(r.out.includes('  mesh: peer store not ready in 1 of 2 agent pods (cilium-9bq7r)'), r.out.join('\n'));
});

test('mesh: a peer Cilium does not know at all is "not configured"', async () => {
  const s = await setup();
  setMeshMetrics(s.state('store'), 'store', []);
  const r = await s.status();
  assert.is(r.code, 1);
  assert.ok(
    r.out.includes('  mesh: peer app not configured in 1 of 1 KVStoreMesh pod (clustermesh-apiserver-7d9f8)'),
    r.out.join('\n'),
  );
});

test('mesh: an unexpected peer is reported', async () => {
  const s = await setup();
  setMeshMetrics(s.state('app'), 'app', ['store', 'ghost']);
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[4], 'FAIL');
  assert.ok(
    r.out.some((l) => l.startsWith('  mesh: unexpected peer ghost')),
    r.out.join('\n'),
  );
});

test('mesh: a fleet whose own values turn the agents\' metrics off is "cannot see", never ok', async () => {
  const fleet = MINIMAL.replace(
    'clusters:\n',
    `${dump({ cilium: { values: { prometheus: { enabled: false } } } })}clusters:\n`,
  );
  const s = await setup(fleet);
  const r = await s.status();
  assert.is(r.code, 1);
  assert.equal(row(r.out, 'app').slice(1), ['ok', 'ok', 'ok', 'ERROR', 'ok', 'ok']);
  assert.ok(
    r.out.includes(
      "  mesh: cannot see the agents: the fleet's cilium.values set prometheus.enabled to false, and status reads the remote clusters from those metrics",
    ),
    r.out.join('\n'),
  );
});

test('mesh: a fleet whose own values turn KVStoreMesh\'s metrics off is "cannot see" too', async () => {
  const values = { clustermesh: { apiserver: { metrics: { kvstoremesh: { enabled: false } } } } };
  const s = await setup(MINIMAL.replace('clusters:\n', `${dump({ cilium: { values } })}clusters:\n`));
  const r = await s.status('--cluster', 'store');
  assert.is(r.code, 1);
  assert.is(row(r.out, 'store')[4], 'ERROR');
  assert.ok(
    r.out.includes(
      "  mesh: cannot see KVStoreMesh: the fleet's cilium.values set clustermesh.apiserver.metrics.kvstoremesh.enabled to false, and status reads the remote clusters from those metrics",
    ),
    r.out.join('\n'),
  );
});

test('services: a global Service with the wrong shared annotation fails', async () => {
  const s = await setup();
  const svc = s.state('app').services.get('minio-tenant/s3-internal')!;
  svc.metadata.annotations['service.cilium.io/shared'] = 'true';
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[5], 'FAIL');
  assert.ok(
    r.out.includes(
      '  services: Service minio-tenant/s3-internal: service.cilium.io/shared is "true", the fleet says "false"',
    ),
    r.out.join('\n'),
  );
});

test("endpoint: the load balancer's address, in the details and in --json", async () => {
  const s = await setup();
  assert.ok(
    (await s.status()).out.includes(
      '  endpoint: load balancer app-lb.elb.us-east-1.amazonaws.com, for batch.spark.mesh.example.internal',
    ),
  );
  const app = json((await s.status('--json')).out).clusters[0];
  assert.is(app.checks.endpoint.loadBalancer, 'app-lb.elb.us-east-1.amazonaws.com');
});

test('endpoint: a load balancer without an address fails', async () => {
  const s = await setup();
  s.state('app').services.get('kube-system/clustermesh-apiserver')!.status = { loadBalancer: {} };
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[6], 'FAIL');
  assert.ok(
    r.out.includes('  endpoint: Service kube-system/clustermesh-apiserver has no load balancer address yet'),
    r.out.join('\n'),
  );
});

test('endpoint: with dns.target set, a load balancer other than the target fails', async () => {
  const fleet = MINIMAL.replace(
    '    environment: batch\n',
    '    environment: batch\n    dns:\n      target:\n        dnsName: old-lb.elb.us-east-1.amazonaws.com\n        hostedZoneId: Z35SXDOTRQ7X7K\n',
  );
  const s = await setup(fleet);
  const r = await s.status();
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[6], 'FAIL');
  assert.ok(
    r.out.includes(
      '  endpoint: batch.spark.mesh.example.internal is set to alias old-lb.elb.us-east-1.amazonaws.com (dns.target), but the load balancer is app-lb.elb.us-east-1.amazonaws.com',
    ),
    r.out.join('\n'),
  );
  s.state('app').services.get('kube-system/clustermesh-apiserver')!.status.loadBalancer.ingress = [
    { hostname: 'old-lb.elb.us-east-1.amazonaws.com' },
  ];
  assert.is((await s.status()).code, 0);
});

test.run();
