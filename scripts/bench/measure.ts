// Measures one synthetic fleet: `validate`, a cold `render`, a no-op `render` and the floor, each as its own Node
// process (startup included: that is what CI pays), wall time by the parent, peak RSS by rss-wrapper.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { byKey } from '../../src/model/byte-order.ts';
import { caseName, fleetYaml, type FleetCase } from './fleets.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const RSS_WRAPPER = join(here, 'rss-wrapper.mjs');
const FLOOR = join(here, 'floor.mjs');

/** Figures of one command over its runs. */
export interface Timing {
  /** Median wall time, seconds. */
  readonly median: number;
  /** Every run's wall time, seconds, in run order. */
  readonly runs: readonly number[];
  /** Median CPU time (user + system), seconds: steadier than wall time when the machine is shared. */
  readonly cpuMedian: number;
  /** Largest peak RSS of any run, MiB. */
  readonly peakRssMiB: number;
}

export interface CaseResult {
  readonly case: string;
  readonly shape: FleetCase['shape'];
  readonly tls: FleetCase['tls'];
  readonly clusters: number;
  /** Files a cold render writes (dist/ and clusters/). */
  readonly files: number;
  /** Bytes a cold render writes. */
  readonly bytes: number;
  readonly validate: Timing;
  readonly cold: Timing;
  readonly noop: Timing;
  readonly floor: Timing;
  /** Files created, changed or removed by the no-op renders (should be 0). */
  readonly noopFilesWritten: number;
  /** cold.median / floor.median. */
  readonly ratio: number;
  /** cold.median per MB (10^6 bytes) written. */
  readonly secondsPerMB: number;
}

export interface MeasureOptions {
  /** The CLI entry point, e.g. bin/meshfleet.mjs. */
  readonly cli: string;
  /** Runs per command; the median is reported. */
  readonly runs: number;
  /** Scratch folder; one sub-folder per case is made in it, for the caller to remove when every case is measured. */
  readonly workDir: string;
}

interface Run {
  readonly seconds: number;
  readonly rssKiB: number;
  readonly cpuSeconds: number;
  readonly stdout: string;
}

/**
 * Flushes what earlier runs left for the kernel to write back (`sync`, where there is one), so that a run is not
 * timed while the previous run's writes drain: like `hyperfine --prepare sync`.
 */
function settleDisk(): void {
  spawnSync('sync', [], { stdio: 'ignore' });
}

/**
 * Variables of the caller's environment that measured processes do not get. Node reads NODE_EXTRA_CA_CERTS' bundle
 * as it starts, whatever the program (on a machine that points it at the system's 140 certificates, 0.09 s per
 * process, three times Node's own start); NODE_OPTIONS can load anything. Both measure the machine's setup, not
 * meshfleet: the report gives Node's start with and without them (nodeStart).
 */
export const REMOVED_FROM_ENV = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'] as const;

function measuredEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of REMOVED_FROM_ENV) delete env[name];
  return env;
}

let runCount = 0;

function runNode(script: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = measuredEnv()): Run {
  // A file per run, left in place: nothing is deleted while measuring (see measureCase).
  const rssFile = join(cwd, `.rss-${process.pid}-${runCount++}`);
  settleDisk();
  const started = performance.now();
  const result = spawnSync(process.execPath, [RSS_WRAPPER, rssFile, script, ...args], {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    throw new Error(
      `${script} ${args.join(' ')} (in ${cwd}) exited with ${result.status ?? result.signal}:\n${result.stderr}`,
    );
  }
  const rssKiB = Number(readFileSync(rssFile, 'utf8'));
  const cpuSeconds = Number(readFileSync(`${rssFile}.cpu`, 'utf8'));
  return { seconds, rssKiB, cpuSeconds, stdout: result.stdout };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timing(runs: readonly Run[]): Timing {
  const seconds = runs.map((r) => r.seconds);
  return {
    median: median(seconds),
    runs: seconds,
    cpuMedian: median(runs.map((r) => r.cpuSeconds)),
    peakRssMiB: Math.max(...runs.map((r) => r.rssKiB)) / 1024,
  };
}

interface FileEntry {
  /** Relative to the listed root, with forward slashes. */
  readonly path: string;
  readonly size: number;
  readonly mtimeNs: bigint;
}

/** Every file under the roots (relative to base), sorted by path. */
export function listFiles(base: string, roots: readonly string[]): FileEntry[] {
  const out: FileEntry[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const stat = statSync(path, { bigint: true });
        out.push({ path: relative(base, path).split(sep).join('/'), size: Number(stat.size), mtimeNs: stat.mtimeNs });
      }
    }
  };
  for (const root of roots) walk(join(base, root));
  return out.sort(byKey((f) => f.path));
}

