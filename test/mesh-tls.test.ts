// Clustermesh TLS through Vault (issue 3): the objects each mode renders, their cross-references inside a cluster
// and across the fleet, the exact Go template text External Secrets receives, and that no secret reaches git.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { effectiveAuthMode } from '../src/plan/clustermesh-tls.ts';
import { EXAMPLE, run, workspace } from './support/cli.ts';
import { clusterObjects, find, type Obj } from './support/output.ts';
import { readTree } from './support/tree.ts';
import { validateManifest } from './support/upstream.ts';

const VARIANTS: Record<string, string> = {
  'per-cluster-ca': EXAMPLE,
  'shared-ca': `${EXAMPLE}\ntls:\n  mode: shared-ca\n`,
  'per-cluster-ca without kvstoremesh': EXAMPLE.replace('cilium:\n', 'cilium:\n  kvstoremesh: false\n'),
  // trino also dials spark-batch-1 directly: the two then exchange material, and no other application cluster sees it.
  'per-cluster-ca with an extra connection': EXAMPLE.replace(
    /( {2}- name: trino-production-0\n(?: {4}.*\n)*)/,
    '$1    connectsTo: [data-bolt, spark-batch-1]\n',
  ),
};
const renders = new Map<string, string>();
async function render(variant: string): Promise<string> {
  if (!renders.has(variant)) {
    const dir = workspace(VARIANTS[variant]);
    const result = await run(dir, 'render');
    assert.is(result.code, 0, result.err.join('\n'));
    renders.set(variant, dir);
  }
  return renders.get(variant)!;
}

async function fleetObjects(variant: string): Promise<Map<string, Obj[]>> {
  const dist = join(await render(variant), 'dist');
  return new Map(
    readdirSync(dist)
      .sort()
      .map((c) => [c, clusterObjects(dist, c)]),
  );
}

const ofKind = (objs: Obj[], kind: string) => objs.filter((o) => o.kind === kind);
const ciliumValues = (objs: Obj[]) => find(objs, 'HelmRelease', 'cilium').spec.values;
const peersInValues = (objs: Obj[]): string[] =>
  ciliumValues(objs)
    .clustermesh.config.clusters.map((c: Obj) => c.name)
    .sort();
const TLS_KINDS = [
  'PushSecret',
  'ExternalSecret',
  'ClusterSecretStore',
  'Issuer',
  'Certificate',
  'Secret',
  'ConfigMap',
];

/** PEM armour and key material, also base64-encoded (as a Secret's `data` would carry it). */
const SECRET_PATTERNS: [string, RegExp][] = [
  ['PEM block', /-----BEGIN [A-Z0-9 ]+-----/],
  ['private key', /PRIVATE KEY/],
  ['base64 PEM block', /LS0tLS1CRUdJT/],
  ['OpenSSH key', /openssh-key-v1|b3BlbnNzaC1rZXktdjE/],
];
function secretFindings(files: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [file, text] of files)
    for (const [what, re] of SECRET_PATTERNS) if (re.test(text)) out.push(`${file}: ${what}`);
  return out;
}

test('the secret scan catches a PEM key, plain and base64-encoded', () => {
  // Built at run time so that this file itself holds no PEM armour.
  const pem = `-----BEGIN ${'EC PRIVATE'} KEY-----\nMHcCAQEE\n-----END EC ${'PRIVATE'} KEY-----\n`;
  const findings = secretFindings(
    new Map([
      ['plain.yaml', `key: |\n  ${pem}`],
      ['b64.yaml', `tls.key: ${Buffer.from(pem).toString('base64')}`],
      ['clean.yaml', 'a: b\n'],
    ]),
  );
  assert.ok(
    findings.some((f) => f.startsWith('plain.yaml')),
    findings.join('\n'),
  );
  assert.ok(
    findings.some((f) => f.startsWith('b64.yaml')),
    findings.join('\n'),
  );
  assert.not.ok(findings.some((f) => f.startsWith('clean.yaml')));
});

for (const variant of ['per-cluster-ca', 'shared-ca']) {
  test(`${variant}: no rendered file holds a PEM block or private-key material`, async () => {
    const dir = await render(variant);
    const files = new Map([...readTree(join(dir, 'dist'))].map(([f, t]) => [`dist/${f}`, t]));
    for (const [f, t] of readTree(join(dir, 'clusters'))) files.set(`clusters/${f}`, t);
    assert.ok(files.size > 50, `only ${files.size} files rendered`);
    assert.equal(secretFindings(files), []);
  });
}

