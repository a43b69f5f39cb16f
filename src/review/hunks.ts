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
  const field = (key: string) =>
    meta < 0
      ? undefined
      : lines
          .slice(meta + 1)
          .find((l, i, rest) => l.startsWith(`  ${key}: `) && rest.slice(0, i).every((r) => r.startsWith(' ')))
          ?.slice(key.length + 4);
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
    if (end > start)
      docs.push({
        id: identity(lines.slice(start, end), docs.length),
        start: start + 1,
        lines: lines.slice(start, end),
      });
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
  const headById = new Map(head.map((d) => [d.id, d]));
  const hunk = (b: Doc | undefined, h: Doc | undefined, at = 0) => {
    const id = (h ?? b)!.id;
    if (!b || !h) {
      // A document only one side has: an empty range on the other side, at the line it follows there.
      const doc = (h ?? b)!;
      const sign = h ? '+' : '-';
      const range = `${doc.start},${doc.lines.length}`;
      out.push(
        h ? `@@ -${at},0 +${range} @@ ${id}` : `@@ -${range} +${at},0 @@ ${id}`,
        ...doc.lines.map((l) => sign + l),
      );
      return;
    }
    const patch = structuredPatch(
      'a',
      'b',
      `${b.lines.join('\n')}\n`,
      `${h.lines.join('\n')}\n`,
      undefined,
      undefined,
      { context: CONTEXT },
    );
    for (const p of patch.hunks) {
      out.push(
        `@@ -${p.oldStart + b.start - 1},${p.oldLines} +${p.newStart + h.start - 1},${p.newLines} @@ ${id}`,
        ...p.lines.filter((l) => !l.startsWith('\\')),
      );
    }
  };
  head.forEach((h, i) => hunk(baseById.get(h.id), h, following(head, i, baseById)));
  base.forEach((b, i) => {
    if (!headIds.has(b.id)) hunk(b, undefined, following(base, i, headById));
  });
  const shown = out.slice(0, MAX_LINES_PER_FILE);
  return { lines: shown, omitted: out.length - shown.length };
}

/** Unified hunks of a changed file that holds no YAML objects (vault/<cluster>/'s HCL, JSON and Markdown). */
export function textHunks(before: string, after: string): FileHunks {
  const patch = structuredPatch('a', 'b', before, after, undefined, undefined, { context: CONTEXT });
  const out = patch.hunks.flatMap((p) => [
    `@@ -${p.oldStart},${p.oldLines} +${p.newStart},${p.newLines} @@`,
    ...p.lines.filter((l) => !l.startsWith('\\')),
  ]);
  const shown = out.slice(0, MAX_LINES_PER_FILE);
  return { lines: shown, omitted: out.length - shown.length };
}

/** What a whole file added or removed holds: its objects, not its lines. */
export function objectsIn(text: string): string[] {
  return documents(text).map((d) => d.id);
}

/**
 * Where the document `docs[index]` would sit in the other side's file: after the separator that ends the last
 * document before it that the other side also has (line 0, before everything, when there is none).
 */
function following(docs: readonly Doc[], index: number, other: ReadonlyMap<string, Doc>): number {
  for (let i = index - 1; i >= 0; i--) {
    const match = other.get(docs[i].id);
    if (match) return match.start + match.lines.length;
  }
  return 0;
}
