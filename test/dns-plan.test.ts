// Pure planning: planChanges, batchChanges, the ownership TXT format and the plan table.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  batchChanges,
  formatTable,
  inSync,
  ownershipValue,
  parseOwnershipValue,
  planChanges,
  summarize,
  summaryLine,
  validateSpec,
  type Change,
  type DnsSpec,
  type ResolvedTarget,
  type ZoneRecord,
} from '../src/dns/index.ts';

const ZONE = 'cluster-mesh.example.internal';
const LB1: ResolvedTarget = {
  dnsName: 'lb-1.elb.eu-central-1.amazonaws.com',
  hostedZoneId: 'Z3F0SRJ5LGBH90',
  source: 'lookup',
};
const LB2: ResolvedTarget = {
  dnsName: 'lb-2.elb.eu-central-1.amazonaws.com',
  hostedZoneId: 'Z3F0SRJ5LGBH90',
  source: 'fleet',
};

function spec(over: Partial<DnsSpec> = {}): DnsSpec {
  return {
    fleet: 'sneaks',
    hostedZoneId: 'Z0MESH',
    zone: ZONE,
    ipFamily: 'ipv6',
    endpoints: [
      { cluster: 'airflow-production-1', fqdn: `production-1.airflow.${ZONE}` },
      { cluster: 'data-bolt', fqdn: `s3.${ZONE}` },
    ],
    ...over,
  };
}

const targets = (m: Record<string, ResolvedTarget>) => new Map(Object.entries(m));

function alias(name: string, type: string, dns: string, zoneId = 'Z3F0SRJ5LGBH90'): ZoneRecord {
  return {
    Name: `${name}.`,
    Type: type,
    AliasTarget: { HostedZoneId: zoneId, DNSName: `${dns}.`, EvaluateTargetHealth: false },
  };
}
function txt(name: string, ...values: string[]): ZoneRecord {
  return { Name: `${name}.`, Type: 'TXT', TTL: 300, ResourceRecords: values.map((Value) => ({ Value })) };
}
const rows = (cs: Change[]) => cs.map((c) => `${c.action} ${c.name} ${c.type}`);

test('empty zone: creates an alias and an ownership TXT per endpoint', () => {
  const plan = planChanges(spec(), targets({ 'airflow-production-1': LB1, 'data-bolt': LB2 }), []);
  assert.equal(rows(plan), [
    `create production-1.airflow.${ZONE} AAAA`,
    `create production-1.airflow.${ZONE} TXT`,
    `create s3.${ZONE} AAAA`,
    `create s3.${ZONE} TXT`,
  ]);
  const aaaa = plan[0]!;
  assert.equal(aaaa.request?.Action, 'CREATE');
  assert.equal(aaaa.request?.ResourceRecordSet.AliasTarget?.DNSName, `${LB1.dnsName}.`);
  assert.equal(aaaa.request?.ResourceRecordSet.Name, `production-1.airflow.${ZONE}.`);
  const t = plan[1]!;
  assert.equal(t.request?.ResourceRecordSet.ResourceRecords, [
    { Value: '"heritage=meshfleet,meshfleet/fleet=sneaks,meshfleet/resource=airflow-production-1"' },
  ]);
  assert.is(aaaa.group, t.group, 'record and TXT share a batch group');
  assert.equal(summarize(plan), { create: 4, update: 0, delete: 0, skip: 0 });
});

test('ip families: ipv4 -> A, dual -> A and AAAA', () => {
  const one = { endpoints: [{ cluster: 'c1', fqdn: `a.${ZONE}` }] };
  assert.equal(rows(planChanges(spec({ ...one, ipFamily: 'ipv4' }), targets({ c1: LB1 }), [])), [
    `create a.${ZONE} A`,
    `create a.${ZONE} TXT`,
  ]);
  assert.equal(rows(planChanges(spec({ ...one, ipFamily: 'dual' }), targets({ c1: LB1 }), [])), [
    `create a.${ZONE} A`,
    `create a.${ZONE} AAAA`,
    `create a.${ZONE} TXT`,
  ]);
});

