import { dump } from 'js-yaml';
import type { FieldPath } from '../diagnostics.ts';
import { findSecrets, LITERAL_CREDENTIAL as LITERAL, type SecretFinding } from '../validate/secrets.ts';
import { listGroups } from '../model/grouped-list.ts';
import { joinParts, RepeatedText, RunJoiner, type FilePart } from './file-parts.ts';
import { mappingGroups, type MappingGroup } from './grouped-mapping.ts';

/**
 * Keys sorted at every level, no line folding, no anchors: the same data always gives the same bytes. js-yaml's
 * emitter, with double quotes, writes what the `yaml` library would, about four times faster; `yaml` stays the
 * reader because only it keeps positions for located errors.
 */
const OPTIONS = { sortKeys: true, lineWidth: -1, noRefs: true, quotingType: '"' } as const;

/** A manifest's YAML text and the secret-looking values in it (without the values). */
export interface Emitted {
  readonly text: string;
  /** The parts `text` was joined from (file-parts.ts), when it holds entries of a large collection. */
  readonly parts?: readonly FilePart[];
  readonly findings: readonly SecretFinding[];
}

export function toYaml(value: unknown): string {
  return dump(value, OPTIONS);
}

/** Longer ids are not kept: the id of a large object would cost as much memory as its text. */
const MAX_OBJECT_ID = 16_384;

/** What one entry of a large collection costs once: its text at indent 0 and its findings from its own root. */
interface EntryResult {
  readonly text: string;
  readonly findings: readonly SecretFinding[];
  /** The text indented by n spaces, by n: each cluster's file places an entry at the same depth. */
  readonly indented: Map<number, RepeatedText>;
}

/** A mapping group's entries, written as one entry, and its first and last keys, to check the groups' order. */
interface GroupResult {
  readonly entry: EntryResult;
  readonly first: string;
  readonly last: string;
}

interface Cut {
  readonly token: string;
  readonly path: FieldPath;
  readonly entries: readonly EntryResult[];
  /** Where a finding of entry i, at `path` from the entry's own root, is in the collection. */
  readonly locate: (i: number, path: FieldPath) => FieldPath;
  /**
   * Whether consecutive entries are passed in runs (file-parts.ts): not for groups (of a grouped list or mapping),
   * which are runs already, and whose one unshared group (the block holding the cluster itself) would make a long
   * run that no other file holds.
   */
  readonly inRuns: boolean;
}

/** An entry of a mapping is a mapping of its key (or keys, for a group): its findings are where they are. */
const inPlace = (_: number, path: FieldPath) => path;
/** An item of a list is written as a list of itself: its findings are at its index. */
const atIndex = (i: number, path: FieldPath) => [i, ...path.slice(1)];

/**
 * Writes manifests as YAML and scans them for secrets, reusing work across the clusters of a fleet. In a full mesh
 * every cluster's secrets list every peer (511 clusters × 510 peers), so the same entries recur in every file: a
 * collection with `minEntries` or more entries is written entry by entry, each distinct entry is dumped and scanned
 * once, and its text is indented into place. js-yaml writes a block entry the same way at any depth (the unit tests
 * prove the result byte-identical to one `dump`), so only the indentation differs. Grouped lists and mappings (a
 * mesh's peers in shared blocks: src/model/grouped-list.ts, grouped-mapping.ts) are written a group at a time.
 */
export class ManifestEmitter {
  readonly #entries = new Map<string, EntryResult>();
  readonly #objects = new Map<string, Emitted>();
  /** Entries `key: string`, by key then value: no id to build, and V8 keeps each string's hash. */
  readonly #stringEntries = new Map<string, Map<string, EntryResult>>();
  readonly #frozen = new WeakMap<object, EntryResult>();
  readonly #groups = new WeakMap<MappingGroup<unknown>, GroupResult | null>();
  readonly #listGroups = new WeakMap<readonly unknown[], EntryResult | null>();
  readonly #runs = new RunJoiner();
  readonly #minEntries: number;

  /** @param minEntries smallest collection written entry by entry. @default 32 */
  constructor(minEntries = 32) {
    this.#minEntries = minEntries;
  }

