/**
 * With `--dns`: the lookups `meshfleet dns plan` makes, so that status can tell whether each endpoint name points at
 * its cluster's load balancer. The same two reads: the load balancer the AWS Load Balancer Controller tagged for
 * kube-system/clustermesh-apiserver (src/dns/discover.ts; clusters without `dns.target`), and the hosted zone's
 * records (src/dns/zone.ts). Every request is bounded by status's --timeout.
 */
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { CLUSTER_TAG, CLUSTERMESH_STACK, discoverTargets, STACK_TAG } from '../dns/discover.ts';
import { normalizeAliasDnsName, normalizeName } from '../dns/names.ts';
import { typesFor } from '../dns/plan.ts';
import { DEFAULT_RETRY, formatAwsError, type RetryPolicy } from '../dns/retry.ts';
import { readZone } from '../dns/zone.ts';

/** What the AWS lookups found, or why they could not be made. */
export type EndpointRecords =
  | {
      /** Endpoint name (normalized) → record type → its alias targets (normalized). */
      readonly aliases: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
      /** Cluster → the load balancer `meshfleet dns` would alias (its DNS name), or why it finds none. */
      readonly lookedUp: ReadonlyMap<string, { readonly dnsName: string } | { readonly problem: string }>;
      /** The alias record types `meshfleet dns` writes for the fleet's IP family. */
      readonly types: readonly string[];
    }
  | { readonly error: string };

export interface DnsLookupOptions {
  readonly hostedZoneId: string;
  readonly ipFamily: 'ipv4' | 'ipv6' | 'dual';
  /** The endpoints whose load balancer is looked up by its tags (those without `dns.target`). */
  readonly lookup: readonly { readonly cluster: string; readonly fqdn: string }[];
  readonly endpoint?: string;
  readonly region?: string;
  /** Per AWS request, in milliseconds. */
  readonly timeoutMs: number;
}

/** Throttling is retried a little; anything else is the column's error at once. */
const RETRY: RetryPolicy = { ...DEFAULT_RETRY, maxAttempts: 3, maxDelayMs: 2_000 };

export async function readEndpointRecords(o: DnsLookupOptions): Promise<EndpointRecords> {
  const config = {
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: Math.min(5_000, o.timeoutMs),
      requestTimeout: o.timeoutMs,
      throwOnRequestTimeout: true,
    },
    ...(o.region ? { region: o.region } : {}),
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
  };
  const route53 = new Route53Client(config);
  const elb = o.lookup.length ? new ElasticLoadBalancingV2Client(config) : undefined;
  let step = `Route 53 zone ${o.hostedZoneId}`;
  try {
    const lookedUp = new Map<string, { dnsName: string } | { problem: string }>();
    if (elb) {
      step = `looking up the load balancers tagged ${STACK_TAG}=${CLUSTERMESH_STACK}`;
      const found = await discoverTargets(elb, o.lookup, { retry: RETRY });
      for (const [cluster, t] of found.targets) lookedUp.set(cluster, { dnsName: t.dnsName });
      for (const [cluster, problem] of found.problems) lookedUp.set(cluster, { problem });
      step = `Route 53 zone ${o.hostedZoneId}`;
    }
    const aliases = new Map<string, Map<string, string[]>>();
    for (const r of await readZone(route53, o.hostedZoneId, { retry: RETRY })) {
      if ((r.Type !== 'A' && r.Type !== 'AAAA') || !r.AliasTarget) continue;
      const name = normalizeName(r.Name);
      const byType = aliases.get(name) ?? new Map<string, string[]>();
      const list = byType.get(r.Type) ?? [];
      const target = normalizeAliasDnsName(r.AliasTarget.DNSName);
      if (!list.includes(target)) list.push(target);
      byType.set(r.Type, list);
      aliases.set(name, byType);
    }
    return { aliases, lookedUp, types: typesFor(o.ipFamily) };
  } catch (e) {
    return { error: `${step}: ${formatAwsError(e)}` };
  } finally {
    route53.destroy();
    elb?.destroy();
  }
}

export interface EndpointWant {
  readonly cluster: string;
  readonly fqdn: string;
  /** `dns.target` from the fleet file, which `meshfleet dns` aliases instead of looking a load balancer up. */
  readonly target?: string;
}

/**
 * The endpoint column's verdict on one name, given the load balancer the Service reports: the load balancer
 * `meshfleet dns` would alias must be that one, and every record type the fleet's IP family needs must alias it.
 */
export function compareEndpoint(
  records: EndpointRecords,
  want: EndpointWant,
  address: string,
): { ok: boolean; details: string[] } {
  if ('error' in records) return { ok: false, details: [records.error] };
  const lb = normalizeAliasDnsName(address);
  const problems: string[] = [];
  if (!want.target) {
    const found = records.lookedUp.get(want.cluster);
    if (!found) problems.push(`no load balancer was looked up for ${want.fqdn}`);
    else if ('problem' in found)
      problems.push(`meshfleet dns finds ${found.problem}, so it cannot point ${want.fqdn} anywhere`);
    else if (normalizeAliasDnsName(found.dnsName) !== lb) {
      problems.push(
        `the load balancer tagged ${CLUSTER_TAG}=${want.cluster} is ${found.dnsName}, not the Service's ${address}: meshfleet dns would point ${want.fqdn} there`,
      );
    }
  }
  const byType = records.aliases.get(normalizeName(want.fqdn));
  for (const type of records.types) {
    const targets = byType?.get(type) ?? [];
    if (targets.length === 0) problems.push(`${want.fqdn} has no ${type} alias record (meshfleet dns apply writes it)`);
    else if (!targets.includes(lb))
      problems.push(`${want.fqdn} ${type} aliases ${targets.join(', ')}, not the load balancer ${address}`);
  }
  if (problems.length) return { ok: false, details: problems };
  const one = records.types.length === 1;
  return {
    ok: true,
    details: [
      `${want.fqdn}: ${records.types.join(' and ')} record${one ? ' aliases' : 's alias'} the load balancer ${address}`,
    ],
  };
}
