// Every Cilium release meshfleet renders goes through the real `helm template` of its pinned chart with exactly the
// rendered values (issue 19, part A), and the chart's output is held against meshfleet's output for the same
// cluster: what the chart's Pods mount exists, its Certificates' issuers are rendered, and no object has two owners.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, stringify } from 'yaml';
import {
  issuerNeeds,
  keyOf,
  madeSecrets,
  objectKeys,
  ownedKeys,
  podNeeds,
  releaseOf,
  renderedObjects,
  type ObjectKey,
} from './support/chart-needs.ts';
import { EXAMPLE, MINIMAL, run, workspace } from './support/cli.ts';
import { ciliumChart, haveHelm, helmBinary, templateCilium } from './support/helm.ts';
import type { Obj } from './support/output.ts';
import { tempDir } from './support/temp.ts';

const VERSIONS = ['1.18.12', '1.19.6', '1.20.0'] as const;
type Edit = (fleet: Obj) => void;

/** A fleet text from the example or MINIMAL, with edits applied to its parsed form. */
function fleetText(base: string, ...edits: Edit[]): string {
  const fleet = parse(base);
  for (const edit of edits) edit(fleet);
  return stringify(fleet);
}

const cilium =
  (settings: Obj): Edit =>
  (f) => {
    f.cilium = { ...f.cilium, ...settings };
  };
const sharedCa: Edit = (f) => {
  f.tls = { mode: 'shared-ca' };
};
const argocd: Edit = (f) => {
  f.gitops = { engine: 'argocd', repository: 'https://git.example.internal/platform/fleet.git' };
};
const fullMesh: Edit = (f) => {
  f.topology = 'full-mesh';
};
/** Native routing with cluster-pool IPAM: each cluster gets its own pools, in the families `ipFamily` needs. */
const podCIDRs =
  (family: 'ipv4' | 'ipv6' | 'dual'): Edit =>
  (f) => {
    f.clusters.forEach((c: Obj, i: number) => {
      c.podCIDRs = [
        ...(family !== 'ipv6' ? [`10.${100 + i}.0.0/16`] : []),
        ...(family !== 'ipv4' ? [`fd00:${100 + i}::/104`] : []),
      ];
    });
  };
const moreClusters: Edit = (f) => {
  f.clusters.push(
    { name: 'store-2', id: 3, role: 'storage', application: 's3', environment: 'dr' },
    { name: 'app-2', id: 4, role: 'application', application: 'trino', environment: 'batch' },
  );
};

/** The test fleets: each dimension of issue 19, and TLS mode x version x KVStoreMesh, which interact. */
const FLEETS: Record<string, string> = {
  example: EXAMPLE,
  'example, shared CA': fleetText(EXAMPLE, sharedCa),
  'example, Argo CD': fleetText(EXAMPLE, argocd),
  'example, Argo CD, shared CA': fleetText(EXAMPLE, argocd, sharedCa),
  'aws-cni ipv4': fleetText(MINIMAL, cilium({ cni: 'aws-cni', ipFamily: 'ipv4' })),
  'aws-cni ipv6': fleetText(MINIMAL, cilium({ cni: 'aws-cni', ipFamily: 'ipv6' })),
  'native ipv4': fleetText(MINIMAL, cilium({ cni: 'native', ipFamily: 'ipv4' }), podCIDRs('ipv4')),
  'native ipv6': fleetText(MINIMAL, cilium({ cni: 'native', ipFamily: 'ipv6' }), podCIDRs('ipv6')),
  'native dual': fleetText(MINIMAL, cilium({ cni: 'native', ipFamily: 'dual' }), podCIDRs('dual')),
  'two storage clusters, full mesh': fleetText(MINIMAL, moreClusters, fullMesh, podCIDRs('ipv4')),
  'two storage clusters, hub and spoke, shared CA, Argo CD': fleetText(
    MINIMAL,
    moreClusters,
    sharedCa,
    argocd,
    podCIDRs('ipv4'),
  ),
};
const authMode =
  (mode: string): Edit =>
  (f) => {
    f.cilium.values = { clustermesh: { apiserver: { tls: { authMode: mode } } } };
  };
