// Plain JavaScript, so that the writer thread (stage-worker.mjs) runs it as it is, from the sources and from the
// build alike; the render cache (render-cache.ts) uses the same code. Types in files-digest.d.mts.
import { createHash } from 'node:crypto';

/**
 * A digest of a folder's files (paths relative to it → text, or its UTF-8 bytes, or those bytes in pieces, which all
 * digest alike): equal digests mean the same paths with the same bytes. The writer thread makes it from what it
 * wrote, so that the render's thread need not read it all again to record it in the render cache.
 */
export function filesDigest(files) {
  return sortedFilesDigest([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** filesDigest of files given in order of their paths: each content is read only until the next is asked for. */
export function sortedFilesDigest(files) {
  const h = createHash('sha256');
  // Piece by piece: joining a large file's text to its name first would copy it.
  for (const [rel, content] of files) {
    h.update(`${rel}\0`);
    if (Array.isArray(content)) for (const piece of content) h.update(piece);
    else h.update(content);
    h.update('\0');
  }
  return h.digest('hex');
}
