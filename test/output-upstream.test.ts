import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { LAYERS } from '../charts/layers.ts';
import { validateCiliumValues } from '../src/validate/cilium-schema.ts';
import { EXAMPLE, REPO, run, workspace } from './support/cli.ts';
import { clusterObjects, find } from './support/output.ts';
import { ciliumValuesKeysUnknown, validateManifestsInDir } from './support/upstream.ts';

/** With cni native each cluster needs pools of its own: IPv4 and IPv6 ranges numbered by cluster ID. */
const withPodCidrs = (text: string) =>
  text.replace(/( {4}id: (\d+)\n)/g, (_, line, id) => `${line}    podCIDRs: [10.${id}.0.0/16, fd00:${id}::/64]\n`);

/** The example, and variants that exercise other branches of the output, each rendered once. */
const VARIANTS: Record<string, string> = {
  example: EXAMPLE,
  'cilium 1.18 native ipv4': withPodCidrs(
    EXAMPLE.replace('version: 1.19.6', 'version: 1.18.12')
      .replace('cni: aws-cni', 'cni: native')
      .replace('ipFamily: ipv6', 'ipFamily: ipv4'),
  ),
  // An EKS cluster is IPv4 or IPv6: dual stack is Cilium's own IPAM.
  'cilium 1.20 native dual-stack, own repository': withPodCidrs(
    EXAMPLE.replace('version: 1.19.6', 'version: 1.20.0')
      .replace('cni: aws-cni', 'cni: native')
      .replace('ipFamily: ipv6', 'ipFamily: dual')
      .replace('vault:', 'gitops:\n  repository: https://github.com/example/fleet.git\n\nvault:'),
  ),
};
const renders = new Map<string, string>();
async function render(name: string): Promise<string> {
  if (!renders.has(name)) {
    const dir = workspace(VARIANTS[name]);
    const result = await run(dir, 'render');
    assert.is(result.code, 0, result.err.join('\n'));
    renders.set(name, dir);
  }
  return renders.get(name)!;
}

for (const name of Object.keys(VARIANTS)) {
  test(`${name}: every rendered object validates against its upstream schema`, async () => {
    const dir = await render(name);
    for (const root of ['dist', 'clusters']) {
      const results = validateManifestsInDir(join(dir, root));
      assert.ok(results.length > 0, `no manifests under ${root}`);
      const bad = results.filter((r) => r.errors.length > 0).map((r) => `${r.file}: ${r.errors.join('; ')}`);
      assert.equal(bad, [], bad.join('\n'));
    }
  });

  test(`${name}: Cilium values pass the chart's values schema and use only keys the chart has`, async () => {
    const dir = await render(name);
    const version = parse(VARIANTS[name]).cilium.version;
    for (const cluster of readdirSync(join(dir, 'dist'))) {
      const release = find(clusterObjects(join(dir, 'dist'), cluster), 'HelmRelease', 'cilium');
      assert.is(release.spec.chart.spec.version, version);
      assert.equal(validateCiliumValues(version, release.spec.values), [], cluster);
      assert.equal(ciliumValuesKeysUnknown(version, release.spec.values), [], cluster);
    }
  });
}

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
test('kubectl kustomize builds every cluster folder and each layer', async () => {
  if (!kubectl) {
    console.log('  (skipped: kubectl is not on the PATH)');
    return;
  }
  const dir = await render('example');
  for (const cluster of readdirSync(join(dir, 'dist'))) {
    const built = execFileSync('kubectl', ['kustomize', join(dir, 'dist', cluster)], { encoding: 'utf8' });
    assert.match(built, /kind: HelmRelease/, cluster);
    for (const layer of LAYERS)
      execFileSync('kubectl', ['kustomize', join(dir, 'dist', cluster, layer)], { encoding: 'utf8' });
  }
});

test('the committed dist/ and clusters/ are what fleet.yaml renders', async () => {
  const result = await run(REPO, 'render', '--check');
  assert.is(result.code, 0, `${result.err.join('\n')}\nrun \`npm start\` and commit dist/ and clusters/`);
});

test.run();
