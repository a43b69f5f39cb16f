// The manifest emitter writes large collections entry by entry and reuses each distinct entry's text across
// clusters. These tests hold its output to exactly what one js-yaml dump writes, and its secret findings to exactly
// what a plain scan finds, on arbitrary data: the byte-identical output of a full-mesh render rests on them.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManifestEmitter, toYaml } from '../src/synth/emit.ts';
import { findSecrets } from '../src/validate/secrets.ts';

// Strings that stress YAML quoting and block scalars: line breaks, leading spaces, `: `, `- `, `#`, quotes, tokens
// js-yaml would read as other types, and PEM-like text the secret scan must find.
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'ab :-#"\'\n\t{}[],|>*&!%@`0.'.split('')), maxLength: 12 }),
  fc.constantFrom('', 'true', 'null', '0', '-0', '1e3', '0x1F', '~', ' lead', 'trail ', 'a\n\nb\n', '\n', 'x\n  y',
    '-----BEGIN RSA PRIVATE KEY-----', 'meshfleet-splice-0-', 'meshfleet-splice-1', 'password'),
);
const key = fc.oneof(text.filter((s) => s.length > 0), fc.constantFrom('password', 'data', 'stringData', 'items'));
const leaf = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('map')),
  array: fc.array(tie('node'), { maxLength: 6 }),
  map: fc.dictionary(key, tie('node'), { maxKeys: 6 }),
})).map;

// A manifest-like object with a few collections large enough to be cut, drawn from a small pool of entries so that
// entries repeat (as peers repeat across a mesh's clusters).
const manifest = fc.tuple(tree, fc.array(fc.tuple(key, tree), { minLength: 1, maxLength: 4 }), fc.array(tree, { minLength: 1, maxLength: 4 }), fc.nat(8))
  .map(([base, pool, items, n]) => ({
    ...base,
    spec: {
      data: Array.from({ length: n + 2 }, (_, i) => items[i % items.length]),
      template: { data: Object.fromEntries(pool.map(([k, v], i) => [`${k}${i}`, v])), nested: [{ more: Object.fromEntries(pool) }] },
    },
  }));

test('text is byte-identical to one js-yaml dump after the prefix, however collections are cut', () => {
  const prefix = fc.constantFrom('', '# Generated\n');
  fc.assert(fc.property(fc.array(fc.tuple(manifest, prefix), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4 }), (objects, minEntries) => {
    const emitter = new ManifestEmitter(minEntries); // shared, as across the clusters of one render
    for (const [object, before] of objects) assert.is(emitter.emit(object, before).text, before + toYaml(object));
  }), { numRuns: 400 });
});

test('secret findings are the plain scan\'s, located at the same fields', () => {
  const sorted = (fs: readonly { path: readonly (string | number)[]; kind: string }[]) => fs.map((f) => `${JSON.stringify(f.path)} ${f.kind}`).sort();
  fc.assert(fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4 }), (objects, minEntries) => {
    const emitter = new ManifestEmitter(minEntries);
    for (const object of objects) assert.equal(sorted(emitter.emit(object).findings), sorted(findSecrets(object)));
  }), { numRuns: 400 });
});

test('numbers JSON cannot tell apart are still written apart', () => {
  const emitter = new ManifestEmitter(1);
  for (const value of [0, -0, Number.NaN, null, Infinity, -Infinity]) {
    const object = { spec: { values: [value, value] } };
    assert.is(emitter.emit(object).text, toYaml(object), String(value));
  }
});

test('an entry reused at another depth is indented for that depth', () => {
  const emitter = new ManifestEmitter(2);
  const peers = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`peer-${i}`, `endpoint: https://peer-${i}.mesh:2379\n`]));
  const first = emitter.emit({ a: { data: peers } }).text;
  const second = emitter.emit({ b: { c: { data: peers } } }).text;
  assert.is(first, toYaml({ a: { data: peers } }));
  assert.is(second, toYaml({ b: { c: { data: peers } } }));
});

test.run();
