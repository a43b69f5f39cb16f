import { dump } from 'js-yaml';

/**
 * Keys sorted at every level, no line folding, no anchors: the same data always gives the same bytes. js-yaml
 * writes (with double quotes, what the `yaml` library would write) and `yaml` reads: only `yaml` keeps the positions
 * that located errors need, and js-yaml's emitter does less per value.
 */
export const YAML_OPTIONS = { sortKeys: true, lineWidth: -1, noRefs: true, quotingType: '"' } as const;

export function toYaml(value: unknown): string {
  return dump(value, YAML_OPTIONS);
}

/**
 * js-yaml's text for each distinct scalar and key, asked of js-yaml once per render. How a scalar is quoted is the
 * subtle part of YAML (what would read as a number, a boolean, a comment); which text a block mapping or sequence
 * puts around it is not, and the emitter (emit.ts) writes that itself. With lines never folded, js-yaml writes a
 * scalar the same way wherever it stands in a block collection: only a block scalar's later lines are indented
 * from where it stands, two spaces past the column of its key or dash, as they are here from column 0.
 */
export class YamlScalars {
  readonly #values = new Map<unknown, string>();
  readonly #keys = new Map<string, string | null>();

  /** A scalar's text (null, a boolean, a number or a string): several lines for a block scalar. */
  value(value: null | boolean | number | string): string {
    // Map keys compare 0 and -0 as equal, which YAML writes apart.
    if (Object.is(value, -0)) return scalarText(value);
    let text = this.#values.get(value);
    if (text === undefined) this.#values.set(value, (text = scalarText(value)));
    return text;
  }

  /**
   * A mapping key's text, or undefined for a key js-yaml writes as an explicit `? ` pair (over 1,024 characters),
   * which the emitter leaves to js-yaml.
   */
  key(key: string): string | undefined {
    let text = this.#keys.get(key);
    if (text === undefined) {
      const line = dump({ [key]: null }, YAML_OPTIONS);
      text = line.endsWith(': null\n') && !line.startsWith('? ') ? line.slice(0, -': null\n'.length) : null;
      if (text?.includes('\n')) text = null;
      this.#keys.set(key, text);
    }
    return text ?? undefined;
  }
}

/**
 * A word js-yaml writes as it is: a letter, then letters, digits and `._/-`, which YAML reads as nothing but a
 * string, unless it is one of WORDS_READ_AS_OTHER. Most scalars of a fleet are such names, paths and versions, and
 * a render has distinct ones by the cluster (its names and addresses): they are known here, not asked of js-yaml.
 */
const PLAIN_WORD = /^[A-Za-z][A-Za-z0-9._/-]*$/;
/** Words read as booleans or null: YAML 1.2's, and YAML 1.1's yes/no/on/off, which js-yaml quotes for old readers. */
const WORDS_READ_AS_OTHER = /^(?:true|false|null|y|yes|n|no|on|off)$/i;

/** The text js-yaml writes for value as a list item, without the dash before it and the line break after it. */
export function scalarText(value: unknown): string {
  if (typeof value === 'string' && PLAIN_WORD.test(value) && !WORDS_READ_AS_OTHER.test(value)) return value;
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  return dump([value], YAML_OPTIONS).slice('- '.length, -1);
}