  /** @param prefix text put before the YAML (a file's header comment), and the first of its parts. @default '' */
  emit(value: unknown, prefix = ''): Emitted {
    const cuts: Cut[] = [];
    const rest = this.#cut(value, [], cuts);
    // Small objects are often the same in every cluster (a HelmRepository, a Namespace): those are written once.
    if (cuts.length === 0) {
      const id = entryId(value);
      if (id.length > MAX_OBJECT_ID) return { text: prefix + dump(value, OPTIONS), findings: findSecrets(value) };
      let known = this.#objects.get(id);
      if (!known) this.#objects.set(id, (known = { text: dump(value, OPTIONS), findings: findSecrets(value) }));
      return prefix ? { text: prefix + known.text, findings: known.findings } : known;
    }
    const parts = splice(prefix, dump(rest, OPTIONS), cuts, this.#runs);
    // A token that also occurs in the data (never in practice) would make splicing ambiguous: fall back to one dump.
    if (parts === undefined) return { text: prefix + dump(value, OPTIONS), findings: findSecrets(value) };
    // A token under a key like `password` reads as a literal credential; the collection it stands for is not one.
    const tokenPaths = new Set(cuts.map((c) => JSON.stringify(c.path)));
    const findings = findSecrets(rest).filter((f) => f.kind !== LITERAL || !tokenPaths.has(JSON.stringify(f.path)));
    for (const cut of cuts) {
      cut.entries.forEach((entry, i) => {
        for (const f of entry.findings) findings.push({ kind: f.kind, path: [...cut.path, ...cut.locate(i, f.path)] });
      });
    }
    return { text: joinParts(parts), parts, findings };
  }

  /**
   * value with each large collection under a mapping key replaced by a token to splice at: a copy of what leads to
   * one, and value itself where there is none (most objects), so that the common case allocates nothing. `path`
   * is where value is; it is extended and restored in place while walking.
   */
  #cut(value: unknown, path: (string | number)[], cuts: Cut[]): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        const item = this.#cut(value[i], path, cuts);
        path.pop();
        if (item !== value[i]) (copy ??= [...value])[i] = item;
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (child === null || typeof child !== 'object') continue; // a scalar: nothing to cut, nothing to copy
      path.push(key);
      const entries = this.#entriesOf(child);
      let replacement: unknown;
      if (entries) {
        replacement = `meshfleet-splice-${cuts.length}-`; // the dash: no token is the start of another
        cuts.push({ token: replacement as string, path: [...path], ...entries });
      } else {
        replacement = this.#cut(child, path, cuts);
      }
      path.pop();
      if (replacement !== child) (copy ??= nullPrototypeCopy(value))[key] = replacement;
    }
    return copy ?? value;
  }

  #entriesOf(value: unknown): Pick<Cut, 'entries' | 'locate' | 'inRuns'> | undefined {
    if (value === null || typeof value !== 'object') return undefined;
    if (Array.isArray(value)) {
      if (value.length < this.#minEntries) return undefined;
      const groups = listGroups(value);
      if (groups) return this.#listGroupEntries(groups);
      if (value.some((v) => v === undefined)) return undefined;
      return { locate: atIndex, inRuns: true, entries: value.map((item) => this.#item(item)) };
    }
    const groups = mappingGroups(value);
    const grouped = groups && this.#groupEntries(groups);
    if (grouped) return grouped;
    const all = Object.keys(value);
    if (all.length < this.#minEntries) return undefined;
    const keys = all.filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    if (keys.length < this.#minEntries) return undefined;
    return { locate: inPlace, inRuns: true, entries: keys.map((k) => this.#mapEntry(k, (value as Record<string, unknown>)[k])) };
  }

  /**
   * A groupedList's items as one entry per group (a group of items is written as the list of them), or undefined
   * if an item is undefined (the list is then read as any array, which will not be cut).
   */
  #listGroupEntries(groups: readonly (readonly unknown[])[]): Pick<Cut, 'entries' | 'locate' | 'inRuns'> | undefined {
    const entries: EntryResult[] = [];
    const starts: number[] = [];
    let start = 0;
    for (const group of groups) {
      let result = this.#listGroups.get(group);
      if (result === undefined) {
        result = group.includes(undefined) ? null : joined(group.map((item) => this.#item(item)), atIndex);
        if (deepFrozen(group)) this.#listGroups.set(group, result);
      }
      if (result === null) return undefined;
      entries.push(result);
      starts.push(start);
      start += group.length;
    }
    return { entries, inRuns: false, locate: (i, path) => [starts[i] + (path[0] as number), ...path.slice(1)] };
  }

  /**
   * A groupedMapping's entries as one entry per group, if its keys are in order across the groups (as a mesh's
   * peers are); else undefined, and the mapping is read as any object.
   */
  #groupEntries(groups: readonly MappingGroup<unknown>[]): Pick<Cut, 'entries' | 'locate' | 'inRuns'> | undefined {
    const entries: EntryResult[] = [];
    let count = 0;
    let last: string | undefined;
    for (const group of groups) {
      if (group.length === 0) continue;
      const known = this.#group(group);
      if (!known || (last !== undefined && !(last < known.first))) return undefined;
      entries.push(known.entry);
      last = known.last;
      count += group.length;
    }
    return count < this.#minEntries ? undefined : { locate: inPlace, inRuns: false, entries };
  }

  /**
   * A group's entries and its first and last keys, if its keys are in order and its values defined; made once per
   * render when the group is frozen (and so the same wherever it recurs).
   */
  #group(group: MappingGroup<unknown>): GroupResult | undefined {
    let result = this.#groups.get(group);
    if (result === undefined) {
      const inOrder = group.every(([key, value], i) => value !== undefined && (i === 0 || group[i - 1][0] < key));
      const entry = inOrder ? joined(group.map(([key, value]) => this.#mapEntry(key, value)), inPlace) : undefined;
      result = entry ? { entry, first: group[0][0], last: group[group.length - 1][0] } : null;
      if (deepFrozen(group)) this.#groups.set(group, result);
    }
    return result ?? undefined;
  }

  #mapEntry(key: string, value: unknown): EntryResult {
    if (typeof value !== 'string') return this.#entry({ [key]: value });
    let byValue = this.#stringEntries.get(key);
    if (!byValue) this.#stringEntries.set(key, (byValue = new Map()));
    let result = byValue.get(value);
    if (!result) byValue.set(value, (result = entryResult({ [key]: value })));
    return result;
  }

  /** Charts share each peer's entries among clusters, frozen: those are known by identity, without an id. */
  #item(item: unknown): EntryResult {
    if (typeof item !== 'object' || item === null) return this.#entry([item]);
    let result = this.#frozen.get(item);
    if (!result) {
      result = this.#entry([item]);
      if (deepFrozen(item)) this.#frozen.set(item, result);
    }
    return result;
  }

  #entry(single: unknown): EntryResult {
    const id = entryId(single);
    let result = this.#entries.get(id);
    if (!result) this.#entries.set(id, (result = entryResult(single)));
    return result;
  }
}

/** A copy without a prototype, so that a `__proto__` key stays a key. */
function nullPrototypeCopy(value: object): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) copy[key] = (value as Record<string, unknown>)[key];
  return copy;
}

function deepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(deepFrozen);
}

