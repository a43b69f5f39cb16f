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
  const retry = opts.retry ?? DEFAULT_RETRY;
  const stack = opts.stack ?? CLUSTERMESH_STACK;
  const targets = new Map<string, ResolvedTarget>();
  const problems = new Map<string, string>();
  if (endpoints.length === 0) return { targets, problems };

  const balancers: LoadBalancer[] = [];
  let marker: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await withRetry(
      'ELBv2 DescribeLoadBalancers',
      () =>
        elb.send(
          new DescribeLoadBalancersCommand({ PageSize: opts.pageSize ?? 400, ...(marker ? { Marker: marker } : {}) }),
          { abortSignal: retry.signal },
        ),
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

  for (const ep of endpoints) {
    const clusterTag = ep.lbClusterTag ?? ep.cluster;
    const matches = arns.filter((arn) => {
      const tags = tagsByArn.get(arn);
      const state = byArn.get(arn)?.State?.Code;
      return tags?.get(STACK_TAG) === stack && tags.get(CLUSTER_TAG) === clusterTag && state !== 'failed';
    });
    if (matches.length === 1) {
      const lb = byArn.get(matches[0]!)!;
      if (!lb.DNSName || !lb.CanonicalHostedZoneId) {
        problems.set(ep.cluster, `load balancer ${matches[0]} has no DNSName or CanonicalHostedZoneId yet`);
        continue;
      }
      targets.set(ep.cluster, {
        dnsName: lb.DNSName,
        hostedZoneId: lb.CanonicalHostedZoneId,
        source: 'lookup',
        loadBalancerArn: lb.LoadBalancerArn!,
        ...(lb.IpAddressType ? { ipAddressType: lb.IpAddressType } : {}),
      });
    } else if (matches.length === 0) {
      problems.set(ep.cluster, `no load balancer tagged ${STACK_TAG}=${stack} and ${CLUSTER_TAG}=${clusterTag}`);
    } else {
      problems.set(
        ep.cluster,
        `${matches.length} load balancers tagged ${STACK_TAG}=${stack} and ${CLUSTER_TAG}=${clusterTag} (${matches.join(', ')})`,
      );
    }
  }
  return { targets, problems };
}
