import type { Diagnostic } from './diagnostics.ts';
import { decodeSource, loadSource } from './load/source.ts';
import type { Fleet } from './model/fleet.ts';
import { validateSource } from './validate/index.ts';
import { resolveFleet } from './validate/resolve.ts';

export interface CompileOptions {
  /**
   * This build has found exactly these bytes valid before (the render cache remembers it): validity is a function of
   * the bytes and the build alone, so the checks are skipped and the fleet only resolved. @default false
   */
  readonly knownValid?: boolean;
}

export interface Compiled {
  /** Present when there is no error. */
  readonly fleet?: Fleet;
  /** The errors. */
  readonly diagnostics: readonly Diagnostic[];
  /** Warnings: they do not refuse the fleet, but a command prints them (and `--strict` refuses it). @default [] */
  readonly warnings?: readonly Diagnostic[];
}

/**
 * Bytes of a fleet file → validated fleet, without I/O. A module of its own, importing nothing of planning or
 * synthesis, so that `meshfleet validate` (and a render the cache answers) never loads cdk8s and the charts. `file`
 * is only the name used in messages.
 */
export function compileFleet(file: string, bytes: Uint8Array, options: CompileOptions = {}): Compiled {
  const decoded = decodeSource(file, bytes);
  if (decoded.text === undefined) return { diagnostics: decoded.diagnostics };
  const source = loadSource(file, decoded.text);
  // The render cache vouches only for bytes that had no warning either (src/render/render.ts), so none is lost here.
  if (options.knownValid && source.diagnostics.length === 0)
    return { fleet: resolveFleet(source.data), diagnostics: [] };
  return validateSource(source);
}
