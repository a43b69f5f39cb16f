// End to end: dnsCommand with the real SDK clients against the fake Route 53 + ELBv2 on 127.0.0.1.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dnsCommand, ownershipValue, type DnsSpec, type DnsTuning } from '../src/dns/index.ts';
import {
  clustermeshLoadBalancer,
  FakeAws,
  fqdn,
  useFakeCredentials,
  type FakeRecord,
  type FaultKind,
} from './support/fake-aws.ts';

useFakeCredentials();

const ZONE = 'cluster-mesh.sneaksanddata.internal';
const ZONE_ID = 'Z0MESHZONE';
const FAST: DnsTuning = { baseDelayMs: 1, maxDelayMs: 2, pollIntervalMs: 1 };

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function run(
  fake: FakeAws,
  url: string,
  sub: 'plan' | 'apply',
  spec: DnsSpec,
  extra: Partial<Parameters<typeof dnsCommand>[2]> = {},
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await dnsCommand(sub, spec, {
    endpoint: url,
    region: 'eu-central-1',
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    tuning: FAST,
    ...extra,
  });
  return { code, out, err };
}

const soa: FakeRecord = {
  Name: ZONE,
  Type: 'SOA',
  TTL: 900,
  ResourceRecords: [{ Value: 'ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400' }],
};
const ns: FakeRecord = {
  Name: ZONE,
  Type: 'NS',
  TTL: 172800,
  ResourceRecords: [{ Value: 'ns-1536.awsdns-00.co.uk.' }],
};

function meshSpec(over: Partial<DnsSpec> = {}): DnsSpec {
  return {
    fleet: 'sneaks',
    hostedZoneId: `/hostedzone/${ZONE_ID}`,
    zone: ZONE,
    ipFamily: 'ipv6',
    endpoints: [
      { cluster: 'data-bolt', fqdn: `s3.${ZONE}` },
      { cluster: 'airflow-production-1', fqdn: `production-1.airflow.${ZONE}` },
      {
        cluster: 'trino-production-0',
        fqdn: `production-0.trino.${ZONE}`,
        target: { dnsName: 'internal-trino-nlb.elb.eu-central-1.amazonaws.com', hostedZoneId: 'Z3F0SRJ5LGBH90' },
      },
    ],
    ...over,
  };
}

async function withFake(
  fn: (fake: FakeAws, url: string) => Promise<void>,
  setup?: (fake: FakeAws) => void,
): Promise<void> {
  const fake = new FakeAws();
  fake.addZone(ZONE_ID, ZONE, [soa, ns]);
  fake.loadBalancers = [
    clustermeshLoadBalancer('data-bolt', 1),
    clustermeshLoadBalancer('airflow-production-1', 2),
    clustermeshLoadBalancer('spark-batch-1', 3),
  ];
  setup?.(fake);
  const url = await fake.start();
  try {
    await fn(fake, url);
  } finally {
    await fake.stop();
  }
}

const aliasAt = (fake: FakeAws, name: string, type = 'AAAA') =>
  fake.records(ZONE_ID).find((r) => r.Name === fqdn(name) && r.Type === type);

test('plan then apply then apply again: creates, reports, and is idempotent', () =>
  withFake(async (fake, url) => {
    const plan = await run(fake, url, 'plan', meshSpec(), { detailedExitcode: true });
    assert.is(plan.code, 2, plan.err.join('\n'));
    assert.match(plan.out[0]!, /^ACTION\s+NAME\s+TYPE\s+TARGET\s+REASON$/);
    assert.is(plan.out.at(-1), 'Plan: 6 to create, 0 to update, 0 to delete, 0 skipped.');

    const apply = await run(fake, url, 'apply', meshSpec());
    assert.is(apply.code, 0, apply.err.join('\n'));
    assert.ok(
      apply.err.some((l) => /^Batch 1\/1: 6 create\/update changes submitted as \/change\/C\d+, PENDING$/.test(l)),
    );
    assert.ok(apply.err.some((l) => /INSYNC after/.test(l)));
    assert.is(apply.out.at(-1), 'Apply complete: 6 created, 0 updated, 0 deleted, 0 skipped.');
    assert.is(
      aliasAt(fake, `production-1.airflow.${ZONE}`)?.AliasTarget?.DNSName,
      fqdn(clustermeshLoadBalancer('airflow-production-1', 2).dnsName),
    );
    assert.is(
      aliasAt(fake, `production-0.trino.${ZONE}`)?.AliasTarget?.DNSName,
      'internal-trino-nlb.elb.eu-central-1.amazonaws.com.',
      'fleet.yaml target used',
    );
    const txt = fake.records(ZONE_ID).find((r) => r.Name === fqdn(`s3.${ZONE}`) && r.Type === 'TXT');
    assert.equal(txt?.ResourceRecords, [{ Value: ownershipValue('sneaks', 'data-bolt') }]);

    const batchesBefore = fake.committed.length;
    const again = await run(fake, url, 'apply', meshSpec());
    assert.is(again.code, 0);
    assert.is(fake.committed.length, batchesBefore, 'second apply sends nothing');
    assert.ok(again.out.includes('No changes. The zone matches the fleet.'));

    const synced = await run(fake, url, 'plan', meshSpec(), { detailedExitcode: true });
    assert.is(synced.code, 0);
  }));

