// The render cache reuses a cluster's output when its plan's key is unchanged (src/write/render-cache.ts): two plans
// with the same text must be the same plan, a plan must have one text however often it is written, and only what is
// shared (src/sharing), never what is merely frozen, is written as a digest.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isDeepStrictEqual } from 'node:util';
import { planText, share, sharedList } from '../src/sharing/index.ts';

const leaf = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    1,
    NaN,
    Infinity,
    -Infinity,
    1e21,
    '',
    '0',
    'null',
    'NaN',
    '-0',
    'undefined',
  ),
  fc.string({ maxLength: 4 }),
  fc.double(),
);
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(fc.oneof(tie('any'), fc.constant(undefined)), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom('a', 'b', '__proto__', '"', ''), fc.oneof(tie('any'), fc.constant(undefined)), {
    maxKeys: 4,
  }),
})).any;

/** value without its undefined fields, as the text leaves them out (undefined array items stay). */
function withoutUndefinedFields(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(withoutUndefinedFields);
  const copy: Record<string, unknown> = Object.create(null);
  for (const [k, item] of Object.entries(v)) if (item !== undefined) copy[k] = withoutUndefinedFields(item);
  return copy;
}

/** A copy, shared (as the planner shares what many clusters' plans hold), or not. */
function copy(v: unknown, shared: boolean): unknown {
  if (v === null || typeof v !== 'object') return v;
  const c: unknown = Array.isArray(v)
    ? v.map((x) => copy(x, false))
    : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x, false)]));
  return shared ? share(c) : c;
}

/** A copy with every object frozen, and none shared. */
function frozenCopy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  return Object.freeze(
    Array.isArray(v) ? v.map(frozenCopy) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, frozenCopy(x)])),
  );
}

test('the same plan has one text, however often it is written and whatever objects it shares', () => {
  fc.assert(
    fc.property(value, (v) => {
      const text = planText(copy(v, true));
      assert.is(planText(copy(v, true)), text);
      const shared = copy(v, true);
      assert.is(planText([shared, shared]), `[${text},${text}]`);
      assert.is(planText(copy(v, false)), planText(copy(v, false)));
    }),
    { numRuns: 2000 },
  );
});

test('freezing a plan does not change its text', () => {
  fc.assert(
    fc.property(value, (v) => {
      assert.is(planText(frozenCopy(v)), planText(copy(v, false)));
    }),
    { numRuns: 2000 },
  );
});

test('different plans have different texts (NaN, -0 and undefined items included, which JSON confuses)', () => {
  fc.assert(
    fc.property(value, value, fc.boolean(), fc.boolean(), (a, b, shareA, shareB) => {
      // One way only: plans equal but for the order of their keys, or shared in one and not the other, may have two
      // texts (a cache miss, never a wrong hit).
      if (planText(copy(a, shareA)) === planText(copy(b, shareB))) {
        assert.ok(
          isDeepStrictEqual(withoutUndefinedFields(a), withoutUndefinedFields(b)),
          `${planText(a)} / ${planText(b)}`,
        );
      }
    }),
    { numRuns: 5000 },
  );
  assert.is.not(planText({ n: NaN }), planText({ n: null }));
  assert.is.not(planText([-0]), planText([0]));
  assert.is.not(planText([undefined]), planText([null]));
});

test('a frozen object that was not shared is written anew each time', () => {
  const inner = { port: 2379 };
  const peer = Object.freeze({ name: 'a', inner });
  const before = planText({ peers: [peer] });
  inner.port = 2380;
  assert.is.not(planText({ peers: [peer] }), before);
});

test("a shared list (a mesh's peers) has one text, and another list of other items has another", () => {
  const item = fc.oneof(leaf, fc.constant(undefined));
  const groups = fc.array(fc.array(item, { minLength: 1, maxLength: 3 }), { maxLength: 4 });
  fc.assert(
    fc.property(groups, groups, (a, b) => {
      const textA = planText({ peers: sharedList(a.map((g) => [...g])) });
      assert.is(planText({ peers: sharedList(a.map((g) => [...g])) }), textA);
      if (textA === planText({ peers: sharedList(b.map((g) => [...g])) }))
        assert.ok(isDeepStrictEqual(a.flat(), b.flat()));
    }),
    { numRuns: 2000 },
  );
});

test.run();
