// Folders as a test compares them: every file's text, or every entry's stamps.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { byteOrder } from '../../src/model/byte-order.ts';

/**
 * Every file under dir as relative path ('/'-separated) → content, in path order; a link is '-> link', never
 * followed. A folder that does not exist reads as empty.
 */
export function readTree(dir: string): Map<string, string> {
  const tree = new Map<string, string>();
  const walk = (folder: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => byteOrder(a.name, b.name));
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      const rel = relative(dir, path).split(sep).join('/');
      if (entry.isSymbolicLink()) tree.set(rel, '-> link');
      else if (entry.isDirectory()) walk(path);
      else tree.set(rel, readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return tree;
}

/** Modification times and inodes of every entry: if nothing was written, these are all unchanged. */
export function stamps(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const s = lstatSync(path);
      out.set(relative(dir, path), `${s.ino}:${s.mtimeMs}:${s.size}`);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out;
}
