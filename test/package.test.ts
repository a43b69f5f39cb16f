// The packed package works in a fleet repository of its own, installed with `npm install` as a user does: init,
// validate, render, a commit, an edit of fleet.yaml that diff shows, and render --check.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO } from './support/cli.ts';
import { runAsync, userRepository } from './support/npm-user.ts';
import { startRegistry } from './support/registry.ts';
import { tempDir } from './support/temp.ts';

const APP_2 =
  '  - name: app-2\n    id: 3\n    role: application\n    application: trino\n    environment: adhoc\n    podCIDRs: [10.3.0.0/16]\n';

test('npm install of the packed package: init, validate, render, diff and render --check in a fleet repository', async () => {
  const scratch = tempDir('meshfleet-package-');
  const registry = await startRegistry(join(REPO, 'package-lock.json'));
  try {
    const packed = await runAsync('npm', ['pack', '--silent', '--pack-destination', scratch], REPO, process.env);
    assert.is(packed.code, 0, packed.stderr);
    const tarball = packed.stdout.trim().split('\n').at(-1)!;
    const user = await userRepository(join(scratch, 'my-fleet'), join(scratch, 'npm'), registry.url);
    // Inside the repository, so that the workflow's `npm ci` finds it too.
    mkdirSync(join(user.dir, 'vendor'));
    renameSync(join(scratch, tarball), join(user.dir, 'vendor', tarball));
    await user.ok('npm', 'install', '--save-dev', `./vendor/${tarball}`);
    assert.equal(registry.misses, [], 'npm found every package it asked for in the lockfile and the cache');
    assert.is(
      JSON.parse(readFileSync(join(user.dir, 'package.json'), 'utf8')).devDependencies.meshfleet,
      `file:vendor/${tarball}`,
    );

    const init = await user.meshfleet('init');
    assert.is(init.code, 0, init.stderr);
    assert.equal(
      init.stdout.split('\n').filter((l) => l.startsWith('wrote ')),
      ['wrote fleet.yaml', 'wrote .gitignore', 'wrote .github/workflows/meshfleet.yml', 'wrote README.md'],
    );
    const validate = await user.meshfleet('validate', '--strict');
    assert.is(validate.code, 0, validate.stdout + validate.stderr);
    assert.match(validate.stdout, /^fleet\.yaml: valid: 2 clusters/);
    const render = await user.meshfleet('render');
    assert.match(render.stdout, /^rendered 2 clusters into dist\/, clusters\/ and vault\//);
    await user.git('add', '.');
    await user.git('commit', '-qm', 'fleet');
    assert.is(
      (await user.git('status', '--porcelain', '--ignored')).stdout,
      '!! node_modules/\n',
      '.gitignore keeps node_modules/ out',
    );

    writeFileSync(join(user.dir, 'fleet.yaml'), readFileSync(join(user.dir, 'fleet.yaml'), 'utf8') + APP_2);
    const diff = await user.meshfleet('diff');
    assert.is(diff.code, 0, diff.stderr);
    assert.match(diff.stdout, /^clusters: 1 added, 0 removed, 0 renamed, 1 changed, 1 unchanged$/m);
    assert.match(diff.stdout, /^ {2}app-2 +added: /m);
    assert.match(
      diff.stdout,
      /^\+\+\+ added dist\/app-2\/cilium\/helmrelease-cilium\.yaml: HelmRelease flux-system\/cilium$/m,
    );

    const stale = await user.meshfleet('render', '--check');
    assert.is(stale.code, 1, 'render --check fails until the edit is rendered');
    assert.match(stale.stderr, /are stale: .*run `meshfleet render`/);
    assert.is((await user.meshfleet('render')).code, 0);
    const check = await user.meshfleet('render', '--check');
    assert.is(check.code, 0, check.stdout + check.stderr);
    assert.is(check.stdout, 'dist/, clusters/ and vault/ are up to date with fleet.yaml\n');
  } finally {
    await registry.close();
  }
});

test.run();
