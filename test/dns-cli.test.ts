// `meshfleet dns` through the CLI: names and targets come from fleet.yaml, the zone is a fake on 127.0.0.1.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EXAMPLE, EXAMPLE_APPLICATIONS, run, workspace } from './support/cli.ts';
import { clustermeshLoadBalancer, FakeAws, fqdn, useFakeCredentials } from './support/fake-aws.ts';

useFakeCredentials();
const ZONE = 'cluster-mesh.sneaksanddata.internal';
const ZONE_ID = 'Z04482502EXAMPLE';
// Sorted by name, as the load balancers' numbers below assume.
const CLUSTERS = ['data-bolt', ...EXAMPLE_APPLICATIONS].sort();

async function withZone(fn: (url: string, fake: FakeAws) => Promise<void>): Promise<void> {
  const fake = new FakeAws();
  fake.addZone(ZONE_ID, ZONE, []);
  fake.loadBalancers = CLUSTERS.map((c, i) => clustermeshLoadBalancer(c, i + 1));
  const url = await fake.start();
  try {
    await fn(url, fake);
  } finally {
    await fake.stop();
  }
}

test('plan shows one AAAA alias and its ownership TXT per cluster of the example fleet; apply makes the zone match', () =>
  withZone(async (url, fake) => {
    const dir = workspace();
    const plan = await run(dir, 'dns', 'plan', '--endpoint', url, '--detailed-exitcode');
    assert.is(plan.code, 2, plan.err.join('\n'));
    assert.is(plan.out.at(-1), 'Plan: 16 to create, 0 to update, 0 to delete, 0 skipped.');
    const apply = await run(dir, 'dns', 'apply', '--endpoint', url);
    assert.is(apply.code, 0, apply.err.join('\n'));
    const alias = fake.records(ZONE_ID).find((r) => r.Name === fqdn(`s3.${ZONE}`) && r.Type === 'AAAA');
    assert.is(alias?.AliasTarget?.DNSName, fqdn(clustermeshLoadBalancer('data-bolt', 3).dnsName));
    assert.is((await run(dir, 'dns', 'plan', '--endpoint', url, '--detailed-exitcode')).code, 0);
  }));

test('clusters that run ExternalDNS are left to it', () =>
  withZone(async (url) => {
    const text = EXAMPLE.replace(
      '    environment: production-0\n    dns:\n',
      '    environment: production-0\n    dns:\n      externalDns: true\n',
    );
    const plan = await run(workspace(text), 'dns', 'plan', '--endpoint', url);
    assert.is(plan.code, 0, plan.err.join('\n'));
    assert.is(plan.out.at(-1), 'Plan: 14 to create, 0 to update, 0 to delete, 0 skipped.');
    assert.not.ok(plan.out.some((l) => l.includes(`s3.${ZONE}`)));
  }));

test('a fleet without dns.hostedZoneId gets one line saying what to add', async () => {
  const result = await run(workspace(EXAMPLE.replace('  hostedZoneId: Z04482502EXAMPLE\n', '')), 'dns', 'plan');
  assert.is(result.code, 1);
  assert.equal(result.err, [
    'meshfleet: fleet.yaml: dns.hostedZoneId is not set; `meshfleet dns` needs the id of the private hosted zone',
  ]);
});

test.run();
