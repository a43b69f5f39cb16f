// Output to a pipe whose reader has gone (`meshfleet diff | head`) ends the command quietly: no EPIPE stack.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO, workspace } from './support/cli.ts';
import { fleetYaml, git, repoWithFleet, SMALL_FLEET } from './support/review-fixtures.ts';

/** Runs the built CLI with its stdout a pipe closed before it writes anything; resolves with its stderr and exit code. */
function intoClosedPipe(cwd: string, ...argv: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/meshfleet.mjs'), ...argv], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone, as when `head` has read its lines
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test('every command ends quietly when its stdout is a closed pipe', async () => {
  const repo = repoWithFleet(fleetYaml(SMALL_FLEET));
  git(repo, 'update-ref', 'refs/remotes/origin/main', 'main');
  writeFileSync(join(repo, 'fleet.yaml'), fleetYaml([...SMALL_FLEET, { name: 'app-c', id: 4 }]));
  const cases = [
    [repo, 'diff'],
    [repo, 'diff', '--format', 'markdown'],
    [workspace(), 'graph', '--format', 'mermaid'],
    [workspace(), 'graph'],
    [workspace(), 'validate'],
    [workspace(), 'render'],
    [workspace(), 'help', 'render'],
    [workspace(), '--version'],
  ];
  for (const [cwd, ...argv] of cases) {
    const r = await intoClosedPipe(cwd, ...argv);
    assert.is(r.stderr, '', argv.join(' '));
    assert.is(r.code, 0, argv.join(' '));
  }
});

test.run();
