import { dump } from 'js-yaml';
import type { FieldPath } from '../diagnostics.ts';
import { findSecrets, scalarSecret, secretInText, type SecretFinding } from '../validate/secrets.ts';
import {
  isShared,
  joinParts,
  mappingGroups,
  SharedText,
  SharedTextJoiner,
  sharedGroups,
  type FilePart,
  type MappingEntry,
  type SharedGroup,
} from '../sharing/index.ts';
import { toYaml, YAML_OPTIONS as OPTIONS, YamlScalars } from './yaml-scalars.ts';

export { toYaml };

/** A manifest's YAML text and the secret-looking values in it (without the values). */
export interface Emitted {
  readonly text: string;
  /** The parts `text` was joined from (its own text and shared texts, src/sharing), when it holds a large collection. */
  readonly parts?: readonly FilePart[];
  readonly findings: readonly SecretFinding[];
}

/** What is made once of one entry of a large collection: its text at indent 0 and its findings from its own root. */
interface EntryResult {
  readonly text: string;
  readonly findings: readonly SecretFinding[];
  /** The text indented by n spaces, by n: each cluster's file places an entry at the same depth. */
  readonly indented: Map<number, SharedText>;
}

/** A shared group of a mapping's entries, written as one entry, and its first and last keys, to check their order. */
interface GroupResult {
  readonly entry: EntryResult;
  readonly first: string;
  readonly last: string;
}

interface Cut {
  readonly entries: readonly EntryResult[];
  /** Where a finding of entry i, at `path` from the entry's own root, is in the collection. */
  readonly locate: (i: number, path: FieldPath) => FieldPath;
  /**
   * Whether consecutive entries' texts are joined (SharedTextJoiner): not for shared groups (of a shared list or
   * mapping), which are joined already, and of which the one a file holds alone (the group holding the cluster
   * itself) would start joins that no other file holds.
   */
  readonly joins: boolean;
}

/** An entry of a mapping is a mapping of its key (or keys, for a shared group): its findings are where they are. */
const inPlace = (_: number, path: FieldPath) => path;
/** An item of a list is written as a list of itself: its findings are at its index. */
const atIndex = (i: number, path: FieldPath) => [i, ...path.slice(1)];

/**
 * Writes manifests as YAML and scans them for secrets in one walk, reusing work across the clusters of a fleet.
 * Every scalar and key is quoted as js-yaml quotes it (yaml-scalars.ts), so the text is byte for byte one js-yaml
 * `dump` (the unit tests prove it on arbitrary data), without js-yaml's generality: each cluster of a fleet holds the
 * same keys and mostly the same values, and dumping each object anew (then scanning it apart) had js-yaml work out
 * again, value by value, what it had written for the cluster before.
 *
 * In a full mesh every cluster's secrets list every other cluster, so the same entries recur in every file: a
 * collection under a key with `minEntries` or more entries is written entry by entry, each distinct entry is written
 * and scanned once, and its text is indented into place as a shared text of the file (src/sharing). Shared lists and
 * mappings (a mesh's peers in shared groups) are written a shared group at a time, and what is written of a shared
 * value is kept by its identity.
 */
export class ManifestEmitter {
  readonly #scalars = new YamlScalars();
  readonly #entries = new Map<string, EntryResult>();
  /** Entries `key: string`, by key then value: no id to build, and V8 keeps each string's hash. */
  readonly #stringEntries = new Map<string, Map<string, EntryResult>>();
  readonly #shared = new WeakMap<object, EntryResult>();
  readonly #groups = new WeakMap<SharedGroup<MappingEntry<unknown>>, GroupResult | null>();
  readonly #listGroups = new WeakMap<readonly unknown[], EntryResult | null>();
  readonly #joiner = new SharedTextJoiner();
  readonly #minEntries: number;

  /** @param minEntries smallest collection written entry by entry. @default 32 */
  constructor(minEntries = 32) {
    this.#minEntries = minEntries;
  }

