// `npm run bench`: how long meshfleet makes people wait, on synthetic fleets of 10 to 511 clusters.
// Not part of `npm test` (a full run takes minutes); test/bench.test.ts runs a small one so that this cannot rot.
//
//   npm run bench                                   every shape, TLS mode and size, 5 runs each
//   npm run bench -- --runs 1 --sizes 10,100        a quick look
//   npm run bench -- --shapes full-mesh --tls shared-ca --sizes 511
//   npm run bench -- --cli path/to/meshfleet.mjs      another build, e.g. to compare before and after a change
//
// Prints the table, writes the figures as JSON (--json, default bench-results.json) and the table with the machine
// to --markdown (default BENCHMARKS.md; only for a full run unless given explicitly). Build first: `npm run build`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SHAPES, SIZES, TLS_MODES, type FleetCase, type Shape, type TlsMode } from './bench/fleets.ts';
import { measureCase, measureNodeStart, REMOVED_FROM_ENV, type CaseResult } from './bench/measure.ts';
import { machine, machineLine, markdown, nodeStartLine, table, type BenchReport } from './bench/report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface BenchOptions {
  /** @default SIZES */
  readonly sizes?: readonly number[];
  /** @default SHAPES */
  readonly shapes?: readonly Shape[];
  /** @default TLS_MODES */
  readonly tls?: readonly TlsMode[];
  /** Runs per command. @default 5 */
  readonly runs?: number;
  /** @default bin/meshfleet.mjs of this repository */
  readonly cli?: string;
  /** Called after each case, e.g. to show progress. */
  readonly onCase?: (result: CaseResult) => void;
}

export function runBench(options: BenchOptions = {}): BenchReport {
  const cases: FleetCase[] = [];
  for (const size of options.sizes ?? SIZES) {
    for (const shape of options.shapes ?? SHAPES)
      for (const tls of options.tls ?? TLS_MODES) cases.push({ shape, tls, size });
  }
  const runs = options.runs ?? 5;
  const workDir = mkdtempSync(join(tmpdir(), 'meshfleet-bench-'));
  try {
    const nodeStart = measureNodeStart(runs);
    const results = cases.map((c) => {
      const result = measureCase(c, { cli: options.cli ?? join(root, 'bin', 'meshfleet.mjs'), runs, workDir });
      options.onCase?.(result);
      return result;
    });
    const removedFromEnv = REMOVED_FROM_ENV.filter((name) => process.env[name] !== undefined);
    return {
      date: new Date().toISOString(),
      machine: machine(),
      runs,
      nodeStart: { ...nodeStart, removedFromEnv },
      results,
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Writes the report as JSON and, when asked, as Markdown (BENCHMARKS.md). */
export function writeReport(report: BenchReport, files: { readonly json: string; readonly markdown?: string }): void {
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  if (files.markdown) writeFileSync(files.markdown, markdown(report));
}

function list<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items)
    if (!allowed.includes(item as T)) throw new Error(`--${what} ${item}: use ${allowed.join(', ')}`);
  return items as T[];
}

async function cli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      sizes: { type: 'string' },
      shapes: { type: 'string' },
      tls: { type: 'string' },
      json: { type: 'string' },
      markdown: { type: 'string' },
      cli: { type: 'string' },
    },
    strict: true,
  });
  const runs = values.runs === undefined ? 5 : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: use a whole number of at least 1`);
  const sizes = values.sizes?.split(',').map(Number);
  if (sizes?.some((n) => !Number.isInteger(n) || n < 2 || n > 511))
    throw new Error(`--sizes ${values.sizes}: use sizes from 2 to 511`);
  const shapes = list(values.shapes, SHAPES, 'shapes');
  const tls = list(values.tls, TLS_MODES, 'tls');
  const full = !sizes && !shapes && !tls && runs >= 5;

  console.log(`meshfleet benchmark on ${machineLine(machine())}, ${runs} run(s) per figure`);
  const report = runBench({
    sizes,
    shapes,
    tls,
    runs,
    cli: values.cli === undefined ? undefined : resolve(values.cli),
    onCase: (r) =>
      console.log(
        `  ${r.case}: validate ${r.validate.median.toFixed(3)} s, cold render ${r.cold.median.toFixed(3)} s, no-op ${r.noop.median.toFixed(3)} s, floor ${r.floor.median.toFixed(3)} s`,
      ),
  });
  console.log(`\n${nodeStartLine(report.nodeStart)}\n\n${table(report.results)}\n`);
  const json = resolve(values.json ?? join(root, 'bench-results.json'));
  const md = values.markdown ?? (full ? join(root, 'BENCHMARKS.md') : undefined);
  writeReport(report, { json, markdown: md === undefined ? undefined : resolve(md) });
  console.log(`wrote ${json}`);
  if (md) {
    console.log(`wrote ${resolve(md)}`);
  } else {
    console.log('BENCHMARKS.md left as it is: it holds full runs only (pass --markdown FILE to write this one)');
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).catch((e: Error) => {
    console.error(`bench: ${e.message}`);
    process.exitCode = 1;
  });
}
