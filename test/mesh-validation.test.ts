// validate refuses fleets whose mesh cannot come up, located at the field that makes it so (issue 19, part D).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EXAMPLE, MINIMAL, run, workspace } from './support/cli.ts';

/** Validates `text`; returns exit code and the diagnostic lines (the trailing count line dropped). */
async function validate(text: string, ...flags: string[]): Promise<{ code: number; lines: string[]; summary: string }> {
  const result = await run(workspace(text), 'validate', ...flags);
  return { code: result.code, lines: result.err.slice(0, -1), summary: result.err[result.err.length - 1] ?? '' };
}

const withoutPods = MINIMAL.replace('    podCIDRs: [10.1.0.0/16]\n', '').replace('    podCIDRs: [10.2.0.0/16]\n', '');

test('cni native without podCIDRs is refused at each connected cluster: all would share the default pool', async () => {
  const { code, lines } = await validate(withoutPods);
  assert.is(code, 1);
  assert.equal(lines, [
    'fleet.yaml:7:5: clusters[0] "store" has cni native and no podCIDRs: it would take the Cilium chart\'s default pool (IPv4 10.0.0.0/8), as would every other cluster, and pod addresses would overlap across the mesh; give it podCIDRs that no other cluster uses (IPv4, for ipFamily ipv4, the default)',
    'fleet.yaml:12:5: clusters[1] "app" has cni native and no podCIDRs: it would take the Cilium chart\'s default pool (IPv4 10.0.0.0/8), as would every other cluster, and pod addresses would overlap across the mesh; give it podCIDRs that no other cluster uses (IPv4, for ipFamily ipv4, the default)',
  ]);
  // Pools given in the Cilium values, another IPAM mode, or a cluster with no peer need no podCIDRs.
  const ownPool = withoutPods
    .replace(
      '    environment: prod\n',
      '    environment: prod\n    cilium:\n      values: {ipam: {operator: {clusterPoolIPv4PodCIDRList: [10.1.0.0/16]}}}\n',
    )
    .replace(
      '    environment: batch\n',
      '    environment: batch\n    cilium:\n      values: {ipam: {mode: kubernetes}}\n',
    );
  assert.is((await validate(ownPool)).code, 0);
  const alone = withoutPods
    .replace('    environment: batch\n', '    environment: batch\n    connectsTo: []\n')
    .replace('role: storage', 'role: application');
  assert.is((await validate(alone)).code, 0);
});

test('ipFamily dual with IPv4-only podCIDRs is refused: every cluster would be on the default IPv6 pool', async () => {
  const text = MINIMAL.replace('fleet: test\n', 'fleet: test\ncilium:\n  ipFamily: dual\n').replace(
    '[10.2.0.0/16]',
    '[10.2.0.0/16, fd00:2::/64]',
  );
  const { code, lines } = await validate(text);
  assert.is(code, 1);
  assert.equal(lines, [
    'fleet.yaml:14:15: clusters[0] (store).podCIDRs has no IPv6 range, which ipFamily dual from cilium.ipFamily needs: "store" would take the Cilium chart\'s default pool (IPv6 fd00::/104), as would every other cluster; add one that no other cluster uses',
  ]);
});

test('cni aws-cni with ipFamily dual is refused: an EKS cluster is IPv4 or IPv6', async () => {
  const fleetWide = await validate(EXAMPLE.replace('ipFamily: ipv6', 'ipFamily: dual'));
  assert.is(fleetWide.code, 1);
  // One problem at the fleet's field, not one per cluster.
  assert.equal(fleetWide.lines, [
    'fleet.yaml:10:13: cilium.ipFamily dual cannot work with cni aws-cni: an EKS cluster is IPv4 or IPv6, not dual stack (the AWS VPC CNI gives pods addresses of one family); use ipv4 or ipv6',
  ]);
  const override = await validate(
    EXAMPLE.replace('    environment: batch-1\n', '    environment: batch-1\n    cilium:\n      ipFamily: dual\n'),
  );
  assert.equal(override.lines, [
    'fleet.yaml:52:17: clusters[4] (spark-batch-1).cilium.ipFamily dual cannot work with cni aws-cni: an EKS cluster is IPv4 or IPv6, not dual stack (the AWS VPC CNI gives pods addresses of one family); use ipv4 or ipv6',
  ]);
});