// authMode set by hand: 1.18 renders clustermesh-remote-users itself, 1.19 on leave it to meshfleet.
FLEETS['1.18.12, shared CA, authMode migration'] = fleetText(
  MINIMAL,
  cilium({ version: '1.18.12' }),
  podCIDRs('ipv4'),
  sharedCa,
  authMode('migration'),
);
FLEETS['1.20.0, per-cluster CA, authMode migration'] = fleetText(
  MINIMAL,
  cilium({ version: '1.20.0' }),
  podCIDRs('ipv4'),
  authMode('migration'),
);
FLEETS['1.20.0, shared CA, authMode cluster'] = fleetText(
  MINIMAL,
  cilium({ version: '1.20.0' }),
  podCIDRs('ipv4'),
  sharedCa,
  authMode('cluster'),
);
for (const version of VERSIONS) {
  for (const kvstoremesh of [true, false]) {
    for (const tls of ['per-cluster CA', 'shared CA']) {
      FLEETS[`${version}, ${tls}, KVStoreMesh ${kvstoremesh ? 'on' : 'off'}`] = fleetText(
        MINIMAL,
        cilium({ version, kvstoremesh }),
        podCIDRs('ipv4'),
        ...(tls === 'shared CA' ? [sharedCa] : []),
      );
    }
  }
}

const renders = new Map<string, string>();
async function render(name: string, text: string): Promise<string> {
  let dir = renders.get(name);
  if (!dir) {
    dir = workspace(text);
    const result = await run(dir, 'render');
    assert.is(result.code, 0, `${name}: ${result.err.join('\n')}`);
    renders.set(name, dir);
  }
  return dir;
}

interface ClusterCase {
  readonly cluster: string;
  readonly version: string;
  readonly namespace: string;
  readonly values: Obj;
  readonly rendered: Obj[];
}

async function clusterCases(name: string, text: string): Promise<ClusterCase[]> {
  const dir = await render(name, text);
  const clusters: string[] = parse(text).clusters.map((c: Obj) => c.name);
  return clusters.map((cluster) => {
    const rendered = renderedObjects(dir, cluster);
    const release = releaseOf(rendered, 'cilium');
    if (!release)
      throw new Error(
        `${name} ${cluster}: no Cilium release among ${rendered.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`,
      );
    return { cluster, version: release.version, namespace: release.namespace, values: release.values, rendered };
  });
}

/** The chart's objects for a cluster's release; fails with Helm's own message when the chart refuses the values. */
function chartObjects(c: ClusterCase, what: string): Obj[] {
  const { objects, error } = templateCilium(c.version, c.values, c.namespace);
  if (!objects) assert.unreachable(`${what} ${c.cluster}: helm template of cilium ${c.version} failed:\n${error}`);
  return objects!;
}

const missing = (keys: Iterable<ObjectKey>, ...have: Set<ObjectKey>[]) =>
  [...keys].filter((k) => !have.some((h) => h.has(k)));

for (const [name, text] of Object.entries(FLEETS)) {
  test(`${name}: every Cilium release renders with helm template of its pinned chart, and the chart's needs are met`, async () => {
    if (!haveHelm(`cilium-chart ${name}`)) return;
    for (const c of await clusterCases(name, text)) {
      const chart = chartObjects(c, name);
      const ns = c.namespace;
      const present = [
        objectKeys(chart, ns),
        objectKeys(c.rendered, ns),
        madeSecrets(chart, ns),
        madeSecrets(c.rendered, ns),
      ];
      const unmet = podNeeds(chart, ns)
        .filter((n) => missing([n.key], ...present).length > 0)
        .map((n) => `${n.key} (${n.from})`);
      assert.equal(
        unmet,
        [],
        `${name} ${c.cluster} (cilium ${c.version}): the chart's Pods need what nobody renders:\n${unmet.join('\n')}`,
      );

      const issuers = objectKeys(c.rendered, ns);
      const unresolved = issuerNeeds(chart, ns)
        .filter((n) => !issuers.has(n.key))
        .map((n) => `${n.key} (${n.from})`);
      assert.equal(
        unresolved,
        [],
        `${name} ${c.cluster}: the chart's Certificates name issuers meshfleet does not render`,
      );

      const chartOwns = ownedKeys(chart, ns);
      const both = [...ownedKeys(c.rendered, ns)].filter((k) => chartOwns.has(k));
      assert.equal(both, [], `${name} ${c.cluster}: rendered both by the chart and by meshfleet`);
    }
  });
}

