// Shared values and lists (src/sharing): a mesh's peer lists are made of shared groups that many clusters' lists hold
// by identity, so that the plan, the render cache and the emitter work once per group. To every other reader they
// must be plain frozen lists and objects.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { meshPeers } from '../src/model/connections.ts';
import {
  GROUP_SIZE,
  isShared,
  MIN_SHARED_SUBSET,
  share,
  shareEach,
  sharedGroups,
  sharedList,
  sharedSubsets,
  type SharedGroup,
} from '../src/sharing/index.ts';

const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,5}$/), { maxLength: 120 }).map((n) => n.sort());

test('sharing a value freezes it deep and marks it; freezing alone does not', () => {
  const inner = { port: 2379 };
  const value = share({ name: 'a', inner, list: [inner] });
  assert.ok(isShared(value) && isShared(inner) && isShared(value.list));
  assert.ok(Object.isFrozen(value) && Object.isFrozen(inner) && Object.isFrozen(value.list));
  assert.throws(() => {
    'use strict';
    (inner as { port: number }).port = 1;
  });
  assert.not.ok(isShared(Object.freeze({ name: 'b' })), 'a frozen value is not shared');
  assert.not.ok(isShared('a'));
});

test("a shared list reads as the frozen list of its groups' items, and keeps its groups", () => {
  const a = ['x', 'y'];
  const b = ['z'];
  const list = sharedList([a, [], b]);
  assert.equal([...list], ['x', 'y', 'z']);
  assert.ok(Object.isFrozen(list));
  assert.is(JSON.stringify(list), '["x","y","z"]');
  const groups = sharedGroups(list)!;
  assert.is(groups.length, 2, 'empty groups are dropped');
  assert.is(groups[0], a, 'groups are kept by identity, not copied');
  assert.ok(isShared(a));
  assert.is(sharedGroups(['x', 'y', 'z']), undefined);
});

test("subsets hold exactly the kept items in the universe's order, and share the groups both keep whole", () => {
  fc.assert(
    fc.property(names, fc.func(fc.boolean()), fc.func(fc.boolean()), (universe, pickA, pickB) => {
      const subsetOf = sharedSubsets(universe);
      const [a, b] = [subsetOf((n) => pickA(n)), subsetOf((n) => pickB(n))];
      assert.equal(
        [...a],
        universe.filter((n) => pickA(n)),
      );
      assert.is(sharedGroups(a) !== undefined, a.length >= MIN_SHARED_SUBSET, 'a subset is shared when it is large');
      if (!sharedGroups(a) || !sharedGroups(b)) return;
      const groupsB = new Set(sharedGroups(b));
      for (let i = 0; i < universe.length; i += GROUP_SIZE) {
        const group = universe.slice(i, i + GROUP_SIZE);
        const whole = sharedGroups(a)!.find((g) => g.length === group.length && g.every((n, j) => n === group[j]));
        if (whole && group.every((n) => pickB(n)))
          assert.ok(groupsB.has(whole), 'a group both keep whole is one object');
      }
    }),
    { numRuns: 300 },
  );
});

test('shareEach maps as map does, makes shared results, and maps each shared group once', () => {
  fc.assert(
    fc.property(names, fc.func(fc.boolean()), (universe, pick) => {
      const subsetOf = sharedSubsets(universe);
      const lists = [subsetOf(() => true), subsetOf((n) => pick(n))];
      let calls = 0;
      const entry = shareEach((n: string) => (calls++, [n, n.toUpperCase()] as const));
      for (const list of lists) {
        const mapped = entry.list(list);
        assert.equal(
          mapped.map((e) => [...e]),
          list.map((n) => [n, n.toUpperCase()]),
        );
        assert.ok(mapped.every((e) => isShared(e)));
        assert.equal({ ...entry.mapping(list) }, Object.fromEntries(list.map((n) => [n, n.toUpperCase()])));
      }
      // A group both lists hold was mapped once; lists of plain arrays are mapped item by item.
      const groups = new Set(lists.flatMap((l) => sharedGroups(l) ?? []));
      const plainItems = lists.filter((l) => !sharedGroups(l)).reduce((sum, l) => sum + l.length, 0);
      assert.is(calls, [...groups].reduce((sum, g: SharedGroup<string>) => sum + g.length, 0) + plainItems * 2);
    }),
    { numRuns: 200 },
  );
});

test('shareEach makes one result per item object, however many lists hold it', () => {
  const items = [{ n: 1 }, { n: 2 }];
  const double = shareEach((item: { n: number }) => ({ n: item.n * 2 }));
  assert.is(double(items[0]), double(items[0]));
  assert.is(double.list(items)[1], double(items[1]));
});

test("in a full mesh, two clusters' peer lists share every group but the ones holding either cluster", () => {
  const clusters = Array.from({ length: 100 }, (_, i) => ({
    name: `c-${String(i).padStart(3, '0')}`,
    role: 'application' as const,
  }));
  const peers = meshPeers({ topology: 'full-mesh', clusters });
  const [a, b] = [peers.get('c-000')!, peers.get('c-099')!];
  const shared = sharedGroups(a)!.filter((g) => sharedGroups(b)!.includes(g));
  assert.is(shared.length, Math.ceil(100 / GROUP_SIZE) - 2);
  assert.equal(
    [...a],
    clusters.map((c) => c.name).filter((n) => n !== 'c-000'),
  );
});

test.run();
