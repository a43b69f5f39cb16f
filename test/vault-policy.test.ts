import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { EXAMPLE, run, workspace } from './support/cli.ts';
import { REGIONAL } from './support/regional-fleet.ts';

type Obj = { kind: string; metadata: { name: string }; spec: any };

/** Every object under dist/<cluster>/, whatever its layer. */
function objectsOf(dir: string, cluster: string): Obj[] {
  const out: Obj[] = [];
  const walk = (folder: string) => {
    for (const e of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.yaml'))
        for (const d of parseAllDocuments(readFileSync(path, 'utf8'))) out.push(d.toJS() as Obj);
    }
  };
  walk(join(dir, 'dist', cluster));
  return out;
}

/**
 * What the cluster's objects use in Vault, from the objects alone: the mount is the ClusterSecretStore's `path`
 * (KV v2); an ExternalSecret reads `<mount>/data/<key>` for every remoteRef and dataFrom extract; a PushSecret writes
 * its remoteKey's data and, to mark the secret as External Secrets', its metadata (and deletes both when its
 * deletionPolicy is Delete). As `path → sorted capabilities`.
 */
function usedByObjects(objects: readonly Obj[]): Map<string, string> {
  const stores = objects.filter((o) => o.kind === 'ClusterSecretStore');
  const mountOf = new Map(
    stores.map((s) => {
      assert.is(s.spec.provider.vault.version, 'v2');
      return [s.metadata.name, s.spec.provider.vault.path as string];
    }),
  );
  const used = new Map<string, Set<string>>();
  const grant = (path: string, ...caps: string[]) => {
    if (!used.has(path)) used.set(path, new Set());
    for (const c of caps) used.get(path)!.add(c);
  };
  for (const o of objects) {
    if (o.kind === 'ExternalSecret') {
      const mount = mountOf.get(o.spec.secretStoreRef.name)!;
      assert.ok(mount, `${o.metadata.name}: its store is rendered`);
      for (const d of o.spec.data ?? []) grant(`${mount}/data/${d.remoteRef.key}`, 'read');
      for (const d of o.spec.dataFrom ?? []) grant(`${mount}/data/${d.extract.key}`, 'read');
    } else if (o.kind === 'PushSecret') {
      for (const ref of o.spec.secretStoreRefs) {
        const mount = mountOf.get(ref.name)!;
        for (const d of o.spec.data) {
          const key = d.match.remoteRef.remoteKey;
          const caps =
            o.spec.deletionPolicy === 'Delete' ? ['create', 'read', 'update', 'delete'] : ['create', 'read', 'update'];
          grant(`${mount}/data/${key}`, ...caps);
          grant(`${mount}/metadata/${key}`, ...caps);
        }
      }
    }
  }
  return new Map([...used].map(([p, caps]): [string, string] => [p, [...caps].sort().join(',')]).sort());
}

/** The policy's path blocks, read back from the HCL: `path → sorted capabilities`. */
function policyOf(hcl: string): Map<string, string> {
  const blocks = [...hcl.matchAll(/^path "([^"]+)" \{\n {2}capabilities = \[([^\]]*)\]\n\}$/gm)];
  // Nothing else in the file but comments: a block the pattern missed would go unchecked.
  const rest = hcl
    .replace(/^path "[^"]+" \{\n {2}capabilities = \[[^\]]*\]\n\}$/gm, '')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
  assert.equal(rest, []);
  return new Map(blocks.map((m) => [m[1], JSON.parse(`[${m[2]}]`).sort().join(',')] as [string, string]).sort());
}

async function rendered(fleet: string): Promise<string> {
  const dir = workspace(fleet);
  const r = await run(dir, 'render');
  assert.is(r.code, 0, r.err.join('\n'));
  return dir;
}

const clustersOf = (dir: string) => readdirSync(join(dir, 'dist')).sort();

