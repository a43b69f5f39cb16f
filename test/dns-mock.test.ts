// The AWS-facing stages against aws-sdk-client-mock: discoverTargets, readZone, applyChanges, withRetry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type RRType,
} from '@aws-sdk/client-route-53';
import {
  applyChanges,
  ApplyError,
  discoverTargets,
  ownershipValue,
  planChanges,
  readZone,
  withRetry,
  type DnsSpec,
  type ResolvedTarget,
} from '../src/dns/index.ts';

const FAST = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 };
const ZONE = 'cluster-mesh.example.internal';
const cfg = { region: 'eu-central-1', credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' } };

function throttling(name = 'Throttling', status = 400): Error {
  return Object.assign(new Error('Rate exceeded'), { name, $metadata: { httpStatusCode: status } });
}

function lb(i: number): LoadBalancer {
  return {
    LoadBalancerArn: `arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/net/lb-${i}/${i}`,
    DNSName: `lb-${i}.elb.eu-central-1.amazonaws.com`,
    CanonicalHostedZoneId: 'Z3F0SRJ5LGBH90',
    IpAddressType: 'dualstack',
    State: { Code: 'active' },
  };
}

test('discoverTargets: pages DescribeLoadBalancers, tags 20 ARNs a call, matches the controller tags', async () => {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  const all = Array.from({ length: 45 }, (_, i) => lb(i));
  elb.on(DescribeLoadBalancersCommand).callsFake((input: { Marker?: string }) => {
    const start = input.Marker ? Number(input.Marker) : 0;
    const page = all.slice(start, start + 20);
    return { LoadBalancers: page, ...(start + 20 < all.length ? { NextMarker: String(start + 20) } : {}) };
  });
  let throttled = false;
  elb.on(DescribeTagsCommand).callsFake((input: { ResourceArns: string[] }) => {
    if (!throttled) {
      throttled = true;
      throw throttling();
    }
    assert.ok(input.ResourceArns.length <= 20);
    return {
      TagDescriptions: input.ResourceArns.map((arn) => {
        const i = Number(arn.split('/').pop());
        const tags = [{ Key: 'service.k8s.aws/resource', Value: 'LoadBalancer' }];
        if (i === 7)
          tags.push(
            { Key: 'service.k8s.aws/stack', Value: 'kube-system/clustermesh-apiserver' },
            { Key: 'elbv2.k8s.aws/cluster', Value: 'airflow-production-1' },
          );
        if (i === 44)
          tags.push(
            { Key: 'service.k8s.aws/stack', Value: 'kube-system/clustermesh-apiserver' },
            { Key: 'elbv2.k8s.aws/cluster', Value: 'eks-trino' },
          );
        if (i === 8)
          tags.push(
            { Key: 'service.k8s.aws/stack', Value: 'ingress/nginx' },
            { Key: 'elbv2.k8s.aws/cluster', Value: 'airflow-production-1' },
          );
        if (i === 3 || i === 30)
          tags.push(
            { Key: 'service.k8s.aws/stack', Value: 'kube-system/clustermesh-apiserver' },
            { Key: 'elbv2.k8s.aws/cluster', Value: 'twins' },
          );
        return { ResourceArn: arn, Tags: tags };
      }),
    };
  });
  const retries: string[] = [];
  const result = await discoverTargets(
    new ElasticLoadBalancingV2Client(cfg),
    [
      { cluster: 'airflow-production-1', fqdn: `a.${ZONE}` },
      { cluster: 'trino-production-0', fqdn: `t.${ZONE}`, lbClusterTag: 'eks-trino' },
      { cluster: 'nowhere', fqdn: `n.${ZONE}` },
      { cluster: 'twins', fqdn: `w.${ZONE}` },
    ],
    { retry: FAST, onRetry: (l) => retries.push(l) },
  );
  assert.is(elb.commandCalls(DescribeLoadBalancersCommand).length, 3);
  assert.equal(
    elb
      .commandCalls(DescribeTagsCommand)
      .filter((c) => c.args[0].input.ResourceArns!.length > 0)
      .map((c) => c.args[0].input.ResourceArns!.length),
    [20, 20, 20, 5], // first call throttled and retried
  );
  assert.is(retries.length, 1);
  assert.match(retries[0]!, /DescribeTags: Throttling, retrying/);
  assert.equal(result.targets.get('airflow-production-1'), {
    dnsName: 'lb-7.elb.eu-central-1.amazonaws.com',
    hostedZoneId: 'Z3F0SRJ5LGBH90',
    source: 'lookup',
    loadBalancerArn: lb(7).LoadBalancerArn,
    ipAddressType: 'dualstack',
  });
  assert.is(result.targets.get('trino-production-0')?.dnsName, 'lb-44.elb.eu-central-1.amazonaws.com');
  assert.match(
    result.problems.get('nowhere')!,
    /no load balancer tagged service\.k8s\.aws\/stack=kube-system\/clustermesh-apiserver and elbv2\.k8s\.aws\/cluster=nowhere/,
  );
  assert.match(result.problems.get('twins')!, /2 load balancers/);
  elb.restore();
});

test('readZone: follows NextRecordName / NextRecordType / NextRecordIdentifier', async () => {
  const r53 = mockClient(Route53Client);
  r53
    .on(ListResourceRecordSetsCommand)
    .resolvesOnce({
      ResourceRecordSets: [{ Name: 'a.x.', Type: 'A' }],
      IsTruncated: true,
      NextRecordName: 'b.x.',
      NextRecordType: 'AAAA',
      MaxItems: 1,
    })
    .rejectsOnce(throttling('PriorRequestNotComplete'))
    .resolvesOnce({
      ResourceRecordSets: [{ Name: 'b.x.', Type: 'AAAA', SetIdentifier: 'one' }],
      IsTruncated: true,
      NextRecordName: 'b.x.',
      NextRecordType: 'AAAA',
      NextRecordIdentifier: 'two',
      MaxItems: 1,
    })
    .resolvesOnce({
      ResourceRecordSets: [{ Name: 'b.x.', Type: 'AAAA', SetIdentifier: 'two' }],
      IsTruncated: false,
      MaxItems: 1,
    });
  const recs = await readZone(new Route53Client(cfg), '/hostedzone/Z1', { pageSize: 1, retry: FAST });
  assert.equal(
    recs.map((r) => `${r.Name} ${r.Type} ${r.SetIdentifier ?? ''}`),
    ['a.x. A ', 'b.x. AAAA one', 'b.x. AAAA two'],
  );
  const inputs = r53.commandCalls(ListResourceRecordSetsCommand).map((c) => c.args[0].input);
  assert.equal(inputs[0], { HostedZoneId: 'Z1', MaxItems: 1 });
  assert.equal(inputs[3], {
    HostedZoneId: 'Z1',
    MaxItems: 1,
    StartRecordName: 'b.x.',
    StartRecordType: 'AAAA' as RRType,
    StartRecordIdentifier: 'two',
  });
  r53.restore();
});

function planFor(endpoints: number, stale: number) {
  const spec: DnsSpec = {
    fleet: 'f',
    hostedZoneId: 'Z1',
    zone: ZONE,
    ipFamily: 'ipv6',
    endpoints: Array.from({ length: endpoints }, (_, i) => ({ cluster: `c${i}`, fqdn: `c${i}.${ZONE}` })),
  };
  const t: ResolvedTarget = { dnsName: 'lb.elb.amazonaws.com', hostedZoneId: 'Z3F0SRJ5LGBH90', source: 'fleet' };
  const existing = Array.from({ length: stale }, (_, i) => [
    {
      Name: `old${i}.${ZONE}.`,
      Type: 'AAAA',
      AliasTarget: { HostedZoneId: 'Z3F0SRJ5LGBH90', DNSName: 'x.', EvaluateTargetHealth: false },
    },
    { Name: `old${i}.${ZONE}.`, Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: ownershipValue('f', `old${i}`) }] },
  ]).flat();
  return planChanges(spec, new Map(spec.endpoints.map((e) => [e.cluster, t])), existing);
}

