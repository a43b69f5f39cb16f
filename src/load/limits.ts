import type { Diagnostic } from '../diagnostics.ts';

/**
 * Largest fleet file accepted: a 511-cluster fleet is about 100 KiB, so 4 MiB leaves room and bounds the work. Apart
 * from source.ts so that reading a file's bytes (cli/fleet-file.ts) does not load the parsers.
 */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/** The one diagnostic for a file over the limit, whoever finds it: at its start, since no part of it was read. */
export function tooLarge(file: string, size: number): Diagnostic {
  return {
    file,
    line: 1,
    col: 1,
    message: `file is ${size} bytes; the limit is ${MAX_SOURCE_BYTES} (${MAX_SOURCE_BYTES / 1024 / 1024} MiB)`,
  };
}