test('owned and in sync: nothing to do (case, trailing dots and dualstack. prefix ignored)', () => {
  const name = `production-1.airflow.${ZONE}`;
  const zone = [
    alias(name.toUpperCase(), 'AAAA', `dualstack.${LB1.dnsName.toUpperCase()}`),
    txt(name, ownershipValue('sneaks', 'airflow-production-1')),
  ];
  const plan = planChanges(spec({ endpoints: [spec().endpoints[0]!] }), targets({ 'airflow-production-1': LB1 }), zone);
  assert.equal(plan, []);
  assert.ok(inSync(plan));
});

test('owned with a new target: UPSERT, never DELETE + CREATE', () => {
  const name = `production-1.airflow.${ZONE}`;
  const zone = [
    alias(name, 'AAAA', 'old.elb.amazonaws.com'),
    txt(name, ownershipValue('sneaks', 'airflow-production-1')),
  ];
  const plan = planChanges(spec({ endpoints: [spec().endpoints[0]!] }), targets({ 'airflow-production-1': LB1 }), zone);
  assert.equal(rows(plan), [`update ${name} AAAA`]);
  assert.is(plan[0]!.request?.Action, 'UPSERT');
  assert.match(plan[0]!.reason, /old\.elb\.amazonaws\.com/);
});

test('a changed canonical hosted zone id is an update too', () => {
  const name = `s3.${ZONE}`;
  const zone = [alias(name, 'AAAA', LB2.dnsName, 'ZOTHER'), txt(name, ownershipValue('sneaks', 'data-bolt'))];
  const plan = planChanges(spec({ endpoints: [spec().endpoints[1]!] }), targets({ 'data-bolt': LB2 }), zone);
  assert.equal(rows(plan), [`update ${name} AAAA`]);
});

test('unowned records at a wanted name are skipped with a reason', () => {
  const a = `production-1.airflow.${ZONE}`;
  const s = `s3.${ZONE}`;
  const zone = [
    alias(a, 'AAAA', 'manual.elb.amazonaws.com'),
    { Name: `${s}.`, Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'x.example.com' }] },
  ];
  const plan = planChanges(spec(), targets({ 'airflow-production-1': LB1, 'data-bolt': LB2 }), zone);
  assert.equal(rows(plan), [`skip ${a} AAAA`, `skip ${s} AAAA`]);
  assert.match(plan[0]!.reason, /without a meshfleet ownership TXT/);
  assert.match(plan[1]!.reason, /CNAME/);
  assert.ok(plan.every((c) => !c.request));
  assert.ok(inSync(plan), 'skips alone are not pending changes');
});

test('TXT of another fleet, foreign TXT, TXT with extra values, routing policies: skipped', () => {
  const name = `s3.${ZONE}`;
  const one = { endpoints: [spec().endpoints[1]!] };
  const t = targets({ 'data-bolt': LB2 });
  const cases: [ZoneRecord[], RegExp][] = [
    [
      [alias(name, 'AAAA', LB1.dnsName), txt(name, ownershipValue('other', 'data-bolt'))],
      /another fleet \(other\/data-bolt\)/,
    ],
    [[txt(name, '"v=spf1 -all"')], /not a meshfleet ownership record/],
    [[txt(name, ownershipValue('sneaks', 'data-bolt'), '"hello"')], /other values/],
    [[{ ...alias(name, 'AAAA', LB1.dnsName), SetIdentifier: 'blue' }], /routing policy/],
  ];
  for (const [zone, reason] of cases) {
    const plan = planChanges(spec(one), t, zone);
    assert.equal(rows(plan), [`skip ${name} AAAA`]);
    assert.match(plan[0]!.reason, reason);
  }
});