test('applyChanges: upsert batches first, deletions last, each waited to INSYNC', async () => {
  const r53 = mockClient(Route53Client);
  let n = 0;
  const polls = new Map<string, number>();
  r53
    .on(ChangeResourceRecordSetsCommand)
    .callsFake(() => ({ ChangeInfo: { Id: `/change/C${++n}`, Status: 'PENDING', SubmittedAt: new Date() } }));
  r53.on(GetChangeCommand).callsFake((input: { Id: string }) => {
    const p = (polls.get(input.Id) ?? 0) + 1;
    polls.set(input.Id, p);
    return { ChangeInfo: { Id: input.Id, Status: p >= 2 ? 'INSYNC' : 'PENDING', SubmittedAt: new Date() } };
  });
  const lines: string[] = [];
  const plan = planFor(5, 2); // 10 create changes, 4 delete changes
  const applied = await applyChanges(new Route53Client(cfg), '/hostedzone/Z1', plan, {
    limits: { maxChanges: 4, maxRecords: 1000, maxValueChars: 32_000 },
    retry: FAST,
    pollIntervalMs: 1,
    progress: (l) => lines.push(l),
  });
  const sent = r53.commandCalls(ChangeResourceRecordSetsCommand).map((c) => c.args[0].input);
  assert.equal(
    sent.map((s) => s.ChangeBatch!.Changes!.map((c) => c.Action).join(',')),
    ['CREATE,CREATE,CREATE,CREATE', 'CREATE,CREATE,CREATE,CREATE', 'CREATE,CREATE', 'DELETE,DELETE,DELETE,DELETE'],
  );
  assert.ok(sent.every((s) => s.HostedZoneId === 'Z1'));
  assert.equal(
    applied.map((a) => a.status),
    ['INSYNC', 'INSYNC', 'INSYNC', 'INSYNC'],
  );
  // each batch waited for before the next was sent: GetChange for C1 happens before C2 is created
  const order = r53.calls().map((c) => c.args[0].constructor.name);
  assert.is(order.indexOf('GetChangeCommand') < order.indexOf('ChangeResourceRecordSetsCommand', 1), true);
  assert.ok(lines.some((l) => /^Batch 1\/4: .*INSYNC/.test(l)));
  assert.ok(lines.some((l) => /waiting for \/change\/C1: PENDING/.test(l)));
  r53.restore();
});

