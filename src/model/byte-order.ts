/**
 * The one order meshfleet sorts text by wherever the order reaches output or messages: that of the strings' UTF-8
 * bytes, which is Unicode code point order. It is the same on every machine, unlike `localeCompare`, whose order
 * depends on the locale and the ICU data Node was built with. `<` on strings compares UTF-16 code units, which agrees
 * with it except that characters above U+FFFF (stored as surrogates, 0xD800-0xDFFF) must sort after U+E000-U+FFFF.
 */
export function byteOrder(a: string, b: string): number {
  if (a === b) return 0;
  if (!ABOVE_D7FF.test(a) || !ABOVE_D7FF.test(b)) return a < b ? -1 : 1;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length < b.length ? -1 : 1;
  return rank(a.charCodeAt(i)) < rank(b.charCodeAt(i)) ? -1 : 1;
}

/** Where `<` and code point order can differ, both strings hold a unit at or above 0xD800; otherwise they agree. */
const ABOVE_D7FF = /[\ud800-\uffff]/;

/** A UTF-16 code unit's place in code point order: surrogates move above every other unit. */
const rank = (unit: number): number => ((unit & 0xf800) === 0xd800 ? unit + 0x2800 : unit);

/** Compares objects by a text key in byte order: `items.sort(byKey((s) => s.name))`. */
export function byKey<T>(key: (item: T) => string): (x: T, y: T) => number {
  return (x, y) => byteOrder(key(x), key(y));
}
