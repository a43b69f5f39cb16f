// The packed package works in a fleet repository of its own: init, validate, render and diff from node_modules.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO } from './support/cli.ts';

// `npm install <tarball>` needs the registry's metadata even when every tarball is in the cache, and tests may not
// use the network: the package is unpacked where npm would put it, in a folder inside this checkout, so that its
// dependencies resolve from the checkout's node_modules as they would from the repository's own.
test('npm pack gives a package that scaffolds, validates, renders and diffs a fleet repository', () => {
  mkdirSync(join(REPO, '.pack-test'), { recursive: true });
  const scratch = mkdtempSync(join(REPO, '.pack-test', 'run-'));
  try {
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').at(-1)!;
    const repo = join(scratch, 'my-fleet');
    const installed = join(repo, 'node_modules', 'meshfleet');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(scratch, tarball), '-C', installed, '--strip-components=1']);
    assert.not.ok(existsSync(join(installed, 'src')), 'sources are not shipped');
    const bin = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).bin.meshfleet;
    const meshfleet = (...argv: string[]) => execFileSync(process.execPath, [join(installed, bin), ...argv], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const git = (...argv: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...argv], { cwd: repo, stdio: 'ignore' });

    meshfleet('init');
    const schemaLine = readFileSync(join(repo, 'fleet.yaml'), 'utf8').split('\n')[0];
    const schema = schemaLine.replace('# yaml-language-server: $schema=', '');
    assert.ok(existsSync(join(repo, schema)), `${schemaLine}: the schema is where the line says`);
    assert.match(meshfleet('validate', '--strict'), /fleet\.yaml: valid: 2 clusters/);
    assert.match(meshfleet('render'), /rendered 2 clusters/);
    meshfleet('render', '--check');

    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'fleet');
    git('checkout', '-qb', 'add-app-2');
    const fleet = readFileSync(join(repo, 'fleet.yaml'), 'utf8');
    writeFileSync(join(repo, 'fleet.yaml'), `${fleet}  - name: app-2\n    id: 3\n    role: application\n    application: trino\n    environment: adhoc\n    podCIDRs: [10.3.0.0/16]\n`);
    const diff = meshfleet('diff', '--format', 'markdown');
    assert.match(diff, /app-2/);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test.run();
