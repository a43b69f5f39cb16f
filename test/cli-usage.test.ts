// The CLI behaves like the tools people know: help never runs a command, usage errors exit 2 on stderr.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO, run, workspace } from './support/cli.ts';

test('--help and `help COMMAND` show the command\'s flags and never run it', async () => {
  for (const argv of [['render', '--help'], ['help', 'render'], ['render', '-h']]) {
    const dir = workspace();
    const r = await run(dir, ...argv);
    assert.is(r.code, 0, argv.join(' '));
    assert.match(r.out.join('\n'), /Usage: meshfleet render .*\n[^]*--check/, argv.join(' '));
    assert.not.ok(existsSync(join(dir, 'dist')), `${argv.join(' ')} rendered`);
  }
  for (const argv of [['validate', '-h'], ['diff', '--help'], ['dns', 'apply', '--help'], ['help', 'dns']]) {
    const r = await run(workspace(), ...argv);
    assert.is(r.code, 0, argv.join(' '));
    assert.match(r.out[0], /^Usage: meshfleet /, argv.join(' '));
    assert.not.match(r.out.join('\n'), /: valid: /, argv.join(' '));
  }
});

test('--version prints the package version', async () => {
  const r = await run(workspace(), '--version');
  assert.is(r.code, 0);
  assert.equal(r.out, [JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version]);
});

test('no arguments: the usage on stderr, exit 2', async () => {
  const r = await run(workspace());
  assert.is(r.code, 2);
  assert.equal(r.out, []);
  assert.match(r.err.join('\n'), /Usage: meshfleet [^]*validate[^]*render[^]*dns/);
});

test('usage errors are a line on stderr and exit 2: unknown command, flag, --format value, missing dns subcommand', async () => {
  for (const argv of [['bogus'], ['render', '--colour'], ['validate', '--format', 'json'], ['graph', 'a.yaml', 'b.yaml'], ['dns'], ['dns', 'plan', '--timeout', 'soon']]) {
    const r = await run(workspace(), ...argv);
    assert.is(r.code, 2, `${argv.join(' ')}: ${r.err.join('\n')}`);
    assert.equal(r.out, [], argv.join(' '));
    assert.ok(r.err.length > 0, argv.join(' '));
  }
});

test('`--` ends the flags: a fleet file whose name starts with a dash', async () => {
  const dir = workspace();
  const { copyFileSync } = await import('node:fs');
  copyFileSync(join(dir, 'fleet.yaml'), join(dir, '-fleet.yaml'));
  const r = await run(dir, 'validate', '--strict', '--', '-fleet.yaml');
  assert.is(r.code, 0, r.err.join('\n'));
  assert.match(r.out[0], /^-fleet\.yaml: valid/);
});

test('init scaffolds a fleet repository that validates and renders; a second init keeps what is there', async () => {
  const parent = workspace();
  const r = await run(parent, 'init', 'my-fleet');
  assert.is(r.code, 0, r.err.join('\n'));
  const repo = join(parent, 'my-fleet');
  for (const f of ['fleet.yaml', '.gitignore', '.github/workflows/meshfleet.yml', 'README.md']) assert.ok(existsSync(join(repo, f)), f);
  const fleet = readFileSync(join(repo, 'fleet.yaml'), 'utf8');
  assert.match(fleet, /^# yaml-language-server: \$schema=\.\/node_modules\/meshfleet\/schema\/fleet\.schema\.json\n/);
  const workflow = readFileSync(join(repo, '.github/workflows/meshfleet.yml'), 'utf8');
  assert.match(workflow, /npx meshfleet validate --format github --strict/);
  assert.match(workflow, /npx meshfleet render --check/);
  assert.match(workflow, /npx meshfleet diff --base "\$BASE" --format markdown > meshfleet-diff\.md/);
  assert.not.match(workflow, /bin\/meshfleet\.mjs/);
  assert.is((await run(repo, 'validate', '--strict')).code, 0);
  assert.is((await run(repo, 'render')).code, 0);
  const again = await run(parent, 'init', 'my-fleet');
  assert.is(again.code, 0);
  assert.ok(again.out.filter((l) => l.startsWith('kept ')).length === 4, again.out.join('\n'));
});

test.run();
