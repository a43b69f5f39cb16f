import { basename, dirname, relative, resolve, sep } from 'node:path';
import { UserError } from '../../diagnostics.ts';
import { UsageError } from '../usage-error.ts';
import { compareTrees } from '../../review/compare.ts';
import { formatMarkdown, formatText } from '../../review/format.ts';
import { renamedClusters } from '../../review/rename.ts';
import { defaultBase, fileAt, openRepo, resolveRef } from '../../review/git.ts';
import { renderFleetTree, renderTree, type TreeLayout } from '../../review/render-tree.ts';
import { readFleet } from '../read-fleet.ts';
import type { Io } from '../io.ts';
import { printDiagnostics } from '../print-diagnostics.ts';

export type DiffFormat = 'text' | 'markdown';

export interface DiffArgs {
  readonly file: string;
  /** A git ref; undefined means the merge base of HEAD with main (or master). */
  readonly base?: string;
  readonly format: DiffFormat;
  readonly out: string;
  readonly clusters: string;
}

/**
 * Renders the fleet file as committed at the base and as it is in the working tree, each into a temporary folder,
 * and prints how the rendered output differs. Reads git, never a cluster. Exit 0 whether or not anything changed.
 */
export async function diffCommand(io: Io, args: DiffArgs): Promise<number> {
  const head = readFleet(io, args.file);
  if (!head.fleet) {
    printDiagnostics(io, head.diagnostics, head.file, 'text');
    return 1;
  }
  const fleetDir = dirname(head.absolute);
  const fromFleet = (p: string) => relative(fleetDir, resolve(io.cwd, p)).split(sep).join('/') || '.';
  const layout: TreeLayout = { dist: fromFleet(args.out), clusters: fromFleet(args.clusters) };

  const repo = openRepo(fleetDir, io.env);
  const commit = args.base === undefined ? defaultBase(repo) : resolveRef(repo, args.base);
  const label = args.base === undefined ? 'merge base with the main branch' : args.base;
  const inRepo = `${repo.prefix}${basename(head.absolute)}`;
  const base = await renderTree(head.file, fileAt(repo, commit, inRepo), layout);
  if (!base.tree) {
    throw new UserError(
      `${head.file} at ${commit.slice(0, 12)} does not validate (${base.diagnostics.length} problems, first: ${base.diagnostics[0]?.message}); compare with another --base`,
    );
  }
  const diff = compareTrees(
    base.tree,
    await renderFleetTree(head.fleet, layout),
    layout,
    renamedClusters(base.fleet, head.fleet),
  );
  const subject = { file: head.file, base: { commit, label } };
  const text = args.format === 'markdown' ? formatMarkdown(diff, subject) : formatText(diff, subject);
  for (const line of text.replace(/\n$/, '').split('\n')) io.out(line);
  return 0;
}

export function parseDiffFormat(value: string | undefined): DiffFormat {
  if (value === undefined || value === 'text' || value === 'markdown') return value ?? 'text';
  throw new UsageError(`--format ${value}: use text or markdown`);
}
