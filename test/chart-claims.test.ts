// What the README and docs/ say the pinned Cilium charts do, shown with the real `helm template` of each chart and the
// values meshfleet renders: the defaults a fleet inherits (policy scope, global namespaces, IPAM pools), what the
// clustermesh-apiserver mounts in each authMode, and why Hubble's certificates come from cert-manager. Also why
// Argo CD applies External Secrets' chart server-side, from its upstream CRDs.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, stringify } from 'yaml';
import { releaseOf, renderedObjects } from './support/chart-needs.ts';
import { MINIMAL, run, workspace } from './support/cli.ts';
import { ciliumChart, haveHelm, helmBinary, templateCilium } from './support/helm.ts';
import type { Obj } from './support/output.ts';
import { tempDir } from './support/temp.ts';
import { crdsDir } from './support/upstream.ts';

const VERSIONS = ['1.18.12', '1.19.6', '1.20.0'] as const;

/** The rendered Cilium values of the first cluster of MINIMAL with `cilium` settings and extra fleet fields. */
async function renderedValues(cilium: Obj, extra: Obj = {}): Promise<{ version: string; values: Obj }> {
  const fleet = { ...parse(MINIMAL), ...extra };
  fleet.cilium = { ...fleet.cilium, ...cilium };
  const dir = workspace(stringify(fleet));
  const result = await run(dir, 'render');
  assert.is(result.code, 0, result.err.join('\n'));
  const release = releaseOf(renderedObjects(dir, 'store'), 'cilium');
  assert.ok(release, 'no Cilium release rendered for store');
  return { version: release!.version, values: release!.values };
}

function chart(version: string, values: Obj): Obj[] {
  const { objects, error } = templateCilium(version, values);
  if (!objects) assert.unreachable(`helm template of cilium ${version} failed:\n${error}`);
  return objects!;
}

const ciliumConfig = (objects: Obj[]): Record<string, string> =>
  objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'cilium-config')!.data;

test('policy rules default to the local cluster from Cilium 1.19 on; cilium.values restores the 1.18 behaviour', async () => {
  if (!haveHelm('chart-claims policyDefaultLocalCluster')) return;
  const expected: Record<string, string> = { '1.18.12': 'false', '1.19.6': 'true', '1.20.0': 'true' };
  for (const version of VERSIONS) {
    const r = await renderedValues({ version });
    assert.is(ciliumConfig(chart(r.version, r.values))['policy-default-local-cluster'], expected[version], version);
  }
  const restored = await renderedValues({
    version: '1.19.6',
    values: { clustermesh: { policyDefaultLocalCluster: false } },
  });
  assert.is(ciliumConfig(chart(restored.version, restored.values))['policy-default-local-cluster'], 'false');
});

test('Cilium 1.20 makes every namespace global unless clustermesh.defaultGlobalNamespace is false', async () => {
  if (!haveHelm('chart-claims defaultGlobalNamespace')) return;
  const plain = await renderedValues({ version: '1.20.0' });
  assert.is(ciliumConfig(chart(plain.version, plain.values))['clustermesh-default-global-namespace'], 'true');
  const local = await renderedValues({ version: '1.20.0', values: { clustermesh: { defaultGlobalNamespace: false } } });
  assert.is(ciliumConfig(chart(local.version, local.values))['clustermesh-default-global-namespace'], 'false');
});

