/**
 * Step 1 of `meshfleet dns`: where each endpoint's records point. fleet.yaml's `dns.target` wins; the others are looked
 * up through the tags the AWS Load Balancer Controller puts on the clustermesh-apiserver's load balancer.
 */
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { setupProblem, type DnsClients } from './clients.ts';
import { discoverTargets, needsLookup } from './discover.ts';
import { typesFor } from './plan.ts';
import { formatAwsError } from './retry.ts';
import type { DnsEndpoint, DnsRun, ResolvedTarget, Targets } from './types.ts';

/** Every endpoint's target, or undefined when one cannot be found (each such endpoint has had its error line). */
export async function resolveTargets(run: DnsRun, clients: DnsClients): Promise<Targets | undefined> {
  const targets = new Map<string, ResolvedTarget>();
  for (const ep of run.spec.endpoints) {
    if (ep.target) targets.set(ep.cluster, { ...ep.target, source: 'fleet' });
  }
  const lookup = needsLookup(run.spec.endpoints);
  if (lookup.length > 0) {
    const found = await lookUp(run, clients.elb(), lookup);
    if (!found) return undefined;
    for (const [cluster, t] of found) targets.set(cluster, t);
  }
  warnSingleStack(run, targets);
  return targets;
}

async function lookUp(
  run: DnsRun,
  elb: ElasticLoadBalancingV2Client,
  endpoints: DnsEndpoint[],
): Promise<Targets | undefined> {
  let found;
  try {
    const pageSize = run.tuning.elbPageSize;
    const options = { retry: run.retry, onRetry: run.progress, ...(pageSize ? { pageSize } : {}) };
    found = await discoverTargets(elb, endpoints, options);
  } catch (err) {
    run.fail(setupProblem(err) ?? `looking up load balancers: ${formatAwsError(err)}`);
    return undefined;
  }
  if (found.problems.size === 0) return found.targets;
  const region = await elb.config.region().catch(() => undefined);
  for (const [cluster, why] of found.problems) {
    run.fail(
      `cluster ${cluster}: ${why}${region ? ` in ${region}` : ''}; ` +
        `set dns.target: {dnsName, hostedZoneId} under cluster ${cluster} in fleet.yaml ` +
        `(the load balancer's DNS name and canonical hosted zone id)`,
    );
  }
  return undefined;
}

/** An AAAA alias to a load balancer without IPv6 is published but does not resolve: said, not refused. */
function warnSingleStack(run: DnsRun, targets: Targets): void {
  if (!typesFor(run.spec.ipFamily).includes('AAAA')) return;
  for (const [cluster, t] of targets) {
    if (t.ipAddressType && !t.ipAddressType.startsWith('dualstack')) {
      run.warn(
        `cluster ${cluster}: load balancer ${t.loadBalancerArn} has IpAddressType ${t.ipAddressType}; ` +
          `its AAAA alias will not resolve until it is dualstack`,
      );
    }
  }
}
