import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MINIMAL, problems, run, workspace } from './support/cli.ts';
import { REGIONAL } from './support/regional-fleet.ts';

/** MINIMAL with a `storage` block on its storage cluster. */
const withStorage = (block: string) =>
  MINIMAL.replace('    environment: prod\n', `    environment: prod\n    storage:\n${block}`);

test('the regional fleet is valid', async () => {
  const result = await run(workspace(REGIONAL), 'validate');
  assert.is(result.code, 0, result.err.join('\n'));
});

test('storage on an application cluster is refused at the key', async () => {
  const text = MINIMAL.replace('    application: spark\n', '    application: spark\n    storage:\n      tenant: x\n');
  assert.equal(await problems(text), [
    'fleet.yaml:17:5: clusters[1] (app).storage is only for clusters with role storage; clusters[1] (app) has role application',
  ]);
});

test('a pool needs servers × volumesPerServer of at least 4; defaults count', async () => {
  const text = withStorage(
    '      pools:\n        - servers: 1\n          volumesPerServer: 2\n        - volumesPerServer: 1\n        - servers: 2\n          volumesPerServer: 2\n',
  );
  assert.equal(await problems(text), [
    'fleet.yaml:14:11: clusters[0] (store).storage.pools[0] has 1 server × 2 volumes = 2; MinIO erasure coding needs at least 4 volumes in a pool (the MinIO Operator refuses the Tenant)',
  ]);
});

test('pool names, given or defaulted, are unique in a tenant', async () => {
  const text = withStorage('      pools:\n        - {}\n        - name: pool-0\n');
  assert.equal(await problems(text), [
    'fleet.yaml:15:17: clusters[0] (store).storage.pools[1] is named "pool-0", like clusters[0] (store).storage.pools[0]; pool names must be unique in a tenant',
  ]);
});

test('bucket names follow the S3 naming rules and appear once', async () => {
  const text = withStorage(
    '      buckets: [Logs, 10.0.0.1, xn--abc, ab, my..bucket, my-bucket, data-, my-bucket, logs.-x, ok.mrap]\n',
  );
  assert.equal(await problems(text), [
    'fleet.yaml:13:17: clusters[0] (store).storage.buckets[0] "Logs" may only hold lowercase letters, digits, "." and "-" (S3 bucket naming rules)',
    'fleet.yaml:13:23: clusters[0] (store).storage.buckets[1] "10.0.0.1" must not be formatted as an IP address (S3 bucket naming rules)',
    'fleet.yaml:13:33: clusters[0] (store).storage.buckets[2] "xn--abc" must not start with "xn--" (S3 bucket naming rules)',
    'fleet.yaml:13:42: clusters[0] (store).storage.buckets[3] "ab" is 2 characters; bucket names are 3 to 63 characters (S3 bucket naming rules)',
    'fleet.yaml:13:46: clusters[0] (store).storage.buckets[4] "my..bucket" must not contain ".." (S3 bucket naming rules)',
    'fleet.yaml:13:69: clusters[0] (store).storage.buckets[6] "data-" must begin and end with a letter or digit (S3 bucket naming rules)',
    'fleet.yaml:13:76: clusters[0] (store).storage.buckets[7] "my-bucket" is already clusters[0] (store).storage.buckets[5]',
    'fleet.yaml:13:87: clusters[0] (store).storage.buckets[8] "logs.-x" must not contain ".-" (S3 bucket naming rules)',
    'fleet.yaml:13:96: clusters[0] (store).storage.buckets[9] "ok.mrap" must not end with ".mrap" (S3 bucket naming rules)',
  ]);
});

test("the default credentials path needs the storage cluster's environment", async () => {
  const text = MINIMAL.replace('    environment: prod\n', '    dns:\n      endpoint: "{{application}}.{{zone}}"\n');
  assert.equal(await problems(text), [
    'fleet.yaml:7:5: clusters[0] (store) has no environment, which the default storage.credentialsPath "clusters/{{application}}/minio/{{environment}}/root" uses; add it to the cluster or set storage.credentialsPath',
    'fleet.yaml:7:5: clusters[0] (store) has no environment, which vault.path "clusters/{{application}}/tls/{{environment}}/infrastructure/clustermesh" uses; add it to the cluster or change the template',
  ]);
});

