// Who is connected to whom (src/model/connections.ts), the wiring every peer list, secret and graph comes from.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { meshLinks, meshPeers, type MeshShape } from '../src/model/connections.ts';

const asObject = (links: ReadonlyMap<string, ReadonlySet<string>>) =>
  Object.fromEntries([...links].map(([k, v]) => [k, [...v].sort()]));

test('a full mesh links every cluster to every other, exactly as if each listed all the others in connectsTo', () => {
  const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/), { minLength: 1, maxLength: 40 });
  fc.assert(
    fc.property(names, (list) => {
      const clusters = list.map((name, i) => ({
        name,
        role: (i === 0 ? 'storage' : 'application') as 'storage' | 'application',
      }));
      const fullMesh: MeshShape = { topology: 'full-mesh', clusters };
      const spelledOut: MeshShape = {
        topology: 'full-mesh',
        clusters: clusters.map((c) => ({ ...c, connectsTo: list })),
      };
      assert.equal(asObject(meshLinks(fullMesh)), asObject(meshLinks(spelledOut)));
    }),
    { numRuns: 300 },
  );
});

test("a full mesh's peer lists are every other cluster in name order, as if each listed all the others", () => {
  const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/), { minLength: 1, maxLength: 80 });
  fc.assert(
    fc.property(names, (list) => {
      const clusters = list.map((name) => ({ name, role: 'application' as const }));
      const spelledOut: MeshShape = {
        topology: 'full-mesh',
        clusters: clusters.map((c) => ({ ...c, connectsTo: list })),
      };
      const peers = meshPeers({ topology: 'full-mesh', clusters });
      assert.equal([...peers.keys()], list);
      for (const [name, listed] of meshPeers(spelledOut)) assert.equal([...peers.get(name)!], [...listed]);
    }),
    { numRuns: 200 },
  );
});

test("connections are two-way: a spoke that dials the hub is the hub's peer too", () => {
  const shape: MeshShape = {
    topology: 'hub-and-spoke',
    clusters: [
      { name: 'hub', role: 'storage' },
      { name: 'a', role: 'application', connectsTo: ['hub'] },
      { name: 'b', role: 'application', connectsTo: ['hub', 'a'] },
    ],
  };
  assert.equal(Object.fromEntries(meshPeers(shape)), { hub: ['a', 'b'], a: ['b', 'hub'], b: ['a', 'hub'] });
});

test.run();
