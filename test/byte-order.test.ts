// One order for sorted output and messages: the order of the strings' UTF-8 bytes, whatever the machine's locale.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { byteOrder } from '../src/model/byte-order.ts';

const bytes = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
// Characters around the place where UTF-16 order and byte order part: U+E000..U+FFFF against U+10000 and above.
const near = fc.constantFrom('a', 'Z', '-', '/', '\u00e9', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '\u{1f600}');
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: near, maxLength: 4 }));

test('byteOrder sorts as the UTF-8 bytes do, for any two strings', () => {
  fc.assert(
    fc.property(text, text, (a, b) => Math.sign(byteOrder(a, b)) === bytes(a, b)),
    { numRuns: 5000 },
  );
});

test('a character above U+FFFF sorts after U+FFFF, where comparing with < puts it before', () => {
  assert.is(byteOrder('\u{1f600}', '\uffff'), 1);
  assert.ok('\u{1f600}' < '\uffff');
});

test('case and punctuation sort by byte, not as a locale would: "B" < "a", "-" < "/" < "_"', () => {
  assert.equal(['a', 'B', '_x', '/x', '-x'].sort(byteOrder), ['-x', '/x', 'B', '_x', 'a']);
});

test.run();
