/**
 * applyChanges: sends a plan's changes to Route 53 in ChangeBatches and waits for each to be INSYNC.
 *
 * - A group (one record name: its A/AAAA records and their ownership TXT) never spans two batches, so a
 *   record and its TXT change atomically (Route 53 applies a batch all or nothing).
 * - Phase-1 batches (creates, upserts) go first; phase-2 batches (deletions of stale records) only after
 *   every phase-1 batch is INSYNC. A failure stops the run before any later batch is sent.
 * - A batch holds at most `maxChanges` changes, `maxRecords` ResourceRecord elements and `maxValueChars`
 *   characters of values, an UPSERT counting twice for the last two (Route 53's rule).
 */
import { ChangeResourceRecordSetsCommand, GetChangeCommand, type Route53Client } from '@aws-sdk/client-route-53';
import { normalizeZoneId } from './names.ts';
import { DEFAULT_RETRY, sleep, withRetry, type RetryPolicy } from './retry.ts';
import type { BatchLimits, Change } from './types.ts';

export const ROUTE53_LIMITS: BatchLimits = { maxChanges: 1000, maxRecords: 1000, maxValueChars: 32_000 };

export interface Batch {
  readonly phase: 1 | 2;
  readonly changes: readonly Change[];
}

interface Weight {
  changes: number;
  records: number;
  chars: number;
}

function weigh(c: Change): Weight {
  const rr = c.request?.ResourceRecordSet.ResourceRecords ?? [];
  const factor = c.request?.Action === 'UPSERT' ? 2 : 1;
  return {
    changes: 1,
    records: rr.length * factor,
    chars: rr.reduce((n, v) => n + v.Value.length, 0) * factor,
  };
}

/** Packs the actionable changes (skips dropped) into batches; pure. */
export function batchChanges(changes: readonly Change[], limits: BatchLimits = ROUTE53_LIMITS): Batch[] {
  const batches: Batch[] = [];
  for (const phase of [1, 2] as const) {
    const groups = new Map<string, Change[]>();
    for (const c of changes) {
      if (!c.request || c.phase !== phase) continue;
      const g = groups.get(c.group);
      if (g) g.push(c);
      else groups.set(c.group, [c]);
    }
    let current: Change[] = [];
    let used: Weight = { changes: 0, records: 0, chars: 0 };
    for (const [group, members] of groups) {
      const w = members
        .map(weigh)
        .reduce(
          (a, b) => ({ changes: a.changes + b.changes, records: a.records + b.records, chars: a.chars + b.chars }),
          { changes: 0, records: 0, chars: 0 },
        );
      if (w.changes > limits.maxChanges || w.records > limits.maxRecords || w.chars > limits.maxValueChars) {
        throw new Error(`changes for ${group} do not fit in one ChangeBatch`);
      }
      const fits =
        used.changes + w.changes <= limits.maxChanges &&
        used.records + w.records <= limits.maxRecords &&
        used.chars + w.chars <= limits.maxValueChars;
      if (!fits && current.length > 0) {
        batches.push({ phase, changes: current });
        current = [];
        used = { changes: 0, records: 0, chars: 0 };
      }
      current.push(...members);
      used = { changes: used.changes + w.changes, records: used.records + w.records, chars: used.chars + w.chars };
    }
    if (current.length > 0) batches.push({ phase, changes: current });
  }
  return batches;
}

export interface ApplyOptions {
  readonly limits?: BatchLimits;
  readonly retry?: RetryPolicy;
  readonly pollIntervalMs?: number;
  readonly maxWaitMs?: number;
  /** Progress lines (batch sent, PENDING ..., INSYNC, retries). */
  readonly progress?: (line: string) => void;
  /** Written into each ChangeBatch's Comment. */
  readonly comment?: string;
}

export interface AppliedBatch {
  readonly changeId: string;
  readonly changes: number;
  readonly status: string;
}

/** Raised when a batch fails; batches before it were applied and are INSYNC. */
export class ApplyError extends Error {
  constructor(
    message: string,
    readonly applied: readonly AppliedBatch[],
    readonly failedBatch: number,
    readonly totalBatches: number,
    override readonly cause: unknown,
  ) {
    super(message);
    this.name = 'ApplyError';
  }
}

