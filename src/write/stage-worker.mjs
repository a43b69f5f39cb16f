// The stager's writer thread (stager.ts): fills staged folders with plain synchronous calls, so that writing costs
// the render's own thread nothing but one message per folder. Plain JavaScript, so that it runs as it is both from
// the sources (tests) and from the build (scripts/build.mjs copies it and fill-folder.mjs beside the chunks).
import { parentPort } from 'node:worker_threads';
import { fillFolder } from './fill-folder.mjs';

parentPort.on('message', (/** @type {{ id: number, folder: string, files: [string, string][] }} */ { id, folder, files }) => {
  try {
    fillFolder(folder, files);
    parentPort.postMessage({ id });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e) });
  }
});
