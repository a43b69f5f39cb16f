// The CLI behaves like the tools people know (issue 20, problem 1; problem 6 for init): help never runs a command,
// --version, usage errors are a line on stderr with exit 2.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO, run, workspace } from './support/cli.ts';

/** stderr as the user sees it, one entry per line. */
const errLines = (r: { err: string[] }) => r.err.join('\n').split('\n');

test('--help, -h and `help COMMAND` never run the command: they print its usage and flags', async () => {
  const cases: [string[], string, RegExp][] = [
    [['render', '--help'], 'render', /--check/],
    [['render', '-h'], 'render', /--out <dir>/],
    [['help', 'render'], 'render', /--clusters <dir>/],
    [['validate', '-h'], 'validate', /--strict/],
    [['diff', '--help'], 'diff', /--base <ref>/],
    // Without a region set, an apply that ran would stop with an error on stderr.
    [['dns', 'apply', '--help'], 'dns apply', /--timeout <duration>/],
    [['help', 'dns'], 'dns', /plan/],
  ];
  for (const [argv, command, flag] of cases) {
    const what = argv.join(' ');
    const dir = workspace();
    const r = await run(dir, ...argv);
    assert.not.ok(existsSync(join(dir, 'dist')), `${what} rendered`);
    assert.is(
      r.out[0]?.split('\n')[0],
      `Usage: meshfleet ${command} [options] ${command === 'dns' ? '[command]' : '[file]'}`,
      `${what} ran instead of showing its usage`,
    );
    assert.equal(r.err, [], `${what} ran: ${r.err.join('\n')}`);
    assert.match(r.out.join('\n'), flag, what);
    assert.is(r.code, 0, what);
  }
});

test('--version prints the package version', async () => {
  const r = await run(workspace(), '--version');
  assert.equal(r.out, [JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version]);
  assert.equal(r.err, []);
  assert.is(r.code, 0);
});

test('no arguments: the usage on stderr, not stdout, and exit 2', async () => {
  const r = await run(workspace());
  assert.equal(r.out, []);
  assert.match(r.err.join('\n'), /Usage: meshfleet [^]*validate[^]*render[^]*dns/);
  assert.is(r.code, 2);
});

// Problem 8: `validate --format json` exited 1, where the usage says wrong usage is 2.
test('an unknown --format value is wrong usage: exit 2, for validate as for every command', async () => {
  for (const argv of [
    ['validate', '--format', 'json'],
    ['diff', '--format', 'html'],
    ['graph', '--format', 'svg'],
  ]) {
    const r = await run(workspace(), ...argv);
    assert.is(r.code, 2, `${argv.join(' ')}: ${r.err.join('\n')}`);
    assert.match(errLines(r)[0], new RegExp(`^meshfleet: .*'${argv[2]}'`), argv.join(' '));
    assert.equal(r.out, [], argv.join(' '));
  }
});

test('a usage error is one line naming what is wrong, then where to look; stdout empty, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['bogus'], /'bogus'/],
    [['render', '--colour'], /'--colour'/],
    [['graph', 'a.yaml', 'b.yaml'], /too many arguments for 'graph'/],
    [['dns', 'plan', '--timeout', 'soon'], /--timeout "soon"/],
  ];
  for (const [argv, culprit] of cases) {
    const what = argv.join(' ');
    const r = await run(workspace(), ...argv);
    const lines = errLines(r);
    assert.ok(lines.length <= 2, `${what}: the usage error is buried:\n${lines.join('\n')}`);
    assert.match(lines[0], /^meshfleet: /, what);
    assert.match(lines[0], culprit, what);
    if (lines.length === 2) assert.is(lines[1], '(add --help for the usage)', what);
    assert.equal(r.out, [], what);
    assert.is(r.code, 2, what);
  }
});

// `--` worked before the CLI moved to commander (node:util's parseArgs has it); this holds the new CLI to it. What
// it guards against is help or version found anywhere in argv: after `--`, `--help` is a file name.
test('`--` ends the flags: after it, `--help` and a name starting with a dash are fleet files', async () => {
  const dir = workspace();
  copyFileSync(join(dir, 'fleet.yaml'), join(dir, '-fleet.yaml'));
  copyFileSync(join(dir, 'fleet.yaml'), join(dir, '--help'));
  const dash = await run(dir, 'validate', '--strict', '--', '-fleet.yaml');
  assert.is(dash.code, 0, dash.err.join('\n'));
  assert.match(dash.out[0], /^-fleet\.yaml: valid: /);
  const help = await run(dir, 'validate', '--', '--help');
  assert.is(help.code, 0, help.err.join('\n'));
  assert.match(help.out[0], /^--help: valid: /);
  const without = await run(dir, 'validate', '-fleet.yaml');
  assert.is(without.code, 2, 'without `--`, a dash starts a flag');
  assert.match(errLines(without)[0], /^meshfleet: unknown option '-f/i);
});

test('init scaffolds a fleet repository that validates and renders; a second init keeps what is there', async () => {
  const parent = workspace();
  const r = await run(parent, 'init', 'my-fleet');
  assert.is(r.code, 0, r.err.join('\n'));
  const repo = join(parent, 'my-fleet');
  for (const f of ['fleet.yaml', '.gitignore', '.github/workflows/meshfleet.yml', 'README.md'])
    assert.ok(existsSync(join(repo, f)), f);
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