test('cni native: without podCIDRs the chart puts every cluster on its default pools 10.0.0.0/8 and fd00::/104', async () => {
  if (!haveHelm('chart-claims default pools')) return;
  const r = await renderedValues(
    { cni: 'native', ipFamily: 'dual' },
    {
      clusters: parse(MINIMAL).clusters.map((c: Obj, i: number) => ({
        ...c,
        podCIDRs: [`10.${100 + i}.0.0/16`, `fd00:${100 + i}::/104`],
      })),
    },
  );
  const own = ciliumConfig(chart(r.version, r.values));
  assert.is(own['cluster-pool-ipv4-cidr'], '10.100.0.0/16');
  assert.is(own['cluster-pool-ipv6-cidr'], 'fd00:100::/104');
  // The same release without the pools meshfleet computes from podCIDRs: what validate refuses to let happen.
  const values = structuredClone(r.values);
  delete values.ipam;
  const fallback = ciliumConfig(chart(r.version, values));
  assert.is(fallback['cluster-pool-ipv4-cidr'], '10.0.0.0/8');
  assert.is(fallback['cluster-pool-ipv6-cidr'], 'fd00::/104');
});

/** What the clustermesh-apiserver Deployment does with the users ConfigMap, and whether the chart renders it. */
function remoteUsers(objects: Obj[]): { mounted: boolean; optional: boolean; flag: boolean; rendered: boolean } {
  const spec = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'clustermesh-apiserver')!.spec
    .template.spec;
  const volume = spec.volumes.find((v: Obj) => v.configMap?.name === 'clustermesh-remote-users');
  const args = spec.containers.flatMap((c: Obj) => [...(c.command ?? []), ...(c.args ?? [])]);
  return {
    mounted: Boolean(volume),
    optional: volume?.configMap.optional === true,
    flag: args.includes('--cluster-users-enabled'),
    rendered: objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === 'clustermesh-remote-users'),
  };
}

test('per-cluster CA: with authMode legacy the 1.19 and 1.20 charts do not mount clustermesh-remote-users; otherwise they need it', async () => {
  if (!haveHelm('chart-claims remote users')) return;
  for (const version of ['1.19.6', '1.20.0']) {
    const r = await renderedValues({ version });
    assert.is(r.values.clustermesh.apiserver.tls.authMode, 'legacy', version);
    assert.equal(
      remoteUsers(chart(r.version, r.values)),
      { mounted: false, optional: false, flag: false, rendered: false },
      version,
    );
    // The chart's default authMode (migration) with config.enabled false: mounted, not optional, and not rendered.
    const migration = structuredClone(r.values);
    migration.clustermesh.apiserver.tls.authMode = 'migration';
    assert.equal(
      remoteUsers(chart(r.version, migration)),
      { mounted: true, optional: false, flag: true, rendered: false },
      version,
    );
    migration.clustermesh.config.enabled = true;
    assert.is(remoteUsers(chart(r.version, migration)).rendered, true, `${version}: rendered with config.enabled`);
  }
});

test('the agents read the peers from the Secret cilium-clustermesh', async () => {
  if (!haveHelm('chart-claims agent secret')) return;
  for (const version of VERSIONS) {
    const r = await renderedValues({ version });
    const agent = chart(r.version, r.values).find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'cilium')!;
    const sources = agent.spec.template.spec.volumes.flatMap((v: Obj) => v.projected?.sources ?? []);
    assert.ok(
      sources.some((s: Obj) => s.secret?.name === 'cilium-clustermesh'),
      version,
    );
  }
});

test('dns.externalDns: the chart puts the ExternalDNS hostname annotation on the clustermesh-apiserver Service', async () => {
  if (!haveHelm('chart-claims external-dns')) return;
  const fleet = parse(MINIMAL);
  fleet.clusters[0].dns = { externalDns: true };
  const r = await renderedValues({}, { clusters: fleet.clusters });
  const service = chart(r.version, r.values).find(
    (o) => o.kind === 'Service' && o.metadata.name === 'clustermesh-apiserver',
  )!;
  assert.is(
    service.metadata.annotations?.['external-dns.alpha.kubernetes.io/hostname'],
    'prod.s3.mesh.example.internal',
  );
});

