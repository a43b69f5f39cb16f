/** `meshfleet dns plan`: the zone as it is, held against the fleet, printed; nothing is changed. */
import { inSync, planChanges, summarize } from './plan.ts';
import { formatTable, NO_CHANGES, planJson, summaryLine } from './report.ts';
import type { DnsRun, Targets, ZoneRecord } from './types.ts';

/** 0, or 2 with --detailed-exitcode when applying would change something. */
export async function showPlan(run: DnsRun, targets: Targets, readZone: () => Promise<ZoneRecord[]>): Promise<number> {
  const { out } = run.opts;
  const changes = planChanges(run.spec, targets, await readZone());
  const summary = summarize(changes);
  const synced = inSync(changes);
  if (run.opts.json) {
    out(planJson(run.spec, changes, summary, synced));
  } else {
    if (changes.length > 0) for (const l of formatTable(changes)) out(l);
    if (synced) out(NO_CHANGES);
    out(summaryLine(summary));
  }
  return run.opts.detailedExitcode && !synced ? 2 : 0;
}
