// The stager's writer thread (stager.ts): fills staged folders with plain synchronous calls, so that writing costs
// the render's own thread nothing but one message per folder. Plain JavaScript, so that it runs as it is both from
// the sources (tests) and from the build (scripts/build.mjs copies it beside the chunks).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';

/** @param {{ id: number, folder: string, files: [string, string][] }} job absolute paths inside `folder` */
function stage({ id, folder, files }) {
  try {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    const made = new Set([folder]);
    for (const [path, content] of files) {
      const dir = dirname(path);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(path, content, { flag: 'wx' }); // wx: never through something that appeared meanwhile
    }
    parentPort.postMessage({ id });
  } catch (e) {
    rmSync(folder, { recursive: true, force: true });
    parentPort.postMessage({ id, error: String(e) });
  }
}

parentPort.on('message', stage);
