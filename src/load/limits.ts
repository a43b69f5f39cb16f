/**
 * Largest fleet file accepted: a 511-cluster fleet is about 100 KiB, so 4 MiB leaves room and bounds the work. Apart
 * from source.ts so that reading a file's bytes (cli/fleet-file.ts) does not load the parsers.
 */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;