  /** @param prefix text put before the YAML (a file's header comment), and the start of its first part. @default '' */
  emit(value: unknown, prefix = ''): Emitted {
    return this.#write(value, new Draft(prefix, true));
  }

  /** value's text and findings; its large collections as parts if the draft cuts them. */
  #write(value: unknown, draft: Draft): Emitted {
    const keys = isMapping(value) ? definedKeys(value) : [];
    try {
      if (keys.length > 0) this.#mapping(value as Record<string, unknown>, keys, '', '', draft);
      else if (Array.isArray(value) && value.length > 0) this.#sequence(value, '', '', draft);
      else throw new Unwritable(); // what js-yaml writes on one line: `{}`, `[]`, a scalar
    } catch (e) {
      if (e instanceof Unwritable) return { text: draft.prefix + dump(value, OPTIONS), findings: findSecrets(value) };
      throw e;
    }
    if (!draft.parts) return { text: draft.text, findings: draft.findings };
    draft.parts.push(draft.text);
    return { text: joinParts(draft.parts), parts: draft.parts, findings: draft.findings };
  }

  /**
   * A block mapping's keys (defined, sorted) and values; its first line begins with `lead` (the dashes of the list
   * items it starts, if any), the others with `indent`.
   */
  #mapping(
    object: Readonly<Record<string, unknown>>,
    keys: readonly string[],
    indent: string,
    lead: string,
    draft: Draft,
  ): void {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const keyText = this.#scalars.key(key);
      if (keyText === undefined) throw new Unwritable();
      draft.path.push(key);
      const inKey = secretInText(key);
      if (inKey) draft.find(`${inKey} in a key`);
      this.#value(object[key], (i === 0 ? lead : indent) + keyText, indent, draft);
      draft.path.pop();
    }
  }

  /** The value of a key whose line so far is `line`, in a mapping indented by `indent`. */
  #value(value: unknown, line: string, indent: string, draft: Draft): void {
    if (value === null || typeof value !== 'object') {
      draft.text += `${line}: ${this.#scalar(value, indent, draft)}\n`;
      return;
    }
    const nested = indent + '  ';
    if (Array.isArray(value)) {
      if (value.length === 0) draft.text += `${line}: []\n`;
      else if (!(draft.cuts && this.#cut(this.#listEntries(value), line, indent, draft))) {
        draft.text += `${line}:\n`;
        this.#sequence(value, nested, nested, draft);
      }
      return;
    }
    if (!isMapping(value)) throw new Unwritable();
    const groups = draft.cuts ? mappingGroups(value) : undefined;
    if (groups && this.#cut(this.#groupEntries(groups), line, indent, draft)) return;
    const keys = definedKeys(value);
    if (keys.length === 0) draft.text += `${line}: {}\n`;
    else if (!(draft.cuts && this.#cut(this.#mapEntries(value, keys), line, indent, draft))) {
      draft.text += `${line}:\n`;
      this.#mapping(value as Record<string, unknown>, keys, nested, nested, draft);
    }
  }

  /** A block sequence's items, as #mapping's. */
  #sequence(items: readonly unknown[], indent: string, lead: string, draft: Draft): void {
    for (let i = 0; i < items.length; i++) {
      const item = items[i] ?? null; // js-yaml writes an undefined item as null
      const line = `${i === 0 ? lead : indent}- `;
      draft.path.push(i);
      if (item === null || typeof item !== 'object') {
        draft.text += `${line}${this.#scalar(item, indent, draft)}\n`;
      } else if (Array.isArray(item)) {
        if (item.length === 0) draft.text += `${line}[]\n`;
        else this.#sequence(item, indent + '  ', line, draft);
      } else {
        if (!isMapping(item)) throw new Unwritable();
        const keys = definedKeys(item);
        if (keys.length === 0) draft.text += `${line}{}\n`;
        else this.#mapping(item as Record<string, unknown>, keys, indent + '  ', line, draft);
      }
      draft.path.pop();
    }
  }

  /** A scalar's text, its later lines (a block scalar's) indented past `indent`; scanned for secrets at the path. */
  #scalar(value: unknown, indent: string, draft: Draft): string {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean' && value !== null)
      throw new Unwritable();
    const finding = scalarSecret(draft.path[draft.path.length - 1], value);
    if (finding) draft.find(finding);
    const text = this.#scalars.value(value);
    return indent === '' || !text.includes('\n') ? text : text.replace(/\n(?=.)/g, `\n${indent}`);
  }

  /**
   * Writes `line:` (a key of a mapping indented by `indent`) and a large collection's entries as parts, each entry's
   * text indented once per render to the depth it is placed at; false, writing nothing, if `cut` is undefined (a
   * collection to write as any other).
   */
  #cut(cut: Cut | undefined, line: string, indent: string, draft: Draft): boolean {
    if (!cut) return false;
    const width = indent.length + 2;
    const entryIndent = ' '.repeat(width);
    const parts = (draft.parts ??= []);
    parts.push(`${draft.text}${line}:\n`);
    draft.text = '';
    const texts = cut.entries.map((entry) => {
      let indented = entry.indented.get(width);
      if (indented === undefined)
        entry.indented.set(width, (indented = new SharedText(indentLines(entry.text, entryIndent))));
      return indented;
    });
    if (cut.joins) this.#joiner.push(parts, texts);
    else parts.push(...texts);
    cut.entries.forEach((entry, i) => {
      for (const f of entry.findings)
        draft.findings.push({ kind: f.kind, path: [...draft.path, ...cut.locate(i, f.path)] });
    });
    return true;
  }

  #listEntries(value: readonly unknown[]): Cut | undefined {
    if (value.length < this.#minEntries) return undefined;
    const groups = sharedGroups(value);
    if (groups) return this.#listGroupEntries(groups);
    if (value.some((v) => v === undefined)) return undefined;
    return { locate: atIndex, joins: true, entries: value.map((item) => this.#item(item)) };
  }

  #mapEntries(value: object, keys: readonly string[]): Cut | undefined {
    if (keys.length < this.#minEntries) return undefined;
    return {
      locate: inPlace,
      joins: true,
      entries: keys.map((k) => this.#mapEntry(k, (value as Record<string, unknown>)[k])),
    };
  }

  /**
   * A shared list's items as one entry per shared group (a group of items is written as the list of them), or
   * undefined if an item is undefined (the list is then read as any array, which will not be cut).
   */
  #listGroupEntries(groups: readonly (readonly unknown[])[]): Cut | undefined {
    const entries: EntryResult[] = [];
    const starts: number[] = [];
    let start = 0;
    for (const group of groups) {
      let result = this.#listGroups.get(group);
      if (result === undefined) {
        result = group.includes(undefined)
          ? null
          : joined(
              group.map((item) => this.#item(item)),
              atIndex,
            );
        this.#listGroups.set(group, result);
      }
      if (result === null) return undefined;
      entries.push(result);
      starts.push(start);
      start += group.length;
    }
    return { entries, joins: false, locate: (i, path) => [starts[i] + (path[0] as number), ...path.slice(1)] };
  }

  /**
   * A shared mapping's entries as one entry per shared group, if its keys are in order across the groups (as a
   * mesh's peers are); else undefined, and the mapping is read as any object.
   */
  #groupEntries(groups: readonly SharedGroup<MappingEntry<unknown>>[]): Cut | undefined {
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
    return count < this.#minEntries ? undefined : { locate: inPlace, joins: false, entries };
  }

  /**
   * A shared group's entries and its first and last keys, if its keys are in order and its values defined; made once
   * per render, as the group is the same wherever it recurs.
   */
  #group(group: SharedGroup<MappingEntry<unknown>>): GroupResult | undefined {
    let result = this.#groups.get(group);
    if (result === undefined) {
      const inOrder = group.every(([key, value], i) => value !== undefined && (i === 0 || group[i - 1][0] < key));
      const entry = inOrder
        ? joined(
            group.map(([key, value]) => this.#mapEntry(key, value)),
            inPlace,
          )
        : undefined;
      result = entry ? { entry, first: group[0][0], last: group[group.length - 1][0] } : null;
      this.#groups.set(group, result);
    }
    return result ?? undefined;
  }

  #mapEntry(key: string, value: unknown): EntryResult {
    if (typeof value !== 'string') return this.#entry({ [key]: value });
    let byValue = this.#stringEntries.get(key);
    if (!byValue) this.#stringEntries.set(key, (byValue = new Map()));
    let result = byValue.get(value);
    if (!result) byValue.set(value, (result = this.#entryResult({ [key]: value })));
    return result;
  }

  /** A shared value (the entry charts make of a peer) is known by identity, without an id: it cannot change. */
  #item(item: unknown): EntryResult {
    if (typeof item !== 'object' || item === null) return this.#entry([item]);
    let result = this.#shared.get(item);
    if (!result) {
      result = this.#entry([item]);
      if (isShared(item)) this.#shared.set(item, result);
    }
    return result;
  }

  #entry(single: unknown): EntryResult {
    const id = entryId(single);
    let result = this.#entries.get(id);
    if (!result) this.#entries.set(id, (result = this.#entryResult(single)));
    return result;
  }

  /** An entry (a mapping of one key, a list of one item) written whole: its text is shared by the files holding it. */
  #entryResult(single: unknown): EntryResult {
    const { text, findings } = this.#write(single, new Draft('', false));
    return { text, findings, indented: new Map() };
  }
}

