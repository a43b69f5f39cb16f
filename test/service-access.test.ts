import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { EXAMPLE, EXAMPLE_APPLICATIONS, MINIMAL, run, workspace } from './support/cli.ts';
import { objects, REGIONAL, render, type Manifest } from './support/regional-fleet.ts';
import { validateManifest } from './support/upstream.ts';

const CLUSTER = 'io.cilium.k8s.policy.cluster';
const NAMESPACE = 'io.kubernetes.pod.namespace';

/** Every CiliumNetworkPolicy a fleet renders, by cluster. */
function policies(text: string): Map<string, Manifest[]> {
  const out = new Map<string, Manifest[]>();
  for (const [cluster, files] of render(text).clusters) {
    const found = [...files]
      .filter(([path]) => /\/ciliumnetworkpolicy-/.test(path))
      .map(([path, yaml]) => {
        assert.ok(path.startsWith('config/'), `${path}: in the config layer, after Cilium`);
        return parse(yaml) as Manifest;
      });
    if (found.length > 0) out.set(cluster, found);
  }
  return out;
}

type Selector = { matchLabels: Record<string, string> };
type Rule = {
  fromEndpoints?: Selector[];
  fromEntities?: string[];
  toPorts?: { ports: { port: string; protocol: string }[] }[];
};