test('a consumer connected to no cluster that serves the service is refused', async () => {
  const text = REGIONAL.replace('    connectsTo: [minio-us, spark-eu]\n', '    connectsTo: [minio-us]\n');
  assert.equal(await problems(text), [
    'fleet.yaml:15:18: services[0].consumedBy[0] "trino-us" connects to no cluster that serves "metastore" (served by spark-eu; trino-us connects to minio-us); add a server to clusters[3] (trino-us).connectsTo',
  ]);
});

test('a cluster cannot both serve and consume a service', async () => {
  const text = REGIONAL.replace('    consumedBy: [trino-us]\n', '    consumedBy: [trino-us, spark-eu]\n');
  assert.equal(await problems(text), [
    'fleet.yaml:15:28: services[0].consumedBy[1] "spark-eu" also serves "metastore"; a cluster either exports backends (servedBy) or only uses remote ones (consumedBy)',
  ]);
});

test('an application cluster may serve its own pods, but not a MinIO tenant it does not run', async () => {
  const s3 =
    '  - name: s3-internal\n    namespace: minio-tenant\n    ports: [{ name: http-minio, port: 80, targetPort: 9000 }]\n    selector: { v1.min.io/tenant: minio }\n    servedBy: [minio-eu, spark-eu]\n';
  assert.equal(await problems(REGIONAL.replace('services:\n', `services:\n${s3}`)), [
    'fleet.yaml:11:26: services[0].servedBy[1]: cluster "spark-eu" runs no MinIO tenant "minio" in namespace "minio-tenant", so it would export no backends for "s3-internal"',
  ]);
});

test('a service nobody serves is refused; port names are unique', async () => {
  const text = MINIMAL.replace('role: storage', 'role: application').replace(
    'clusters:',
    'services:\n  - name: api\n    namespace: api\n    ports: [{ name: http, port: 80 }, { name: http, port: 81 }]\nclusters:',
  );
  assert.equal(await problems(text), [
    'fleet.yaml:7:5: services[0] "api" has no servedBy, and this fleet has no storage cluster to serve it by default; list the clusters that serve it in servedBy',
    'fleet.yaml:9:47: services[0].ports[1].name "http" is already the name of ports[0]; port names must be unique in a Service (Cilium matches backends by port name)',
  ]);
});

test('storage clusters must agree on what the default s3-internal selects', async () => {
  const text = REGIONAL.replace(
    '      buckets: [trino-spill]\n',
    '      buckets: [trino-spill]\n      namespace: object-store\n',
  );
  assert.equal(await problems(text), [
    'fleet.yaml:41:18: clusters[1] (minio-us).storage.namespace is "object-store" but minio-eu has "minio-tenant"; the default service s3-internal is the same in every cluster, so storage clusters must agree on it, or declare s3-internal under services',
  ]);
});

test('a service may not take the name of a Service the MinIO operator creates for the tenant', async () => {
  const text = MINIMAL.replace(
    'clusters:',
    'services:\n  - name: minio\n    namespace: minio-tenant\n    ports: [{ name: http, port: 80 }]\nclusters:',
  );
  assert.equal(await problems(text), [
    'fleet.yaml:7:11: services[0].name "minio" in namespace "minio-tenant" is a Service the MinIO operator creates for tenant "minio" on store; pick another name',
  ]);
});

test('pool resources must be Kubernetes quantities', async () => {
  const [line] = await problems(
    withStorage('      pools:\n        - resources:\n            requests: { memory: 8GB }\n'),
  );
  assert.match(
    line,
    /^fleet\.yaml:15:33: clusters\[0\] \(store\)\.storage\.pools\[0\]\.resources\.requests\.memory "8GB" must be a Kubernetes quantity/,
  );
});

test.run();
