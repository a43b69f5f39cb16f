import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { HEADER } from '../synth/header.ts';
import { JSON_HEADER } from '../vault/files.ts';
import { TEMP_PREFIX } from './atomic.ts';
import { sortedFilesDigest } from './files-digest.mjs';
import { lstatOrUndefined } from './paths.ts';
import { listDir } from './roots.ts';

/** meshfleet's files start with HEADER, or (JSON, which has no comments) with JSON_HEADER. */
export const isOwnedText = (content: string) => content.startsWith(HEADER) || content.startsWith(JSON_HEADER);
const HEADER_BYTES = Buffer.from(HEADER);
const JSON_HEADER_BYTES = Buffer.from(JSON_HEADER);
const startsWithBytes = (content: Uint8Array, prefix: Buffer) =>
  Buffer.compare(content.subarray(0, prefix.length), prefix) === 0;
const isOwnedBytes = (content: Uint8Array) =>
  startsWithBytes(content, HEADER_BYTES) || startsWithBytes(content, JSON_HEADER_BYTES);

/**
 * Files under folder whose first line is meshfleet's header, with their content, and every other entry found (folders,
 * links, foreign files), which a rendered file must not replace. Links are never followed.
 */
export function ownedFiles(folder: string, conflicts: string[]): { owned: Map<string, string>; others: Set<string> } {
  return walkOwned(folder, conflicts, (path) => readFileSync(path, 'utf8'), isOwnedText);
}

/** ownedFiles' owned files, as bytes: what the render cache digests needs no decoding. */
export function ownedFileBytes(folder: string, conflicts: string[]): Map<string, Buffer> {
  return walkOwned(folder, conflicts, (path) => readFileSync(path), isOwnedBytes).owned;
}

/**
 * The digest (files-digest.mjs) of ownedFiles' owned files by their paths relative to folder. Each is read into the
 * same buffer: a no-op render digests every file, and only the digest is kept.
 */
export function ownedFilesDigest(folder: string, conflicts: string[]): string {
  const files: [rel: string, path: string][] = [];
  walkFolder(folder, conflicts, (path, rel) => files.push([rel, path]));
  files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sortedFilesDigest(ownedContents(files));
}

function* ownedContents(files: Iterable<[rel: string, path: string]>): Generator<[string, Uint8Array]> {
  for (const [rel, path] of files) {
    const content = readReused(path);
    if (isOwnedBytes(content)) yield [rel, content];
  }
}

let reused = Buffer.allocUnsafe(1 << 20);

/** The file's bytes, in a buffer the next call reuses. */
function readReused(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === reused.length) reused = Buffer.concat([reused, Buffer.allocUnsafe(reused.length)]);
      const read = readSync(fd, reused, length, reused.length - length, null);
      if (read === 0) return reused.subarray(0, length);
      length += read;
    }
  } finally {
    closeSync(fd);
  }
}

function walkOwned<T>(
  folder: string,
  conflicts: string[],
  read: (path: string) => T,
  isOwned: (content: T) => boolean,
) {
  const owned = new Map<string, T>();
  const others = new Set<string>();
  walkFolder(
    folder,
    conflicts,
    (path) => {
      const content = read(path);
      if (isOwned(content)) {
        owned.set(path, content);
        others.delete(path);
      }
    },
    others,
  );
  return { owned, others };
}

/**
 * Calls onFile with each file under folder, and its path relative to folder, depth first; adds each entry seen to
 * `others`. Links are conflicts, never followed; a killed run's leftovers are passed over (recovered under the lock).
 */
function walkFolder(
  folder: string,
  conflicts: string[],
  onFile: (path: string, rel: string) => void,
  others?: Set<string>,
): void {
  const stat = lstatOrUndefined(folder);
  if (!stat) return;
  if (!stat.isDirectory()) {
    conflicts.push(
      `${folder}: is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; meshfleet writes only into real folders`,
    );
    return;
  }
  const walk = (dir: string, prefix: string) => {
    for (const entry of listDir(dir)) {
      if (entry.name.startsWith(TEMP_PREFIX)) continue;
      const path = join(dir, entry.name);
      others?.add(path);
      if (entry.isSymbolicLink()) {
        conflicts.push(`${path}: is a symbolic link; meshfleet does not write through links`);
      } else if (entry.isDirectory()) {
        walk(path, `${prefix}${entry.name}/`);
      } else if (entry.isFile()) {
        onFile(path, prefix + entry.name);
      }
    }
  };
  walk(folder, '');
}
