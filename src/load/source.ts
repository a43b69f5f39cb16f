import { createRequire } from 'node:module';
import type { Document, Node } from 'yaml';
import type { Diagnostic, FieldPath, Problem } from '../diagnostics.ts';
import { fastData } from './fast.ts';
import { MAX_SOURCE_BYTES, tooLarge } from './limits.ts';
import { syntaxDiagnostics } from './syntax-errors.ts';

// `yaml` is loaded only when a text needs it: fast.ts reads plain, valid fleets without it.
let yamlModule: typeof import('yaml') | undefined;
const yaml = (): typeof import('yaml') =>
  (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));

/** Alias expansions allowed when turning YAML into data: stops "billion laughs" documents early. */
const MAX_ALIAS_COUNT = 1000;
/** Deepest nesting of maps and lists accepted. A fleet needs about ten; later stages recurse, so this bounds them. */
export const MAX_DEPTH = 64;

/** A fleet file as parsed: its data, and enough of the YAML tree to point at any field. */
export interface LoadedSource {
  readonly file: string;
  /** The document's data; `undefined` when the file could not be parsed. */
  readonly data: unknown;
  readonly diagnostics: readonly Diagnostic[];
  /** Turns problems found later (by path) into file positions. */
  locate(problem: Problem): Diagnostic;
}

/** Bytes to text: UTF-8 only (a BOM is dropped), so that a position means the same in every editor. */
export function decodeSource(file: string, bytes: Uint8Array): { text?: string; diagnostics: Diagnostic[] } {
  if (bytes.length > MAX_SOURCE_BYTES) {
    return { diagnostics: [tooLarge(file, bytes.length)] };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, diagnostics: [] };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const lines = before.split('\n');
    return {
      diagnostics: [
        { file, line: lines.length, col: lines[lines.length - 1].length + 1, message: 'file is not valid UTF-8' },
      ],
    };
  }
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/**
 * Text to data. A plain fleet file is read by fast.ts, and its positions are worked out only if a problem needs
 * locating (most runs are of valid files); anything else is read here with `yaml`, keeping positions.
 */
export function loadSource(file: string, text: string): LoadedSource {
  const fast = fastData(text, MAX_DEPTH);
  if (!fast) return loadPositioned(file, text);
  let positioned: LoadedSource | undefined;
  return {
    file,
    data: fast.data,
    diagnostics: [],
    locate: (problem) => (positioned ??= loadPositioned(file, text)).locate(problem),
  };
}

/** Text to data, keeping positions. Syntax errors, duplicate keys and extra documents become diagnostics. */
export function loadPositioned(file: string, text: string): LoadedSource {
  const { LineCounter, parseAllDocuments } = yaml();
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number, message: string): Diagnostic => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col, message };
  };
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0] as Document.Parsed | undefined;
  const errors = list.flatMap((d) => d.errors.map((e) => ({ offset: e.pos[0], code: e.code, message: e.message })));
  diagnostics.push(
    ...syntaxDiagnostics(errors, text, at, (e) =>
      yamlMessage(e.code, e.message, text.slice(e.offset, e.offset + 200).split(/[:\n]/)[0]),
    ),
  );
  for (const extra of list.slice(1)) {
    diagnostics.push(
      at(
        extra.range[0],
        'a fleet file holds one YAML document; remove this `---` and what follows, or move it to its own file',
      ),
    );
  }
  if (doc && diagnostics.length === 0) {
    const { deep, complexKey } = shapeProblems(doc.contents);
    if (deep)
      diagnostics.push(
        at(deep.range?.[0] ?? 0, `nested more than ${MAX_DEPTH} levels deep; a fleet file needs far fewer`),
      );
    if (complexKey)
      diagnostics.push(
        at(complexKey.range?.[0] ?? 0, 'a map key must be a plain value, not a map, a list or an alias'),
      );
  }
  let data: unknown;
  if (!doc || doc.contents === null) {
    if (diagnostics.length === 0)
      diagnostics.push({
        file,
        line: 1,
        col: 1,
        message: 'file is empty: a fleet needs at least `fleet`, `dns`, `vault` and `clusters`',
      });
  } else if (diagnostics.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      diagnostics.push(at(doc.range[0], `cannot read the document: ${(e as Error).message}`));
    }
  }
  return {
    file,
    data: diagnostics.length === 0 ? data : undefined,
    diagnostics,
    locate(problem: Problem): Diagnostic {
      const offset = doc ? offsetOf(doc, problem.path, problem.atKey ?? false) : 0;
      return at(offset, problem.message);
    },
  };
}

/**
 * The first node deeper than MAX_DEPTH, found without recursion (the point is not to overflow the stack), and the
 * first map key that is itself a map or list (JavaScript objects cannot hold one; yaml would stringify it).
 */
function shapeProblems(root: unknown): { deep?: Node; complexKey?: Node } {
  const { isAlias, isMap, isPair, isSeq } = yaml();
  let complexKey: Node | undefined;
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= MAX_DEPTH) return { deep: node, complexKey };
    for (const item of node.items) {
      if (isPair(item)) {
        if ((isMap(item.key) || isSeq(item.key) || isAlias(item.key)) && !complexKey) complexKey = item.key;
        stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      } else stack.push({ node: item, depth: depth + 1 });
    }
  }
  return { complexKey };
}

function yamlMessage(code: string, message: string, source: string): string {
  if (/Maximum call stack/i.test(message)) return `nested too deeply to read; the limit is ${MAX_DEPTH} levels`;
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'DUPLICATE_KEY')
    return `duplicate key ${JSON.stringify(source.trim().slice(0, 80))}: each key may appear once in a map`;
  if (code === 'TAB_AS_INDENT') return 'tabs are not allowed for indentation in YAML; indent with spaces';
  return `YAML: ${first}`;
}

/** The offset of the deepest node on `path` that exists: a missing field points at the map that should hold it. */
function offsetOf(doc: Document.Parsed, path: FieldPath, atKey: boolean): number {
  const { isMap, isPair, isScalar, isSeq } = yaml();
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) return offset;
      const key = pair.key as Node;
      if (last && atKey) return key.range?.[0] ?? offset;
      node = pair.value;
      offset = (node as Node | null)?.range?.[0] ?? key.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      if (node === undefined) return offset;
      offset = (node as Node).range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}
