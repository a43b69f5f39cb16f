// Where a render writes each object (src/synth/layout.ts): a file per object, except a cluster's per-peer objects,
// which are the documents of one file per kind, so that a mesh of hundreds of clusters does not write hundreds of
// files per cluster, while each peer keeps an object of its own.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { fleetYaml, type FleetCase } from '../scripts/bench/fleets.ts';
import { compileFleet } from '../src/compile.ts';
import { planFleet } from '../src/plan/plan.ts';
import { layerFiles } from '../src/synth/layout.ts';
import { FleetSynthesizer, type ClusterOutput } from '../src/synth/synth.ts';

function render(
  c: FleetCase,
  edit = (text: string) => text,
): { outputs: ClusterOutput[]; peers: Map<string, string[]> } {
  const { fleet, diagnostics } = compileFleet('fleet.yaml', new TextEncoder().encode(edit(fleetYaml(c))));
  assert.ok(fleet, diagnostics.map((d) => d.message).join('; '));
  const plans = planFleet(fleet!).clusters;
  const synthesizer = new FleetSynthesizer();
  return {
    outputs: plans.map((p) => synthesizer.cluster(p)),
    peers: new Map(plans.map((p) => [p.name, p.peers.map((peer) => peer.name)])),
  };
}

type Obj = { kind: string; metadata: { name: string } };
const documents = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Obj);
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

for (const [kvstoremesh, secret] of [
  [true, 'cilium-kvstoremesh'],
  [false, 'cilium-clustermesh'],
] as const) {
  test(`per-cluster CA, KVStoreMesh ${kvstoremesh ? 'on' : 'off'}: a cluster's peer ExternalSecrets are the documents of one file, in peer order`, () => {
    const { outputs, peers } = render({ shape: 'hub-and-spoke', tls: 'per-cluster-ca', size: 70 }, (t) =>
      kvstoremesh ? t : t.replace('cilium:\n', 'cilium:\n  kvstoremesh: false\n'),
    );
    const file = `config/externalsecrets-${secret}-peers.yaml`;
    for (const output of outputs) {
      const text = output.dist.get(file);
      assert.ok(text, `${output.cluster}: no ${file} among ${[...output.dist.keys()].join(', ')}`);
      const objects = documents(text!);
      assert.equal(
        objects.map((o) => o.kind),
        objects.map(() => 'ExternalSecret'),
        output.cluster,
      );
      assert.equal(
        objects.map((o) => o.metadata.name),
        [...peers.get(output.cluster)!].sort(byteOrder).map((p) => `${secret}-${p}`),
        output.cluster,
      );
      const elsewhere = [...output.dist]
        .filter(([path]) => path !== file)
        .flatMap(([path, t]) =>
          documents(t)
            .filter((o) => o?.metadata?.name.startsWith(`${secret}-`))
            .map(() => path),
        );
      assert.equal(elsewhere, [], `${output.cluster}: a peer's ExternalSecret outside ${file}`);
      assert.ok(
        parse(output.dist.get('config/kustomization.yaml')!).resources.includes(file.slice('config/'.length)),
        output.cluster,
      );
    }
  });
}

test('the number of files a full-mesh cluster writes does not grow with its peers', () => {
  const filesOf = (size: number) =>
    new Map(render({ shape: 'full-mesh', tls: 'per-cluster-ca', size }).outputs.map((o) => [o.cluster, o.dist.size]));
  const small = filesOf(4);
  const large = filesOf(12);
  for (const [cluster, count] of small) assert.is(large.get(cluster), count, cluster);
});

test('shared CA: no cluster has per-peer objects, so no file of peers', () => {
  for (const output of render({ shape: 'full-mesh', tls: 'shared-ca', size: 4 }).outputs) {
    assert.equal(
      [...output.dist.keys()].filter((path) => path.endsWith('-peers.yaml')),
      [],
      output.cluster,
    );
  }
});

test("a peer's object not named after its peer is refused: its file would be named after the wrong thing", () => {
  const written = {
    manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } },
    emitted: { text: 'x', findings: [] },
    peer: 'east',
  };
  assert.throws(
    () => layerFiles('west', [written], 'dist/west/config', []),
    /ConfigMap settings is peer east's, but is not named <base>-east/,
  );
});

test("what looks like a secret in a peer's document is located by file and object", () => {
  const findings: string[] = [];
  const emitted = { text: 'x', findings: [{ path: ['spec', 'token'], kind: 'a Vault token' }] };
  layerFiles(
    'west',
    [{ manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings-east' } }, emitted, peer: 'east' }],
    'dist/west/config',
    findings,
  );
  assert.equal(findings, [
    'dist/west/config/configmaps-settings-peers.yaml: ConfigMap settings-east: spec.token holds a Vault token',
  ]);
});

test.run();
