// The benchmark's outputs: the table printed and kept in BENCHMARKS.md, and the same figures as JSON.
import { cpus, totalmem } from 'node:os';
import type { CaseResult } from './measure.ts';

export interface Machine {
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
}

export interface BenchReport {
  readonly date: string;
  readonly machine: Machine;
  /** Runs per command (the median of them is reported). */
  readonly runs: number;
  readonly nodeStart: NodeStart;
  readonly results: readonly CaseResult[];
}

/** Node's own start (`node -e 0`, median), the part of every figure that is not meshfleet's. */
export interface NodeStart {
  /** In the environment the figures were measured in, seconds. */
  readonly seconds: number;
  /** In the environment the benchmark was started in, seconds. */
  readonly callerEnvSeconds: number;
  /** Variables set in the caller's environment that the measured processes did not get (REMOVED_FROM_ENV). */
  readonly removedFromEnv: readonly string[];
}

export function machine(): Machine {
  const list = cpus();
  return {
    cores: list.length,
    cpu: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export const COLUMNS = [
  'fleet',
  'clusters',
  'files',
  'MB',
  'validate s',
  'cold render s',
  'no-op render s',
  'floor s',
  'render/floor',
  's per MB',
  'no-op/cold',
  'validate CPU s',
  'cold CPU s',
  'peak RSS MiB',
  'no-op writes',
] as const;

function row(r: CaseResult): string[] {
  const s = (x: number) => x.toFixed(3);
  return [
    `${r.shape} ${r.tls}`,
    String(r.clusters),
    String(r.files),
    (r.bytes / 1e6).toFixed(2),
    s(r.validate.median),
    s(r.cold.median),
    s(r.noop.median),
    s(r.floor.median),
    r.ratio.toFixed(2),
    s(r.secondsPerMB),
    (r.noop.median / r.cold.median).toFixed(2),
    s(r.validate.cpuMedian),
    s(r.cold.cpuMedian),
    String(Math.round(Math.max(r.validate.peakRssMiB, r.cold.peakRssMiB, r.noop.peakRssMiB))),
    String(r.noopFilesWritten),
  ];
}

/** A Markdown table: readable in a terminal as it is, rendered on GitHub. */
export function table(results: readonly CaseResult[]): string {
  const rows = [[...COLUMNS], ...results.map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i < 1 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}

export function machineLine(m: Machine): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB memory, Node ${m.node}, ${m.platform}`;
}

export function nodeStartLine(start: NodeStart): string {
  const s = (x: number) => `${x.toFixed(3)} s`;
  const line = `Node's own start (\`node -e 0\`), part of every figure: ${s(start.seconds)}.`;
  if (start.removedFromEnv.length === 0) return line;
  return `${line} Measured without ${start.removedFromEnv.join(' and ')}, which the benchmark's caller had set and which \
made that start ${s(start.callerEnvSeconds)} (scripts/bench/measure.ts says why).`;
}

export function markdown(report: BenchReport): string {
  return `# Benchmarks

Written by \`npm run bench\` (scripts/bench.ts); do not edit by hand. ${report.date}, ${report.runs} run${report.runs === 1 ? '' : 's'} per figure.

Machine: ${machineLine(report.machine)}.

${nodeStartLine(report.nodeStart)}

Each figure is the median wall time of separate \`node bin/meshfleet.mjs\` processes (Node startup included) on a
synthetic fleet (scripts/bench/fleets.ts): \`validate\`; a cold \`render\` into an empty folder; a no-op \`render\`
over its own output; and the floor, a plain Node process writing the same files with the same bytes, run in turn
with the cold renders so that both meet the same disk (how fast it makes files drifts). Before each
process the disk is settled (\`sync\`), so that no run is timed while an earlier one's writes drain, and nothing is
deleted until every case is measured (ext4 without a journal makes files slowly for a minute after a deletion).
Peak RSS is the largest of validate and both renders. "no-op writes" counts files the no-op renders touched.
CPU s is the median user + system time of the same processes: steadier than wall time on a shared machine.

${table(report.results)}
`;
}
