/**
 * The `meshfleet status` case of the benchmark: a fleet of synthetic clusters, all healthy, served by the fake
 * Kubernetes API of the tests (each answer delayed like a remote API server's round trip), checked by the built CLI
 * in a child process. Measures the wall time and the most clusters the fake saw queried at once (the bound).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeKube, writeKubeconfig } from '../../test/support/fake-kube.ts';
import { healthyFleet } from '../../test/support/fake-kube-fleet.ts';
import { fleetYaml, type Shape } from './fleets.ts';

export interface StatusBenchOptions {
  /** @default 100 */
  readonly size?: number;
  /** @default 'hub-and-spoke' */
  readonly shape?: Shape;
  /** `--concurrency`. @default 16 */
  readonly concurrency?: number;
  /** Delay of every answer of the fake, in milliseconds. @default 20 */
  readonly latencyMs?: number;
  /** @default 3 */
  readonly runs?: number;
  readonly cli: string;
}

export interface StatusBenchResult {
  readonly size: number;
  readonly shape: Shape;
  readonly concurrency: number;
  readonly latencyMs: number;
  /** Wall time of each run, in seconds. */
  readonly seconds: readonly number[];
  /** CPU time (user + system) of the CLI's process in each run, in seconds: steadier than wall time on a shared machine. */
  readonly cpuSeconds: readonly number[];
  /** The most clusters with a request in flight at once, over all runs: never above `concurrency`. */
  readonly maxClustersInFlight: number;
  /** Requests the fake answered per run. */
  readonly requestsPerRun: number;
  /** Exit codes of the runs (0: every cluster matched). */
  readonly exitCodes: readonly number[];
}

export async function measureStatus(o: StatusBenchOptions): Promise<StatusBenchResult> {
  const size = o.size ?? 100;
  const shape = o.shape ?? 'hub-and-spoke';
  const concurrency = o.concurrency ?? 16;
  const latencyMs = o.latencyMs ?? 20;
  const runs = o.runs ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'meshfleet-bench-status-'));
  const fake = await FakeKube.start();
  try {
    const text = fleetYaml({ shape, tls: 'per-cluster-ca', size });
    writeFileSync(join(dir, 'fleet.yaml'), text);
    for (const [name, state] of healthyFleet(text)) fake.clusters.set(name, state);
    fake.delayMs = latencyMs;
    const kubeconfig = writeKubeconfig(dir, fake.url, [...fake.clusters.keys()]);
    const seconds: number[] = [];
    const cpuSeconds: number[] = [];
    const exitCodes: number[] = [];
    const usage = join(dir, 'usage');
    for (let i = 0; i < runs; i++) {
      fake.requests = 0;
      const start = process.hrtime.bigint();
      exitCodes.push(
        await runCli(o.cli, dir, usage, [
          'status',
          '--kubeconfig',
          kubeconfig,
          '--concurrency',
          String(concurrency),
          '--json',
        ]),
      );
      seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
      cpuSeconds.push(Number(readFileSync(`${usage}.cpu`, 'utf8')));
    }
    return {
      size,
      shape,
      concurrency,
      latencyMs,
      seconds,
      cpuSeconds,
      maxClustersInFlight: fake.maxClustersInFlight,
      requestsPerRun: fake.requests,
      exitCodes,
    };
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const WRAPPER = fileURLToPath(new URL('rss-wrapper.mjs', import.meta.url));

/** The CLI in a child process (asynchronously: the fake it talks to runs in this one), its CPU time to `usage`.cpu. */
function runCli(cli: string, cwd: string, usage: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRAPPER, usage, cli, ...args], {
      cwd,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

export function statusLine(r: StatusBenchResult): string {
  const sorted = [...r.seconds].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const cpu = [...r.cpuSeconds].sort((a, b) => a - b)[Math.floor(r.cpuSeconds.length / 2)];
  return (
    `status ${r.shape} ${r.size} clusters, --concurrency ${r.concurrency}, ${r.latencyMs} ms per answer: ` +
    `median ${median.toFixed(2)} s of ${r.seconds.length} runs (${r.seconds.map((s) => s.toFixed(2)).join(', ')}), CPU median ${cpu.toFixed(2)} s, ` +
    `at most ${r.maxClustersInFlight} clusters at once, ${r.requestsPerRun} requests a run, exit ${[...new Set(r.exitCodes)].join('/')}`
  );
}