test('--json plan is one JSON document on stdout', () =>
  withFake(async (fake, url) => {
    const r = await run(fake, url, 'plan', meshSpec(), { json: true });
    assert.is(r.code, 0);
    const doc = JSON.parse(r.out.join('\n'));
    assert.is(doc.command, 'plan');
    assert.is(doc.inSync, false);
    assert.equal(doc.summary, { create: 6, update: 0, delete: 0, skip: 0 });
    assert.is(doc.changes.length, 6);
    assert.equal(Object.keys(doc.changes[0]).sort(), ['action', 'cluster', 'name', 'reason', 'target', 'type']);
  }));

test('unowned, other-fleet and CNAME records are skipped with reasons and left as they were', () =>
  withFake(
    async (fake, url) => {
      const before = fake.records(ZONE_ID);
      const r = await run(fake, url, 'apply', meshSpec());
      assert.is(r.code, 0, r.err.join('\n'));
      const skips = r.out.filter((l) => l.startsWith('skip'));
      assert.is(skips.length, 3);
      assert.match(skips.join('\n'), /without a meshfleet ownership TXT/);
      assert.match(skips.join('\n'), /owned by another fleet \(legacy\/airflow\)/);
      assert.match(skips.join('\n'), /CNAME/);
      const after = fake.records(ZONE_ID);
      for (const rec of before)
        assert.ok(
          after.some((a) => JSON.stringify(a) === JSON.stringify(rec)),
          `kept ${rec.Name} ${rec.Type}`,
        );
      assert.is(after.length, before.length, 'nothing was created: every wanted name was taken');
      assert.ok(r.out.includes('3 record(s) skipped: meshfleet changes only names it owns (see REASON above).'));
    },
    (fake) => {
      fake.putRecord(ZONE_ID, {
        Name: `s3.${ZONE}`,
        Type: 'AAAA',
        AliasTarget: { HostedZoneId: 'Z1', DNSName: 'hand-made.elb.amazonaws.com', EvaluateTargetHealth: false },
      });
      fake.putRecord(ZONE_ID, {
        Name: `production-1.airflow.${ZONE}`,
        Type: 'AAAA',
        AliasTarget: { HostedZoneId: 'Z1', DNSName: 'legacy.elb.amazonaws.com', EvaluateTargetHealth: false },
      });
      fake.putRecord(ZONE_ID, {
        Name: `production-1.airflow.${ZONE}`,
        Type: 'TXT',
        TTL: 300,
        ResourceRecords: [{ Value: ownershipValue('legacy', 'airflow') }],
      });
      fake.putRecord(ZONE_ID, {
        Name: `production-0.trino.${ZONE}`,
        Type: 'CNAME',
        TTL: 60,
        ResourceRecords: [{ Value: 'trino.example.com' }],
      });
    },
  ));