/** Files added, removed or touched between two listings. */
function filesWritten(before: readonly FileEntry[], after: readonly FileEntry[]): number {
  const old = new Map(before.map((f) => [f.path, f]));
  let written = 0;
  for (const f of after) {
    const was = old.get(f.path);
    if (!was || was.mtimeNs !== f.mtimeNs || was.size !== f.size) written++;
    old.delete(f.path);
  }
  return written + old.size;
}

/** Packs the rendered files into one blob and an index for floor.mjs; read now, so the floor does not pay for it. */
function packFloorInput(base: string, files: readonly FileEntry[], blobFile: string, indexFile: string): void {
  const contents = files.map((f) => readFileSync(join(base, f.path)));
  writeFileSync(blobFile, Buffer.concat(contents));
  writeFileSync(indexFile, JSON.stringify(files.map((f, i) => ({ path: f.path, length: contents[i].length }))));
}

const OUTPUT_ROOTS = ['dist', 'clusters'];

/**
 * Measures one case. Nothing is deleted until every case is measured (the caller removes workDir): without a journal,
 * as on the VM this was written on, ext4 skips inodes freed in the last minute or more when it makes a file, so a run
 * right after a deletion of thousands of files scans past them all, file after file. Deleting each run's output
 * before the next made the floor of 3,841 files take 2.5 s instead of 0.06 s to create empty, and varied as deletions
 * aged.
 */
export function measureCase(fleetCase: FleetCase, options: MeasureOptions): CaseResult {
  const { cli, runs } = options;
  const dir = join(options.workDir, caseName(fleetCase));
  mkdirSync(dir, { recursive: true });
  const yaml = fleetYaml(fleetCase);
  writeFileSync(join(dir, 'fleet.yaml'), yaml);
  const validate = Array.from({ length: runs }, () => runNode(cli, ['validate', 'fleet.yaml'], dir));

  // Cold: every run renders into a folder of its own that holds nothing but the fleet file. The floor writes what the
  // first one rendered. From then on cold renders and floors alternate, run by run: how fast this disk makes files
  // drifts from minute to minute (by a third, here), and render/floor should compare the two under the same drift.
  const cold: Run[] = [];
  const floor: Run[] = [];
  let rendered = '';
  let files: FileEntry[] = [];
  const coldRun = () => {
    rendered = mkdtempSync(join(dir, 'cold-'));
    writeFileSync(join(rendered, 'fleet.yaml'), yaml);
    cold.push(runNode(cli, ['render', 'fleet.yaml'], rendered));
    const listed = listFiles(rendered, OUTPUT_ROOTS);
    if (files.length > 0 && total(listed) !== total(files))
      throw new Error(`${caseName(fleetCase)}: two cold renders wrote different output`);
    files = listed;
  };
  coldRun();
  const blob = join(dir, 'floor.bin');
  const index = join(dir, 'floor.json');
  packFloorInput(rendered, files, blob, index);
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(dir, 'floor-'));
    floor.push(runNode(FLOOR, [blob, index, out], dir));
    if (i === 0 && total(listFiles(out, ['.'])) !== total(files))
      throw new Error(`${caseName(fleetCase)}: the floor wrote different output`);
    if (cold.length < runs) coldRun();
  }

  const noop: Run[] = [];
  let noopFilesWritten = 0;
  for (let i = 0; i < runs; i++) {
    const before = listFiles(rendered, OUTPUT_ROOTS);
    noop.push(runNode(cli, ['render', 'fleet.yaml'], rendered));
    noopFilesWritten += filesWritten(before, listFiles(rendered, OUTPUT_ROOTS));
  }

  const bytes = files.reduce((n, f) => n + f.size, 0);
  const coldTiming = timing(cold);
  const floorTiming = timing(floor);
  return {
    case: caseName(fleetCase),
    shape: fleetCase.shape,
    tls: fleetCase.tls,
    clusters: fleetCase.size,
    files: files.length,
    bytes,
    validate: timing(validate),
    cold: coldTiming,
    noop: timing(noop),
    floor: floorTiming,
    noopFilesWritten,
    ratio: coldTiming.median / floorTiming.median,
    secondsPerMB: coldTiming.median / (bytes / 1e6),
  };
}

function total(files: readonly FileEntry[]): string {
  return `${files.length} files, ${files.reduce((n, f) => n + f.size, 0)} bytes`;
}

/** Median wall time of `node -e 0`, Node's own start: in the measured environment, and in the caller's. */
export function measureNodeStart(runs: number): { readonly seconds: number; readonly callerEnvSeconds: number } {
  const time = (env: NodeJS.ProcessEnv) => {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { env, stdio: 'ignore' });
    return (performance.now() - started) / 1000;
  };
  const medianOf = (env: NodeJS.ProcessEnv) => median(Array.from({ length: runs }, () => time(env)));
  return { seconds: medianOf(measuredEnv()), callerEnvSeconds: medianOf(process.env) };
}
