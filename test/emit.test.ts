// The manifest emitter writes large collections entry by entry and reuses each distinct entry's text across
// clusters. These tests hold its output to exactly what one js-yaml dump writes, and its secret findings to exactly
// what a plain scan finds, on arbitrary data: the byte-identical output of a full-mesh render rests on them.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManifestEmitter, toYaml } from '../src/synth/emit.ts';
import { sharedList, sharedMapping, type MappingEntry } from '../src/sharing/index.ts';
import { findSecrets } from '../src/validate/secrets.ts';
import { scalarText, YAML_OPTIONS } from '../src/synth/yaml-scalars.ts';
import { dump } from 'js-yaml';

// Strings that stress YAML quoting and block scalars: line breaks, leading spaces, `: `, `- `, `#`, quotes, tokens
// js-yaml would read as other types, and PEM-like text the secret scan must find.
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'ab :-#"\'\n\t{}[],|>*&!%@`0.'.split('')), maxLength: 12 }),
  fc.constantFrom(
    '',
    'true',
    'null',
    '0',
    '-0',
    '1e3',
    '0x1F',
    '~',
    ' lead',
    'trail ',
    'a\n\nb\n',
    '\n',
    'x\n  y',
    '-----BEGIN RSA PRIVATE KEY-----',
    'meshfleet-splice-0-',
    'meshfleet-splice-1',
    'password',
  ),
);
const key = fc.oneof(
  text.filter((s) => s.length > 0),
  fc.constantFrom('password', 'data', 'stringData', 'items'),
);
const leaf = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('map')),
  array: fc.array(tie('node'), { maxLength: 6 }),
  map: fc.dictionary(key, tie('node'), { maxKeys: 6 }),
})).map;

// A manifest-like object with a few collections large enough to be cut, drawn from a small pool of entries so that
// entries repeat (as peers repeat across a mesh's clusters).
const manifest = fc
  .tuple(
    tree,
    fc.array(fc.tuple(key, tree), { minLength: 1, maxLength: 4 }),
    fc.array(tree, { minLength: 1, maxLength: 4 }),
    fc.nat(8),
  )
  .map(([base, pool, items, n]) => ({
    ...base,
    spec: {
      data: Array.from({ length: n + 2 }, (_, i) => items[i % items.length]),
      template: {
        data: Object.fromEntries(pool.map(([k, v], i) => [`${k}${i}`, v])),
        nested: [{ more: Object.fromEntries(pool) }],
      },
    },
  }));

test('text is byte-identical to one js-yaml dump after the prefix, however collections are cut', () => {
  const prefix = fc.constantFrom('', '# Generated\n');
  fc.assert(
    fc.property(
      fc.array(fc.tuple(manifest, prefix), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 1, max: 4 }),
      (objects, minEntries) => {
        const emitter = new ManifestEmitter(minEntries); // shared, as across the clusters of one render
        for (const [object, before] of objects) assert.is(emitter.emit(object, before).text, before + toYaml(object));
      },
    ),
    { numRuns: 400 },
  );
});

test("secret findings are the plain scan's, located at the same fields", () => {
  const sorted = (fs: readonly { path: readonly (string | number)[]; kind: string }[]) =>
    fs.map((f) => `${JSON.stringify(f.path)} ${f.kind}`).sort();
  fc.assert(
    fc.property(
      fc.array(manifest, { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 1, max: 4 }),
      (objects, minEntries) => {
        const emitter = new ManifestEmitter(minEntries);
        for (const object of objects) assert.equal(sorted(emitter.emit(object).findings), sorted(findSecrets(object)));
      },
    ),
    { numRuns: 400 },
  );
});

// Names, paths, versions and integers are written without asking js-yaml: it must be what js-yaml would write, on
// words made to look like what YAML reads as other types (booleans of YAML 1.1 and 1.2, null, numbers, dates).
test('a scalar written without js-yaml is what js-yaml writes', () => {
  const word = fc.oneof(
    fc.string({ unit: fc.constantFrom(...'aAeExXyYnNoOfFtTlLsSuU019._/-:+ '.split('')), maxLength: 8 }),
    fc.constantFrom(
      'yes',
      'No',
      'ON',
      'off',
      'Y',
      'n',
      'True',
      'FALSE',
      'Null',
      'e5',
      'x1',
      'v1.19.6',
      'a/b',
      'a-',
      'a.',
      'kube-system',
      '0x1F',
      '1e3',
      '2001-12-14',
      '.inf',
      '_a',
      '/a',
    ),
  );
  const scalar = fc.oneof(
    word,
    fc.integer(),
    fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
    fc.double(),
    fc.constant(-0),
  );
  fc.assert(
    fc.property(scalar, (value) => {
      assert.is(scalarText(value), dump([value], YAML_OPTIONS).slice(2, -1), JSON.stringify(value));
    }),
    { numRuns: 3000 },
  );
});

test('numbers JSON cannot tell apart are still written apart', () => {
  const emitter = new ManifestEmitter(1);
  for (const value of [0, -0, Number.NaN, null, Infinity, -Infinity]) {
    const object = { spec: { values: [value, value] } };
    assert.is(emitter.emit(object).text, toYaml(object), String(value));
  }
});

