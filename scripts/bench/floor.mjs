// The floor of a render: a plain Node process that writes the same files with the same bytes, and nothing else.
// Its input was packed beforehand into one blob and an index (see packFloorInput in measure.ts), so the floor pays
// for starting Node, one read and the writes, as meshfleet pays for starting, reading fleet.yaml and writing.
//
// usage: node floor.mjs BLOB INDEX_JSON OUT_DIR
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [blobFile, indexFile, outDir] = process.argv.slice(2);
const blob = readFileSync(blobFile);
/** @type {{ path: string, length: number }[]} */
const index = JSON.parse(readFileSync(indexFile, 'utf8'));
const made = new Set();
let offset = 0;
for (const { path, length } of index) {
  const file = join(outDir, path);
  const dir = dirname(file);
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  writeFileSync(file, blob.subarray(offset, offset + length));
  offset += length;
}
