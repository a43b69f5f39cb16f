// Plain JavaScript, so that the writer thread (stage-worker.mjs) runs it as it is, from the sources and from the
// build alike; atomic.ts uses the same code for a folder the thread did not stage. Types in fill-folder.d.mts.
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writevSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Makes `folder` hold exactly `files` (absolute paths inside it → content, or its bytes in pieces), whatever was
 * there; on failure removes it and throws.
 */
export function fillFolder(folder, files) {
  makeEmpty(folder);
  try {
    const made = new Set([folder]); // one mkdir per folder, not per file: the system calls add up over thousands of files
    for (const [path, content] of files) {
      const dir = dirname(path);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      if (Array.isArray(content)) writePieces(path, content);
      else writeFileSync(path, content, { flag: 'wx' }); // wx: never through something that appeared meanwhile
    }
  } catch (e) {
    rmSync(folder, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Makes `folder` anew, empty. It is almost never there (a staging folder's name holds the pid of its render): so it is
 * made first, and cleared only if that fails, rather than looked for first.
 */
function makeEmpty(folder) {
  try {
    mkdirSync(folder);
  } catch (e) {
    if (e?.code !== 'EEXIST') throw e;
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
  }
}

/** One file from its pieces, in one system call: joining them first would copy the file once more. */
function writePieces(path, pieces) {
  const fd = openSync(path, 'wx');
  try {
    const length = pieces.reduce((n, piece) => n + piece.length, 0);
    const written = writevSync(fd, pieces); // libuv writes all of them, in batches the system allows
    if (written !== length) throw new Error(`${path}: wrote ${written} of ${length} bytes`);
  } finally {
    closeSync(fd);
  }
}