/** What this writer leaves to js-yaml: a non-plain object (a Date, a class instance), a key longer than a line. */
class Unwritable {}

/** A file as it is written: the text since the last part, the parts before it, the findings and where the walk is. */
class Draft {
  text: string;
  parts: FilePart[] | undefined;
  readonly findings: SecretFinding[] = [];
  /** Extended and restored in place while walking; copied only into a finding. */
  readonly path: (string | number)[] = [];

  /** @param cuts whether large collections become parts (not inside an entry, whose text is one part itself) */
  constructor(
    readonly prefix: string,
    readonly cuts: boolean,
  ) {
    this.text = prefix;
  }

  find(kind: string): void {
    this.findings.push({ kind, path: [...this.path] });
  }
}

/** A plain object (or a shared mapping, which reads as one): what js-yaml writes as a mapping of its keys. */
function isMapping(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The keys js-yaml writes, in its order: sorted, without those whose value is undefined. */
function definedKeys(object: object): string[] {
  const keys: string[] = [];
  let sorted = true;
  for (const key of Object.keys(object)) {
    if ((object as Record<string, unknown>)[key] === undefined) continue;
    if (sorted && keys.length > 0 && keys[keys.length - 1] > key) sorted = false;
    keys.push(key);
  }
  // Most objects are built with their keys in order already: they are seen to be, and sorted only when not.
  return sorted ? keys : keys.sort();
}

/**
 * One entry standing for consecutive entries (a shared group's), from their texts, each written once per render:
 * a collection's entries are written one after another.
 */
function joined(entries: readonly EntryResult[], locate: Cut['locate']): EntryResult {
  const findings = entries.flatMap((entry, i) =>
    entry.findings.map((f) => ({ kind: f.kind, path: locate(i, f.path) })),
  );
  return { text: entries.map((entry) => entry.text).join(''), findings, indented: new Map() };
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

function indentLines(text: string, indent: string): string {
  // Empty lines stay empty, as js-yaml writes them inside block scalars.
  return text.replace(/^(?=.)/gm, indent);
}
