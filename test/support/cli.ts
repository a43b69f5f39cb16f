// The CLI as a test drives it: in-process (`run`) or as the built binary (`spawnCli`), in a fresh folder.
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/main.ts';
import { tempDir } from './temp.ts';

/** The repository's root folder, without a trailing slash. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const BIN = join(REPO, 'bin', 'meshfleet.mjs');
/** The example fleet file's text. */
export const EXAMPLE = readFileSync(join(REPO, 'fleet.yaml'), 'utf8');

/** The example fleet's application clusters, by name (its storage cluster is data-bolt). */
export const EXAMPLE_APPLICATIONS: readonly string[] = [
  'airflow-production-1',
  'arcane-production-0',
  'dev-spaces-production-0',
  'spark-batch-1',
  'spark-databuild-1',
  'spark-streaming-1',
  'trino-production-0',
];

export interface CliResult {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** Runs `meshfleet ...argv` in-process, as a user would from `cwd`. */
export function run(cwd: string, ...argv: string[]): Promise<CliResult> {
  return runWith({}, cwd, ...argv);
}

/** `run` with these environment variables (the only ones the command sees). */
export async function runWith(env: Record<string, string>, cwd: string, ...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** The built CLI as a child process; resolves with its exit code (or signal name) and output. */
export function spawnCli(cwd: string, argv: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...argv], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err })),
  );
  return { child, done };
}

/** `meshfleet validate` on a fleet text it must refuse (exit 1): its diagnostic lines, without the closing count. */
export async function problems(text: string): Promise<string[]> {
  const result = await run(workspace(text), 'validate');
  assert.is(result.code, 1, `expected exit 1; stdout: ${result.out.join('\n')}`);
  assert.match(result.err[result.err.length - 1], /^\d+ problems?( and \d+ warnings?)? in fleet\.yaml$/);
  return result.err.slice(0, -1);
}

/** A fresh folder holding `fleet.yaml` with the given text. */
export function workspace(fleet: string = EXAMPLE): string {
  const dir = tempDir('meshfleet-test-');
  writeFileSync(join(dir, 'fleet.yaml'), fleet);
  return dir;
}

/** A fresh folder with the schema beside where the fleet file goes (the example's `$schema` comment points at it). */
export function tempProject(prefix = 'meshfleet-test-'): string {
  const dir = tempDir(prefix);
  cpSync(join(REPO, 'schema'), join(dir, 'schema'), { recursive: true });
  return dir;
}

/** A minimal valid fleet to build cases from: with cni native, each cluster needs a pod CIDR of its own. */
export const MINIMAL = `fleet: test
dns:
  zone: mesh.example.internal
vault:
  server: https://vault.example.internal:8200
clusters:
  - name: store
    id: 1
    role: storage
    application: s3
    environment: prod
    podCIDRs: [10.1.0.0/16]
  - name: app
    id: 2
    role: application
    application: spark
    environment: batch
    podCIDRs: [10.2.0.0/16]
`;
