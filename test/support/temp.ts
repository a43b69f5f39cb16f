import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// uvu runs every test file in one process, so one exit hook cleans up after the whole suite. A folder is kept when
// MESHFLEET_KEEP_TEMP is set, to look at what a failing test left behind.
const created: string[] = [];
process.on('exit', () => {
  if (process.env.MESHFLEET_KEEP_TEMP) return;
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the system's temporary folder, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}
