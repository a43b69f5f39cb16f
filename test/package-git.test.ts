// meshfleet installed from a git URL, the other way the README offers: npm clones the repository, installs its
// devDependencies there and runs `prepare` (the build), then packs and installs the result like a tarball.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO } from './support/cli.ts';
import { userRepository } from './support/npm-user.ts';
import { startRegistry } from './support/registry.ts';
import { tempDir } from './support/temp.ts';

/** A git repository holding this checkout's files as they are now, committed: what a push of them would serve. */
function sourceRepository(dir: string): string {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  }).split('\0');
  for (const file of files) if (file && existsSync(join(REPO, file))) cpSync(join(REPO, file), join(dir, file));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'meshfleet');
  return dir;
}

test('npm install from a git URL builds meshfleet (prepare) and the installed CLI scaffolds, validates and renders', async () => {
  const scratch = tempDir('meshfleet-git-');
  const registry = await startRegistry(join(REPO, 'package-lock.json'));
  try {
    const source = sourceRepository(join(scratch, 'meshfleet'));
    assert.not.ok(existsSync(join(source, 'build')), 'the build is not in git: prepare makes it');
    const user = await userRepository(join(scratch, 'my-fleet'), join(scratch, 'npm'), registry.url);
    // npm 12 fetches no git dependency unless allowed (EALLOWGIT); npm 11 knows the setting and allows all by default.
    // In the repository's .npmrc, so that the workflow's `npm ci` has it too.
    writeFileSync(join(user.dir, '.npmrc'), 'allow-git=root\n');
    await user.ok('npm', 'install', '--save-dev', `git+file://${source}`);
    assert.equal(registry.misses, [], 'npm found every package it asked for in the lockfile and the cache');
    assert.match(
      JSON.parse(readFileSync(join(user.dir, 'package.json'), 'utf8')).devDependencies.meshfleet,
      /^git\+file:\/\/.*\/meshfleet(#[0-9a-f]+)?$/,
    );

    const init = await user.meshfleet('init');
    assert.is(init.code, 0, init.stderr);
    assert.match(init.stdout, /^wrote fleet\.yaml$/m);
    const validate = await user.meshfleet('validate', '--strict');
    assert.is(validate.code, 0, validate.stdout + validate.stderr);
    assert.match(validate.stdout, /^fleet\.yaml: valid: 2 clusters/);
    const render = await user.meshfleet('render');
    assert.is(render.code, 0, render.stderr);
    assert.match(render.stdout, /^rendered 2 clusters into dist\/, clusters\/ and vault\//);
  } finally {
    await registry.close();
  }
});

test.run();