test('more than 300 records: every ListResourceRecordSets page is read (a stale owned record on the last page is deleted)', () =>
  withFake(
    async (fake, url) => {
      const r = await run(fake, url, 'apply', meshSpec());
      assert.is(r.code, 0, r.err.join('\n'));
      const lists = fake.calls.filter((c) => c.op === 'ListResourceRecordSets').length;
      assert.is(lists, 3, '752 records need 3 pages of 300');
      assert.is(aliasAt(fake, `zzz.${ZONE}`), undefined, 'stale owned record deleted');
      assert.ok(r.out.some((l) => /^delete\s+zzz\./.test(l)));
      assert.is(
        fake.records(ZONE_ID).filter((x) => x.Name.startsWith('filler-')).length,
        748,
        'unowned filler untouched',
      );
      const again = await run(fake, url, 'plan', meshSpec(), { detailedExitcode: true });
      assert.is(again.code, 0, again.out.join('\n'));
    },
    (fake) => {
      for (let i = 0; i < 748; i++) {
        fake.putRecord(ZONE_ID, {
          Name: `filler-${String(i).padStart(4, '0')}.${ZONE}`,
          Type: 'A',
          TTL: 60,
          ResourceRecords: [{ Value: `10.0.${i >> 8}.${i & 255}` }],
        });
      }
      // 'zzz' sorts after every filler name: it is on the last page
      fake.putRecord(ZONE_ID, {
        Name: `zzz.${ZONE}`,
        Type: 'AAAA',
        AliasTarget: { HostedZoneId: 'Z3F0SRJ5LGBH90', DNSName: 'gone.elb.amazonaws.com', EvaluateTargetHealth: false },
      });
      fake.putRecord(ZONE_ID, {
        Name: `zzz.${ZONE}`,
        Type: 'TXT',
        TTL: 300,
        ResourceRecords: [{ Value: ownershipValue('sneaks', 'spark-gone') }],
      });
    },
  ));

test('more than 1,000 changes go out as several ChangeBatches within Route 53 limits', () =>
  withFake(async (fake, url) => {
    const endpoints = Array.from({ length: 1100 }, (_, i) => ({
      cluster: `c${String(i).padStart(4, '0')}`,
      fqdn: `c${String(i).padStart(4, '0')}.app.${ZONE}`,
      target: { dnsName: `lb-${i}.elb.eu-central-1.amazonaws.com`, hostedZoneId: 'Z3F0SRJ5LGBH90' },
    }));
    const spec = meshSpec({ ipFamily: 'dual', endpoints });
    const r = await run(fake, url, 'apply', spec);
    assert.is(r.code, 0, r.err.join('\n'));
    const sizes = fake.committed.map((b) => b.changes.length);
    assert.is(
      sizes.reduce((a, b) => a + b, 0),
      3300,
    );
    assert.ok(sizes.length >= 4, `several batches: ${sizes}`);
    assert.ok(sizes.every((s) => s <= 1000));
    // a name's A, AAAA and TXT always travel together
    for (const b of fake.committed) {
      const names = new Map<string, number>();
      for (const c of b.changes) names.set(c.record.Name, (names.get(c.record.Name) ?? 0) + 1);
      assert.ok([...names.values()].every((n) => n === 3));
    }
    const again = await run(fake, url, 'plan', spec, { detailedExitcode: true });
    assert.is(again.code, 0);
  }));

test('retries 400 Throttling, 500, PriorRequestNotComplete and dropped connections on every call', () =>
  withFake(async (fake, url) => {
    fake.failNext('throttle', 2, 'DescribeLoadBalancers');
    fake.failNext('server-error', 1, 'DescribeTags');
    fake.failNext('throttle', 1, 'ListResourceRecordSets');
    fake.failNext('prior-request', 2, 'ChangeResourceRecordSets');
    fake.failNext('server-error', 1, 'ChangeResourceRecordSets');
    fake.failNext('drop', 1, 'GetChange');
    const r = await run(fake, url, 'apply', meshSpec());
    assert.is(r.code, 0, r.err.join('\n'));
    const faults = fake.calls.filter((c) => c.fault).map((c) => `${c.op}:${c.fault}`);
    assert.is(faults.length, 8);
    assert.ok(
      r.err.some((l) =>
        /ChangeResourceRecordSets: PriorRequestNotComplete, retrying in \d+ ms \(attempt 2\/8\)/.test(l),
      ),
    );
    assert.ok(r.err.some((l) => /ListResourceRecordSets: Throttling, retrying/.test(l)));
    assert.ok(r.err.some((l) => /DescribeTags: InternalFailure, retrying/.test(l)));
    assert.is(fake.committed.length, 1);
  }));

