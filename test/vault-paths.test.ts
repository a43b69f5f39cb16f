// docs/tls.md, "Which path the fields take": Vault paths are paths inside the KV v2 mount. External Secrets adds the
// mount and `data/` itself, so a path written with either would point at a secret that is never there.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MINIMAL, run, workspace } from './support/cli.ts';

const withPath = (path: string) => MINIMAL.replace('vault:\n', `vault:\n  path: ${path}\n`);

for (const path of ['secret/clusters/{{application}}/tls', 'data/clusters/{{application}}/tls']) {
  test(`vault.path "${path}" is refused at the field, naming the mount`, async () => {
    const result = await run(workspace(withPath(path)), 'validate');
    assert.is(result.code, 1, result.out.join('\n'));
    assert.match(
      result.err.join('\n'),
      /^fleet\.yaml:\d+:\d+: vault\.path .*must be the path inside the "secret" mount/m,
    );
  });
}

test('a path inside the mount is accepted', async () => {
  const result = await run(workspace(withPath('clusters/{{application}}/tls/{{environment}}')), 'validate');
  assert.is(result.code, 0, result.err.join('\n'));
});

test.run();
