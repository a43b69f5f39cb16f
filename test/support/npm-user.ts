// npm as a user runs it in a repository of their own: none of the settings `npm test` passes down to its scripts,
// this checkout's node_modules/.bin not on the PATH, and a configuration of its own that points at the local
// registry (test/support/registry.ts) with an empty cache, so nothing outside the test's folder is read or written.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm test` puts node_modules/.bin of this checkout and of every folder above it first on the PATH.
const CHECKOUT_BINS = new Set<string>();
for (let dir = fileURLToPath(new URL('../..', import.meta.url)); dir !== dirname(dir); dir = dirname(dir))
  CHECKOUT_BINS.add(join(dir, 'node_modules', '.bin'));

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end without blocking this process, which may be serving the registry it talks to. */
export function runAsync(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment for npm and npx with a user configuration in `home` whose registry is `registry`. */
export function userNpmEnv(home: string, registry: string): NodeJS.ProcessEnv {
  mkdirSync(home, { recursive: true });
  const userconfig = join(home, 'npmrc');
  const globalconfig = join(home, 'global-npmrc');
  writeFileSync(
    userconfig,
    [
      `registry=${registry}/`,
      `cache=${join(home, 'cache')}`,
      'audit=false',
      'fund=false',
      'update-notifier=false',
      '',
    ].join('\n'),
  );
  writeFileSync(globalconfig, '');
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|init_cwd$|https?_proxy$|all_proxy$)/i.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !CHECKOUT_BINS.has(dir.replace(/\/$/, '')))
    .join(delimiter);
  env.npm_config_userconfig = userconfig;
  env.npm_config_globalconfig = globalconfig;
  return env;
}

export interface UserRepository {
  readonly dir: string;
  /** Runs a command in the repository; the exit code is the caller's to check. */
  sh(command: string, ...args: string[]): Promise<Ran>;
  /** Runs a command in the repository and fails the test, with its output, unless it exits 0. */
  ok(command: string, ...args: string[]): Promise<Ran>;
  git(...args: string[]): Promise<Ran>;
  /** `npx meshfleet ARGS`, as the README and the workflow `init` writes run it (`--no`: never download it). */
  meshfleet(...args: string[]): Promise<Ran>;
}

/** A new git repository with a package.json (`npm init -y`) in `dir`, npm configured in `npmHome` for `registry`. */
export async function userRepository(dir: string, npmHome: string, registry: string): Promise<UserRepository> {
  const env = userNpmEnv(npmHome, registry);
  mkdirSync(dir, { recursive: true });
  const sh = (command: string, ...args: string[]) => runAsync(command, args, dir, env);
  const ok = async (command: string, ...args: string[]) => {
    const r = await sh(command, ...args);
    if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.code}\n${r.stdout}${r.stderr}`);
    return r;
  };
  const git = (...args: string[]) =>
    ok('git', '-c', 'user.name=Fleet Team', '-c', 'user.email=fleet@example.com', ...args);
  await git('init', '-q', '-b', 'main');
  await ok('npm', 'init', '-y');
  return { dir, sh, ok, git, meshfleet: (...args) => sh('npx', '--no', 'meshfleet', ...args) };
}
