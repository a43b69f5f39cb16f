// Grouped lists (src/model/grouped-list.ts): a mesh's peer lists are made of blocks shared among clusters, so that
// the plan, the render cache and the emitter work once per block. To every other reader they must be plain lists.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { meshPeers } from '../src/model/connections.ts';
import { blocksOf, GROUP_SIZE, groupedList, groupFlatMapper, groupMapper, keptOf, listGroups } from '../src/model/grouped-list.ts';

const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,5}$/), { maxLength: 60 }).map((n) => n.sort());

test('a grouped list reads as the frozen list of its groups\' items, and keeps its groups', () => {
  const a = ['x', 'y'];
  const b = ['z'];
  const list = groupedList([a, [], b]);
  assert.equal([...list], ['x', 'y', 'z']);
  assert.ok(Object.isFrozen(list));
  assert.is(JSON.stringify(list), '["x","y","z"]');
  const groups = listGroups(list)!;
  assert.is(groups.length, 2, 'empty groups are dropped');
  assert.is(groups[0], a, 'groups are kept by identity, not copied');
  assert.ok(Object.isFrozen(a));
  assert.is(listGroups(['x', 'y', 'z']), undefined);
});

test('keptOf holds exactly the kept items in the universe\'s order, sharing the blocks kept whole', () => {
  fc.assert(fc.property(names, fc.func(fc.boolean()), fc.func(fc.boolean()), (universe, pickA, pickB) => {
    const blocks = blocksOf(universe);
    const a = new Set(universe.filter((n) => pickA(n)));
    const b = new Set(universe.filter((n) => pickB(n)));
    const listA = keptOf(blocks, a);
    assert.equal([...listA], universe.filter((n) => a.has(n)));
    const groupsB = new Set(listGroups(keptOf(blocks, b)));
    for (const block of blocks) {
      const whole = block.every((n) => a.has(n) && b.has(n));
      if (whole) assert.ok(listGroups(listA)!.includes(block) && groupsB.has(block), 'a block both keep whole is one object');
    }
  }), { numRuns: 300 });
});

test('mapping a grouped list equals mapping its items, and maps each shared group once', () => {
  fc.assert(fc.property(names, fc.func(fc.boolean()), (universe, pick) => {
    const blocks = blocksOf(universe);
    const lists = [keptOf(blocks, new Set(universe)), keptOf(blocks, new Set(universe.filter((n) => pick(n))))];
    let calls = 0;
    const upper = groupMapper((n: string) => (calls++, n.toUpperCase()));
    const twice = groupFlatMapper((n: string) => [n, `${n}.key`]);
    for (const list of lists) {
      assert.equal([...upper(list)], list.map((n) => n.toUpperCase()));
      assert.equal([...twice(list)], list.flatMap((n) => [n, `${n}.key`]));
    }
    // Items of blocks the second list holds whole were mapped for the first list already.
    const distinctGroups = new Set(lists.flatMap((l) => listGroups(l)!));
    assert.is(calls, [...distinctGroups].reduce((sum, g) => sum + g.length, 0));
  }), { numRuns: 200 });
  const plain = ['a', 'b'];
  assert.is(listGroups(groupMapper((n: string) => n)(plain)), undefined, 'an ungrouped list maps to an ungrouped list');
});

test('in a full mesh, two clusters\' peer lists share every block but the ones holding either cluster', () => {
  const clusters = Array.from({ length: 100 }, (_, i) => ({ name: `c-${String(i).padStart(3, '0')}`, role: 'application' as const }));
  const peers = meshPeers({ topology: 'full-mesh', clusters });
  const [a, b] = [peers.get('c-000')!, peers.get('c-099')!];
  const shared = listGroups(a)!.filter((g) => listGroups(b)!.includes(g));
  assert.is(shared.length, Math.ceil(100 / GROUP_SIZE) - 2);
  assert.equal([...a], clusters.map((c) => c.name).filter((n) => n !== 'c-000'));
});

test.run();
