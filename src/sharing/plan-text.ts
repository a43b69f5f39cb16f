import { createHash } from 'node:crypto';
import { sharedGroups } from './lists.ts';
import { isShared, memoByObject } from './shared.ts';

/**
 * A plan, or a part of one, as text: every value, written so that different plans give different texts. A cluster's
 * render-cache key is hashed from its plan's (src/write/render-cache.ts), and a render knows the constructs of its
 * clusters' layers that write the same objects by their props' (src/synth/synth.ts). It is JSON, except that NaN,
 * ±Infinity, -0 and undefined array items are spelled out (JSON writes null and 0, though YAML tells them apart);
 * fields holding undefined are left out, as JSON does.
 *
 * A shared value (shared.ts), such as a PeerPlan that every plan dialing the peer holds, is written as its digest,
 * made once; a shared list, such as a mesh's peers, as the digests of its shared groups. Only the mark counts, never
 * Object.isFrozen: freezing a value does not change its text. A shared value's text is not its unshared twin's:
 * that costs a cache miss, never a wrong hit.
 */
export function planText(plan: unknown): string {
  const out: string[] = [];
  write(plan, out);
  return out.join('');
}

/**
 * What stands for a shared value: `#` and the SHA-256 of its text in base64url, shorter than most values it stands
 * for and never the start of any other value's text.
 */
const digest = memoByObject(
  (value: object): string => `#${createHash('sha256').update(structureText(value)).digest('base64url')}`,
);

function write(value: unknown, out: string[]): void {
  if (typeof value === 'number')
    out.push(Object.is(value, -0) ? '-0' : String(value)); // NaN and ±Infinity as such
  else if (value === undefined)
    out.push('undefined'); // in an array: JSON would write null
  else if (value === null || typeof value !== 'object') out.push(JSON.stringify(value));
  else {
    const groups = Array.isArray(value) ? sharedGroups(value) : undefined;
    // A shared list as its groups' digests, joined rather than walked: `G` starts no other value's text.
    if (groups) out.push(`G[${groups.map(digest).join(',')}]`);
    else if (isShared(value)) out.push(digest(value));
    else writeStructure(value, out);
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

/** `"key":`, made once per key: a render's plans hold few distinct keys, each many times. */
function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) keyTexts.set(key, (text = `${JSON.stringify(key)}:`));
  return text;
}

const keyTexts = new Map<string, string>();