for (const [name, fleet] of [
  ['the example fleet', EXAMPLE],
  ['the example fleet with a shared CA', `${EXAMPLE}\ntls:\n  mode: shared-ca\n`],
  ['the two-storage-cluster fleet', REGIONAL],
] as const) {
  test(`${name}: each cluster's Vault policy is exactly what its ExternalSecrets and PushSecrets use`, async () => {
    const dir = await rendered(fleet);
    assert.equal(readdirSync(join(dir, 'vault')).sort(), clustersOf(dir));
    for (const cluster of clustersOf(dir)) {
      const used = usedByObjects(objectsOf(dir, cluster));
      assert.ok(used.size > 0, cluster);
      assert.equal(policyOf(readFileSync(join(dir, 'vault', cluster, 'policy.hcl'), 'utf8')), used, cluster);
    }
  });
}

test("the role binds the ClusterSecretStore's service account to the policy, as `vault write` takes it", async () => {
  const dir = await rendered(EXAMPLE);
  const store = objectsOf(dir, 'airflow-production-1').find((o) => o.kind === 'ClusterSecretStore')!;
  const auth = store.spec.provider.vault.auth.kubernetes;
  const role = JSON.parse(readFileSync(join(dir, 'vault', 'airflow-production-1', 'role.json'), 'utf8'));
  assert.equal(role.bound_service_account_names, [auth.serviceAccountRef.name]);
  assert.equal(role.bound_service_account_namespaces, [auth.serviceAccountRef.namespace]);
  assert.equal(role.token_policies, [auth.role]);
  const readme = readFileSync(join(dir, 'vault', 'airflow-production-1', 'readme.md'), 'utf8');
  assert.ok(readme.includes(`vault write auth/${auth.mountPath}/role/${auth.role} @role.json`));
  assert.ok(readme.includes(`vault policy write ${auth.role} policy.hcl`));
});

test("removing a cluster removes its Vault files and its path from every peer's policy; --check sees vault/", async () => {
  const dir = await rendered(EXAMPLE);
  const path = 'secret/data/clusters/trino/tls/production-0/infrastructure/clustermesh';
  assert.ok(readFileSync(join(dir, 'vault', 'data-bolt', 'policy.hcl'), 'utf8').includes(path));
  // Without the example's access list, which names trino-production-0 too.
  const without = EXAMPLE.replace(/\nservices:\n(?:(?: .*)?\n)*/, '\n').replace(
    /\n {2}- name: trino-production-0\n(?: {4}.*\n?)*/,
    '\n',
  );
  assert.not.ok(without.includes('trino'));
  writeFileSync(join(dir, 'fleet.yaml'), without);
  const check = await run(dir, 'render', '--check');
  assert.is(check.code, 1);
  assert.ok(
    check.err.some((l) => l === 'delete vault/trino-production-0/policy.hcl'),
    check.err.join('\n'),
  );
  assert.ok(
    check.err.some((l) => l === 'update vault/data-bolt/policy.hcl'),
    check.err.join('\n'),
  );
  assert.is((await run(dir, 'render')).code, 0);
  assert.not.ok(existsSync(join(dir, 'vault', 'trino-production-0')));
  for (const cluster of readdirSync(join(dir, 'vault'))) {
    assert.not.ok(readFileSync(join(dir, 'vault', cluster, 'policy.hcl'), 'utf8').includes('trino'), cluster);
  }
});

test('a file in vault/<cluster>/ that meshfleet did not write is never overwritten', async () => {
  const dir = await rendered(EXAMPLE);
  writeFileSync(join(dir, 'vault', 'data-bolt', 'role.json'), '{"bound_service_account_names": ["hand-written"]}\n');
  const again = await run(dir, 'render', '--vault', 'vault');
  assert.is(again.code, 1);
  assert.match(again.err.join('\n'), /vault\/data-bolt\/role\.json: exists and was not written by meshfleet/);
  assert.is(
    readFileSync(join(dir, 'vault', 'data-bolt', 'role.json'), 'utf8'),
    '{"bound_service_account_names": ["hand-written"]}\n',
  );
});

test('--vault puts the files elsewhere', async () => {
  const dir = workspace(EXAMPLE);
  assert.is((await run(dir, 'render', '--vault', 'ops/vault')).code, 0);
  assert.ok(existsSync(join(dir, 'ops', 'vault', 'data-bolt', 'policy.hcl')));
  assert.not.ok(existsSync(join(dir, 'vault')));
});

test.run();
