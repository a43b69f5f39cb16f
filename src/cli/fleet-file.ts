import { readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { UserError, type Diagnostic } from '../diagnostics.ts';
import { MAX_SOURCE_BYTES } from '../load/source.ts';
import type { Fleet } from '../model/fleet.ts';
import { compileFleet } from '../compile.ts';
import type { Io } from './io.ts';

export interface ReadFleet {
  /** As given on the command line (used in messages). */
  readonly file: string;
  readonly absolute: string;
  /** The file's bytes, when it could be read within the size limit. */
  readonly bytes?: Uint8Array;
  readonly fleet?: Fleet;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads and validates the fleet file; a file that cannot be read is a UserError, a bad one has diagnostics.
 * @param knownValid whether this build found these bytes valid before (see CompileOptions)
 */
export function readFleet(io: Io, file: string, knownValid?: (bytes: Uint8Array) => boolean): ReadFleet {
  const absolute = resolve(io.cwd, file);
  let bytes: Uint8Array;
  try {
    const stat = statSync(absolute);
    if (!stat.isFile()) throw new UserError(`${file}: not a file`);
    if (stat.size > MAX_SOURCE_BYTES) {
      return { file, absolute, diagnostics: [{ file, line: 1, col: 1, message: `file is ${stat.size} bytes; the limit is ${MAX_SOURCE_BYTES} (4 MiB)` }] };
    }
    bytes = readFileSync(absolute);
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${file}: no such file; pass the fleet file as an argument (default fleet.yaml)` : `${file}: cannot read (${code ?? (e as Error).message})`);
  }
  const shown = relative(io.cwd, absolute) || file;
  return { file: shown, absolute, bytes, ...compileFleet(shown, bytes, { knownValid: knownValid?.(bytes) }) };
}