/**
 * One entry standing for consecutive entries, from their texts (each written once per render, where a group that
 * holds the cluster itself is new in every cluster): a collection's entries are written one after another.
 */
function joined(entries: readonly EntryResult[], locate: Cut['locate']): EntryResult {
  const findings = entries.flatMap((entry, i) => entry.findings.map((f) => ({ kind: f.kind, path: locate(i, f.path) })));
  return { text: entries.map((entry) => entry.text).join(''), findings, indented: new Map() };
}

function entryResult(single: unknown): EntryResult {
  return { text: dump(single, OPTIONS), findings: findSecrets(single), indented: new Map() };
}

/**
 * Equal ids must mean equal YAML. JSON writes NaN and ±Infinity as null and -0 as 0, which YAML tells apart, so an
 * entry that may hold one is identified with those numbers spelled out (rare: the common case stays native-fast).
 */
function entryId(single: unknown): string {
  const id = JSON.stringify(single);
  return /null|[:,[]0[,}\]]/.test(id) ? `exact:${JSON.stringify(single, exactNumbers)}` : id;
}

function exactNumbers(_key: string, value: unknown): unknown {
  if (typeof value !== 'number' || (Number.isFinite(value) && !Object.is(value, -0))) return value;
  return { '\u0000number': Object.is(value, -0) ? '-0' : String(value) };
}

/**
 * The parts of prefix and text, with each line `<indent>key: <token>` replaced by `<indent>key:` and its cut's
 * entries indented below it: each entry's text at each indentation is one RepeatedText for the whole render, and
 * consecutive ones are passed in runs.
 */
function splice(prefix: string, text: string, cuts: readonly Cut[], runs: RunJoiner): FilePart[] | undefined {
  const at = new Map<Cut, number>();
  for (const cut of cuts) {
    const token = text.indexOf(cut.token);
    if (token < 2 || text.slice(token - 2, token + cut.token.length + 1) !== `: ${cut.token}\n`) return undefined;
    if (text.indexOf(cut.token, token + cut.token.length) >= 0) return undefined;
    at.set(cut, token - 2);
  }
  const parts: FilePart[] = [prefix];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => at.get(a)! - at.get(b)!)) {
    const colon = at.get(cut)!;
    const lineStart = text.lastIndexOf('\n', colon) + 1;
    let column = lineStart;
    while (text[column] === ' ' || (text[column] === '-' && text[column + 1] === ' ')) column += text[column] === ' ' ? 1 : 2;
    const width = column - lineStart + 2;
    parts.push(text.slice(from, colon), ':\n');
    const texts = cut.entries.map((entry) => {
      let indented = entry.indented.get(width);
      if (indented === undefined) entry.indented.set(width, (indented = new RepeatedText(indentLines(entry.text, ' '.repeat(width)))));
      return indented;
    });
    if (cut.inRuns) runs.push(parts, texts);
    else parts.push(...texts);
    from = colon + cut.token.length + 3;
  }
  parts.push(text.slice(from));
  return parts;
}

function indentLines(text: string, indent: string): string {
  // Empty lines stay empty, as js-yaml writes them inside block scalars.
  return text.replace(/^(?=.)/gm, indent);
}
