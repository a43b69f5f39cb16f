import { spawn } from 'node:child_process';
import { cpSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { tempDir } from './temp.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO, 'bin', 'meshfleet.mjs');

/** A temporary project folder with the schema beside the fleet file (the example's `$schema` comment points at it). */
export function tempProject(prefix = 'meshfleet-test-'): string {
  const dir = tempDir(prefix);
  cpSync(join(REPO, 'schema'), join(dir, 'schema'), { recursive: true });
  return dir;
}

/** Every file under dir (links included, never followed) as relative path → content ('-> link' for a link). */
export function readTree(dir: string): Map<string, string> {
  const tree = new Map<string, string>();
  const walk = (folder: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      const rel = relative(dir, path).split(sep).join('/');
      if (entry.isSymbolicLink()) tree.set(rel, '-> link');
      else if (entry.isDirectory()) walk(path);
      else tree.set(rel, readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return tree;
}

/** Modification times and inodes of every entry: if nothing was written, these are all unchanged. */
export function stamps(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const s = lstatSync(path);
      out.set(relative(dir, path), `${s.ino}:${s.mtimeMs}:${s.size}`);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out;
}

export interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** The CLI in-process, as `meshfleet ...argv` run in cwd. */
export async function run(cwd: string, argv: string[], env: Record<string, string> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** The built CLI as a child process; resolves with its exit code (or signal name) and output. */
export function spawnCli(cwd: string, argv: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, out, err })),
  );
  return { child, done };
}
