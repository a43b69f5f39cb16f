import { asError, byPosition, formatDiagnostic, type Diagnostic } from '../diagnostics.ts';
import type { Io } from './io.ts';

export type DiagnosticFormat = 'text' | 'github';

export interface ReportOptions {
  /** @default 'text' */
  readonly format?: DiagnosticFormat;
  /** Warnings refuse the fleet as errors do (`--strict`, for CI). @default false */
  readonly strict?: boolean;
}

/**
 * Prints a fleet file's errors and warnings, in position order, and returns whether the command may go on: not when
 * there is an error, nor a warning under `--strict`. Prints nothing when there is nothing to say.
 */
export function reportProblems(
  io: Io,
  file: string,
  errors: readonly Diagnostic[],
  warnings: readonly Diagnostic[],
  options: ReportOptions = {},
): boolean {
  const strict = options.strict === true;
  const refused = errors.length > 0 || (strict && warnings.length > 0);
  if (!refused && warnings.length === 0) return true;
  printDiagnostics(
    io,
    [...errors, ...(strict ? warnings.map(asError) : warnings)].sort(byPosition),
    file,
    options.format ?? 'text',
  );
  return !refused;
}

export function printDiagnostics(
  io: Io,
  diagnostics: readonly Diagnostic[],
  file: string,
  format: DiagnosticFormat,
): void {
  for (const d of diagnostics) {
    if (format === 'github')
      io.out(
        `::${d.severity === 'warning' ? 'warning' : 'error'} file=${d.file},line=${d.line},col=${d.col}::${escapeGithub(d.message)}`,
      );
    else io.err(formatDiagnostic(d));
  }
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const errors = diagnostics.length - warnings;
  const counts = [
    ...(errors > 0 || warnings === 0 ? [`${errors} problem${errors === 1 ? '' : 's'}`] : []),
    ...(warnings > 0 ? [`${warnings} warning${warnings === 1 ? '' : 's'}`] : []),
  ];
  io.err(`${counts.join(' and ')} in ${file}`);
}

/** GitHub workflow commands end a message at a newline and treat % specially. */
function escapeGithub(message: string): string {
  return message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
