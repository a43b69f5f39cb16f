/**
 * `meshfleet dns plan|apply`: the thin edge that wires the stages to real SDK clients and to the terminal.
 * It never touches process.argv or process.exit: the CLI passes the spec and options and exits with the
 * number this returns (0 ok / in sync, 2 changes pending with --detailed-exitcode, 1 error).
 */
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { applyChanges, ApplyError, isInvalidChangeBatch, ROUTE53_LIMITS, type AppliedBatch } from './apply.ts';
import { CLUSTER_TAG, CLUSTERMESH_STACK, discoverTargets, needsLookup, STACK_TAG } from './discover.ts';
import { isInZone, normalizeName, normalizeZoneId } from './names.ts';
import { FORBIDDEN_OWNER_CHARS } from './ownership.ts';
import { formatTable, inSync, planChanges, summarize, summaryLine, typesFor } from './plan.ts';
import { DEFAULT_RETRY, formatAwsError, type RetryPolicy } from './retry.ts';
import type { Change, DnsCommandOptions, DnsSpec, PlanSummary, ResolvedTarget } from './types.ts';
import { readZone } from './zone.ts';

export type DnsSubcommand = 'plan' | 'apply';

/** Problems with the spec itself, one message each (empty when fine). */
export function validateSpec(spec: DnsSpec): string[] {
  const problems: string[] = [];
  if (!spec.fleet) problems.push('the fleet has no name');
  else if (FORBIDDEN_OWNER_CHARS.test(spec.fleet)) {
    problems.push(`fleet name '${spec.fleet}' may not contain quotes, commas, '=', backslashes or spaces`);
  }
  if (!normalizeZoneId(spec.hostedZoneId ?? '')) problems.push('dns.hostedZoneId is empty');
  if (!spec.zone) problems.push('dns zone is empty');
  const byName = new Map<string, string>();
  for (const ep of spec.endpoints) {
    const name = normalizeName(ep.fqdn);
    if (FORBIDDEN_OWNER_CHARS.test(ep.cluster)) problems.push(`cluster name '${ep.cluster}' is not usable in an ownership record`);
    if (!/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(name)) {
      problems.push(`cluster ${ep.cluster}: '${ep.fqdn}' is not a valid DNS name`);
    } else if (spec.zone && !isInZone(name, spec.zone)) {
      problems.push(`cluster ${ep.cluster}: '${ep.fqdn}' is not inside the zone '${normalizeName(spec.zone)}'`);
    }
    const other = byName.get(name);
    if (other !== undefined) problems.push(`clusters ${other} and ${ep.cluster} both use the DNS name ${name}`);
    else byName.set(name, ep.cluster);
    if (ep.target && (!ep.target.dnsName || !ep.target.hostedZoneId)) {
      problems.push(`cluster ${ep.cluster}: dns.target needs both dnsName and hostedZoneId`);
    }
  }
  return problems;
}

function publicRow(c: Change) {
  return {
    action: c.action,
    name: c.name,
    type: c.type,
    target: c.target,
    reason: c.reason,
    ...(c.cluster !== undefined ? { cluster: c.cluster } : {}),
  };
}

function applySummaryLine(s: PlanSummary): string {
  return `Apply complete: ${s.create} created, ${s.update} updated, ${s.delete} deleted, ${s.skip} skipped.`;
}

/** How long a whole `dns` command may take unless told otherwise: time for Route 53 to reach INSYNC a few times. */
export const DEFAULT_TIMEOUT_MS = 600_000;

/**
 * Runs `dns plan|apply` within the overall deadline: when it passes, every AWS call and wait in flight is aborted
 * and the command ends with one line saying so, however the network behaves.
 */
export async function dnsCommand(sub: DnsSubcommand, spec: DnsSpec, opts: DnsCommandOptions): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      deadline.abort(new DeadlineError());
      const partly = sub === 'apply' ? '; Route 53 may have applied some changes: `meshfleet dns plan` shows what is left' : '';
      opts.err(`error: no result within ${formatDuration(timeoutMs)}: gave up (--timeout ${formatDuration(timeoutMs)})${partly}`);
      resolve(1);
    }, timeoutMs);
  });
  const work = runDns(sub, spec, opts, deadline.signal);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
    // After the deadline the aborted work still settles (clients destroyed); its outcome was already reported.
    if (deadline.signal.aborted) await work.catch(() => 1);
  }
}

