import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MINIMAL } from './support/cli.ts';
import { objects, REGIONAL, render, writeCluster } from './support/regional-fleet.ts';
import { minioCrdAvailable, validateManifest } from './support/upstream.ts';

const regional = render(REGIONAL);
const config = (cluster: string) => objects(regional.clusters.get(cluster)!, 'config');

test('each storage cluster gets a Tenant that the upstream MinIO CRD accepts', () => {
  if (!minioCrdAvailable) {
    console.log(
      '  skipped: ../shared/crds/minio-operator/minio.min.io_tenants.yaml is absent, the Tenant was not checked against the MinIO CRD',
    );
    return;
  }
  for (const cluster of ['minio-eu', 'minio-us']) {
    const tenant = config(cluster).get('tenant-minio.yaml');
    assert.ok(tenant, `${cluster} has no tenant-minio.yaml`);
    assert.equal(validateManifest(tenant), [], cluster);
  }
});

test('application clusters get no Tenant and no MinIO operator', () => {
  for (const cluster of ['spark-eu', 'trino-us']) {
    const files = [...regional.clusters.get(cluster)!.keys()];
    assert.not.ok(
      files.some((f) => /tenant-|minio-operator|minio-env/.test(f)),
      `${cluster}: ${files.join(' ')}`,
    );
  }
});

test('pools, volume size, storage class, resources and buckets come from fleet.yaml', () => {
  const spec = config('minio-eu').get('tenant-minio.yaml')!.spec;
  assert.equal(spec.pools, [
    {
      name: 'pool-0',
      servers: 2,
      volumesPerServer: 2,
      volumeClaimTemplate: {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Ti' } }, storageClassName: 'gp3' },
      },
      resources: { requests: { cpu: '2', memory: '8Gi' }, limits: { memory: '8Gi' } },
    },
  ]);
  assert.equal(spec.buckets, [{ name: 'airflow-logs' }, { name: 'spark-scratch' }]);
  assert.is(spec.requestAutoCert, false);
});

test('a storage cluster without a storage block gets one pool of 4 servers × 4 volumes of 100Gi', () => {
  const { clusters } = render(MINIMAL);
  const tenant = objects(clusters.get('store')!, 'config').get('tenant-minio.yaml')!;
  assert.is(tenant.metadata.namespace, 'minio-tenant');
  assert.equal(
    tenant.spec.pools.map((p: any) => [
      p.name,
      p.servers,
      p.volumesPerServer,
      p.volumeClaimTemplate.spec.resources.requests.storage,
    ]),
    [['pool-0', 4, 4, '100Gi']],
  );
  assert.is(tenant.spec.buckets, undefined);
});

test('root credentials come from Vault into the secret configuration.name names, as config.env', () => {
  const files = config('minio-us');
  const tenant = files.get('tenant-minio.yaml')!;
  const external = files.get(`externalsecret-${tenant.spec.configuration.name}.yaml`);
  assert.ok(external, 'no ExternalSecret for the tenant configuration secret');
  assert.equal(validateManifest(external), []);
  const spec = external!.spec;
  assert.is(external!.metadata.namespace, tenant.metadata.namespace);
  assert.is(spec.target.name, tenant.spec.configuration.name);
  assert.equal(spec.secretStoreRef, { kind: 'ClusterSecretStore', name: 'vault' });
  assert.equal(
    spec.data.map((d: any) => [d.secretKey, d.remoteRef.key, d.remoteRef.property]),
    [
      ['accessKey', 'clusters/s3/minio/us-east-1/root', 'accessKey'],
      ['secretKey', 'clusters/s3/minio/us-east-1/root', 'secretKey'],
    ],
  );
  assert.is(
    spec.target.template.data['config.env'],
    'export MINIO_ROOT_USER="{{ .accessKey }}"\nexport MINIO_ROOT_PASSWORD="{{ .secretKey }}"\n',
  );
});

test('no Secret object is rendered for the tenant: its values exist only in Vault and the cluster', () => {
  for (const [cluster, files] of regional.clusters) {
    for (const [file, text] of files) {
      assert.not.ok(/^kind: Secret$/m.test(text) && text.includes('MINIO_ROOT'), `${cluster}/${file}`);
    }
  }
});

test('requestAutoCert turns on the tenant TLS and names the default service port https', () => {
  const text = REGIONAL.replace(
    '      buckets: [trino-spill]\n',
    '      buckets: [trino-spill]\n      requestAutoCert: true\n',
  ).replace('    storage:\n      pools:', '    storage:\n      requestAutoCert: true\n      pools:');
  const { clusters } = render(text);
  const files = objects(clusters.get('minio-us')!, 'config');
  assert.is(files.get('tenant-minio.yaml')!.spec.requestAutoCert, true);
  assert.equal(files.get('service-s3-internal.yaml')!.spec.ports, [
    { name: 'https-minio', port: 443, protocol: 'TCP', targetPort: 9000 },
  ]);
});

test('kubectl kustomize builds every cluster folder of the regional fleet', () => {
  for (const [cluster, files] of regional.clusters) {
    const dir = writeCluster(files);
    try {
      const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      if (cluster.startsWith('minio-')) assert.match(out, /\nkind: Tenant\n/, cluster);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test.run();
