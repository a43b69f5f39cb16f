// A large file of a mesh travels from the emitter to the writer thread as parts (src/sharing/text.ts): its own text
// and shared texts, each known by identity. These tests hold the parts to the text they stand for, shared texts
// joined from consecutive ones to recurring wherever the same texts follow each other, and the secret scan of
// parts to the scan of the joined text.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { joinParts, partText, SharedText, SharedTextJoiner, type FilePart } from '../src/sharing/index.ts';
import { keyMaterialInParts } from '../src/write/guard.ts';
import { keyMaterialInText } from '../src/validate/secrets.ts';

const pool = Array.from({ length: 12 }, (_, i) => new SharedText(`  - peer: ${i}\n    port: 2379\n`));
const sequence = fc.array(fc.nat(pool.length - 1), { maxLength: 40 }).map((ids) => ids.map((i) => pool[i]));

test('joined texts are the texts they were given, and the same texts in a row give the same joined texts', () => {
  fc.assert(
    fc.property(fc.array(sequence, { minLength: 1, maxLength: 4 }), (sequences) => {
      const joiner = new SharedTextJoiner();
      const first = sequences.map((texts) => {
        const parts: FilePart[] = [];
        joiner.push(parts, texts);
        assert.is(joinParts(parts), texts.map((t) => t.text).join(''));
        return parts;
      });
      sequences.forEach((texts, i) => {
        const again: FilePart[] = [];
        joiner.push(again, texts);
        assert.ok(
          again.length === first[i].length && again.every((part, j) => part === first[i][j]),
          'the same part objects',
        );
      });
    }),
  );
});

test("a mesh's lists, all peers but one, share all but a joined text or two", () => {
  const joiner = new SharedTextJoiner();
  const parts = pool.map((_, self) => {
    const list: FilePart[] = [];
    joiner.push(
      list,
      pool.filter((_, i) => i !== self),
    );
    return list;
  });
  const distinct = new Set(parts.flat());
  assert.ok(distinct.size < pool.length * 2, `${distinct.size} distinct joined texts for ${pool.length} lists`);
  assert.ok(Math.max(...parts.map((p) => p.length)) <= 3, 'a list of 11 entries joined about 8 at a time');
});

// Fragments of what the key-material scan looks for, so that words and matches fall across the seams of parts.
const fragment = fc.constantFrom(
  'PRIVATE',
  ' KEY',
  'PRIVATE KEY-----',
  '-----',
  'BEGIN ',
  'BEG',
  'IN ',
  'RSA ',
  'CERTIFICATE',
  'Pu',
  'TTY-User-Key-File-2',
  'AA',
  'AAAA',
  'ssh-rsa ',
  'ssh-',
  'rsa ',
  '\n',
  'x',
  ' ',
  ': ',
);
const shared = new Map<string, SharedText>();
const part = fc.tuple(fc.array(fragment, { maxLength: 5 }), fc.boolean()).map(([fragments, isShared]): FilePart => {
  const text = fragments.join('');
  if (!isShared) return text;
  if (!shared.has(text)) shared.set(text, new SharedText(text));
  return shared.get(text)!; // the same object again, as a render's entries are: its scan is remembered
});

test('the secret scan of parts finds what the scan of their joined text finds', () => {
  fc.assert(
    fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
      assert.is(keyMaterialInParts(parts), keyMaterialInText(parts.map(partText).join('')));
    }),
    { numRuns: 2000 },
  );
});

test.run();
