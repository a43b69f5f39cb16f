/**
 * `meshfleet dns apply`: read the zone, plan, apply. When Route 53 refuses a batch because the zone changed since it
 * was read (or a retried request had in fact gone through), it reads and plans again, up to `maxRounds` times: each
 * round plans from what the zone holds then, so what went through is not sent again.
 */
import type { Route53Client } from '@aws-sdk/client-route-53';
import { applyChanges, ApplyError, isInvalidChangeBatch, ROUTE53_LIMITS, type AppliedBatch } from './apply.ts';
import { normalizeZoneId } from './names.ts';
import { inSync, planChanges, summarize } from './plan.ts';
import { applyJson, applySummaryLine, NO_CHANGES, planLines } from './report.ts';
import { formatAwsError } from './retry.ts';
import type { Change, DnsRun, PlanSummary, Targets, ZoneRecord } from './types.ts';

export async function applyInRounds(
  run: DnsRun,
  route53: Route53Client,
  targets: Targets,
  readZone: () => Promise<ZoneRecord[]>,
): Promise<number> {
  const maxRounds = run.tuning.maxRounds ?? 3;
  const batches: AppliedBatch[] = [];
  let firstPlan: Change[] | undefined;
  let last: PlanSummary;
  let applied: PlanSummary | undefined;
  for (let round = 1; ; round++) {
    const changes = planChanges(run.spec, targets, await readZone());
    firstPlan ??= changes;
    last = summarize(changes);
    showRound(run, { round, maxRounds }, changes, last);
    if (inSync(changes)) break;
    if (await applyRound(run, route53, changes, batches, round < maxRounds)) {
      applied = last;
      break;
    }
  }
  // Skips are counted from the last plan: they are what is still left alone.
  const total = {
    create: applied?.create ?? 0,
    update: applied?.update ?? 0,
    delete: applied?.delete ?? 0,
    skip: last.skip,
  };
  report(run, firstPlan, total, batches);
  return 0;
}

function showRound(
  run: DnsRun,
  at: { round: number; maxRounds: number },
  changes: readonly Change[],
  summary: PlanSummary,
): void {
  if (run.opts.json) return;
  if (at.round > 1) run.opts.out(`Re-planned (round ${at.round} of at most ${at.maxRounds}):`);
  for (const l of planLines(changes, summary)) run.opts.out(l);
  if (at.round === 1 && inSync(changes)) run.opts.out(NO_CHANGES);
}

/**
 * Sends one plan; true when every batch is INSYNC, false when Route 53 refused a batch as no longer fitting the zone
 * and another round may read it again. Batches applied before a failure are added to `batches` either way.
 */
async function applyRound(
  run: DnsRun,
  route53: Route53Client,
  changes: Change[],
  batches: AppliedBatch[],
  mayRetry: boolean,
): Promise<boolean> {
  const { tuning } = run;
  try {
    const applied = await applyChanges(route53, normalizeZoneId(run.spec.hostedZoneId), changes, {
      limits: { ...ROUTE53_LIMITS, ...tuning.limits },
      retry: run.retry,
      pollIntervalMs: tuning.pollIntervalMs ?? 5_000,
      maxWaitMs: tuning.maxWaitMs ?? 600_000,
      progress: run.progress,
      comment: `meshfleet dns apply: fleet ${run.spec.fleet}`,
    });
    batches.push(...applied);
    return true;
  } catch (err) {
    if (err instanceof ApplyError) batches.push(...err.applied);
    const cause = err instanceof ApplyError ? err.cause : err;
    if (isInvalidChangeBatch(cause) && mayRetry) {
      run.progress(
        `Route 53 refused a batch (${formatAwsError(cause)}); the zone changed since it was read: reading it again`,
      );
      return false;
    }
    const what = err instanceof ApplyError ? `${err.message}: ` : '';
    throw new Error(`${what}${formatAwsError(cause)}`, { cause: err });
  }
}

function report(
  run: DnsRun,
  firstPlan: readonly Change[] = [],
  total: PlanSummary,
  batches: readonly AppliedBatch[],
): void {
  const { out } = run.opts;
  if (run.opts.json) {
    out(applyJson(run.spec, firstPlan, total, batches));
    return;
  }
  if (batches.length > 0 || total.create + total.update + total.delete > 0) out(applySummaryLine(total));
  if (total.skip > 0) out(`${total.skip} record(s) skipped: meshfleet changes only names it owns (see REASON above).`);
}
