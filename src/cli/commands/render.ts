import { dirname, resolve } from 'node:path';
import { render, type RenderOutcome } from '../../render/render.ts';
import type { Change } from '../../write/changes.ts';
import { displayPath } from '../../write/write.ts';
import { readFleetFile } from '../fleet-file.ts';
import type { Io } from '../io.ts';
import { reportProblems } from '../print-diagnostics.ts';

export interface RenderArgs {
  readonly file: string;
  readonly out: string;
  readonly clusters: string;
  /** Folder of each cluster's Vault policy and role (not synced to clusters). @default 'vault' */
  readonly vault?: string;
  readonly check: boolean;
  /** Warnings refuse the fleet: nothing is rendered (exit 1). */
  readonly strict: boolean;
}

/** `meshfleet render`: reads the fleet file, renders it (src/render/render.ts) and says what happened. */
export async function renderCommand(io: Io, args: RenderArgs): Promise<number> {
  const roots = {
    dist: resolve(io.cwd, args.out),
    clusters: resolve(io.cwd, args.clusters),
    vault: resolve(io.cwd, args.vault ?? 'vault'),
  };
  const read = readFleetFile(io, args.file);
  if (!read.bytes) {
    reportProblems(io, read.file, read.diagnostics, []);
    return 1;
  }
  const shown = (path: string) => displayPath(path, io.cwd);
  const outcome = await render({
    file: read.file,
    source: { bytes: read.bytes },
    fleetDir: dirname(read.absolute),
    roots,
    check: args.check,
    strict: args.strict,
    cache: !io.env.MESHFLEET_NO_CACHE,
    lock: {
      waitMs: Number(io.env.MESHFLEET_LOCK_WAIT_MS) || undefined,
      onWait: (holder) => io.err(`waiting for ${holder} to finish writing into ${shown(roots.dist)}/`),
    },
  });
  if (
    !reportProblems(io, read.file, outcome.diagnostics, outcome.warnings, { strict: args.strict }) ||
    outcome.status === 'refused'
  )
    return 1;
  return report(io, outcome, read.file, `${shown(roots.dist)}/, ${shown(roots.clusters)}/ and ${shown(roots.vault)}/`);
}

/** What was rendered, or (`--check`) what differs; the exit code. */
function report(
  io: Io,
  outcome: RenderOutcome & { status: 'checked' | 'written' },
  file: string,
  where: string,
): number {
  if (outcome.status === 'written') {
    const count = (kind: Change['kind']) => outcome.changes.filter((c) => c.kind === kind).length;
    io.out(
      `rendered ${outcome.clusters} clusters into ${where}: ${count('create')} created, ${count('update')} updated, ${count('delete')} removed`,
    );
    return 0;
  }
  const { changes } = outcome;
  if (changes.length === 0) {
    io.out(`${where} are up to date with ${file}`);
    return 0;
  }
  for (const c of changes) io.err(`${c.kind.padEnd(6)} ${displayPath(c.path, io.cwd)}`);
  io.err(
    `${where} are stale: ${changes.length} file${changes.length === 1 ? '' : 's'} differ from what ${file} renders; run \`meshfleet render\` and commit the result`,
  );
  return 1;
}
