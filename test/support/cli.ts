import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { tempDir } from './temp.ts';

export const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const EXAMPLE = readFileSync(join(REPO, 'fleet.yaml'), 'utf8');

export interface CliResult {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** Runs the CLI in-process, as a user would from `cwd`. */
export async function run(cwd: string, ...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** A fresh folder holding `fleet.yaml` with the given text. */
export function workspace(fleet: string = EXAMPLE): string {
  const dir = tempDir('meshfleet-test-');
  writeFileSync(join(dir, 'fleet.yaml'), fleet);
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
