import { lstatSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * One path segment meshfleet may create: lowercase letters, digits, `-`, `.` and `_`, starting and ending with a
 * letter or digit. That excludes `..`, `/`, `\`, absolute paths, empty names and dot-files, so a name from
 * fleet.yaml can never leave its folder or collide with the writer's own `.meshfleet-*` entries.
 */
export const SAFE_SEGMENT = /^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/;

export function isSafeSegment(name: string): boolean {
  return name.length <= 253 && SAFE_SEGMENT.test(name);
}

/** `base` joined with a `/`-separated relative path whose every segment is checked; throws otherwise. */
export function safeJoin(base: string, rel: string): string {
  let tail = checkedRels.get(rel);
  if (tail === undefined) {
    const segments = rel.split('/');
    for (const s of segments) {
      if (!isSafeSegment(s))
        throw new Error(
          `refusing ${JSON.stringify(rel)} as an output path: segment ${JSON.stringify(s)} is not a plain lowercase name`,
        );
    }
    checkedRels.set(rel, (tail = segments.join(sep)));
  }
  // What path.join gives: checked segments need no normalizing, only base does, and a folder's files come in a row.
  if (base !== lastBase) [lastBase, lastPrefix] = [base, join(base, '_').slice(0, -1)];
  return lastPrefix + tail;
}

/** Relative paths found safe, with their segments joined by the platform's separator: every cluster has the same. */
const checkedRels = new Map<string, string>();
let lastBase: string | undefined;
/** join(lastBase, x) is lastPrefix + x for any checked segment x. */
let lastPrefix = '';

/** What is at `path`, links not followed; undefined if nothing is. */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
