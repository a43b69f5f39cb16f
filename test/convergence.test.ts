// Part B of issue 19: a fresh fleet converges under Flux and under Argo CD, in both TLS modes. The rendered entry and
// layer folders are walked with a model of what each engine waits for and what each object needs
// (support/convergence.ts), the Cilium chart's objects coming from `helm template` of its pinned chart.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EXAMPLE, run, workspace } from './support/cli.ts';
import { walkFleet, type ClusterInput } from './support/convergence.ts';
import { haveHelm, templateCilium } from './support/helm.ts';
import { objects, type Obj } from './support/output.ts';
import { readTree } from './support/tree.ts';

const ARGO = 'gitops:\n  engine: argocd\n  repository: https://git.example.internal/platform/fleet.git\n\nvault:';
const SHARED_CA = '\ntls:\n  mode: shared-ca\n';
const IPV4 = (fleet: string) => fleet.replace('ipFamily: ipv6', 'ipFamily: ipv4');

/** Every fleet of the walk: the example and its variants, in both TLS modes and for both engines. */
const FLEETS: Record<string, string> = {};
const BASES = {
  example: EXAMPLE,
  'example ipv4': IPV4(EXAMPLE),
  'example ipv4 on 1.18': IPV4(EXAMPLE).replace('version: 1.19.6', 'version: 1.18.12'),
  'example ipv4 without kvstoremesh': IPV4(EXAMPLE).replace('cilium:\n', 'cilium:\n  kvstoremesh: false\n'),
};
for (const [base, text] of Object.entries(BASES)) {
  for (const [mode, tls] of Object.entries({ 'per-cluster CA': '', 'shared CA': SHARED_CA })) {
    FLEETS[`${base}, ${mode}, flux`] = text + tls;
    FLEETS[`${base}, ${mode}, argocd`] = text.replace('vault:', ARGO) + tls;
  }
}

/** A fleet's rendered output as the walk reads it; the chart's objects come from `helm template` of the pinned chart. */
async function clustersOf(name: string): Promise<ClusterInput[]> {
  const dir = workspace(FLEETS[name]);
  const result = await run(dir, 'render');
  assert.is(result.code, 0, result.err.join('\n'));
  return readdirSync(join(dir, 'clusters'))
    .sort()
    .map((cluster): ClusterInput => ({
      name: cluster,
      entry: objects(join(dir, 'clusters', cluster, 'meshfleet.yaml')),
      folder: (path) => folder(join(dir, path)),
      chart: (chart, version, values, namespace) => {
        if (chart !== 'cilium') return undefined;
        const t = templateCilium(version, values, namespace);
        if (t.error) throw new Error(`${cluster}: the Cilium chart refuses the rendered values: ${t.error}`);
        return t.objects;
      },
    }));
}

function folder(dir: string): Obj[] {
  if (!existsSync(dir)) throw new Error(`the entry names ${dir}, which was not rendered`);
  return [...readTree(dir).keys()]
    .filter((f) => f !== 'kustomization.yaml' && !f.includes('/'))
    .flatMap((f) => objects(join(dir, f)));
}

let walked = 0;
for (const name of Object.keys(FLEETS)) {
  test(`${name}: a fresh fleet converges, nothing waits on what is applied after it`, async () => {
    if (!haveHelm(name)) return;
    const clusters = await clustersOf(name);
    const engine = FLEETS[name].includes('engine: argocd') ? 'argocd' : 'flux';
    const walk = walkFleet(clusters, engine);
    assert.equal(walk.deadlocks, [], `${walk.deadlocks.slice(0, 12).join('\n')}\napplied: ${walk.steps.join(', ')}`);
    // Everything the chart's pods need is supplied by the chart or by meshfleet's output.
    assert.equal(walk.missing, [], walk.missing.join('\n'));
    walked++;
  });
}