/** Who a policy admits, one line per selector: `cluster namespace labels -> ports` (or the entity). */
function admitted(policy: Manifest): string[] {
  return (policy.spec.ingress as Rule[])
    .flatMap((rule) => {
      const ports = rule.toPorts
        ? rule.toPorts.flatMap((t) => t.ports.map((p) => `${p.port}/${p.protocol}`)).join(',')
        : 'any';
      if (rule.fromEntities) return rule.fromEntities.map((e) => `entity:${e} -> ${ports}`);
      return rule.fromEndpoints!.map(({ matchLabels: { [CLUSTER]: cluster, [NAMESPACE]: ns, ...labels } }) => {
        const extra = Object.entries(labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
        return `${cluster} ${ns}${extra ? ` ${extra}` : ''} -> ${ports}`;
      });
    })
    .sort();
}

/** A fleet file without its `services` block (the example declares s3-internal with an access list of its own). */
const withoutServices = (text: string) => text.replace(/\nservices:\n(?:(?: .*)?\n)*/, '\n');

/** The example's s3-internal (name, namespace, port, selector) as a services entry, before its access list. */
const S3_INTERNAL = `  - name: s3-internal
    namespace: minio-tenant
    ports: [{ name: http-minio, port: 80, targetPort: 9000 }]
    selector: { v1.min.io/tenant: minio }
`;

/** The example fleet's s3-internal with an access list: two consumers named, one entry for every consumer. */
const WITH_ACCESS = withoutServices(EXAMPLE).replace(
  '\nclusters:\n',
  `
services:
${S3_INTERNAL}    access:
      consumers:
        - clusters: [trino-production-0]
          namespaces: [trino]
        - namespaces: [spark-jobs]
          podLabels: { spark-role: executor }
      local:
        - namespaces: [monitoring]
clusters:
`,
);

test('the example fleet: one policy, on the storage cluster, admitting exactly the access list, every cluster named', () => {
  const found = policies(WITH_ACCESS);
  assert.equal([...found.keys()], ['data-bolt']);
  const [policy] = found.get('data-bolt')!;
  assert.equal(validateManifest(policy), []);
  assert.equal(policy.metadata, {
    labels: { 'app.kubernetes.io/managed-by': 'meshfleet' },
    name: 's3-internal-access',
    namespace: 'minio-tenant',
  });
  assert.equal(policy.spec.endpointSelector, { matchLabels: { 'v1.min.io/tenant': 'minio' } });
  assert.equal(policy.spec.enableDefaultDeny, { ingress: true, egress: false });
  const consumers = EXAMPLE_APPLICATIONS;
  assert.equal(
    admitted(policy),
    [
      ...consumers.map((c) => `${c} spark-jobs spark-role=executor -> 9000/TCP`),
      'data-bolt minio-operator -> 9000/TCP',
      'data-bolt minio-tenant v1.min.io/tenant=minio -> 9000/TCP',
      'data-bolt monitoring -> 9000/TCP',
      'entity:host -> any',
      'trino-production-0 trino -> 9000/TCP',
    ].sort(),
  );
  // Without access nothing is rendered: a policy would turn the backends default-deny.
  assert.equal([...policies(WITH_ACCESS.replace(/ {4}access:\n(?: {6}.*\n)*/, '')).keys()], []);
  assert.equal([...policies(MINIMAL).keys()], []);
});

test('the two-storage-cluster fleet: each server admits only the consumers connected to it; policies valid against the CRD', () => {
  const text = REGIONAL.replace(
    '    affinity: local\n',
    `    affinity: local
    access:
      consumers:
        - namespaces: [trino]
`,
  ).replace(
    '\nclusters:\n',
    `
${S3_INTERNAL}    access:
      consumers:
        - namespaces: [jobs]
clusters:
`,
  );
  const found = policies(text);
  assert.equal([...found.keys()], ['minio-eu', 'minio-us', 'spark-eu']);
  for (const list of found.values()) for (const p of list) assert.equal(validateManifest(p), [], p.metadata.name);
  const s3 = (c: string) =>
    admitted(found.get(c)!.find((p) => p.metadata.name === 's3-internal-access')!).filter((l) => l.includes(' jobs '));
  assert.equal(s3('minio-eu'), ['spark-eu jobs -> 9000/TCP']);
  assert.equal(s3('minio-us'), ['trino-us jobs -> 9000/TCP']);
  const [metastore] = found.get('spark-eu')!;
  assert.is(metastore.metadata.namespace, 'hive');
  assert.equal(metastore.spec.endpointSelector, { matchLabels: { 'app.kubernetes.io/name': 'hive-metastore' } });
  // Not a MinIO tenant: no tenant or operator rule, only the kubelet's probes beside the clients.
  assert.equal(admitted(metastore), ['entity:host -> any', 'trino-us trino -> 9083/TCP']);
  // The consumers' own clusters get no policy: only the backends are selected.
  assert.equal(
    objects(render(text).clusters.get('trino-us')!, 'config').has('ciliumnetworkpolicy-s3-internal-access.yaml'),
    false,
  );
});

test('validate refuses access entries naming clusters that do not consume the service, at their line', async () => {
  const text = WITH_ACCESS.replace(
    '- clusters: [trino-production-0]',
    '- clusters: [trino-production-0, data-bolt, nowhere]',
  );
  const r = await run(workspace(text), 'validate');
  assert.is(r.code, 1);
  const line = text.split('\n').findIndex((l) => l.includes('data-bolt, nowhere')) + 1;
  assert.ok(
    r.err.some(
      (l) =>
        l.startsWith(`fleet.yaml:${line}:`) &&
        l.includes('services[0].access.consumers[0].clusters[1] "data-bolt" does not consume "s3-internal"'),
    ),
    r.err.join('\n'),
  );
  assert.ok(
    r.err.some((l) => l.startsWith(`fleet.yaml:${line}:`) && l.includes('clusters[2] "nowhere" does not consume')),
    r.err.join('\n'),
  );
});

test('validate warns about a consumer no access entry covers, and --strict refuses it', async () => {
  const text = WITH_ACCESS.replace(/ {8}- namespaces: \[spark-jobs\]\n {10}podLabels: .*\n/, '');
  const dir = workspace(text);
  const r = await run(dir, 'validate');
  assert.is(r.code, 0);
  const line = text.split('\n').findIndex((l) => l.trim() === 'consumers:') + 1; // where the value of access begins
  const warning = r.err.find((l) => l.startsWith(`fleet.yaml:${line}:`) && l.includes('warning:'));
  assert.ok(warning, r.err.join('\n'));
  assert.match(
    warning!,
    /admits no pod of airflow-production-1, arcane-production-0, dev-spaces-production-0, spark-batch-1, spark-databuild-1, spark-streaming-1, which consume it/,
  );
  assert.is((await run(dir, 'validate', '--strict')).code, 1);
});

test('validate refuses access on a service without a selector: the policy would select its whole namespace', async () => {
  const text = WITH_ACCESS.replace('    selector: { v1.min.io/tenant: minio }\n', '');
  const r = await run(workspace(text), 'validate');
  assert.is(r.code, 1);
  assert.ok(
    r.err.some((l) => l.includes('services[0].access: "s3-internal" has no selector')),
    r.err.join('\n'),
  );
});

test.run();
