// The stager's writer thread (stager.ts): fills staged folders with plain synchronous calls, so that writing costs
// the render's own thread nothing but one message per folder. Plain JavaScript, so that it runs as it is both from
// the sources (tests) and from the build (scripts/build.mjs copies it and the modules it imports beside the chunks).
import { parentPort } from 'node:worker_threads';
import { filesDigest } from './files-digest.mjs';
import { fillFolder } from './fill-folder.mjs';

// `rels`: each file's path relative to the folder, for its digest (render-cache.ts), in the order of `files`.
parentPort.on('message', (/** @type {{ id: number, folder: string, files: [string, string][], rels: string[] }} */ { id, folder, files, rels }) => {
  try {
    // Encoded once, for both the write and the digest: each would otherwise encode the text again.
    const encoded = files.map(([path, content]) => [path, Buffer.from(content)]);
    fillFolder(folder, encoded);
    parentPort.postMessage({ id, digest: filesDigest(rels.map((rel, i) => [rel, encoded[i][1]])) });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e) });
  }
});