/** Two runs of the real `helm template`, uncached: what Argo CD does on every refresh. */
function helmTemplateText(helm: string, version: string, values: Obj, namespace: string): string {
  const file = join(tempDir('meshfleet-helm-twice-'), 'values.yaml');
  writeFileSync(file, stringify(values));
  return execFileSync(helm, ['template', 'cilium', ciliumChart(version), '--namespace', namespace, '-f', file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

test('Argo CD: two helm template runs of a rendered Cilium release give the same objects (no certificate made at render time)', async () => {
  if (!haveHelm('cilium-chart determinism')) return;
  const helm = helmBinary();
  for (const name of ['example, Argo CD', 'example, Argo CD, shared CA']) {
    const c = (await clusterCases(name, FLEETS[name]))[0];
    const first = helmTemplateText(helm!, c.version, c.values, c.namespace);
    const second = helmTemplateText(helm!, c.version, c.values, c.namespace);
    assert.ok(first === second, `${name}: two renders differ (the chart generated certificates with helm's lookup?)`);
  }
});

/** The Secrets that External Secrets creates and owns (creationPolicy Owner, the default). */
function esOwned(list: readonly Obj[], namespace: string): Set<ObjectKey> {
  return new Set(
    list
      .filter((o) => o.kind === 'ExternalSecret' && (o.spec.target?.creationPolicy ?? 'Owner') === 'Owner')
      .map((o) => keyOf('Secret', o.metadata.namespace ?? namespace, o.spec.target?.name ?? o.metadata.name)),
  );
}

test('switching tls.mode moves no object between Helm and meshfleet, in either direction', async () => {
  if (!haveHelm('cilium-chart tls.mode switch')) return;
  for (const version of VERSIONS) {
    for (const kvstoremesh of [true, false]) {
      const perCluster = await clusterCases(
        `${version}, per-cluster CA, KVStoreMesh ${kvstoremesh ? 'on' : 'off'}`,
        FLEETS[`${version}, per-cluster CA, KVStoreMesh ${kvstoremesh ? 'on' : 'off'}`],
      );
      const shared = await clusterCases(
        `${version}, shared CA, KVStoreMesh ${kvstoremesh ? 'on' : 'off'}`,
        FLEETS[`${version}, shared CA, KVStoreMesh ${kvstoremesh ? 'on' : 'off'}`],
      );
      perCluster.forEach((a, i) => {
        const b = shared[i];
        const ns = a.namespace;
        const helmA = ownedKeys(chartObjects(a, 'per-cluster CA'), ns);
        const helmB = ownedKeys(chartObjects(b, 'shared CA'), ns);
        const meshfleetA = ownedKeys(a.rendered, ns);
        const meshfleetB = ownedKeys(b.rendered, ns);
        const moved = [
          ...[...helmA]
            .filter((k) => meshfleetB.has(k))
            .map((k) => `${k}: Helm's with per-cluster CAs, meshfleet's with a shared CA`),
          ...[...meshfleetA]
            .filter((k) => helmB.has(k))
            .map((k) => `${k}: meshfleet's with per-cluster CAs, Helm's with a shared CA`),
        ];
        assert.equal(moved, [], `cilium ${version}, KVStoreMesh ${kvstoremesh}, ${a.cluster}`);
        // Inside meshfleet's output too: a Secret made by an owning ExternalSecret in one mode and rendered plain in
        // the other would be garbage-collected with the ExternalSecret that Flux prunes.
        const esOwnedA = esOwned(a.rendered, ns);
        const esOwnedB = esOwned(b.rendered, ns);
        const plainA = objectKeys(a.rendered, ns);
        const plainB = objectKeys(b.rendered, ns);
        const switched = [...esOwnedA].filter((k) => plainB.has(k)).concat([...esOwnedB].filter((k) => plainA.has(k)));
        assert.equal(
          switched,
          [],
          `cilium ${version}, KVStoreMesh ${kvstoremesh}, ${a.cluster}: a Secret moves between External Secrets and Flux`,
        );
      });
    }
  }
});

test('shared CA: meshfleet renders the peer Secrets and the users ConfigMap with what the chart renders with config.enabled', async () => {
  if (!haveHelm('cilium-chart shared-CA layout')) return;
  const NAMES = ['cilium-clustermesh', 'cilium-kvstoremesh', 'clustermesh-remote-users'];
  const contents = (o: Obj): Record<string, string> =>
    o.kind === 'ConfigMap'
      ? o.data
      : Object.fromEntries(
          Object.entries(o.data ?? {}).map(([k, v]) => [k, Buffer.from(v as string, 'base64').toString('utf8')]),
        );
  for (const version of VERSIONS) {
    for (const kvstoremesh of ['on', 'off']) {
      const name = `${version}, shared CA, KVStoreMesh ${kvstoremesh}`;
      for (const c of await clusterCases(name, FLEETS[name])) {
        const values = {
          ...c.values,
          clustermesh: { ...c.values.clustermesh, config: { ...c.values.clustermesh.config, enabled: true } },
        };
        const chart = chartObjects({ ...c, values }, `${name} with config.enabled`).filter((o) =>
          NAMES.includes(o.metadata.name),
        );
        const ours = c.rendered.filter(
          (o) => NAMES.includes(o.metadata.name) && (o.kind === 'Secret' || o.kind === 'ConfigMap'),
        );
        assert.equal(
          ours.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
          chart.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
          `${name} ${c.cluster}`,
        );
        for (const o of ours) {
          const theirs = chart.find((x) => x.kind === o.kind && x.metadata.name === o.metadata.name)!;
          assert.equal(
            o.kind === 'Secret' ? o.stringData : o.data,
            contents(theirs),
            `${name} ${c.cluster} ${o.kind}/${o.metadata.name}`,
          );
        }
      }
    }
  }
});

test('the NLB targets pods by IP only where pods have VPC addresses; with cluster-pool IPAM it targets the nodes', async () => {
  const targetType = async (name: string) =>
    (await clusterCases(name, FLEETS[name])).map(
      (c) =>
        c.values.clustermesh.apiserver.service.annotations[
          'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type'
        ],
    );
  assert.equal(await targetType('aws-cni ipv4'), ['ip', 'ip']);
  assert.equal(await targetType('aws-cni ipv6'), ['ip', 'ip']);
  assert.equal(await targetType('native ipv4'), ['instance', 'instance']);
  assert.equal(await targetType('native dual'), ['instance', 'instance']);
  const eni = await render(
    'native, ENI IPAM',
    fleetText(MINIMAL, cilium({ cni: 'native', values: { ipam: { mode: 'eni' } } })),
  );
  const values = releaseOf(renderedObjects(eni, 'app'), 'cilium')!.values;
  assert.is(
    values.clustermesh.apiserver.service.annotations['service.beta.kubernetes.io/aws-load-balancer-nlb-target-type'],
    'ip',
  );
});

test('aws-cni chaining leaves masquerading to the AWS VPC CNI in both families', async () => {
  for (const name of ['aws-cni ipv4', 'aws-cni ipv6', 'example']) {
    for (const c of await clusterCases(name, FLEETS[name])) {
      assert.is(c.values.enableIPv4Masquerade, false, `${name} ${c.cluster}`);
      assert.is(
        c.values.enableIPv6Masquerade,
        false,
        `${name} ${c.cluster}: the chart default needs ipv6NativeRoutingCIDR with native routing`,
      );
    }
  }
});

test.run();
