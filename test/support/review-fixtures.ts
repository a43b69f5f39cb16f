// Temporary git repositories and a small fleet for the review (diff, graph) and delivery tests.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';
import { tempDir } from './temp.ts';

export interface FixtureCluster {
  readonly name: string;
  readonly id: number;
  readonly role?: 'storage' | 'application';
}

export const SMALL_FLEET: readonly FixtureCluster[] = [
  { name: 'store', id: 1, role: 'storage' },
  { name: 'app-a', id: 2 },
  { name: 'app-b', id: 3 },
];

/** A valid fleet.yaml; the endpoint of a cluster is `<name>.prod.mesh.example.internal`. */
export function fleetYaml(clusters: readonly FixtureCluster[], extra = ''): string {
  const body = clusters
    .map((c) =>
      [
        `  - name: ${c.name}`,
        `    id: ${c.id}`,
        `    role: ${c.role ?? 'application'}`,
        `    application: ${c.name}`,
        '    environment: prod',
        `    podCIDRs: [10.${c.id}.0.0/16]`, // cni native: a pool of its own, or every cluster would be on the chart's default
      ].join('\n'),
    )
    .join('\n');
  return `fleet: test\ndns:\n  zone: mesh.example.internal\nvault:\n  server: https://vault.example.internal:8200\n${extra}clusters:\n${body}\n`;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'meshfleet test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'meshfleet test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    env: { ...process.env, ...GIT_ENV },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A new repository on branch main with fleet.yaml committed, then checked out on branch `feature`. */
export function repoWithFleet(fleet: string): string {
  const dir = tempDir('meshfleet-review-');
  git(dir, 'init', '--quiet', '--initial-branch=main');
  writeFileSync(join(dir, 'fleet.yaml'), fleet);
  git(dir, 'add', 'fleet.yaml');
  git(dir, 'commit', '--quiet', '-m', 'fleet');
  git(dir, 'checkout', '--quiet', '-b', 'feature');
  return dir;
}

export interface RunResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI in-process in `cwd`, as bin/meshfleet.mjs would. */
export async function run(cwd: string, ...argv: string[]): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { cwd, env: { ...process.env, ...GIT_ENV }, out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await main(argv, io);
  return { code, out: out.length ? `${out.join('\n')}\n` : '', err: err.length ? `${err.join('\n')}\n` : '' };
}