/** True for Route 53's answer to a batch that no longer fits the zone (CREATE of an existing record, ...). */
export function isInvalidChangeBatch(err: unknown): boolean {
  const e = err as { name?: string; cause?: { name?: string } } | undefined;
  return e?.name === 'InvalidChangeBatch' || e?.cause?.name === 'InvalidChangeBatch';
}

export async function applyChanges(
  route53: Route53Client,
  hostedZoneId: string,
  changes: readonly Change[],
  opts: ApplyOptions = {},
): Promise<AppliedBatch[]> {
  const zoneId = normalizeZoneId(hostedZoneId);
  const retry = opts.retry ?? DEFAULT_RETRY;
  const progress = opts.progress ?? (() => {});
  const batches = batchChanges(changes, opts.limits ?? ROUTE53_LIMITS);
  const applied: AppliedBatch[] = [];
  for (const [i, batch] of batches.entries()) {
    const label = `Batch ${i + 1}/${batches.length}`;
    try {
      const comment = `${opts.comment ?? 'meshfleet dns apply'} (${i + 1}/${batches.length})`.slice(0, 256);
      const sent = await sendBatch(route53, zoneId, batch, comment, retry, progress);
      const id = sent?.Id ?? '';
      const kind = batch.phase === 1 ? 'create/update' : 'delete';
      progress(`${label}: ${batch.changes.length} ${kind} changes submitted as ${id}, ${sent?.Status ?? 'PENDING'}`);
      const status = await waitInSync(route53, id, sent?.Status, {
        retry,
        pollIntervalMs: opts.pollIntervalMs ?? 5_000,
        maxWaitMs: opts.maxWaitMs ?? 600_000,
        progress: (line) => progress(`${label}: ${line}`),
      });
      applied.push({ changeId: id, changes: batch.changes.length, status });
    } catch (err) {
      const message = `${label} failed (${applied.length} of ${batches.length} batches applied)`;
      throw new ApplyError(message, applied, i + 1, batches.length, err);
    }
  }
  return applied;
}

/** One ChangeResourceRecordSets call; Route 53 applies its changes all or none. */
async function sendBatch(
  route53: Route53Client,
  zoneId: string,
  batch: Batch,
  comment: string,
  retry: RetryPolicy,
  progress: (line: string) => void,
) {
  const changes = batch.changes.map((c) => ({
    Action: c.request!.Action,
    ResourceRecordSet: c.request!.ResourceRecordSet as never,
  }));
  const input = { HostedZoneId: zoneId, ChangeBatch: { Comment: comment, Changes: changes } };
  const sent = await withRetry(
    'Route 53 ChangeResourceRecordSets',
    () => route53.send(new ChangeResourceRecordSetsCommand(input), { abortSignal: retry.signal }),
    retry,
    progress,
  );
  return sent.ChangeInfo;
}

/** Polls GetChange until INSYNC, one progress line per poll. */
export async function waitInSync(
  route53: Route53Client,
  changeId: string,
  initialStatus: string | undefined,
  opts: { retry: RetryPolicy; pollIntervalMs: number; maxWaitMs: number; progress: (line: string) => void },
): Promise<string> {
  const started = Date.now();
  let status = initialStatus ?? 'PENDING';
  while (status !== 'INSYNC') {
    const waited = Date.now() - started;
    if (waited > opts.maxWaitMs) {
      throw new Error(`change ${changeId} still ${status} after ${Math.round(waited / 1000)} s`);
    }
    await sleep(opts.pollIntervalMs, opts.retry.signal);
    const out = await withRetry(
      'Route 53 GetChange',
      () => route53.send(new GetChangeCommand({ Id: changeId }), { abortSignal: opts.retry.signal }),
      opts.retry,
      opts.progress,
    );
    status = out.ChangeInfo?.Status ?? 'PENDING';
    const secs = Math.round((Date.now() - started) / 1000);
    opts.progress(
      status === 'INSYNC' ? `${changeId} INSYNC after ${secs} s` : `waiting for ${changeId}: ${status} (${secs} s)`,
    );
  }
  return status;
}