for (const variant of Object.keys(VARIANTS)) {
  test(`${variant}: every store, secret and issuer object validates against its upstream schema`, async () => {
    for (const [cluster, objs] of await fleetObjects(variant)) {
      const checked = objs.filter((o) => TLS_KINDS.includes(o.kind));
      assert.ok(ofKind(checked, 'ClusterSecretStore').length === 1, `${cluster}: one ClusterSecretStore`);
      const bad = checked.flatMap((o) =>
        validateManifest(o).map((e) => `${cluster} ${o.kind}/${o.metadata.name}: ${e}`),
      );
      assert.equal(bad, [], bad.join('\n'));
    }
  });

  test(`${variant}: every secretStoreRef names the cluster's store and every issuer ref a rendered issuer`, async () => {
    for (const [cluster, objs] of await fleetObjects(variant)) {
      const stores = new Set(ofKind(objs, 'ClusterSecretStore').map((s) => s.metadata.name));
      const refs = [
        ...ofKind(objs, 'ExternalSecret').map((e) => e.spec.secretStoreRef),
        ...ofKind(objs, 'PushSecret').flatMap((p) => p.spec.secretStoreRefs),
      ];
      assert.ok(refs.length > 0, `${cluster}: no store reference at all`);
      for (const ref of refs) {
        assert.is(ref.kind, 'ClusterSecretStore', cluster);
        assert.ok(stores.has(ref.name), `${cluster}: store ${ref.name} is not rendered`);
      }
      const issuers = new Set(ofKind(objs, 'Issuer').map((i) => `${i.metadata.namespace}/${i.metadata.name}`));
      const apiserverIssuer = ciliumValues(objs).clustermesh.apiserver.tls.auto.certManagerIssuerRef;
      assert.is(apiserverIssuer.kind, 'Issuer');
      assert.ok(
        issuers.has(`kube-system/${apiserverIssuer.name}`),
        `${cluster}: Cilium's issuer ${apiserverIssuer.name} is not rendered`,
      );
      for (const cert of ofKind(objs, 'Certificate')) {
        assert.ok(
          issuers.has(`${cert.metadata.namespace}/${cert.spec.issuerRef.name}`),
          `${cluster}: ${cert.metadata.name} names a missing issuer`,
        );
      }
      for (const issuer of ofKind(objs, 'Issuer').filter((i) => i.spec.ca)) {
        const fromCert = ofKind(objs, 'Certificate').some((c) => c.spec.secretName === issuer.spec.ca.secretName);
        const fromVault = ofKind(objs, 'ExternalSecret').some((e) => e.spec.target.name === issuer.spec.ca.secretName);
        assert.ok(fromCert || fromVault, `${cluster}: nothing makes the CA secret ${issuer.spec.ca.secretName}`);
      }
    }
  });
}

test("the store reads KV v2 at the mount with the cluster's own Kubernetes auth mount and role", async () => {
  const store = find((await fleetObjects('per-cluster-ca')).get('spark-batch-1')!, 'ClusterSecretStore', 'vault');
  assert.equal(store.spec.provider.vault, {
    server: 'https://vault.sneaksanddata.internal:8200',
    path: 'secret',
    version: 'v2',
    auth: {
      kubernetes: {
        mountPath: 'kubernetes-spark-batch-1',
        role: 'spark-batch-1-clustermesh',
        serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' },
      },
    },
  });
});

test('shared-ca: the mesh CA comes from one Vault path into kube-system and backs the clustermesh-ca issuer', async () => {
  for (const [cluster, objs] of await fleetObjects('shared-ca')) {
    const es = find(objs, 'ExternalSecret', 'clustermesh-ca');
    assert.is(es.metadata.namespace, 'kube-system');
    assert.is(es.spec.target.template.type, 'kubernetes.io/tls');
    assert.equal(
      es.spec.data,
      ['tls.crt', 'tls.key'].map((k) => ({
        secretKey: k,
        remoteRef: { key: 'clusters/mesh/tls/clustermesh-ca', property: k },
      })),
      cluster,
    );
    assert.equal(find(objs, 'Issuer', 'clustermesh-ca').spec, { ca: { secretName: es.spec.target.name } });
    assert.equal(ofKind(objs, 'PushSecret'), [], `${cluster}: nothing to push with a shared CA`);
    assert.equal(
      ofKind(objs, 'ExternalSecret')
        .map((e) => e.metadata.name)
        .filter((n) => n.startsWith('cilium-')),
      [],
      `${cluster}: nothing to fetch per peer`,
    );
  }
});

