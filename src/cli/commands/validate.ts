import { formatDiagnostic, UserError, type Diagnostic } from '../../diagnostics.ts';
import { meshLinkCount } from '../../model/connections.ts';
import { readFleet } from '../fleet-file.ts';
import type { Io } from '../io.ts';

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

export function validateCommand(io: Io, args: { file: string; format: DiagnosticFormat }): number {
  const { file, fleet, diagnostics } = readFleet(io, args.file);
  if (!fleet) {
    printDiagnostics(io, diagnostics, file, args.format);
    return 1;
  }
  const storage = fleet.clusters.filter((c) => c.role === 'storage').length;
  const links = meshLinkCount(fleet);
  io.out(`${file}: valid: ${fleet.clusters.length} clusters (${storage} storage, ${fleet.clusters.length - storage} application), ${links} mesh connections`);
  return 0;
}

export function parseFormat(value: string | undefined): DiagnosticFormat {
  if (value === undefined || value === 'text' || value === 'github') return value ?? 'text';
  throw new UserError(`--format ${value}: use text or github`);
}