test('a lost ChangeResourceRecordSets answer (applied, then dropped) converges by re-reading the zone', () =>
  withFake(async (fake, url) => {
    fake.failNext('drop-after', 1, 'ChangeResourceRecordSets');
    const r = await run(fake, url, 'apply', meshSpec());
    assert.is(r.code, 0, r.err.join('\n'));
    assert.ok(r.err.some((l) => /refused a batch \(InvalidChangeBatch: .*already exists/.test(l)));
    assert.is(fake.committed.length, 1);
    assert.is((await run(fake, url, 'plan', meshSpec(), { detailedExitcode: true })).code, 0);
  }));

test('no load balancer for a cluster: one clear error line per cluster, exit 1, nothing changed', () =>
  withFake(async (fake, url) => {
    const spec = meshSpec({
      endpoints: [...meshSpec().endpoints, { cluster: 'spark-streaming-1', fqdn: `streaming-1.spark.${ZONE}` }],
    });
    const r = await run(fake, url, 'apply', spec);
    assert.is(r.code, 1);
    assert.is(r.err.length, 1);
    assert.match(
      r.err[0]!,
      /^error: cluster spark-streaming-1: no load balancer tagged service\.k8s\.aws\/stack=kube-system\/clustermesh-apiserver and elbv2\.k8s\.aws\/cluster=spark-streaming-1 in eu-central-1; set dns\.target: \{dnsName, hostedZoneId\} under cluster spark-streaming-1 in fleet\.yaml/,
    );
    assert.is(fake.committed.length, 0);
  }));

test('AWS errors are one line without a stack, exit 1', () =>
  withFake(async (fake, url) => {
    const r = await run(fake, url, 'plan', meshSpec({ hostedZoneId: 'ZMISSING' }), { detailedExitcode: true });
    assert.is(r.code, 1);
    assert.equal(r.err, [
      'error: reading hosted zone ZMISSING: NoSuchHostedZone: No hosted zone found with ID: ZMISSING (HTTP 404)',
    ]);
  }));

// ------------------------------------------------------------------------------------ faults, property-style

/**
 * Starting zone: cluster A owned with a stale target (update), B owned and right, C owned but gone from the
 * fleet (delete), D's name held by a hand-made record (skip), E and F new (create). Batches of at most 3
 * changes so the run spans several ChangeBatches.
 */
const LIMITS = { maxChanges: 3, maxRecords: 1000, maxValueChars: 32_000 };
const faultSpec = (): DnsSpec =>
  meshSpec({
    ipFamily: 'ipv6',
    endpoints: ['a', 'b', 'd', 'e', 'f'].map((x) => ({
      cluster: `cluster-${x}`,
      fqdn: `${x}.${ZONE}`,
      target: { dnsName: `new-${x}.elb.eu-central-1.amazonaws.com`, hostedZoneId: 'Z3F0SRJ5LGBH90' },
    })),
  });

function seedFaultZone(fake: FakeAws): void {
  const own = (x: string, dns: string) => {
    fake.putRecord(ZONE_ID, {
      Name: `${x}.${ZONE}`,
      Type: 'AAAA',
      AliasTarget: { HostedZoneId: 'Z3F0SRJ5LGBH90', DNSName: dns, EvaluateTargetHealth: false },
    });
    fake.putRecord(ZONE_ID, {
      Name: `${x}.${ZONE}`,
      Type: 'TXT',
      TTL: 300,
      ResourceRecords: [{ Value: ownershipValue('sneaks', `cluster-${x}`) }],
    });
  };
  own('a', 'old-a.elb.eu-central-1.amazonaws.com');
  own('b', 'new-b.elb.eu-central-1.amazonaws.com');
  own('c', 'old-c.elb.eu-central-1.amazonaws.com');
  fake.putRecord(ZONE_ID, {
    Name: `d.${ZONE}`,
    Type: 'AAAA',
    AliasTarget: { HostedZoneId: 'Z1', DNSName: 'hand-made.elb.amazonaws.com', EvaluateTargetHealth: false },
  });
}

/** The safety invariant, checked after any run, failed or not. */
function assertSafe(fake: FakeAws, context: string): void {
  const recs = fake.records(ZONE_ID);
  const at = (x: string, type: string) => recs.find((r) => r.Name === fqdn(`${x}.${ZONE}`) && r.Type === type);
  // owned records still wanted are never missing (old or new target, but there)
  for (const x of ['a', 'b']) {
    assert.ok(at(x, 'AAAA'), `${context}: owned ${x} AAAA deleted and not recreated`);
    assert.ok(at(x, 'TXT'), `${context}: owned ${x} TXT lost`);
  }
  // the hand-made record is never touched
  assert.is(
    at('d', 'AAAA')?.AliasTarget?.DNSName,
    'hand-made.elb.amazonaws.com.',
    `${context}: unowned record changed`,
  );
  assert.is(at('d', 'TXT'), undefined, `${context}: ownership claimed on an unowned name`);
  // no record meshfleet wrote is ever left without its ownership TXT, and no TXT without its record
  for (const x of ['a', 'b', 'c', 'e', 'f']) {
    assert.is(Boolean(at(x, 'AAAA')), Boolean(at(x, 'TXT')), `${context}: ${x} record and TXT out of step`);
  }
}

function assertConverged(fake: FakeAws, context: string): void {
  const recs = fake.records(ZONE_ID);
  const at = (x: string, type: string) => recs.find((r) => r.Name === fqdn(`${x}.${ZONE}`) && r.Type === type);
  for (const x of ['a', 'b', 'e', 'f']) {
    assert.is(at(x, 'AAAA')?.AliasTarget?.DNSName, `new-${x}.elb.eu-central-1.amazonaws.com.`, `${context}: ${x}`);
  }
  assert.is(at('c', 'AAAA'), undefined, `${context}: c not deleted`);
  assert.is(at('c', 'TXT'), undefined, `${context}: c TXT not deleted`);
}

test('faults at every request position never leave an owned record deleted and not recreated', async () => {
  // A clean run gives the number of requests to walk over.
  let clean = 0;
  await withFake(async (fake, url) => {
    const r = await run(fake, url, 'apply', faultSpec(), { tuning: { ...FAST, limits: LIMITS } });
    assert.is(r.code, 0, r.err.join('\n'));
    assert.ok(fake.committed.length >= 3, 'several batches');
    assertConverged(fake, 'clean');
    clean = fake.requestCount;
  }, seedFaultZone);

  const kinds: FaultKind[] = ['throttle', 'server-error', 'prior-request', 'drop', 'drop-after'];
  let runs = 0;
  let failed = 0;
  for (let at = 1; at <= clean + 1; at++) {
    for (const kind of kinds) {
      for (const retries of [true, false]) {
        const context = `fault ${kind} at request ${at}, retries ${retries ? 'on' : 'off'}`;
        await withFake(async (fake, url) => {
          fake.failAt(at, kind);
          const tuning = { ...FAST, limits: LIMITS, ...(retries ? {} : { maxAttempts: 1 }) };
          const r = await run(fake, url, 'apply', faultSpec(), { tuning });
          assertSafe(fake, context);
          if (retries) assert.is(r.code, 0, `${context}: ${r.err.join(' | ')}`);
          else if (r.code !== 0) {
            failed++;
            const errors = r.err.filter((l) => l.startsWith('error:'));
            assert.is(errors.length, 1, `${context}: one error line`);
            assert.not.match(errors[0]!, /\n| {4}at /, `${context}: no stack`);
          }
          // whatever happened, a clean apply converges and a further one changes nothing
          fake.clearFaults();
          const again = await run(fake, url, 'apply', faultSpec(), { tuning: { ...FAST, limits: LIMITS } });
          assert.is(again.code, 0, `${context}: recovery apply: ${again.err.join(' | ')}`);
          assertConverged(fake, context);
          const batches = fake.committed.length;
          await run(fake, url, 'apply', faultSpec(), { tuning: { ...FAST, limits: LIMITS } });
          assert.is(fake.committed.length, batches, `${context}: not idempotent`);
        }, seedFaultZone);
        runs++;
      }
    }
  }
  assert.ok(runs >= 50, `walked ${runs} fault positions`);
  assert.ok(failed >= clean, `without retries most faults fail the run (${failed} of ${runs / 2})`);
});

test('the network going away mid-apply (every request dropped from the n-th on) is safe', async () => {
  let clean = 0;
  await withFake(async (fake, url) => {
    await run(fake, url, 'apply', faultSpec(), { tuning: { ...FAST, limits: LIMITS } });
    clean = fake.requestCount;
  }, seedFaultZone);
  for (let from = 1; from <= clean; from++) {
    await withFake(async (fake, url) => {
      fake.failFrom(from, 'drop');
      const r = await run(fake, url, 'apply', faultSpec(), { tuning: { ...FAST, limits: LIMITS, maxAttempts: 3 } });
      assertSafe(fake, `outage from request ${from}`);
      assert.is(r.code, 1, `outage from request ${from}`);
      {
        const errors = r.err.filter((l) => l.startsWith('error:'));
        assert.is(errors.length, 1);
        assert.match(errors[0]!, /^error: .*(ECONNRESET|socket hang up)/);
      }
    }, seedFaultZone);
  }
});

test.run();