test('shared-ca: meshfleet renders the peer secrets as the chart would, each peer dialed with the common (own) certificate', async () => {
  // The chart's config.enabled stays off in both modes, so that a mode switch moves no object between Helm and Flux.
  for (const [cluster, objs] of await fleetObjects('shared-ca')) {
    assert.is(ciliumValues(objs).clustermesh.config.enabled, false, cluster);
    const kvstoremesh = find(objs, 'Secret', 'cilium-kvstoremesh').stringData;
    assert.equal(Object.keys(kvstoremesh).sort(), peersInValues(objs), cluster);
    const peer = ciliumValues(objs).clustermesh.config.clusters[0];
    assert.equal(parse(kvstoremesh[peer.name]), {
      endpoints: [`https://${peer.address}:2379`],
      'trusted-ca-file': '/var/lib/cilium/clustermesh/common-etcd-client-ca.crt',
      'key-file': '/var/lib/cilium/clustermesh/common-etcd-client.key',
      'cert-file': '/var/lib/cilium/clustermesh/common-etcd-client.crt',
    });
    assert.equal(
      Object.keys(find(objs, 'Secret', 'cilium-clustermesh').stringData).sort(),
      peersInValues(objs),
      cluster,
    );
  }
});

test('per-cluster-ca: each cluster pushes its remote cert to its own path and the chart renders no peer secret', async () => {
  for (const [cluster, objs] of await fleetObjects('per-cluster-ca')) {
    const push = find(objs, 'PushSecret', 'clustermesh-apiserver-remote-cert');
    assert.is(push.spec.selector.secret.name, 'clustermesh-apiserver-remote-cert');
    assert.equal(
      push.spec.data.map((d: Obj) => [d.match.secretKey, d.match.remoteRef.property]),
      [
        ['ca.crt', 'ca.crt'],
        ['tls.crt', 'tls.crt'],
        ['tls.key', 'tls.key'],
      ],
    );
    const paths = new Set(push.spec.data.map((d: Obj) => d.match.remoteRef.remoteKey));
    assert.equal([...paths].length, 1, cluster);
    assert.not.match([...paths][0] as string, /^(secret\/|data\/)/);
    assert.is(ciliumValues(objs).clustermesh.config.enabled, false, cluster);
  }
});

/** cluster → the Vault (path, property) pairs it pushes. */
function pushed(fleet: Map<string, Obj[]>): Map<string, string[]> {
  return new Map(
    [...fleet].map(([c, objs]) => [
      c,
      find(objs, 'PushSecret', 'clustermesh-apiserver-remote-cert')
        .spec.data.map((d: Obj) => `${d.match.remoteRef.remoteKey}#${d.match.remoteRef.property}`)
        .sort(),
    ]),
  );
}

/** The peers a cluster dials: the keys of its per-peer Secret holding `endpoints:` (what makes a key a peer). */
const dialed = (objs: Obj[], secret: string): string[] =>
  Object.entries(find(objs, 'Secret', secret).stringData as Record<string, string>)
    .filter(([, v]) => v.includes('endpoints:'))
    .map(([k]) => k)
    .sort();

for (const [variant, secret] of [
  ['per-cluster-ca', 'cilium-kvstoremesh'],
  ['per-cluster-ca without kvstoremesh', 'cilium-clustermesh'],
  ['per-cluster-ca with an extra connection', 'cilium-kvstoremesh'],
]) {
  test(`${variant}: one ExternalSecret per peer pulls that peer's pushed material, and no other cluster's`, async () => {
    const fleet = await fleetObjects(variant);
    const byPath = pushed(fleet);
    for (const [cluster, objs] of fleet) {
      const pulls = ofKind(objs, 'ExternalSecret').filter((e) => e.metadata.name.startsWith('cilium-'));
      assert.equal(
        pulls.map((e) => e.metadata.name).sort(),
        peersInValues(objs).map((p) => `${secret}-${p}`),
        cluster,
      );
      for (const es of pulls) {
        const peer = es.metadata.name.slice(secret.length + 1);
        assert.is(es.metadata.namespace, 'kube-system');
        assert.equal(
          es.spec.data.map((d: Obj) => `${d.remoteRef.key}#${d.remoteRef.property}`).sort(),
          byPath.get(peer),
          `${cluster} pulls for ${peer}`,
        );
      }
      assert.equal(dialed(objs, secret), peersInValues(objs), cluster);
    }
  });
}

