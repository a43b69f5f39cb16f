import { readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { UserError, type Diagnostic } from '../diagnostics.ts';
import { MAX_SOURCE_BYTES, tooLarge } from '../load/limits.ts';
import type { Io } from './io.ts';

export interface FleetFile {
  /** As shown in messages: relative to the working folder. */
  readonly file: string;
  readonly absolute: string;
  /** The file's bytes, when it could be read within the size limit. */
  readonly bytes?: Uint8Array;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The fleet file's bytes, not parsed: a render with nothing to do needs no more (read-fleet.ts compiles them). A file
 * that cannot be read is a UserError; one too large has a diagnostic.
 */
export function readFleetFile(io: Io, file: string): FleetFile {
  const absolute = resolve(io.cwd, file);
  const shown = relative(io.cwd, absolute) || file;
  try {
    const stat = statSync(absolute);
    if (!stat.isFile()) throw new UserError(`${file}: not a file`);
    if (stat.size > MAX_SOURCE_BYTES) {
      return { file: shown, absolute, diagnostics: [tooLarge(shown, stat.size)] };
    }
    return { file: shown, absolute, bytes: readFileSync(absolute), diagnostics: [] };
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT'
        ? `${file}: no such file; pass the fleet file as an argument (default fleet.yaml)`
        : `${file}: cannot read (${code ?? (e as Error).message})`,
    );
  }
}