test('what is not plain data, or a key too long for one line, is written as js-yaml writes it', () => {
  class Custom {
    constructor(readonly field = 'x') {}
  }
  const peers = Array.from({ length: 40 }, (_, i) => ({ name: `peer-${i}` }));
  for (const odd of [new Date(0), new Custom(), { ['k'.repeat(1100)]: 'v' }, Object.create({ inherited: 1 })]) {
    const object = { spec: { peers, odd }, metadata: { name: 'a' } };
    const emitted = new ManifestEmitter().emit(object, '# h\n');
    assert.is(emitted.text, `# h\n${toYaml(object)}`);
  }
});

test('an entry reused at another depth is indented for that depth', () => {
  const emitter = new ManifestEmitter(2);
  const peers = Object.fromEntries(
    Array.from({ length: 50 }, (_, i) => [`peer-${i}`, `endpoint: https://peer-${i}.mesh:2379\n`]),
  );
  const first = emitter.emit({ a: { data: peers } }).text;
  const second = emitter.emit({ b: { c: { data: peers } } }).text;
  assert.is(first, toYaml({ a: { data: peers } }));
  assert.is(second, toYaml({ b: { c: { data: peers } } }));
});

// Shared groups of entries as the charts make them (a group of peers' keys, in order), and as they must still be
// written right when they are not: out of order, overlapping, repeating a key.
const group = fc
  .tuple(fc.array(fc.tuple(key, tree), { minLength: 0, maxLength: 4 }), fc.boolean())
  .map(([entries, sorted]): MappingEntry<unknown>[] =>
    sorted ? [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : entries,
  );
const sharedMappingManifest = fc
  .tuple(fc.array(group, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(4), { maxLength: 12 }), fc.boolean())
  .map(([pool, picks, sortGroups]) => {
    const groups = picks.map((i) => pool[i % pool.length]);
    if (sortGroups) groups.sort((a, b) => ((a[0]?.[0] ?? '') < (b[0]?.[0] ?? '') ? -1 : 1));
    return {
      kind: 'Secret',
      stringData: sharedMapping(groups),
      plain: { kind: 'Secret', stringData: Object.fromEntries(groups.flat()) },
    };
  });

test('a shared mapping is written and scanned as the plain object it reads as', () => {
  const sorted = (fs: readonly { path: readonly (string | number)[]; kind: string }[]) =>
    fs.map((f) => `${JSON.stringify(f.path)} ${f.kind}`).sort();
  fc.assert(
    fc.property(
      fc.array(sharedMappingManifest, { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 1, max: 4 }),
      (objects, minEntries) => {
        const emitter = new ManifestEmitter(minEntries);
        for (const { kind, stringData, plain } of objects) {
          const emitted = emitter.emit({ kind, stringData });
          assert.is(emitted.text, toYaml(plain));
          assert.equal(sorted(emitted.findings), sorted(findSecrets(plain)));
        }
      },
    ),
    { numRuns: 400 },
  );
});

// Lists made of shared groups, as a mesh's peers are (src/sharing), and what must still be written right: a group
// holding undefined, a list of one group, groups repeated.
const listGroup = fc.array(fc.oneof({ weight: 9, arbitrary: tree }, { weight: 1, arbitrary: fc.constant(undefined) }), {
  minLength: 1,
  maxLength: 4,
});
const sharedListManifest = fc
  .tuple(fc.array(listGroup, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(3), { maxLength: 10 }))
  .map(([pool, picks]) => {
    const groups = picks.map((i) => pool[i % pool.length]);
    const items = groups.flat();
    return {
      object: { kind: 'HelmRelease', spec: { values: { clusters: sharedList(groups) } } },
      plain: { kind: 'HelmRelease', spec: { values: { clusters: items } } },
    };
  });

test('a shared list is written and scanned as the plain list it reads as, findings at their index', () => {
  const sorted = (fs: readonly { path: readonly (string | number)[]; kind: string }[]) =>
    fs.map((f) => `${JSON.stringify(f.path)} ${f.kind}`).sort();
  fc.assert(
    fc.property(
      fc.array(sharedListManifest, { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 1, max: 4 }),
      (objects, minEntries) => {
        const emitter = new ManifestEmitter(minEntries);
        for (const { object, plain } of objects) {
          const emitted = emitter.emit(object);
          assert.is(emitted.text, toYaml(plain));
          assert.equal(sorted(emitted.findings), sorted(findSecrets(plain)));
        }
      },
    ),
    { numRuns: 400 },
  );
});

test('a shared mapping reads as a frozen plain object', () => {
  const groups = [
    [
      ['a', '1'],
      ['b', '2'],
    ] as const,
    [['c', '3']] as const,
  ];
  const mapping = sharedMapping(groups);
  assert.equal({ ...mapping }, { a: '1', b: '2', c: '3' });
  assert.is(JSON.stringify(mapping), '{"a":"1","b":"2","c":"3"}');
  assert.equal(Object.keys(mapping), ['a', 'b', 'c']);
  assert.ok('b' in mapping);
  assert.throws(() => {
    'use strict';
    (mapping as Record<string, string>).a = 'x';
  });
  assert.is(mapping.a, '1');
});

test.run();
