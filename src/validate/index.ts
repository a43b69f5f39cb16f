import { byPosition, formatPath, type Diagnostic, type Problem } from '../diagnostics.ts';
import type { LoadedSource } from '../load/source.ts';
import type { Fleet } from '../model/fleet.ts';
import { meshProblems } from './mesh-rules.ts';
import { resolveFleet } from './resolve.ts';
import { namingClusters, withoutKnockOns } from './root-causes.ts';
import { semanticProblems } from './rules.ts';
import { schemaProblems } from './schema.ts';
import { secretProblems } from './secrets.ts';

export interface Validated {
  /** Present only when there is no error (warnings do not refuse a fleet). */
  readonly fleet?: Fleet;
  /** Every error found, sorted by position, each once. */
  readonly diagnostics: readonly Diagnostic[];
  /** Every warning found, sorted by position, each once: printed, and errors under `--strict`. */
  readonly warnings: readonly Diagnostic[];
}

/** Schema, then rules; all problems of both are collected before anyone is told. */
export function validateSource(source: LoadedSource): Validated {
  if (source.diagnostics.length > 0) return { diagnostics: source.diagnostics, warnings: [] };
  const problems = withoutKnockOns([
    ...schemaProblems(source.data),
    ...semanticProblems(source.data),
    ...meshProblems(source.data),
    ...secretProblems(source.data),
  ]);
  const named = namingClusters(source.data);
  const seen = new Set<string>();
  const located = problems
    .map((p) => withSeverity(source.locate({ ...p, message: named(p.message) }), p))
    .filter((d) => {
      const key = `${d.line}:${d.col}:${d.severity ?? 'error'}:${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(byPosition);
  const diagnostics = located.filter((d) => d.severity !== 'warning');
  const warnings = located.filter((d) => d.severity === 'warning');
  if (diagnostics.length > 0) return { diagnostics, warnings };
  return { fleet: resolveFleet(source.data), diagnostics: [], warnings };
}

function withSeverity(d: Diagnostic, p: Problem): Diagnostic {
  return p.severity === 'warning' ? { ...d, severity: 'warning' } : d;
}

export { formatPath };
