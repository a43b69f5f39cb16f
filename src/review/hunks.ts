import { structuredPatch } from 'diff';

/** Changed lines shown per file: past them a reviewer is told how many more there are, not shown them. */
export const MAX_LINES_PER_FILE = 60;
/** Unchanged lines around each change. */
const CONTEXT = 3;

/** One YAML document of a rendered file: the lines between `---` separators, which are never part of one. */
interface Doc {
  readonly id: string;
  /** 1-based line of the document's first line in the file. */
  readonly start: number;
  readonly lines: readonly string[];
}

/** `Kind namespace/name` of a rendered object, read from the fixed layout the writer gives every object. */
function identity(lines: readonly string[], index: number): string {
  const kind = lines.find((l) => l.startsWith('kind: '))?.slice(6);
  const meta = lines.indexOf('metadata:');
  const field = (key: string) => (meta < 0 ? undefined : lines.slice(meta + 1).find((l, i, rest) => l.startsWith(`  ${key}: `) && rest.slice(0, i).every((r) => r.startsWith(' ')))?.slice(key.length + 4));
  const name = field('name');
  const namespace = field('namespace');
  if (kind && name) return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  return kind ?? `document ${index + 1}`;
}

function documents(text: string): Doc[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const docs: Doc[] = [];
  let start = 0;
  const close = (end: number) => {
    if (end > start) docs.push({ id: identity(lines.slice(start, end), docs.length), start: start + 1, lines: lines.slice(start, end) });
  };
  lines.forEach((line, i) => {
    if (line === '---') {
      close(i);
      start = i + 1;
    }
  });
  close(lines.length);
  return docs;
}

/** A file's changes as unified hunks, at most MAX_LINES_PER_FILE lines of them, and how many lines were left out. */
export interface FileHunks {
  readonly lines: readonly string[];
  readonly omitted: number;
}

/**
 * Unified hunks of a changed YAML file, computed document by document (matched by the object they hold), so that a
 * `---` separator is never a changed line and each hunk header names the object it changes.
 */
export function yamlHunks(before: string, after: string): FileHunks {
  const base = documents(before);
  const head = documents(after);
  const baseById = new Map(base.map((d) => [d.id, d]));
  const headIds = new Set(head.map((d) => d.id));
  const out: string[] = [];
  const hunk = (b: Doc | undefined, h: Doc | undefined) => {
    const id = (h ?? b)!.id;
    if (!b || !h) {
      const doc = (h ?? b)!;
      const sign = h ? '+' : '-';
      const range = `${doc.start},${doc.lines.length}`;
      out.push(h ? `@@ -0,0 +${range} @@ ${id}` : `@@ -${range} +0,0 @@ ${id}`, ...doc.lines.map((l) => sign + l));
      return;
    }
    const patch = structuredPatch('a', 'b', `${b.lines.join('\n')}\n`, `${h.lines.join('\n')}\n`, undefined, undefined, { context: CONTEXT });
    for (const p of patch.hunks) {
      out.push(`@@ -${p.oldStart + b.start - 1},${p.oldLines} +${p.newStart + h.start - 1},${p.newLines} @@ ${id}`, ...p.lines.filter((l) => !l.startsWith('\\')));
    }
  };
  for (const h of head) hunk(baseById.get(h.id), h);
  for (const b of base) if (!headIds.has(b.id)) hunk(b, undefined);
  const shown = out.slice(0, MAX_LINES_PER_FILE);
  return { lines: shown, omitted: out.length - shown.length };
}

/** What a whole file added or removed holds: its objects, not its lines. */
export function objectsIn(text: string): string[] {
  return documents(text).map((d) => d.id);
}