test('endpoint gone from the fleet: its owned records and TXT are deleted, in phase 2, in one group', () => {
  const gone = `production-0.trino.${ZONE}`;
  const zone = [
    alias(gone, 'A', 'lb-t.elb.amazonaws.com'),
    alias(gone, 'AAAA', 'lb-t.elb.amazonaws.com'),
    txt(gone, ownershipValue('sneaks', 'trino-production-0')),
    // another fleet's and an unowned record are never deleted
    alias(`x.${ZONE}`, 'AAAA', 'lb-x.elb.amazonaws.com'),
    txt(`x.${ZONE}`, ownershipValue('other', 'x')),
    alias(`manual.${ZONE}`, 'AAAA', 'lb-m.elb.amazonaws.com'),
  ];
  const plan = planChanges(spec({ endpoints: [] }), targets({}), zone);
  assert.equal(rows(plan), [`delete ${gone} A`, `delete ${gone} AAAA`, `delete ${gone} TXT`]);
  assert.ok(plan.every((c) => c.phase === 2 && c.group === gone && c.request?.Action === 'DELETE'));
  // DELETE carries the current values exactly, as Route 53 requires
  assert.equal(plan[2]!.request?.ResourceRecordSet, zone[2]);
});

test('IP family shrinks: the dropped type is deleted in phase 2, the kept one untouched', () => {
  const name = `s3.${ZONE}`;
  const zone = [
    alias(name, 'A', LB2.dnsName),
    alias(name, 'AAAA', LB2.dnsName),
    txt(name, ownershipValue('sneaks', 'data-bolt')),
  ];
  const plan = planChanges(
    spec({ ipFamily: 'ipv6', endpoints: [spec().endpoints[1]!] }),
    targets({ 'data-bolt': LB2 }),
    zone,
  );
  assert.equal(rows(plan), [`delete ${name} A`]);
  assert.is(plan[0]!.phase, 2);
});

test('owned name taken over by another cluster of the same fleet: TXT upserted', () => {
  const name = `s3.${ZONE}`;
  const zone = [alias(name, 'AAAA', LB2.dnsName), txt(name, ownershipValue('sneaks', 'old-storage'))];
  const plan = planChanges(spec({ endpoints: [spec().endpoints[1]!] }), targets({ 'data-bolt': LB2 }), zone);
  assert.equal(rows(plan), [`update ${name} TXT`]);
  assert.is(plan[0]!.request?.Action, 'UPSERT');
});

test('owned but a record type is missing: created', () => {
  const name = `s3.${ZONE}`;
  const zone = [alias(name, 'A', LB2.dnsName), txt(name, ownershipValue('sneaks', 'data-bolt'))];
  const plan = planChanges(
    spec({ ipFamily: 'dual', endpoints: [spec().endpoints[1]!] }),
    targets({ 'data-bolt': LB2 }),
    zone,
  );
  assert.equal(rows(plan), [`create ${name} AAAA`]);
});

test('a cluster without a target is skipped by the pure planner', () => {
  const plan = planChanges(spec({ endpoints: [spec().endpoints[1]!] }), targets({}), []);
  assert.equal(rows(plan), [`skip s3.${ZONE} AAAA`]);
  assert.match(plan[0]!.reason, /dns\.target/);
});

test('ownership TXT round-trips and rejects look-alikes', () => {
  assert.equal(parseOwnershipValue(ownershipValue('f', 'c')), { fleet: 'f', resource: 'c' });
  assert.is(parseOwnershipValue('"heritage=external-dns,external-dns/owner=default"'), undefined);
  assert.is(parseOwnershipValue('heritage=meshfleet,meshfleet/fleet=f,meshfleet/resource=c'), undefined);
  assert.is(parseOwnershipValue('"heritage=meshfleet,meshfleet/fleet=f" "x"'), undefined);
});

