// The stager's writer thread (stager.ts): fills staged folders with plain synchronous calls, so that writing costs
// the render's own thread nothing but one message per folder. Plain JavaScript, so that it runs as it is both from
// the sources (tests) and from the build (scripts/build.mjs copies it and the modules it imports beside the chunks).
import { parentPort } from 'node:worker_threads';
import { filesDigest } from './files-digest.mjs';
import { fillFolder } from './fill-folder.mjs';

/** The shared texts of files (src/sharing), by number, encoded once: each is in many files. */
const sharedTexts = new Map();

/**
 * `files`: each file's path and its text, or its parts: each the number of a shared text, sent before or in
 * `shared`, or -1 - i for `strings[i]`. `rels`: each file's path relative to the folder, for its digest
 * (render-cache.ts), in the order of `files`.
 * @param {{ id: number, folder: string, files: [string, string | Int32Array][], rels: string[], strings: string[], shared: [number, string][] }} job
 */
function stage({ id, folder, files, rels, strings, shared }) {
  try {
    for (const [n, text] of shared) sharedTexts.set(n, Buffer.from(text));
    const bytesOf = (part) => {
      const bytes = part < 0 ? Buffer.from(strings[-1 - part]) : sharedTexts.get(part);
      if (!bytes) throw new Error(`shared text ${part} was never sent`);
      return bytes;
    };
    // Encoded once, for both the write and the digest: each would otherwise encode the text again.
    const encoded = files.map(([path, content]) => [
      path,
      typeof content === 'string' ? Buffer.from(content) : Array.from(content, bytesOf),
    ]);
    fillFolder(folder, encoded);
    parentPort.postMessage({ id, digest: filesDigest(rels.map((rel, i) => [rel, encoded[i][1]])) });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e) });
  }
}

parentPort.on('message', stage);
