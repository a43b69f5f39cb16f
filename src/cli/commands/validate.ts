import { UsageError } from '../usage-error.ts';
import { meshLinkCount } from '../../model/connections.ts';
import { readFleet } from '../read-fleet.ts';
import type { Io } from '../io.ts';
import { reportProblems, type DiagnosticFormat } from '../print-diagnostics.ts';

export interface ValidateArgs {
  readonly file: string;
  readonly format: DiagnosticFormat;
  /** Warnings refuse the fleet (exit 1). */
  readonly strict: boolean;
}

export function validateCommand(io: Io, args: ValidateArgs): number {
  const { file, fleet, diagnostics, warnings = [] } = readFleet(io, args.file);
  if (!reportProblems(io, file, diagnostics, warnings, args) || !fleet) return 1;
  const storage = fleet.clusters.filter((c) => c.role === 'storage').length;
  const links = meshLinkCount(fleet);
  io.out(
    `${file}: valid: ${fleet.clusters.length} clusters (${storage} storage, ${fleet.clusters.length - storage} application), ${links} mesh connections`,
  );
  return 0;
}

export function parseFormat(value: string | undefined): DiagnosticFormat {
  if (value === undefined || value === 'text' || value === 'github') return value ?? 'text';
  throw new UsageError(`--format ${value}: use text or github`);
}
