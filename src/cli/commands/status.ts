/**
 * `meshfleet status`: the running clusters held against the fleet file. This edge reads the fleet and the kubeconfig,
 * renders the fleet in memory for the objects to look for, and prints; src/status/ does the checking.
 */
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../../diagnostics.ts';
import type { Fleet } from '../../model/fleet.ts';
import { inspectTemplate, renderTemplate } from '../../model/template.ts';
import { renderFleet } from '../../pipeline.ts';
import { templateContext } from '../../plan/plan.ts';
import { readEndpointRecords } from '../../status/dns-records.ts';
import { expectation, renderedObjects } from '../../status/expect.ts';
import { formatTable, summary, toJson } from '../../status/format.ts';
import { rbacFor, rbacYaml } from '../../status/rbac.ts';
import { fleetStatus, waitForStatus, type StatusOptions } from '../../status/run.ts';
import { fleetPasses, type FleetStatus } from '../../status/types.ts';
import type { Io } from '../io.ts';
import { readValidFleet } from '../read-fleet.ts';
import { UsageError } from '../usage-error.ts';

export interface StatusArgs {
  readonly file: string;
  /** Kubeconfig context name template (variables as in the fleet's name templates). */
  readonly context: string;
  /** Kubeconfig path; else $KUBECONFIG, else ~/.kube/config. */
  readonly kubeconfig?: string;
  readonly json: boolean;
  /** Keep looking until everything matches, for at most this long (milliseconds). */
  readonly waitMs?: number;
  /** Only these clusters (names from the fleet). */
  readonly clusters: readonly string[];
  /** Clusters queried at once. */
  readonly concurrency: number;
  /** Per request, in milliseconds. */
  readonly timeoutMs: number;
  /** Between --wait rounds, in milliseconds. */
  readonly intervalMs: number;
  /** Also compare each endpoint name's Route 53 record with its load balancer (needs AWS credentials). */
  readonly dns: boolean;
  /** Route 53 endpoint URL (as `meshfleet dns --endpoint`). */
  readonly endpoint?: string;
  readonly region?: string;
  /** The clock; tests pass a fixed one so that "expires in N days" does not drift. */
  readonly now?: () => Date;
  /** Argo CD fleets: the kubeconfig context of the cluster Argo CD runs in (default: the current context). */
  readonly argocdContext?: string;
  /** Print the ClusterRole and Roles this fleet's status needs, and query nothing. */
  readonly rbac?: boolean;
}

/** --concurrency: a whole number of at least 1; anything else is wrong usage. */
export function parseCount(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} takes a whole number of at least 1, not ${JSON.stringify(text)}`);
  return n;
}

/** --context: a template with the fleet's name variables; one that does not parse is wrong usage. */
export function checkContextTemplate(template: string): void {
  const inspected = inspectTemplate(template);
  if ('error' in inspected) throw new UsageError(`--context ${JSON.stringify(template)}: ${inspected.error}`);
}

export async function statusCommand(io: Io, args: StatusArgs): Promise<number> {
  const read = readValidFleet(io, args.file);
  if (!read) return 1;
  const { file, fleet } = read;
  const known = new Set(fleet.clusters.map((c) => c.name));
  const unknown = args.clusters.filter((c) => !known.has(c));
  if (unknown.length)
    throw new UserError(`${file}: no cluster named ${unknown.map((c) => JSON.stringify(c)).join(', ')}`);
  if (args.dns && !fleet.dns.hostedZoneId)
    throw new UserError(`${file}: dns.hostedZoneId is not set; \`status --dns\` reads the records from that zone`);
  const wanted = args.clusters.length ? new Set(args.clusters) : known;
  const expected = expectations(fleet, wanted);
  if (args.rbac) {
    io.out(rbacYaml(rbacFor(expected.clusters)).replace(/\n$/, ''));
    return 0;
  }
  const { status, gaveUp } = await look(io, args, statusOptions(io, args, fleet, expected, wanted));
  if (args.json) io.out(JSON.stringify(toJson(status), null, 2));
  else for (const line of formatTable(status)) io.out(line);
  if (gaveUp) io.err(`meshfleet: gave up waiting: ${summary(status)}`);
  return fleetPasses(status) ? 0 : 1;
}