/**
 * The same output laid out as before issue 19: the PKI in the config layer, Cilium in the infrastructure layer (Flux)
 * or in the wave after the controllers (Argo CD).
 */
function asBefore(clusters: readonly ClusterInput[]): ClusterInput[] {
  return clusters.map((c) => {
    const flux = c.entry.some((o) => o.kind === 'Kustomization');
    const merged = (layer: string, from: string) => (path: string) =>
      path.endsWith(`/${layer}`) ? [...c.folder(path), ...c.folder(path.replace(/[^/]+$/, from))] : c.folder(path);
    if (flux) {
      const into = merged('config', 'pki');
      const entry = c.entry
        .filter((k) => !/-(pki|cilium)$/.test(k.metadata.name))
        .map((k) =>
          k.metadata.name === 'meshfleet-config'
            ? { ...k, spec: { ...k.spec, dependsOn: [{ name: 'meshfleet-infrastructure' }] } }
            : k,
        );
      return {
        ...c,
        entry,
        folder: (path: string) =>
          path.endsWith('/infrastructure') ? merged('infrastructure', 'cilium')(path) : into(path),
      };
    }
    const wave = (o: Obj, w: number) => ({
      ...o,
      metadata: {
        ...o.metadata,
        annotations: { ...o.metadata.annotations, 'argocd.argoproj.io/sync-wave': String(w) },
      },
    });
    const entry = c.entry
      .filter((a) => !a.metadata.name.endsWith('-pki'))
      .map((a) =>
        a.metadata.name.endsWith('-cilium') ? wave(a, 1) : a.metadata.name.endsWith('-config') ? wave(a, 2) : a,
      );
    return { ...c, entry, folder: merged('config', 'pki') };
  });
}

for (const name of ['example ipv4, per-cluster CA, flux', 'example ipv4, shared CA, argocd']) {
  test(`${name}: laid out as before, the walk finds Cilium's Certificates waiting on an Issuer applied after Cilium`, async () => {
    if (!haveHelm(name)) return;
    const clusters = await clustersOf(name);
    assert.ok(clusters, 'this fleet renders');
    const walk = walkFleet(asBefore(clusters!), name.endsWith('flux') ? 'flux' : 'argocd');
    const stuck = walk.deadlocks.find((d) =>
      d.startsWith('data-bolt/Certificate/kube-system/clustermesh-apiserver-server-cert'),
    );
    assert.ok(stuck, walk.deadlocks.join('\n'));
    assert.match(
      stuck!,
      /waits on issuer:data-bolt\/\/kube-system\/[a-z-]+, made in data-bolt\/[a-z-]+config, which is never applied/,
    );
  });
}

test("a PushSecret moved before Cilium would wait on the Secret of the chart's Certificate: the walk says so", async () => {
  const name = 'example ipv4, per-cluster CA, flux';
  if (!haveHelm(name)) return;
  const clusters = (await clustersOf(name))!.map((c): ClusterInput => ({
    ...c,
    folder: (path) => {
      const push = (p: string) => c.folder(p).filter((o) => o.kind === 'PushSecret');
      if (path.endsWith('/pki')) return [...c.folder(path), ...push(path.replace(/pki$/, 'config'))];
      return path.endsWith('/config') ? c.folder(path).filter((o) => o.kind !== 'PushSecret') : c.folder(path);
    },
  }));
  const walk = walkFleet(clusters, 'flux');
  const stuck = walk.deadlocks.find((d) => d.startsWith('data-bolt/PushSecret/'));
  assert.match(
    stuck ?? walk.deadlocks.join('\n'),
    /waits on secret:data-bolt\/\/kube-system\/clustermesh-apiserver-remote-cert, made in data-bolt\/helmrelease\/cilium, which is never applied/,
  );
});

test('the walk covered fleets of both engines and both TLS modes', () => {
  if (!haveHelm('convergence')) return;
  assert.ok(walked >= 4, `only ${walked} fleets walked`);
});

test.run();
