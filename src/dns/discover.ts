/**
 * discoverTargets: finds each cluster's clustermesh-apiserver load balancer through the tags the AWS Load
 * Balancer Controller puts on the load balancers it makes for a Service:
 *   service.k8s.aws/stack  = <namespace>/<service>   (here kube-system/clustermesh-apiserver)
 *   elbv2.k8s.aws/cluster  = <cluster name the controller was given>
 * DescribeLoadBalancers is read page by page (Marker / NextMarker), DescribeTags 20 ARNs at a time (its limit).
 */
import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.ts';
import type { DnsEndpoint, ResolvedTarget } from './types.ts';

export const STACK_TAG = 'service.k8s.aws/stack';
export const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';
export const CLUSTERMESH_STACK = 'kube-system/clustermesh-apiserver';
/** DescribeTags accepts at most 20 resource ARNs per call. */
export const TAGS_BATCH = 20;

export interface DiscoverOptions {
  readonly pageSize?: number;
  readonly stack?: string;
  readonly retry?: RetryPolicy;
  readonly onRetry?: (line: string) => void;
}

export interface DiscoverResult {
  /** Found targets, by Cilium cluster name. */
  readonly targets: Map<string, ResolvedTarget>;
  /** Clusters for which no single load balancer was found, with the reason. */
  readonly problems: Map<string, string>;
}

/** The clusters whose target must be looked up (fleet.yaml's `dns.target` wins). */
export function needsLookup(endpoints: readonly DnsEndpoint[]): DnsEndpoint[] {
  return endpoints.filter((e) => !e.target);
}

export async function discoverTargets(
  elb: ElasticLoadBalancingV2Client,
  endpoints: readonly DnsEndpoint[],
  opts: DiscoverOptions = {},
): Promise<DiscoverResult> {
  const targets = new Map<string, ResolvedTarget>();
  const problems = new Map<string, string>();
  if (endpoints.length === 0) return { targets, problems };
  const balancers = await listLoadBalancers(elb, opts);
  const tagged = await readTags(elb, balancers, opts);
  for (const ep of endpoints) {
    const found = findTarget(ep, tagged, opts.stack ?? CLUSTERMESH_STACK);
    if (typeof found === 'string') problems.set(ep.cluster, found);
    else targets.set(ep.cluster, found);
  }
  return { targets, problems };
}

/** A load balancer with its tags. */
interface Tagged {
  readonly lb: LoadBalancer & { readonly LoadBalancerArn: string };
  readonly tags: ReadonlyMap<string, string>;
}

/** Every load balancer of the account and region, page by page (Marker / NextMarker). */
async function listLoadBalancers(elb: ElasticLoadBalancingV2Client, opts: DiscoverOptions): Promise<LoadBalancer[]> {
  const retry = opts.retry ?? DEFAULT_RETRY;
  const balancers: LoadBalancer[] = [];
  let marker: string | undefined;
  const seen = new Set<string>();
  do {
    const input = { PageSize: opts.pageSize ?? 400, ...(marker ? { Marker: marker } : {}) };
    const page = await withRetry(
      'ELBv2 DescribeLoadBalancers',
      () => elb.send(new DescribeLoadBalancersCommand(input), { abortSignal: retry.signal }),
      retry,
      opts.onRetry,
    );
    balancers.push(...(page.LoadBalancers ?? []));
    marker = page.NextMarker || undefined;
    if (marker !== undefined) {
      if (seen.has(marker)) throw new Error('ELBv2 DescribeLoadBalancers: pagination did not advance');
      seen.add(marker);
    }
  } while (marker !== undefined);
  return balancers;
}

/** The tags of each load balancer, TAGS_BATCH ARNs a call; one listed twice counts once. */
async function readTags(
  elb: ElasticLoadBalancingV2Client,
  balancers: readonly LoadBalancer[],
  opts: DiscoverOptions,
): Promise<Tagged[]> {
  const retry = opts.retry ?? DEFAULT_RETRY;
  const byArn = new Map(balancers.filter((b) => b.LoadBalancerArn).map((b) => [b.LoadBalancerArn!, b]));
  const arns = [...byArn.keys()];
  const tagsByArn = new Map<string, Map<string, string>>();
  for (let i = 0; i < arns.length; i += TAGS_BATCH) {
    const chunk = arns.slice(i, i + TAGS_BATCH);
    const out = await withRetry(
      'ELBv2 DescribeTags',
      () => elb.send(new DescribeTagsCommand({ ResourceArns: chunk }), { abortSignal: retry.signal }),
      retry,
      opts.onRetry,
    );
    for (const d of out.TagDescriptions ?? []) {
      if (!d.ResourceArn) continue;
      tagsByArn.set(d.ResourceArn, new Map((d.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])));
    }
  }
  return arns.map((arn) => ({
    lb: { ...byArn.get(arn)!, LoadBalancerArn: arn },
    tags: tagsByArn.get(arn) ?? new Map(),
  }));
}

/** The one live load balancer tagged for this endpoint's cluster, or why there is none to use. */
function findTarget(ep: DnsEndpoint, tagged: readonly Tagged[], stack: string): ResolvedTarget | string {
  const clusterTag = ep.lbClusterTag ?? ep.cluster;
  const matches = tagged.filter(
    ({ lb, tags }) =>
      tags.get(STACK_TAG) === stack && tags.get(CLUSTER_TAG) === clusterTag && lb.State?.Code !== 'failed',
  );
  const tags = `tagged ${STACK_TAG}=${stack} and ${CLUSTER_TAG}=${clusterTag}`;
  if (matches.length === 0) return `no load balancer ${tags}`;
  if (matches.length > 1) {
    return `${matches.length} load balancers ${tags} (${matches.map((m) => m.lb.LoadBalancerArn).join(', ')})`;
  }
  const { lb } = matches[0]!;
  if (!lb.DNSName || !lb.CanonicalHostedZoneId) {
    return `load balancer ${lb.LoadBalancerArn} has no DNSName or CanonicalHostedZoneId yet`;
  }
  return {
    dnsName: lb.DNSName,
    hostedZoneId: lb.CanonicalHostedZoneId,
    source: 'lookup',
    loadBalancerArn: lb.LoadBalancerArn,
    ...(lb.IpAddressType ? { ipAddressType: lb.IpAddressType } : {}),
  };
}
