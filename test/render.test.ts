import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, stringify } from 'yaml';
import { EXAMPLE, EXAMPLE_APPLICATIONS, run, workspace } from './support/cli.ts';
import { clusterObjects, find } from './support/output.ts';
import { readTree } from './support/tree.ts';

const APPS = EXAMPLE_APPLICATIONS;

async function rendered(text = EXAMPLE): Promise<string> {
  const dir = workspace(text);
  const result = await run(dir, 'render');
  assert.is(result.code, 0, result.err.join('\n'));
  return dir;
}

const ciliumValues = (dir: string, cluster: string) =>
  find(clusterObjects(join(dir, 'dist'), cluster), 'HelmRelease', 'cilium').spec.values;

test('each cluster gets a folder with its layers and a Flux entry point', async () => {
  const dir = await rendered();
  for (const cluster of ['data-bolt', ...APPS]) {
    assert.ok(existsSync(join(dir, 'dist', cluster, 'kustomization.yaml')), cluster);
    assert.ok(existsSync(join(dir, 'dist', cluster, 'cilium', 'helmrelease-cilium.yaml')), cluster);
    assert.ok(existsSync(join(dir, 'clusters', cluster, 'meshfleet.yaml')), cluster);
  }
});

test('the storage cluster peers with every application cluster; each application cluster only with storage', async () => {
  const dir = await rendered();
  const storage = ciliumValues(dir, 'data-bolt');
  assert.equal(
    storage.clustermesh.config.clusters.map((c: { name: string }) => c.name),
    APPS,
  );
  assert.equal(storage.clustermesh.config.clusters[0], {
    name: 'airflow-production-1',
    address: 'production-1.airflow.cluster-mesh.sneaksanddata.internal',
    port: 2379,
  });
  const spark = ciliumValues(dir, 'spark-batch-1');
  assert.equal(spark.clustermesh.config.clusters, [
    { name: 'data-bolt', address: 's3.cluster-mesh.sneaksanddata.internal', port: 2379 },
  ]);
});

test('Cilium values carry identity, mesh settings, the own DNS name, the issuer and AWS VPC CNI chaining', async () => {
  const dir = await rendered();
  const v = ciliumValues(dir, 'spark-batch-1');
  assert.equal(v.cluster, { name: 'spark-batch-1', id: 5 });
  assert.is(v.clustermesh.useAPIServer, true);
  assert.is(v.clustermesh.maxConnectedClusters, 255);
  assert.is(v.clustermesh.apiserver.service.type, 'LoadBalancer');
  assert.is(
    v.clustermesh.apiserver.service.annotations['service.beta.kubernetes.io/aws-load-balancer-scheme'],
    'internal',
  );
  assert.equal(v.clustermesh.apiserver.tls.server.extraDnsNames, ['batch-1.spark.cluster-mesh.sneaksanddata.internal']);
  assert.equal(v.clustermesh.apiserver.tls.auto, {
    enabled: true,
    method: 'certmanager',
    certManagerIssuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: 'spark-batch-1-self-signed-ca' },
  });
  assert.equal(v.cni, { chainingMode: 'aws-cni', exclusive: false });
  assert.is(v.enableIPv4Masquerade, false);
  assert.is(v.routingMode, 'native');
  assert.equal(v.endpointRoutes, { enabled: true });
});

test('the issuer the Cilium values name is rendered in the Cilium namespace, on its own self-signed CA', async () => {
  const dir = await rendered();
  const objs = clusterObjects(join(dir, 'dist'), 'trino-production-0');
  const issuer = find(objs, 'Issuer', 'trino-production-0-self-signed-ca');
  assert.is(issuer.metadata.namespace, 'kube-system');
  const ca = find(objs, 'Certificate', 'trino-production-0-self-signed-ca');
  assert.is(ca.spec.isCA, true);
  assert.is(issuer.spec.ca.secretName, ca.spec.secretName);
  assert.is(find(objs, 'Issuer', ca.spec.issuerRef.name).spec.selfSigned !== undefined, true);
});

