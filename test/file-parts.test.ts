// A large file of a mesh travels from the emitter to the writer thread as parts (file-parts.ts): runs of repeated
// entries, each known by identity. These tests hold the parts to the text they stand for, runs to recurring
// wherever the same entries follow each other, and the secret scan of parts to the scan of the joined text.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { joinParts, partText, RepeatedText, RunJoiner, type FilePart } from '../src/synth/file-parts.ts';
import { keyMaterialInParts } from '../src/write/guard.ts';
import { keyMaterialInText } from '../src/validate/secrets.ts';

const pool = Array.from({ length: 12 }, (_, i) => new RepeatedText(`  - peer: ${i}\n    port: 2379\n`));
const sequence = fc.array(fc.nat(pool.length - 1), { maxLength: 40 }).map((ids) => ids.map((i) => pool[i]));

test('runs join to the entries they were given, and the same entries in a row give the same runs', () => {
  fc.assert(fc.property(fc.array(sequence, { minLength: 1, maxLength: 4 }), (sequences) => {
    const runs = new RunJoiner();
    const first = sequences.map((texts) => {
      const parts: FilePart[] = [];
      runs.push(parts, texts);
      assert.is(joinParts(parts), texts.map((t) => t.text).join(''));
      return parts;
    });
    sequences.forEach((texts, i) => {
      const again: FilePart[] = [];
      runs.push(again, texts);
      assert.ok(again.length === first[i].length && again.every((part, j) => part === first[i][j]), 'the same part objects');
    });
  }));
});

test('a mesh\'s lists, all peers but one, share all but a run or two', () => {
  const runs = new RunJoiner();
  const parts = pool.map((_, self) => {
    const list: FilePart[] = [];
    runs.push(list, pool.filter((_, i) => i !== self));
    return list;
  });
  const distinct = new Set(parts.flat());
  assert.ok(distinct.size < pool.length * 2, `${distinct.size} distinct runs for ${pool.length} lists`);
  assert.ok(Math.max(...parts.map((p) => p.length)) <= 3, 'a list of 11 entries in runs of about 8');
});

// Fragments of what the key-material scan looks for, so that words and matches fall across the seams of parts.
const fragment = fc.constantFrom('PRIVATE', ' KEY', 'PRIVATE KEY-----', '-----', 'BEGIN ', 'BEG', 'IN ', 'RSA ', 'CERTIFICATE',
  'Pu', 'TTY-User-Key-File-2', 'AA', 'AAAA', 'ssh-rsa ', 'ssh-', 'rsa ', '\n', 'x', ' ', ': ');
const shared = new Map<string, RepeatedText>();
const part = fc.tuple(fc.array(fragment, { maxLength: 5 }), fc.boolean()).map(([pieces, repeated]): FilePart => {
  const text = pieces.join('');
  if (!repeated) return text;
  if (!shared.has(text)) shared.set(text, new RepeatedText(text));
  return shared.get(text)!; // the same object again, as a render's entries are: its scan is remembered
});

test('the secret scan of parts finds what the scan of their joined text finds', () => {
  fc.assert(fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
    assert.is(keyMaterialInParts(parts), keyMaterialInText(parts.map(partText).join('')));
  }), { numRuns: 2000 });
});

test.run();
