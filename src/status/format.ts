/** The status as a table with details under it, or as JSON; both deterministic (clusters and details sorted). */
import { clusterPasses, COLUMNS, fleetPasses, type ClusterStatus, type FleetStatus, type Mark } from './types.ts';

const MARK_TEXT: Readonly<Record<Mark, string>> = { ok: 'ok', warn: 'warn', fail: 'FAIL', error: 'ERROR', none: '-' };
const HEADERS = ['CLUSTER', ...COLUMNS.map((c) => c.toUpperCase())];

/** The table, then each cluster's details (problems first seen, facts for the clusters that match). */
export function formatTable(status: FleetStatus): string[] {
  const rows = status.clusters.map((c) => [c.cluster, ...COLUMNS.map((col) => MARK_TEXT[c.checks[col].mark])]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  const out = [line(HEADERS), ...rows.map(line)];
  for (const c of status.clusters) {
    const details = clusterDetails(c);
    if (details.length === 0) continue;
    out.push('', `${c.cluster} (context ${c.context}):`, ...details.map((d) => `  ${d}`));
  }
  out.push('', summary(status));
  return out;
}

function clusterDetails(c: ClusterStatus): string[] {
  if (c.error !== undefined) return [`error: ${c.error}`];
  return COLUMNS.flatMap((col) => c.checks[col].details.map((d) => `${col}: ${d}`));
}

export function summary(status: FleetStatus): string {
  const off = status.clusters.filter((c) => !clusterPasses(c)).map((c) => c.cluster);
  const n = status.clusters.length;
  if (off.length === 0) return `${n} cluster${n === 1 ? '' : 's'}: all match ${status.fleet}.`;
  return `${n} cluster${n === 1 ? '' : 's'}: ${off.length} do${off.length === 1 ? 'es' : ''} not match: ${off.join(', ')}.`;
}

/** The JSON document `--json` prints: a stable shape for pipelines. */
export function toJson(status: FleetStatus): object {
  return {
    fleet: status.fleet,
    ok: fleetPasses(status),
    clusters: status.clusters.map((c) => ({
      name: c.cluster,
      context: c.context,
      ok: clusterPasses(c),
      ...(c.error !== undefined ? { error: c.error } : {}),
      checks: Object.fromEntries(
        COLUMNS.map((col) => {
          const r = c.checks[col];
          return [
            col,
            {
              status: r.mark,
              details: r.details,
              ...(r.revisions ? { revisions: r.revisions } : {}),
              ...(r.loadBalancer !== undefined ? { loadBalancer: r.loadBalancer } : {}),
            },
          ];
        }),
      ),
    })),
  };
}
