// Arbitraries of fleet files: the example fleet mutated (wrong types, missing and extra keys, odd values, duplicated
// clusters), serialised, then possibly damaged at the text level (broken YAML). Shared by the fuzz tests.
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { EXAMPLE_FLEET } from './big-fleet.ts';

const BASE = parse(EXAMPLE_FLEET) as Record<string, unknown>;

export const oddValue = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    2 ** 53,
    -(2 ** 31),
    1e308,
    0.5,
    '',
    ' ',
    '{{',
    '}}',
    '{{cluster}}',
    '__proto__',
    '../..',
    '/etc/passwd',
    'default',
  ),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ minLength: 300, maxLength: 2000 }),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
);

type Mutation = (data: Record<string, unknown>) => void;

/** All paths to values in the example, so that mutations can reach every field. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}
const PATHS = paths(BASE).filter((p) => p.length > 0);

function parentOf(
  data: unknown,
  path: (string | number)[],
): [Record<string | number, unknown>, string | number] | undefined {
  let node = data as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) {
    node = node?.[part] as Record<string | number, unknown>;
    if (node === null || typeof node !== 'object') return undefined;
  }
  return [node, path[path.length - 1]];
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.constantFrom(...PATHS), oddValue).map(([p, v]) => (d: Record<string, unknown>) => {
    const at = parentOf(d, p);
    if (at) at[0][at[1]] = structuredClone(v); // fc.constant values are shared between runs: never alias them
  }),
  fc.constantFrom(...PATHS).map((p) => (d: Record<string, unknown>) => {
    const at = parentOf(d, p);
    if (!at) return;
    if (Array.isArray(at[0])) at[0].splice(Number(at[1]), 1);
    else delete at[0][at[1]];
  }),
  fc
    .tuple(fc.constantFrom(...PATHS), fc.string({ maxLength: 12 }), oddValue)
    .map(([p, k, v]) => (d: Record<string, unknown>) => {
      const at = parentOf(d, [...p, 'x']);
      if (at && !Array.isArray(at[0]))
        Object.defineProperty(at[0], k, {
          value: structuredClone(v),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }),
  fc.nat(7).map((i) => (d: Record<string, unknown>) => {
    const clusters = d.clusters as unknown[];
    if (Array.isArray(clusters) && clusters.length > 0) clusters.push(structuredClone(clusters[i % clusters.length]));
  }),
);

/** Text-level damage after serialising: cut, duplicated or inserted characters (broken YAML). */
export const damage = fc.oneof(
  fc.constant((t: string) => t),
  fc.tuple(fc.nat(), fc.nat(40)).map(
    ([at, n]) =>
      (t: string) =>
        t.slice(0, at % (t.length + 1)) + t.slice((at % (t.length + 1)) + n),
  ),
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom(
        ':',
        '-',
        '[',
        '{',
        '"',
        "'",
        '\t',
        '&a ',
        '*a',
        '!!binary ',
        '? ',
        '|',
        '\n  ',
        '%YAML 1.1\n',
        '---\n',
        '\u0000',
        '\uFEFF',
      ),
    )
    .map(
      ([at, s]) =>
        (t: string) =>
          t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1)),
    ),
);

export const fleetText = fc.tuple(fc.array(mutation, { minLength: 1, maxLength: 4 }), damage).map(([ms, dmg]) => {
  const data = structuredClone(BASE);
  for (const m of ms) m(data);
  return dmg(stringify(data, { aliasDuplicateObjects: false }));
});
