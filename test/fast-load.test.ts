// The fast way of reading a fleet file (src/load/fast.ts, js-yaml) must never change what a file means: whenever it
// takes a text, the data must be exactly what the positioned `yaml` reading gives, and that reading must find no
// problem in it. FUZZ_RUNS scales the number of cases (default 3000 of each kind).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { fastData } from '../src/load/fast.ts';
import { loadPositioned, loadSource, MAX_DEPTH } from '../src/load/source.ts';
import { bigFleet, EXAMPLE_FLEET } from './support/big-fleet.ts';
import { damage, fleetText } from './support/fleet-arbitraries.ts';

const RUNS = Number(process.env.FUZZ_RUNS) || 3000;

/** Plain scalars where YAML libraries and versions disagree, and keys that are special to JavaScript. */
const SCALARS = [
  '0x1F',
  '-0x1F',
  '0o17',
  '017',
  '1_000',
  '1e3',
  '+.5e3',
  '1.',
  '.5',
  '-0',
  '+1',
  '12345678901234567890',
  '1e500',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  '~',
  'null',
  'Null',
  'NULL',
  'true',
  'False',
  'yes',
  'on',
  'y',
  'n',
  '2001-12-14',
  '12:30:45',
  '0b101',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'a b',
  "it's",
  'x#y',
  'é',
  '😀',
];
const QUOTED = ["'0x1F'", '"1e3"', "'it''s'", '"\\x41\\u00e9\\N\\_\\t"', '"\\U0001F600"', "''", '""', '"a\\"b"', "'#'"];

const scalar = fc.oneof(fc.constantFrom(...SCALARS), fc.constantFrom(...QUOTED), fc.string({ maxLength: 6 }));
const key = fc.oneof(
  fc.constantFrom(...SCALARS),
  fc.constantFrom(...QUOTED),
  fc.stringMatching(/^[a-z][a-zA-Z0-9-]{0,5}$/),
);

/** YAML text written by hand, so that plain scalars reach the resolvers unquoted; block, flow and block scalars. */
const { node: rawNode } = fc.letrec<{ node: (indent: string) => string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar.map((s) => () => ` ${s}`),
    fc.array(scalar, { maxLength: 3 }).map((items) => () => ` [${items.join(', ')}]`),
    fc
      .array(fc.tuple(key, scalar), { maxLength: 3 })
      .map((pairs) => () => ` {${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
    fc
      .tuple(
        fc.constantFrom('|', '|-', '>', '>+', '|2'),
        fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 3 }),
      )
      .map(
        ([head, lines]) =>
          (indent: string) =>
            ` ${head}\n${lines.map((l) => `${indent}  ${l}`).join('\n')}`,
      ),
    fc
      .array(fc.tuple(key, tie('node')), { minLength: 1, maxLength: 4 })
      .map(
        (pairs) => (indent: string) =>
          `\n${pairs.map(([k, v]) => `${indent}  ${k}:${(v as (i: string) => string)(`${indent}  `)}`).join('\n')}`,
      ),
    fc
      .array(tie('node'), { minLength: 1, maxLength: 3 })
      .map(
        (items) => (indent: string) =>
          `\n${items.map((v) => `${indent}  -${(v as (i: string) => string)(`${indent}  `)}`).join('\n')}`,
      ),
  ),
})) as unknown as { node: fc.Arbitrary<(indent: string) => string> };

const rawText = fc
  .tuple(fc.array(fc.tuple(key, rawNode), { minLength: 1, maxLength: 5 }), damage)
  .map(([pairs, dmg]) => dmg(`${pairs.map(([k, v]) => `${k}:${v('')}`).join('\n')}\n`));

function assertSameAsYaml(text: string): boolean {
  const fast = fastData(text, MAX_DEPTH);
  if (!fast) return false;
  const slow = loadPositioned('fleet.yaml', text);
  assert.equal(slow.diagnostics, [], `taken by the fast path, but yaml finds problems\n--- input ---\n${text}`);
  assert.ok(
    isDeepStrictEqual(fast.data, slow.data),
    `fast ${JSON.stringify(fast.data)}\nyaml ${JSON.stringify(slow.data)}\n--- input ---\n${text}`,
  );
  return true;
}

for (const [name, texts] of [
  ['mutated example fleets', fleetText],
  ['hand-written YAML texts', rawText],
] as const) {
  test(`${name}: what the fast path takes reads exactly as through yaml`, () => {
    let taken = 0;
    fc.assert(
      fc.property(texts, (text) => {
        if (assertSameAsYaml(text)) taken++;
      }),
      { numRuns: RUNS },
    );
    assert.ok(taken > RUNS / 20, `only ${taken} of ${RUNS} texts took the fast path: the property says little`);
  });
}

test('the example fleet and a 511-cluster fleet take the fast path and read as through yaml', () => {
  assert.ok(assertSameAsYaml(EXAMPLE_FLEET));
  assert.ok(assertSameAsYaml(bigFleet(511)));
});

test('numbers and keys where js-yaml and yaml differ: read as yaml reads them, or left to yaml', () => {
  // A flow list continued on the next line after a comment, not indented: js-yaml reads it, `yaml` refuses it.
  assert.is(fastData('0x1F: [0x1F, #]\n"\\x41"]\n', MAX_DEPTH), undefined);
  // A flow map as the key of a flow map, without a value: js-yaml makes it "[object Object]", `yaml` refuses it.
  assert.is(fastData('a: {{b: n}}\n', MAX_DEPTH), undefined);
  for (const text of [
    'a: 1_000\n',
    'a: -0x1F\n',
    'a: +.5e3\n',
    '~: 1\n',
    ': 1\n',
    'a: 0x1F\nb: .inf\nc: ~\n',
    '__proto__: {polluted: 1}\n',
  ]) {
    const fast = fastData(text, MAX_DEPTH);
    if (fast) assertSameAsYaml(text);
    else assert.equal(loadSource('fleet.yaml', text).data, loadPositioned('fleet.yaml', text).data, text);
  }
  assert.equal(fastData('a: 1_000\nb: -0x1F\n', MAX_DEPTH)?.data, { a: '1_000', b: '-0x1F' });
  assert.is((Object.prototype as Record<string, unknown>).polluted, undefined);
});

test('duplicate keys, anchors, several documents and deep nesting are left to yaml, which locates them', () => {
  const cases: [string, RegExp][] = [
    ['fleet: a\nfleet: b\n', /^2:1: duplicate key "fleet"/],
    ['a: &x [1]\nb: *x\n', /./],
    ['a: 1\n---\nb: 2\n', /^2:1: a fleet file holds one YAML document/],
    [`${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}\n`, /nested more than 64 levels/],
    ['? [a]\n: 1\n', /map key must be a plain value/],
  ];
  for (const [text, expected] of cases) {
    assert.is(fastData(text, MAX_DEPTH), undefined, text);
    const loaded = loadSource('fleet.yaml', text);
    if (expected.source !== '.')
      assert.match(loaded.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`).join('\n'), expected);
  }
});

test('a problem in a file read the fast way is located at its line', () => {
  const text = readFileSync(new URL('../fleet.yaml', import.meta.url), 'utf8');
  const loaded = loadSource('fleet.yaml', text);
  const line = text.split('\n').findIndex((l) => /^\s*- name: /.test(l)) + 1;
  assert.is(loaded.locate({ path: ['clusters', 0, 'name'], message: 'm' }).line, line);
});

test.run();
