import { createHash } from 'node:crypto';
import { memoByObject } from '../memo.ts';
import { listGroups } from '../model/grouped-list.ts';

/**
 * A plan, or a part of one, as text: every value, written so that different plans give different texts. A cluster's
 * render-cache key is hashed from its plan's (src/write/render-cache.ts), and a render knows the pieces of its
 * clusters' output that are the same by their props' (src/synth/synth.ts). It is JSON, except that NaN, ±Infinity,
 * -0 and undefined array items are spelled out (JSON writes null and 0, though YAML tells them apart); fields holding
 * undefined are left out, as JSON does.
 *
 * A deep-frozen object, such as a PeerPlan or a Helm `clusters` entry, is shared by every plan that dials that
 * peer: it is written once, as its digest. A 511-cluster mesh's plans hold 260,000 of them, and writing each anew
 * (JSON.stringify) took a fifth of that render. A grouped list (src/model/grouped-list.ts), such as a mesh's peers,
 * is written as its groups, each a digest: the same items in other groups give another text, which costs a cache miss,
 * never a wrong hit.
 */
export function planText(plan: unknown): string {
  const out: string[] = [];
  write(plan, out);
  return out.join('');
}

/**
 * What stands for a deep-frozen object (nothing in it can change, so neither can its text): `#` and the SHA-256 of
 * its text in base64url (a third shorter than hex: a mesh's plans hold a digest per peer), shorter than most peers'
 * text and never the start of any other value's text; null for any other object.
 */
const frozenText = memoByObject((value: object): string | null => {
  for (const item of Object.values(value)) {
    if (typeof item === 'object' && item !== null && (!Object.isFrozen(item) || frozenText(item) === null)) return null;
  }
  const out: string[] = [];
  writeStructure(value, out);
  return `#${createHash('sha256').update(out.join('')).digest('base64url')}`;
});

function write(value: unknown, out: string[]): void {
  if (typeof value === 'number') out.push(Object.is(value, -0) ? '-0' : String(value)); // NaN and ±Infinity as such
  else if (value === undefined) out.push('undefined'); // in an array: JSON would write null
  else if (value === null || typeof value !== 'object') out.push(JSON.stringify(value));
  else if (Array.isArray(value) && listGroups(value)) {
    // A grouped list (a mesh's peers) as its groups, most of them shared: `G` starts no other value's text. Its
    // groups are frozen: each is its digest, joined here rather than walked, as a mesh's plans hold 130,000.
    out.push(`G[${listGroups(value)!.map((group) => frozenText(group) ?? structureText(group)).join(',')}]`);
  } else {
    const frozen = Object.isFrozen(value) ? frozenText(value) : null;
    if (frozen === null) writeStructure(value, out);
    else out.push(frozen);
  }
}

function structureText(value: object): string {
  const out: string[] = [];
  writeStructure(value, out);
  return out.join('');
}

function writeStructure(value: object, out: string[]): void {
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], out);
    }
    out.push(']');
    return;
  }
  out.push('{');
  let first = true;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    out.push(first ? keyText(key) : `,${keyText(key)}`);
    first = false;
    write(item, out);
  }
  out.push('}');
}

/** `"key":`, by key: a render's plans hold a few hundred distinct keys, each written once per cluster or more. */
function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) keyTexts.set(key, (text = `${JSON.stringify(key)}:`));
  return text;
}

const keyTexts = new Map<string, string>();