/** What to look for on each wanted cluster: the fleet rendered in memory. */
function expectations(fleet: Fleet, wanted: ReadonlySet<string>) {
  const { plan, outputs } = renderFleet(fleet);
  const dnsOf = new Map(
    plan.dns.endpoints.map((e) => [e.cluster, { target: e.target?.dnsName, externalDns: e.externalDns }]),
  );
  const byName = new Map(plan.clusters.map((c) => [c.name, c]));
  const clusters = [];
  for (const output of outputs) {
    // The render yields every cluster (peers' entries depend on the whole fleet); only the wanted ones are kept.
    if (!wanted.has(output.cluster)) continue;
    clusters.push(expectation(byName.get(output.cluster)!, renderedObjects(output), dnsOf.get(output.cluster)));
  }
  return { plan, clusters };
}

/** How to reach each wanted cluster, and the Route 53 lookups of --dns. */
function statusOptions(
  io: Io,
  args: StatusArgs,
  fleet: Fleet,
  expected: ReturnType<typeof expectations>,
  wanted: ReadonlySet<string>,
): StatusOptions {
  const { plan } = expected;
  // `meshfleet dns` writes the records of the names ExternalDNS does not keep; those without dns.target it looks up.
  const managed = plan.dns.endpoints.filter((e) => !e.externalDns && wanted.has(e.cluster));
  const contexts = new Map(
    fleet.clusters.map((c) => [c.name, c.kubeContext ?? renderTemplate(args.context, templateContext(fleet, c))]),
  );
  return {
    fleet: fleet.name,
    clusters: expected.clusters,
    contexts,
    kubeconfig: loadKubeconfig(io, args.kubeconfig),
    concurrency: args.concurrency,
    timeoutMs: args.timeoutMs,
    now: args.now ?? (() => new Date()),
    ...(args.argocdContext !== undefined ? { argoContext: args.argocdContext } : {}),
    ...(args.dns
      ? {
          readDns: () =>
            readEndpointRecords({
              hostedZoneId: fleet.dns.hostedZoneId!,
              ipFamily: plan.dns.ipFamily,
              lookup: managed.filter((e) => !e.target).map((e) => ({ cluster: e.cluster, fqdn: e.fqdn })),
              endpoint: args.endpoint,
              region: args.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION,
              timeoutMs: args.timeoutMs,
            }),
        }
      : {}),
  };
}

/** One look, or with --wait looks until everything matches or the deadline passes. */
async function look(
  io: Io,
  args: StatusArgs,
  options: StatusOptions,
): Promise<{ status: FleetStatus; gaveUp: boolean }> {
  if (args.waitMs === undefined) return { status: await fleetStatus(options), gaveUp: false };
  const waited = await waitForStatus(options, {
    waitMs: args.waitMs,
    intervalMs: args.intervalMs,
    // Progress goes to stderr: stdout holds only the final table (or the JSON document).
    progress: (s, left) => io.err(`waiting: ${summary(s)} Next look in ${duration(Math.min(args.intervalMs, left))}.`),
  });
  return { status: waited.status, gaveUp: !waited.converged };
}

/** Milliseconds as people read them: 250ms, 10s, 2m30s. */
function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
}

/** The kubeconfig as kubectl finds it: --kubeconfig, else $KUBECONFIG (a list), else ~/.kube/config. */
function loadKubeconfig(io: Io, flag?: string): KubeConfig {
  const kc = new KubeConfig();
  const paths =
    flag !== undefined
      ? [resolve(io.cwd, flag)]
      : io.env.KUBECONFIG
        ? io.env.KUBECONFIG.split(delimiter)
            .filter(Boolean)
            .map((p) => resolve(io.cwd, p))
        : io.env.HOME
          ? [join(io.env.HOME, '.kube', 'config')]
          : [];
  const present = paths.filter((p) => existsSync(p));
  if (present.length === 0) {
    throw new UserError(
      `no kubeconfig: ${paths.length ? `${paths.join(', ')} not found` : 'give --kubeconfig PATH or set KUBECONFIG'}`,
    );
  }
  for (const p of present) {
    const one = new KubeConfig();
    try {
      one.loadFromFile(p);
    } catch (e) {
      throw new UserError(`${p}: not a kubeconfig (${(e as Error).message.split('\n')[0]})`);
    }
    kc.mergeConfig(one);
  }
  return kc;
}
