// `meshfleet status --dns`: each endpoint name must point at its cluster's load balancer, found with the lookups of
// `meshfleet dns plan` (the load balancer tagged for kube-system/clustermesh-apiserver, the hosted zone's records)
// against the fake AWS on 127.0.0.1, the clusters against the fake Kubernetes API.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MINIMAL } from './support/cli.ts';
import { clustermeshLoadBalancer, FakeAws, useFakeCredentials, type FakeRecord } from './support/fake-aws.ts';
import { closeAfterEach, closeLater, row, setup } from './support/fake-kube-setup.ts';

closeAfterEach(test);

const ZONED = MINIMAL.replace(
  '  zone: mesh.example.internal\n',
  '  zone: mesh.example.internal\n  hostedZoneId: ZMESH\n',
);
const DUAL = ZONED.replace('clusters:\n', 'cilium:\n  ipFamily: dual\nclusters:\n')
  .replace('[10.1.0.0/16]', '[10.1.0.0/16, "fd00:1::/104"]')
  .replace('[10.2.0.0/16]', '[10.2.0.0/16, "fd00:2::/104"]');
/** The load balancer the fake clusters' Services report. */
const lbOf = (cluster: string) => `${cluster}-lb.elb.us-east-1.amazonaws.com`;

const alias = (name: string, lb: string, type = 'A'): FakeRecord => ({
  Name: name,
  Type: type,
  AliasTarget: { HostedZoneId: 'Z215JYRZR1TBD5', DNSName: `dualstack.${lb}.`, EvaluateTargetHealth: false },
});

/** Fake AWS holding the zone and a load balancer per cluster, tagged as the AWS Load Balancer Controller tags it. */
async function fakeAws(records: FakeRecord[]): Promise<{ aws: FakeAws; url: string }> {
  useFakeCredentials();
  const aws = new FakeAws();
  const url = await aws.start();
  let up = true;
  closeLater(async () => {
    if (up) await aws.stop();
  });
  aws.addZone('ZMESH', 'mesh.example.internal', records);
  aws.loadBalancers = ['app', 'store'].map((c, i) => clustermeshLoadBalancer(c, i, { dnsName: lbOf(c) }));
  const stop = aws.stop.bind(aws);
  aws.stop = async () => {
    up = false;
    await stop();
  };
  return { aws, url };
}

const MATCHING = [
  alias('prod.s3.mesh.example.internal', lbOf('store')),
  alias('batch.spark.mesh.example.internal', lbOf('app')),
];

test('--dns: names that alias their load balancers pass, said in the details', async () => {
  const { url } = await fakeAws(MATCHING);
  const s = await setup(ZONED);
  const r = await s.status('--dns', '--endpoint', url, '--region', 'eu-central-1');
  assert.is(r.code, 0, [...r.out, ...r.err].join('\n'));
  assert.ok(
    r.out.includes(`  endpoint: batch.spark.mesh.example.internal: A record aliases the load balancer ${lbOf('app')}`),
    r.out.join('\n'),
  );
});

test('--dns: a name aliasing another load balancer fails', async () => {
  const { url } = await fakeAws([
    MATCHING[0],
    alias('batch.spark.mesh.example.internal', 'old-lb.elb.us-east-1.amazonaws.com'),
  ]);
  const s = await setup(ZONED);
  const r = await s.status('--dns', '--endpoint', url, '--region', 'eu-central-1');
  assert.is(r.code, 1);
  assert.is(row(r.out, 'store')[6], 'ok');
  assert.is(row(r.out, 'app')[6], 'FAIL');
  assert.ok(
    r.out.includes(
      `  endpoint: batch.spark.mesh.example.internal A aliases old-lb.elb.us-east-1.amazonaws.com, not the load balancer ${lbOf('app')}`,
    ),
    r.out.join('\n'),
  );
});

test('--dns: the load balancer `meshfleet dns` finds by its tags must be the one the Service reports', async () => {
  const { aws, url } = await fakeAws(MATCHING);
  aws.loadBalancers[0] = clustermeshLoadBalancer('app', 7, { dnsName: 'stale-lb.elb.us-east-1.amazonaws.com' });
  const s = await setup(ZONED);
  const r = await s.status('--dns', '--endpoint', url, '--region', 'eu-central-1');
  assert.is(r.code, 1);
  assert.is(row(r.out, 'app')[6], 'FAIL');
  assert.ok(
    r.out.includes(
      `  endpoint: the load balancer tagged elbv2.k8s.aws/cluster=app is stale-lb.elb.us-east-1.amazonaws.com, not the Service's ${lbOf('app')}: meshfleet dns would point batch.spark.mesh.example.internal there`,
    ),
    r.out.join('\n'),
  );
});

test('--dns: no load balancer tagged for the cluster fails: `meshfleet dns` could not point the name anywhere', async () => {
  const { aws, url } = await fakeAws(MATCHING);
  aws.loadBalancers = aws.loadBalancers.filter((lb) => lb.tags['elbv2.k8s.aws/cluster'] !== 'store');
  const s = await setup(ZONED);
  const r = await s.status('--dns', '--endpoint', url, '--region', 'eu-central-1');
  assert.is(r.code, 1);
  assert.is(row(r.out, 'store')[6], 'FAIL');
  assert.ok(
    r.out.some((l) =>
      l.startsWith(
        '  endpoint: meshfleet dns finds no load balancer tagged service.k8s.aws/stack=kube-system/clustermesh-apiserver and elbv2.k8s.aws/cluster=store',
      ),
    ),
    r.out.join('\n'),
  );
});

test('--dns, dual stack: each name needs both an A and an AAAA alias', async () => {
  const { url } = await fakeAws([...MATCHING, alias('prod.s3.mesh.example.internal', lbOf('store'), 'AAAA')]);
  const s = await setup(DUAL);
  const r = await s.status('--dns', '--endpoint', url, '--region', 'eu-central-1');
  assert.is(r.code, 1);
  assert.is(row(r.out, 'store')[6], 'ok');
  assert.is(row(r.out, 'app')[6], 'FAIL');
  assert.ok(
    r.out.includes(
      '  endpoint: batch.spark.mesh.example.internal has no AAAA alias record (meshfleet dns apply writes it)',
    ),
    r.out.join('\n'),
  );
});

test("--dns: AWS that cannot be reached is the endpoint column's error", async () => {
  const { aws, url } = await fakeAws(MATCHING);
  await aws.stop();
  const s = await setup(ZONED);
  const r = await s.status('--dns', '--endpoint', url, '--region', 'eu-central-1', '--json');
  assert.is(r.code, 1);
  const app = JSON.parse(r.out.join('\n')).clusters[0];
  assert.is(app.checks.endpoint.status, 'error');
  assert.match(
    app.checks.endpoint.details[0],
    /^looking up the load balancers tagged service\.k8s\.aws\/stack=kube-system\/clustermesh-apiserver: /,
  );
});

test('without --dns, AWS is not asked', async () => {
  const { aws } = await fakeAws([]);
  const s = await setup(ZONED);
  assert.is((await s.status()).code, 0);
  assert.is(aws.requestCount, 0);
});

test.run();