class DeadlineError extends Error {
  constructor() {
    super('deadline passed');
    this.name = 'DeadlineError';
  }
}

/** 90000 → '90s', 600000 → '10m': as the --timeout flag takes it. */
export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * An AWS SDK error about the machine's setup, said with what fixes it; undefined for any other error. The SDK's own
 * words ("Region is missing", "Could not load credentials from any providers") name neither the flag nor the variables.
 */
export function setupProblem(err: unknown): string | undefined {
  const e = err as { name?: string; message?: string } | undefined;
  if (/region is missing/i.test(e?.message ?? '')) return 'no AWS region: pass --region REGION or set AWS_REGION';
  if (e?.name === 'CredentialsProviderError' || /could not load credentials/i.test(e?.message ?? '')) {
    return 'no AWS credentials: set AWS_PROFILE to a profile of ~/.aws/config, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  }
  return undefined;
}

async function runDns(sub: DnsSubcommand, spec: DnsSpec, opts: DnsCommandOptions, signal: AbortSignal): Promise<number> {
  const tuning = opts.tuning ?? {};
  const retry: RetryPolicy = {
    maxAttempts: tuning.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
    baseDelayMs: tuning.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: tuning.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    signal,
  };
  // Progress (retries, batches, waiting for INSYNC) goes to stderr: stdout carries only the plan or the result.
  const progress = opts.err;
  const fail = (line: string) => {
    if (!signal.aborted) opts.err(`error: ${line}`);
  };

  const problems = validateSpec(spec);
  if (problems.length > 0) {
    for (const p of problems) fail(p);
    return 1;
  }

  const clientConfig = {
    maxAttempts: 1, // retries are ours (retry.ts), so they can be reported and tuned
    // Without these a server that accepts the connection and never answers holds the command forever.
    requestHandler: {
      connectionTimeout: tuning.connectTimeoutMs ?? 5_000,
      requestTimeout: tuning.requestTimeoutMs ?? 30_000,
      throwOnRequestTimeout: true, // otherwise the SDK only logs a warning and keeps waiting
    },
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
  };
  const route53 = new Route53Client(clientConfig);
  let elb: ElasticLoadBalancingV2Client | undefined;
  try {
    // 1. Targets: fleet.yaml first, then the load balancer lookup for the rest.
    const targets = new Map<string, ResolvedTarget>();
    for (const ep of spec.endpoints) {
      if (ep.target) targets.set(ep.cluster, { ...ep.target, source: 'fleet' });
    }
    const lookup = needsLookup(spec.endpoints);
    if (lookup.length > 0) {
      elb = new ElasticLoadBalancingV2Client(clientConfig);
      let found;
      try {
        found = await discoverTargets(elb, lookup, {
          retry,
          onRetry: progress,
          ...(tuning.elbPageSize ? { pageSize: tuning.elbPageSize } : {}),
        });
      } catch (err) {
        fail(setupProblem(err) ?? `looking up load balancers: ${formatAwsError(err)}`);
        return 1;
      }
      if (found.problems.size > 0) {
        const region = await elb.config.region().catch(() => undefined);
        for (const [cluster, why] of found.problems) {
          fail(
            `cluster ${cluster}: ${why}${region ? ` in ${region}` : ''}; ` +
              `set dns.target: {dnsName, hostedZoneId} under cluster ${cluster} in fleet.yaml ` +
              `(the load balancer's DNS name and canonical hosted zone id)`,
          );
        }
        return 1;
      }
      for (const [cluster, t] of found.targets) targets.set(cluster, t);
    }
    if (typesFor(spec.ipFamily).includes('AAAA')) {
      for (const [cluster, t] of targets) {
        if (t.ipAddressType && !t.ipAddressType.startsWith('dualstack')) {
          opts.err(
            `warning: cluster ${cluster}: load balancer ${t.loadBalancerArn} has IpAddressType ${t.ipAddressType}; ` +
              `its AAAA alias will not resolve until it is dualstack`,
          );
        }
      }
    }

    const zoneId = normalizeZoneId(spec.hostedZoneId);
    const read = async () => {
      try {
        return await readZone(route53, zoneId, {
          retry,
          onRetry: progress,
          ...(tuning.listPageSize ? { pageSize: tuning.listPageSize } : {}),
        });
      } catch (err) {
        throw new Error(setupProblem(err) ?? `reading hosted zone ${zoneId}: ${formatAwsError(err)}`);
      }
    };

    if (sub === 'plan') {
      const changes = planChanges(spec, targets, await read());
      const summary = summarize(changes);
      const synced = inSync(changes);
      if (opts.json) {
        opts.out(
          JSON.stringify(
            { command: 'plan', fleet: spec.fleet, hostedZoneId: zoneId, zone: normalizeName(spec.zone), inSync: synced, summary, changes: changes.map(publicRow) },
            null,
            2,
          ),
        );
      } else {
        if (changes.length > 0) for (const l of formatTable(changes)) opts.out(l);
        if (synced) opts.out('No changes. The zone matches the fleet.');
        opts.out(summaryLine(summary));
      }
      return opts.detailedExitcode && !synced ? 2 : 0;
    }

    // apply: read, plan, apply; if Route 53 refuses a batch because the zone changed meanwhile (or a retried
    // request had in fact gone through), read and plan again, up to maxRounds times.
    const maxRounds = tuning.maxRounds ?? 3;
    const total = { create: 0, update: 0, delete: 0, skip: 0 };
    const batches: AppliedBatch[] = [];
    let firstPlan: Change[] | undefined;
    let lastSkips = 0;
    for (let round = 1; ; round++) {
      const changes = planChanges(spec, targets, await read());
      firstPlan ??= changes;
      const summary = summarize(changes);
      lastSkips = summary.skip;
      if (!opts.json) {
        if (round > 1) opts.out(`Re-planned (round ${round} of at most ${maxRounds}):`);
        if (changes.length > 0) for (const l of formatTable(changes)) opts.out(l);
        opts.out(summaryLine(summary));
      }
      if (inSync(changes)) {
        if (!opts.json && round === 1) opts.out('No changes. The zone matches the fleet.');
        break;
      }
      try {
        const applied = await applyChanges(route53, zoneId, changes, {
          limits: { ...ROUTE53_LIMITS, ...tuning.limits },
          retry,
          pollIntervalMs: tuning.pollIntervalMs ?? 5_000,
          maxWaitMs: tuning.maxWaitMs ?? 600_000,
          progress,
          comment: `meshfleet dns apply: fleet ${spec.fleet}`,
        });
        batches.push(...applied);
        total.create += summary.create;
        total.update += summary.update;
        total.delete += summary.delete;
        break;
      } catch (err) {
        const applied = err instanceof ApplyError ? err.applied : [];
        batches.push(...applied);
        const cause = err instanceof ApplyError ? err.cause : err;
        if (isInvalidChangeBatch(cause) && round < maxRounds) {
          progress(
            `Route 53 refused a batch (${formatAwsError(cause)}); the zone changed since it was read: reading it again`,
          );
          continue;
        }
        const what = err instanceof ApplyError ? `${err.message}: ` : '';
        throw new Error(`${what}${formatAwsError(cause)}`);
      }
    }
    total.skip = lastSkips;
    if (opts.json) {
      opts.out(
        JSON.stringify(
          {
            command: 'apply',
            fleet: spec.fleet,
            hostedZoneId: zoneId,
            zone: normalizeName(spec.zone),
            summary: total,
            changes: (firstPlan ?? []).map(publicRow),
            batches,
          },
          null,
          2,
        ),
      );
    } else if (batches.length > 0 || total.create + total.update + total.delete > 0) {
      opts.out(applySummaryLine(total));
    }
    if (total.skip > 0 && !opts.json) {
      opts.out(`${total.skip} record(s) skipped: meshfleet changes only names it owns (see REASON above).`);
    }
    return 0;
  } catch (err) {
    fail(setupProblem(err) ?? (err instanceof Error && !('$metadata' in err) ? err.message : formatAwsError(err)));
    return 1;
  } finally {
    route53.destroy();
    elb?.destroy();
  }
}

/** Exposed for docs and error messages. */
export const LOOKUP_TAGS = { stack: STACK_TAG, cluster: CLUSTER_TAG, value: CLUSTERMESH_STACK } as const;
