/**
 * `meshfleet dns plan|apply`: the thin edge that wires the steps to real SDK clients and to the terminal.
 * It never touches process.argv or process.exit: the CLI passes the spec and options and exits with the
 * number this returns (0 ok / in sync, 2 changes pending with --detailed-exitcode, 1 error).
 *
 * The steps, each in a module of its own:
 *   validateSpec (spec.ts) -> resolveTargets (targets.ts) -> showPlan (show-plan.ts) or applyInRounds (apply-rounds.ts)
 * both of the last reading the zone (zone.ts) and planning (plan.ts) before they print or apply.
 */
import { applyInRounds } from './apply-rounds.ts';
import { dnsClients, errorLine, retryPolicy, setupProblem, type DnsClients } from './clients.ts';
import { normalizeZoneId } from './names.ts';
import { formatAwsError } from './retry.ts';
import { showPlan } from './show-plan.ts';
import { validateSpec } from './spec.ts';
import { resolveTargets } from './targets.ts';
import type { DnsCommandOptions, DnsRun, DnsSpec, ZoneRecord } from './types.ts';
import { readZone } from './zone.ts';

export type DnsSubcommand = 'plan' | 'apply';

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
      const partly =
        sub === 'apply' ? '; Route 53 may have applied some changes: `meshfleet dns plan` shows what is left' : '';
      opts.err(
        `error: no result within ${formatDuration(timeoutMs)}: gave up (--timeout ${formatDuration(timeoutMs)})${partly}`,
      );
      resolve(1);
    }, timeoutMs);
  });
  const work = runDns(sub, dnsRun(spec, opts, deadline.signal));
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

function dnsRun(spec: DnsSpec, opts: DnsCommandOptions, signal: AbortSignal): DnsRun {
  const tuning = opts.tuning ?? {};
  return {
    spec,
    opts,
    tuning,
    retry: retryPolicy(tuning, signal),
    progress: opts.err,
    warn: (line) => opts.err(`warning: ${line}`),
    fail: (line) => {
      if (!signal.aborted) opts.err(`error: ${line}`);
    },
  };
}

async function runDns(sub: DnsSubcommand, run: DnsRun): Promise<number> {
  const problems = validateSpec(run.spec);
  if (problems.length > 0) {
    for (const p of problems) run.fail(p);
    return 1;
  }
  const clients = dnsClients(run.opts);
  try {
    const targets = await resolveTargets(run, clients);
    if (!targets) return 1;
    const read = zoneReader(run, clients);
    return sub === 'plan'
      ? await showPlan(run, targets, read)
      : await applyInRounds(run, clients.route53, targets, read);
  } catch (err) {
    run.fail(errorLine(err));
    return 1;
  } finally {
    clients.destroy();
  }
}

/** Reads the whole hosted zone; an error says which zone it was reading. */
function zoneReader(run: DnsRun, clients: DnsClients): () => Promise<ZoneRecord[]> {
  const zoneId = normalizeZoneId(run.spec.hostedZoneId);
  const pageSize = run.tuning.listPageSize;
  const options = { retry: run.retry, onRetry: run.progress, ...(pageSize ? { pageSize } : {}) };
  return async () => {
    try {
      return await readZone(clients.route53, zoneId, options);
    } catch (err) {
      throw new Error(setupProblem(err) ?? `reading hosted zone ${zoneId}: ${formatAwsError(err)}`, { cause: err });
    }
  };
}
