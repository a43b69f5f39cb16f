import { compileFleet } from '../compile.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Fleet } from '../model/fleet.ts';
import { readFleetFile, type FleetFile } from './fleet-file.ts';
import type { Io } from './io.ts';
import { printDiagnostics } from './print-diagnostics.ts';

export interface ReadFleet extends FleetFile {
  readonly fleet?: Fleet;
  /** Printed by the command; see print-diagnostics.ts's reportProblems. @default [] */
  readonly warnings?: readonly Diagnostic[];
}

/** Reads and validates the fleet file; a file that cannot be read is a UserError, a bad one has diagnostics. */
export function readFleet(io: Io, file: string): ReadFleet {
  return compileFleetFile(readFleetFile(io, file));
}

/**
 * The fleet, for a command that needs a valid one and prints no warnings (dns, graph, status); undefined once its
 * errors are printed, and the command exits 1.
 */
export function readValidFleet(io: Io, file: string): { readonly file: string; readonly fleet: Fleet } | undefined {
  const { file: shown, fleet, diagnostics } = readFleet(io, file);
  if (fleet) return { file: shown, fleet };
  printDiagnostics(io, diagnostics, shown, 'text');
  return undefined;
}

/** @param knownValid whether this build found these bytes valid before (see CompileOptions) */
export function compileFleetFile(read: FleetFile, knownValid?: (bytes: Uint8Array) => boolean): ReadFleet {
  return read.bytes ? { ...read, ...compileFleet(read.file, read.bytes, { knownValid: knownValid?.(read.bytes) }) } : read;
}