test('s3-internal is shared by the storage cluster and consumed by application clusters', async () => {
  const dir = await rendered();
  const service = (cluster: string) => find(clusterObjects(join(dir, 'dist'), cluster), 'Service', 's3-internal');
  const storage = service('data-bolt');
  assert.is(storage.metadata.namespace, 'minio-tenant');
  assert.equal(storage.metadata.annotations, {
    'service.cilium.io/global': 'true',
    'service.cilium.io/shared': 'true',
  });
  assert.equal(storage.spec.ports, [{ name: 'http-minio', port: 80, protocol: 'TCP', targetPort: 9000 }]);
  for (const app of APPS) {
    const s = service(app);
    assert.equal(
      s.metadata.annotations,
      { 'service.cilium.io/global': 'true', 'service.cilium.io/shared': 'false' },
      app,
    );
    assert.equal(s.spec.ports, storage.spec.ports, app);
    assert.ok(find(clusterObjects(join(dir, 'dist'), app), 'Namespace', 'minio-tenant'), app);
  }
});

test('the same fleet in another cluster order renders the same bytes', async () => {
  const data = parse(EXAMPLE);
  data.clusters.reverse();
  data.clusters.push(data.clusters.splice(3, 1)[0]);
  const a = await rendered();
  const b = await rendered(stringify(data));
  for (const root of ['dist', 'clusters']) assert.equal(readTree(join(b, root)), readTree(join(a, root)), root);
});

test('a second render writes nothing; --check passes on fresh output and names stale files', async () => {
  const dir = await rendered();
  const again = await run(dir, 'render');
  assert.match(again.out[0], /: 0 created, 0 updated, 0 removed$/);
  assert.is((await run(dir, 'render', '--check')).code, 0);

  const file = join(dir, 'dist', 'data-bolt', 'config', 'service-s3-internal.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('port: 80', 'port: 81'));
  const before = readTree(join(dir, 'dist'));
  const check = await run(dir, 'render', '--check');
  assert.is(check.code, 1);
  assert.ok(check.err.includes('update dist/data-bolt/config/service-s3-internal.yaml'), check.err.join('\n'));
  assert.equal(readTree(join(dir, 'dist')), before, '--check wrote something');
});

test('removing a cluster removes its folders and every reference to it, and nothing meshfleet did not write', async () => {
  const dir = await rendered();
  mkdirSync(join(dir, 'clusters', 'trino-production-0', 'flux-system'));
  writeFileSync(join(dir, 'clusters', 'trino-production-0', 'flux-system', 'gotk-sync.yaml'), 'kind: Kustomization\n');
  const data = parse(EXAMPLE);
  data.clusters = data.clusters.filter((c: { name: string }) => c.name !== 'trino-production-0');
  // It leaves the access lists that name it too: validate refuses a name that consumes nothing.
  for (const s of data.services ?? [])
    s.access.consumers = s.access.consumers.filter(
      (c: { clusters?: string[] }) => !c.clusters?.includes('trino-production-0'),
    );
  writeFileSync(join(dir, 'fleet.yaml'), stringify(data));
  const result = await run(dir, 'render');
  assert.is(result.code, 0, result.err.join('\n'));
  assert.not.ok(existsSync(join(dir, 'dist', 'trino-production-0')));
  assert.not.ok(existsSync(join(dir, 'clusters', 'trino-production-0', 'meshfleet.yaml')));
  assert.ok(
    existsSync(join(dir, 'clusters', 'trino-production-0', 'flux-system', 'gotk-sync.yaml')),
    'flux bootstrap files must survive',
  );
  for (const [file, content] of readTree(join(dir, 'dist'))) assert.not.ok(content.includes('trino'), file);
});

test('a file meshfleet did not write is never overwritten', async () => {
  const dir = workspace();
  mkdirSync(join(dir, 'dist', 'data-bolt'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'data-bolt', 'kustomization.yaml'), 'resources: [mine.yaml]\n');
  const result = await run(dir, 'render');
  assert.is(result.code, 1);
  assert.match(result.err.join('\n'), /dist\/data-bolt\/kustomization\.yaml: exists and was not written by meshfleet/);
  assert.is(readFileSync(join(dir, 'dist', 'data-bolt', 'kustomization.yaml'), 'utf8'), 'resources: [mine.yaml]\n');
  assert.not.ok(
    existsSync(join(dir, 'dist', 'airflow-production-1')),
    'nothing may be written when a render is refused',
  );
});

test('an invalid fleet renders nothing', async () => {
  const dir = workspace(EXAMPLE.replace('id: 2', 'id: 2000'));
  const result = await run(dir, 'render');
  assert.is(result.code, 1);
  assert.not.ok(existsSync(join(dir, 'dist')));
});

test.run();
