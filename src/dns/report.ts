/** What `meshfleet dns` prints on stdout: the plan as a table or JSON, and the result of an apply. */
import type { AppliedBatch } from './apply.ts';
import { normalizeName, normalizeZoneId } from './names.ts';
import type { Change, DnsSpec, PlanSummary } from './types.ts';

export const NO_CHANGES = 'No changes. The zone matches the fleet.';

export function summaryLine(s: PlanSummary): string {
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.skip} skipped.`;
}

export function applySummaryLine(s: PlanSummary): string {
  return `Apply complete: ${s.create} created, ${s.update} updated, ${s.delete} deleted, ${s.skip} skipped.`;
}

/** The plan as a text table: ACTION, NAME, TYPE, TARGET, REASON. */
export function formatTable(rows: readonly Change[]): string[] {
  const header = ['ACTION', 'NAME', 'TYPE', 'TARGET', 'REASON'];
  const cells = rows.map((r) => [r.action, r.name, r.type, r.target, r.reason]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)];
}

/** The table (when there are rows) and the summary line. */
export function planLines(changes: readonly Change[], summary: PlanSummary): string[] {
  return [...(changes.length > 0 ? formatTable(changes) : []), summaryLine(summary)];
}

/** A row as `--json` shows it: what a person reads in the table, without the Route 53 request. */
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

export function planJson(spec: DnsSpec, changes: readonly Change[], summary: PlanSummary, inSync: boolean): string {
  const doc = {
    command: 'plan',
    fleet: spec.fleet,
    hostedZoneId: normalizeZoneId(spec.hostedZoneId),
    zone: normalizeName(spec.zone),
    inSync,
    summary,
    changes: changes.map(publicRow),
  };
  return JSON.stringify(doc, null, 2);
}

/** An apply's outcome: the first plan's rows (what the command set out to do) and the batches Route 53 took. */
export function applyJson(
  spec: DnsSpec,
  firstPlan: readonly Change[],
  summary: PlanSummary,
  batches: readonly AppliedBatch[],
): string {
  const doc = {
    command: 'apply',
    fleet: spec.fleet,
    hostedZoneId: normalizeZoneId(spec.hostedZoneId),
    zone: normalizeName(spec.zone),
    summary,
    changes: firstPlan.map(publicRow),
    batches,
  };
  return JSON.stringify(doc, null, 2);
}