/** One uncached `helm template`, as Argo CD runs it on every refresh. */
function helmTemplate(version: string, values: Obj): string {
  const file = join(tempDir('meshfleet-chart-claims-'), 'values.yaml');
  writeFileSync(file, stringify(values));
  return execFileSync(
    helmBinary()!,
    ['template', 'cilium', ciliumChart(version), '--namespace', 'kube-system', '-f', file],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
}

test("Hubble with the chart's default hubble.tls.auto.method helm: each helm template makes new certificates", async () => {
  if (!haveHelm('chart-claims hubble helm method')) return;
  const r = await renderedValues({});
  assert.is(r.values.hubble.tls.auto.method, 'certmanager');
  const helmMethod = structuredClone(r.values);
  delete helmMethod.hubble.tls.auto.method;
  delete helmMethod.hubble.tls.auto.certManagerIssuerRef;
  const secrets = (text: string) =>
    text.split('\n---\n').filter((d) => /kind: Secret\n/.test(d) && /name: (hubble-server-certs|cilium-ca)\n/.test(d));
  const first = secrets(helmTemplate(r.version, helmMethod));
  assert.ok(first.length >= 2, 'the chart renders cilium-ca and hubble-server-certs itself');
  assert.not.equal(secrets(helmTemplate(r.version, helmMethod)), first);
});

test('every pinned chart runs KVStoreMesh by default and marks clustermesh.apiserver.kvstoremesh.enabled deprecated', () => {
  for (const version of VERSIONS) {
    const values = readFileSync(join(crdsDir, 'cilium', version, 'values.yaml'), 'utf8');
    assert.match(
      values,
      /# -- Enable KVStoreMesh\.[^\n]*\n\s*# [^\n]*\(deprecated - KVStoreMesh will always be enabled[^\n]*\n\s*enabled: true/,
      version,
    );
  }
});

/** A pinned chart's values.yaml with its comment markers and line breaks folded into single spaces. */
function valuesText(version: string): string {
  return readFileSync(join(crdsDir, 'cilium', version, 'values.yaml'), 'utf8')
    .replace(/\n\s*#\s*/g, ' ')
    .replace(/\s+/g, ' ');
}

test("what the README and docs/ quote from the pinned charts' values.yaml is there", () => {
  for (const version of VERSIONS) {
    const text = valuesText(version);
    assert.ok(
      text.includes('Cluster mode is meaningful only when the same CA is shared across all clusters part of the mesh'),
      `${version}: authMode cluster`,
    );
    assert.ok(text.includes('allowing for CA rotation with no down-time'), `${version}: tls.caBundle`);
    assert.ok(text.includes('Use a Secret instead of a ConfigMap'), `${version}: tls.caBundle.useSecret`);
    // The fleet reference's maxConnectedClusters row.
    assert.ok(
      text.includes(
        'This value cannot be changed on running clusters, and all clusters in a ClusterMesh must be configured with the same value. Values > 255 will decrease the maximum allocatable cluster-local identities',
      ),
      `${version}: maxConnectedClusters`,
    );
  }
  assert.ok(
    valuesText('1.20.0').includes(
      'For cross-cluster communication to work, BOTH the source and destination namespaces must be global',
    ),
  );
});

// Kubernetes refuses more than 256 KiB of annotations on an object (TotalAnnotationSizeLimitB in apimachinery's
// ValidateAnnotationsSize), and a client-side apply stores the whole object as JSON in last-applied-configuration.
const ANNOTATIONS_LIMIT = 256 * 1024;

test("External Secrets' store CRDs are too large for a client-side apply; the ExternalSecret CRD is not", () => {
  const size = (name: string) =>
    JSON.stringify(parse(readFileSync(join(crdsDir, 'external-secrets', `external-secrets.io_${name}.yaml`), 'utf8')))
      .length;
  for (const name of ['clustersecretstores', 'secretstores'])
    assert.ok(size(name) > ANNOTATIONS_LIMIT, `${name}: ${size(name)} bytes`);
  assert.ok(size('externalsecrets') < ANNOTATIONS_LIMIT);
});

test.run();
