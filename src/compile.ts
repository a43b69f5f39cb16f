import type { Diagnostic } from './diagnostics.ts';
import { decodeSource, loadSource } from './load/source.ts';
import type { Fleet } from './model/fleet.ts';
import { validateSource } from './validate/index.ts';

/**
 * Bytes of a fleet file → validated fleet, without I/O. Kept apart from pipeline.ts's rendering so that
 * `meshfleet validate` never loads cdk8s and the charts (about 0.3 s of startup). `file` is only the name used in
 * messages.
 */
export function compileFleet(file: string, bytes: Uint8Array): { fleet?: Fleet; diagnostics: readonly Diagnostic[] } {
  const decoded = decodeSource(file, bytes);
  if (decoded.text === undefined) return { diagnostics: decoded.diagnostics };
  return validateSource(loadSource(file, decoded.text));
}
