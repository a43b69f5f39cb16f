import { formatDiagnostic, type Diagnostic } from '../diagnostics.ts';
import type { Io } from './io.ts';

export type DiagnosticFormat = 'text' | 'github';

export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], file: string, format: DiagnosticFormat): void {
  for (const d of diagnostics) {
    if (format === 'github') io.out(`::error file=${d.file},line=${d.line},col=${d.col}::${escapeGithub(d.message)}`);
    else io.err(formatDiagnostic(d));
  }
  io.err(`${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} in ${file}`);
}

/** GitHub workflow commands end a message at a newline and treat % specially. */
function escapeGithub(message: string): string {
  return message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