test('per-cluster-ca: a peer missing in Vault holds back only itself, and removing a peer removes its config key', async () => {
  // External Secrets fails an ExternalSecret whole when one remote key is missing: each peer has its own, merged into
  // the Secret meshfleet renders. The key holding `endpoints:` (which makes a peer) is meshfleet's, never fetched.
  for (const [cluster, objs] of await fleetObjects('per-cluster-ca')) {
    for (const es of ofKind(objs, 'ExternalSecret').filter((e) => e.metadata.name.startsWith('cilium-'))) {
      assert.is(es.spec.target.name, 'cilium-kvstoremesh', cluster);
      assert.is(
        es.spec.target.creationPolicy,
        'Merge',
        `${cluster}: ${es.metadata.name} must fill the rendered Secret, not own it`,
      );
      assert.is(
        new Set(es.spec.data.map((d: Obj) => d.remoteRef.key)).size,
        1,
        `${cluster}: ${es.metadata.name} reads one peer's path`,
      );
      for (const text of Object.values(es.spec.target.template.data) as string[]) assert.not.match(text, /endpoints:/);
    }
    find(objs, 'Secret', 'cilium-kvstoremesh');
  }
  const before = (await fleetObjects('per-cluster-ca')).get('data-bolt')!;
  const fewer = workspace(
    EXAMPLE.replace(/ {2}- name: trino-production-0\n(?: {4}.*\n)*/, '').replace(
      / {8}- clusters: \[trino-production-0\]\n {10}namespaces: \[trino\]\n/,
      '',
    ),
  );
  assert.is((await run(fewer, 'render')).code, 0);
  const after = clusterObjects(join(fewer, 'dist'), 'data-bolt');
  assert.equal(
    dialed(after, 'cilium-kvstoremesh'),
    dialed(before, 'cilium-kvstoremesh').filter((p) => p !== 'trino-production-0'),
  );
  assert.not.ok(after.some((o) => o.metadata.name === 'cilium-kvstoremesh-trino-production-0'));
});

test('connections are directional as the fleet says: an application cluster pulls only storage, storage pulls every dialer', async () => {
  const fleet = await fleetObjects('per-cluster-ca with an extra connection');
  const pulls = (c: string) => dialed(fleet.get(c)!, 'cilium-kvstoremesh');
  assert.equal(pulls('airflow-production-1'), ['data-bolt']);
  assert.equal(pulls('trino-production-0'), ['data-bolt', 'spark-batch-1']);
  assert.equal(pulls('spark-batch-1'), ['data-bolt', 'trino-production-0']);
  assert.equal(
    pulls('data-bolt'),
    [...fleet.keys()].filter((c) => c !== 'data-bolt'),
  );
});

test('the Go templates reach the manifest exactly as External Secrets expects, each naming a fetched key', async () => {
  const objs = (await fleetObjects('per-cluster-ca')).get('airflow-production-1')!;
  assert.equal(find(objs, 'Secret', 'cilium-kvstoremesh').stringData, {
    'data-bolt': [
      'endpoints:',
      '- https://s3.cluster-mesh.sneaksanddata.internal:2379',
      'trusted-ca-file: /var/lib/cilium/clustermesh/data-bolt.etcd-client-ca.crt',
      'key-file: /var/lib/cilium/clustermesh/data-bolt.etcd-client.key',
      'cert-file: /var/lib/cilium/clustermesh/data-bolt.etcd-client.crt',
    ].join('\n'),
  });
  const es = find(objs, 'ExternalSecret', 'cilium-kvstoremesh-data-bolt');
  const template = es.spec.target.template;
  assert.is(template.engineVersion, 'v2');
  assert.equal(template.data, {
    'data-bolt.etcd-client-ca.crt': '{{ .ca_crt_data_bolt }}',
    'data-bolt.etcd-client.crt': '{{ .tls_crt_data_bolt }}',
    'data-bolt.etcd-client.key': '{{ .tls_key_data_bolt }}',
  });
  const fetched = new Set(es.spec.data.map((d: Obj) => d.secretKey));
  for (const text of Object.values(template.data) as string[]) {
    for (const [, key] of text.matchAll(/\{\{ \.(\w+) \}\}/g))
      assert.ok(fetched.has(key), `template uses ${key}, which is not fetched`);
  }
});

