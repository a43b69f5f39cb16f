import { UsageError } from '../usage-error.ts';
import { meshGraph, meshGraphMarkdown } from '../../graph/mermaid.ts';
import { planFleet } from '../../plan/plan.ts';
import type { Io } from '../io.ts';
import { readValidFleet } from '../read-fleet.ts';

export type GraphFormat = 'markdown' | 'mermaid';

/** Prints the mesh as Mermaid: fenced for Markdown (README, PR comment) or bare for Mermaid tools. */
export function graphCommand(io: Io, args: { file: string; format: GraphFormat }): number {
  const read = readValidFleet(io, args.file);
  if (!read) return 1;
  const plan = planFleet(read.fleet);
  const text = args.format === 'mermaid' ? meshGraph(plan) : meshGraphMarkdown(plan);
  for (const line of text.replace(/\n$/, '').split('\n')) io.out(line);
  return 0;
}

export function parseGraphFormat(value: string | undefined): GraphFormat {
  if (value === undefined || value === 'markdown' || value === 'mermaid') return value ?? 'markdown';
  throw new UsageError(`--format ${value}: use markdown or mermaid`);
}
