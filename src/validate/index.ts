import { byPosition, formatPath, type Diagnostic } from '../diagnostics.ts';
import type { LoadedSource } from '../load/source.ts';
import type { Fleet } from '../model/fleet.ts';
import { resolveFleet } from './resolve.ts';
import { semanticProblems } from './rules.ts';
import { schemaProblems } from './schema.ts';
import { secretProblems } from './secrets.ts';

export interface Validated {
  /** Present only when there is no diagnostic. */
  readonly fleet?: Fleet;
  /** Every problem found, sorted by position, each once. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Schema, then rules; all problems of both are collected before anyone is told. */
export function validateSource(source: LoadedSource): Validated {
  if (source.diagnostics.length > 0) return { diagnostics: source.diagnostics };
  const problems = [...schemaProblems(source.data), ...semanticProblems(source.data), ...secretProblems(source.data)];
  const seen = new Set<string>();
  const diagnostics = problems
    .map((p) => source.locate(p))
    .filter((d) => {
      const key = `${d.line}:${d.col}:${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(byPosition);
  if (diagnostics.length > 0) return { diagnostics };
  return { fleet: resolveFleet(source.data), diagnostics: [] };
}

export { formatPath };