test('with KVStoreMesh the agents dial the local kvstoremesh for every peer; without it they get the per-peer form', async () => {
  const withKvs = (await fleetObjects('per-cluster-ca')).get('data-bolt')!;
  const agents = find(withKvs, 'Secret', 'cilium-clustermesh');
  const peers = peersInValues(withKvs);
  assert.equal(Object.keys(agents.stringData).sort(), peers);
  for (const peer of peers) {
    assert.equal(parse(agents.stringData[peer]), {
      endpoints: ['https://clustermesh-apiserver.kube-system.svc:2379'],
      'trusted-ca-file': '/var/lib/cilium/clustermesh/local-etcd-client-ca.crt',
      'key-file': '/var/lib/cilium/clustermesh/local-etcd-client.key',
      'cert-file': '/var/lib/cilium/clustermesh/local-etcd-client.crt',
    });
  }
  const kvstoremesh = find(withKvs, 'Secret', 'cilium-kvstoremesh').stringData;
  assert.is(Object.keys(kvstoremesh).length, peers.length);

  const without = (await fleetObjects('per-cluster-ca without kvstoremesh')).get('data-bolt')!;
  assert.not.ok(without.some((o) => o.metadata.name === 'cilium-kvstoremesh'));
  assert.equal(find(without, 'Secret', 'cilium-clustermesh').stringData, kvstoremesh);
  assert.equal(
    ofKind(without, 'ExternalSecret')
      .filter((e) => e.metadata.name.startsWith('cilium-'))
      .map((e) => e.spec.target.name),
    peers.map(() => 'cilium-clustermesh'),
  );
});

test('authMode: 1.18 defaults to legacy, 1.19 and 1.20 to migration, and the values win', () => {
  assert.is(effectiveAuthMode('1.18.12', {}), 'legacy');
  assert.is(effectiveAuthMode('1.19.6', {}), 'migration');
  assert.is(effectiveAuthMode('1.20.0', {}), 'migration');
  assert.is(effectiveAuthMode('1.19.6', { clustermesh: { apiserver: { tls: { authMode: 'legacy' } } } }), 'legacy');
  assert.is(effectiveAuthMode('1.18.12', { clustermesh: { apiserver: { tls: { authMode: 'cluster' } } } }), 'cluster');
});

test("per-cluster-ca: authMode legacy, since every dialer presents the dialed cluster's remote certificate; no users ConfigMap", async () => {
  // Per-cluster users (authMode migration or cluster) cannot tell dialers apart when they all present the same
  // certificate, and the 1.19/1.20 apiserver would mount clustermesh-remote-users, which the chart does not render.
  for (const [cluster, objs] of await fleetObjects('per-cluster-ca')) {
    assert.is(ciliumValues(objs).clustermesh.apiserver.tls.authMode, 'legacy', cluster);
    assert.not.ok(
      objs.some((o) => o.metadata.name === 'clustermesh-remote-users'),
      cluster,
    );
  }
});

test('shared-ca on 1.19: meshfleet renders clustermesh-remote-users with one remote user per peer, as the chart would', async () => {
  for (const [cluster, objs] of await fleetObjects('shared-ca')) {
    assert.is(
      ciliumValues(objs).clustermesh.apiserver.tls.authMode,
      undefined,
      `${cluster}: the chart's default (migration) stays`,
    );
    const users = find(objs, 'ConfigMap', 'clustermesh-remote-users');
    assert.is(users.metadata.namespace, 'kube-system');
    assert.equal(parse(users.data['users.yaml']), {
      users: peersInValues(objs).map((p) => ({ name: `remote-${p}`, role: 'remote' })),
    });
  }
});

test.run();
