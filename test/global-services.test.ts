import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { objects, REGIONAL, render, type Manifest } from './support/regional-fleet.ts';
import { validateManifest } from './support/upstream.ts';

const regional = render(REGIONAL);
const config = (cluster: string, text = regional) => objects(text.clusters.get(cluster)!, 'config');
const service = (cluster: string, name: string) => config(cluster).get(`service-${name}.yaml`);

test('application clusters connect only to the storage cluster of their region', () => {
  assert.equal(regional.peers.get('spark-eu'), ['minio-eu', 'trino-us']);
  assert.equal(regional.peers.get('trino-us'), ['minio-us', 'spark-eu']);
  assert.equal(regional.peers.get('minio-eu'), ['spark-eu']);
  assert.equal(regional.peers.get('minio-us'), ['trino-us']);
});

test('s3-internal: exported by both storage clusters, consumed by the application clusters', () => {
  const shared = (c: string) => service(c, 's3-internal')?.metadata.annotations;
  assert.equal(shared('minio-eu'), { 'service.cilium.io/global': 'true', 'service.cilium.io/shared': 'true' });
  assert.equal(shared('minio-us'), { 'service.cilium.io/global': 'true', 'service.cilium.io/shared': 'true' });
  assert.equal(shared('spark-eu'), { 'service.cilium.io/global': 'true', 'service.cilium.io/shared': 'false' });
  assert.equal(shared('trino-us'), { 'service.cilium.io/global': 'true', 'service.cilium.io/shared': 'false' });
});

test("s3-internal is the same Service everywhere and selects the tenant's pods", () => {
  for (const cluster of regional.clusters.keys()) {
    const s = service(cluster, 's3-internal')!;
    assert.is(s.metadata.namespace, 'minio-tenant', cluster);
    assert.equal(s.spec.ports, [{ name: 'http-minio', port: 80, protocol: 'TCP', targetPort: 9000 }], cluster);
    assert.equal(s.spec.selector, { 'v1.min.io/tenant': 'minio' }, cluster);
  }
});

test('a service served by an application cluster reaches only the clusters that consume it, with its affinity', () => {
  const server = service('spark-eu', 'metastore')!;
  const consumer = service('trino-us', 'metastore')!;
  assert.is(server.metadata.annotations!['service.cilium.io/shared'], 'true');
  assert.is(consumer.metadata.annotations!['service.cilium.io/shared'], 'false');
  for (const s of [server, consumer]) {
    assert.is(s.metadata.annotations!['service.cilium.io/affinity'], 'local');
    assert.is(s.metadata.namespace, 'hive');
    assert.equal(
      s.spec.ports.map((p: { name: string }) => p.name),
      ['thrift'],
    );
    assert.equal(s.spec.selector, { 'app.kubernetes.io/name': 'hive-metastore' });
  }
  assert.is(
    service('minio-eu', 'metastore'),
    undefined,
    'minio-eu is connected to spark-eu but does not consume the metastore',
  );
  assert.is(service('minio-us', 'metastore'), undefined);
});

test("every cluster with a service has the service's namespace", () => {
  for (const [cluster] of regional.clusters) {
    const files = config(cluster);
    const services = [...files.values()].filter((o) => o.kind === 'Service');
    for (const s of services)
      assert.ok(
        files.get(`namespace-${s.metadata.namespace}.yaml`),
        `${cluster}: no Namespace ${s.metadata.namespace}`,
      );
  }
});

test('rendered Services and Namespaces validate against the Kubernetes schema', () => {
  for (const [cluster] of regional.clusters) {
    for (const [file, o] of config(cluster)) {
      if (o.kind === 'Service' || o.kind === 'Namespace') assert.equal(validateManifest(o), [], `${cluster}/${file}`);
    }
  }
});

const globalAnnotation = (fleet: ReturnType<typeof render>, cluster: string, ns: string): string | undefined =>
  (config(cluster, fleet).get(`namespace-${ns}.yaml`) as Manifest).metadata.annotations?.[
    'clustermesh.cilium.io/global'
  ];

test('Cilium 1.20 with defaultGlobalNamespace off: namespaces of global services are annotated global on both roles', () => {
  const text = REGIONAL.replace(
    'dns:\n',
    'cilium:\n  version: 1.20.0\n  values:\n    clustermesh:\n      defaultGlobalNamespace: false\ndns:\n',
  );
  const fleet = render(text);
  for (const cluster of ['minio-eu', 'spark-eu', 'trino-us'])
    assert.is(globalAnnotation(fleet, cluster, 'minio-tenant'), 'true', cluster);
  assert.is(globalAnnotation(fleet, 'trino-us', 'hive'), 'true');
});

test("Cilium 1.20's default (every namespace global) and 1.19 need no namespace annotation", () => {
  const v120 = render(REGIONAL.replace('dns:\n', 'cilium:\n  version: 1.20.0\ndns:\n'));
  assert.is(globalAnnotation(v120, 'minio-eu', 'minio-tenant'), undefined);
  assert.is(globalAnnotation(regional, 'spark-eu', 'minio-tenant'), undefined);
});

test.run();