test('version skew is computed on effective versions of connected clusters: two minors behind an inherited version is refused', async () => {
  const text = EXAMPLE.replace('version: 1.19.6', 'version: 1.20.0').replace(
    '    environment: batch-1\n',
    '    environment: batch-1\n    cilium:\n      version: 1.18.12\n',
  );
  const { code, lines } = await validate(text);
  assert.is(code, 1);
  assert.equal(lines, [
    'fleet.yaml:52:16: clusters[4] (spark-batch-1).cilium.version 1.18.12 is more than one minor version from its peer data-bolt (1.20.0 from cilium.version); Cluster Mesh needs the Cilium minor versions of connected clusters within one of each other: upgrade one minor version at a time',
  ]);
  // One minor apart is supported.
  assert.is((await validate(text.replace('version: 1.18.12', 'version: 1.19.6'))).code, 0);

  // Only connected clusters count: spark-batch-1 dials only spark-streaming-1, which is on 1.19 like it: nothing it talks to is two minors away.
  const apart = EXAMPLE.replace('version: 1.19.6', 'version: 1.20.0')
    .replace(
      '    environment: batch-1\n',
      '    environment: batch-1\n    connectsTo: [spark-streaming-1]\n    cilium:\n      version: 1.18.12\n',
    )
    .replace('    environment: streaming-1\n', '    environment: streaming-1\n    cilium:\n      version: 1.19.6\n')
    .replace('clusters: [spark-batch-1, ', 'clusters: ['); // no longer a consumer of s3-internal: out of its access list
  const separate = await validate(apart);
  assert.is(separate.code, 0, separate.lines.join('\n'));
});

test('kvstoremesh false on a version whose chart deprecates it is a warning: exit 0, refused with --strict', async () => {
  const text = EXAMPLE.replace('  ipFamily: ipv6', '  ipFamily: ipv6\n  kvstoremesh: false');
  const warning =
    'fleet.yaml:11:16: warning: cilium.kvstoremesh false is deprecated in Cilium 1.19.6: KVStoreMesh will always be enabled once the option is removed (Cilium chart values.yaml); plan for KVStoreMesh on';
  const result = await run(workspace(text), 'validate');
  assert.is(result.code, 0);
  assert.equal(result.err, [warning, '1 warning in fleet.yaml']);
  assert.equal(result.out, ['fleet.yaml: valid: 8 clusters (1 storage, 7 application), 7 mesh connections']);

  const strict = await run(workspace(text), 'validate', '--strict');
  assert.is(strict.code, 1);
  assert.equal(strict.err, [warning.replace('warning: ', ''), '1 problem in fleet.yaml']);
  assert.equal(strict.out, []);

  const github = await run(workspace(text), 'validate', '--format', 'github');
  assert.is(github.code, 0);
  assert.match(github.out[0], /^::warning file=fleet\.yaml,line=11,col=16::cilium\.kvstoremesh false is deprecated/);
});

test('render prints warnings and renders; render --strict refuses and writes nothing', async () => {
  const text = EXAMPLE.replace('  ipFamily: ipv6', '  ipFamily: ipv6\n  kvstoremesh: false');
  const dir = workspace(text);
  const rendered = await run(dir, 'render');
  assert.is(rendered.code, 0, rendered.err.join('\n'));
  assert.match(rendered.err[0], /^fleet\.yaml:11:16: warning: cilium\.kvstoremesh false is deprecated/);
  assert.ok(existsSync(join(dir, 'dist', 'data-bolt')));
  // Again, with the render cache in place: the warning is printed every time, not only on the first render.
  const again = await run(dir, 'render');
  assert.is(again.code, 0);
  assert.match(again.err[0] ?? '', /warning: cilium\.kvstoremesh false/);

  const strictDir = workspace(text);
  const strict = await run(strictDir, 'render', '--strict');
  assert.is(strict.code, 1);
  assert.equal(strict.err.slice(-1), ['1 problem in fleet.yaml']);
  assert.not.ok(existsSync(join(strictDir, 'dist')));
});

test('an error and a warning print together in position order, the count naming both', async () => {
  const text = EXAMPLE.replace('  ipFamily: ipv6', '  ipFamily: dual\n  kvstoremesh: false');
  const result = await run(workspace(text), 'validate');
  assert.is(result.code, 1);
  assert.is(result.err.length, 3);
  assert.match(result.err[0], /^fleet\.yaml:10:13: cilium\.ipFamily dual cannot work/);
  assert.match(result.err[1], /^fleet\.yaml:11:16: warning: /);
  assert.is(result.err[2], '1 problem and 1 warning in fleet.yaml');
});

test.run();