test('applyChanges: a failing batch stops the run; later batches (and all deletions) are not sent', async () => {
  const r53 = mockClient(Route53Client);
  let n = 0;
  r53.on(ChangeResourceRecordSetsCommand).callsFake(() => {
    if (++n === 2)
      throw Object.assign(new Error('[Tried to create resource record set but it already exists]'), {
        name: 'InvalidChangeBatch',
        $metadata: { httpStatusCode: 400 },
      });
    return { ChangeInfo: { Id: `/change/C${n}`, Status: 'INSYNC', SubmittedAt: new Date() } };
  });
  const plan = planFor(5, 2);
  try {
    await applyChanges(new Route53Client(cfg), 'Z1', plan, {
      limits: { maxChanges: 4, maxRecords: 1000, maxValueChars: 32_000 },
      retry: FAST,
      pollIntervalMs: 1,
    });
    assert.unreachable('should fail');
  } catch (err) {
    assert.instance(err, ApplyError);
    const e = err as ApplyError;
    assert.is(e.failedBatch, 2);
    assert.is(e.applied.length, 1);
    assert.is((e.cause as Error).name, 'InvalidChangeBatch');
  }
  assert.is(
    r53.commandCalls(ChangeResourceRecordSetsCommand).length,
    2,
    'InvalidChangeBatch is not retried, nothing after it sent',
  );
  r53.restore();
});

test('withRetry: retries throttling, PriorRequestNotComplete, 5xx and dropped sockets; not 4xx', async () => {
  for (const err of [
    throttling(),
    throttling('PriorRequestNotComplete'),
    throttling('InternalFailure', 500),
    Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
  ]) {
    let calls = 0;
    const v = await withRetry('op', async () => (++calls < 3 ? Promise.reject(err) : 'ok'), FAST);
    assert.is(v, 'ok');
    assert.is(calls, 3);
  }
  let calls = 0;
  const denied = Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  await withRetry(
    'op',
    async () => {
      calls++;
      throw denied;
    },
    FAST,
  ).catch(() => {});
  assert.is(calls, 1);
  calls = 0;
  await withRetry(
    'op',
    async () => {
      calls++;
      throw throttling();
    },
    FAST,
  ).catch(() => {});
  assert.is(calls, FAST.maxAttempts, 'gives up after maxAttempts');
});

test.run();