test('table: stable order, columns, summary line', () => {
  const plan = planChanges(spec(), targets({ 'airflow-production-1': LB1, 'data-bolt': LB2 }), [
    alias(`s3.${ZONE}`, 'AAAA', 'manual.elb.amazonaws.com'),
  ]);
  const lines = formatTable(plan);
  assert.match(lines[0]!, /^ACTION\s+NAME\s+TYPE\s+TARGET\s+REASON$/);
  assert.is(lines.length, 4);
  assert.match(lines[1]!, /^create\s+production-1\.airflow/);
  assert.match(lines[3]!, /^skip\s+s3\./);
  assert.is(summaryLine(summarize(plan)), 'Plan: 2 to create, 0 to update, 0 to delete, 1 skipped.');
  // planning twice gives the same order
  assert.equal(
    planChanges(spec(), targets({ 'airflow-production-1': LB1, 'data-bolt': LB2 }), []),
    planChanges(spec(), targets({ 'airflow-production-1': LB1, 'data-bolt': LB2 }), []),
  );
});

test('batchChanges: groups never split, phase 1 before phase 2, limits respected', () => {
  const endpoints = Array.from({ length: 10 }, (_, i) => ({ cluster: `c${i}`, fqdn: `c${i}.${ZONE}` }));
  const t = targets(Object.fromEntries(endpoints.map((e) => [e.cluster, LB1])));
  const stale = [
    alias(`old.${ZONE}`, 'AAAA', 'x.elb.amazonaws.com'),
    txt(`old.${ZONE}`, ownershipValue('sneaks', 'old')),
  ];
  const plan = planChanges(spec({ ipFamily: 'dual', endpoints }), t, stale);
  assert.is(plan.length, 32);
  const batches = batchChanges(plan, { maxChanges: 7, maxRecords: 1000, maxValueChars: 32_000 });
  // 3 changes per group: at most 2 groups (6 changes) per batch
  assert.ok(batches.every((b) => b.changes.length <= 7));
  assert.equal(
    batches.map((b) => b.changes.length),
    [6, 6, 6, 6, 6, 2],
  );
  assert.equal(
    batches.map((b) => b.phase),
    [1, 1, 1, 1, 1, 2],
  );
  for (const b of batches) {
    for (const c of b.changes) {
      const everywhere = batches.filter((x) => x.changes.some((y) => y.group === c.group));
      assert.is(everywhere.length, 1, `group ${c.group} in one batch`);
    }
  }
  // character budget: an UPSERT of a TXT counts twice
  const value = ownershipValue('sneaks', 'c0').length;
  const byChars = batchChanges(plan, { maxChanges: 1000, maxRecords: 1000, maxValueChars: value * 3 });
  assert.equal(
    byChars.filter((b) => b.phase === 1).map((b) => b.changes.length),
    [9, 9, 9, 3],
    'three TXT values per batch',
  );
});

test('batchChanges: 1,000 changes per ChangeBatch at most', () => {
  const endpoints = Array.from({ length: 700 }, (_, i) => ({ cluster: `c${i}`, fqdn: `c${i}.${ZONE}` }));
  const t = targets(Object.fromEntries(endpoints.map((e) => [e.cluster, LB1])));
  const plan = planChanges(spec({ ipFamily: 'ipv4', endpoints }), t, []);
  assert.is(plan.length, 1400);
  const batches = batchChanges(plan, { maxChanges: 1000, maxRecords: 1000, maxValueChars: 1e9 });
  assert.equal(
    batches.map((b) => b.changes.length),
    [1000, 400],
  );
});

test('validateSpec: names outside the zone, duplicates, bad fleet names', () => {
  assert.equal(validateSpec(spec()), []);
  const bad = validateSpec({
    ...spec(),
    fleet: 'a,b',
    endpoints: [
      { cluster: 'c1', fqdn: 'x.elsewhere.internal' },
      { cluster: 'c2', fqdn: `same.${ZONE}` },
      { cluster: 'c3', fqdn: `same.${ZONE}` },
    ],
  });
  assert.is(bad.length, 3);
  assert.match(bad.join('\n'), /fleet name/);
  assert.match(bad.join('\n'), /not inside the zone/);
  assert.match(bad.join('\n'), /c2 and c3 both use/);
});

test.run();
