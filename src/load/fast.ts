// The fast way from text to data for the common case, a plain fleet file: js-yaml reads it without building the
// positioned document tree that `yaml` builds for messages, which a valid file never needs. It must give exactly the data `yaml` gives (source.ts), so it only
// takes texts without the YAML features where the two could disagree or that need source.ts's guards, and a scalar
// resolves by the YAML 1.2 core schema's own patterns (js-yaml's CORE_SCHEMA also reads 1_000, -0x1F and +.5e3 as
// numbers; `yaml` reads them as strings). Anything else, and any js-yaml error, is left to source.ts, which reports it.
// test/fast-load.test.ts checks that whatever is taken here reads the same as through `yaml`.
import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';

const NULL = /^(?:~|null|Null|NULL)$/;
const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

// An empty value is null without asking the schema, in js-yaml as in `yaml`.
const nul = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (s: string | null) => s === null || NULL.test(s),
  construct: () => null,
});
const bool = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && BOOL.test(s),
  construct: (s: string) => s[0].toLowerCase() === 't',
});

const int = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && (INT_DEC.test(s) || INT_OCT.test(s) || INT_HEX.test(s)),
  construct: (s: string) =>
    INT_OCT.test(s) ? parseInt(s.slice(2), 8) : INT_HEX.test(s) ? parseInt(s.slice(2), 16) : parseInt(s, 10),
});

const float = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && (FLOAT_SPECIAL.test(s) || FLOAT.test(s)),
  construct: (s: string) => {
    if (!FLOAT_SPECIAL.test(s)) return parseFloat(s);
    if (s.slice(-3).toLowerCase() === 'nan') return NaN;
    return s[0] === '-' ? -Infinity : Infinity;
  },
});

const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [nul, bool, int, float] });

/**
 * Texts this path leaves to `yaml`, conservatively (a false alarm only costs time). Outside quoted scalars: anchors,
 * aliases and tags (`&a`, `*a`, `!t`, also inside a plain string), directives and document markers, explicit keys
 * (`? `), a flow collection as a key (`[a]: b`, or `{[a]}` and `{a, {b}}` without a value), a pair in a flow list (`[a: b]`), merge keys, a comment not after a
 * space, a line ending in an entry `-` (js-yaml misplaces an empty entry that follows one), block scalars (`|`,
 * `>`: the two keep trailing blank lines differently). Anywhere: tabs, a BOM or other invisible format characters, and control characters.
 */
const TOKENS =
  /(?:^|[\s[\]{},])[&*!]|^(?:%|---|\.\.\.)|(?:^|\s)\?(?:\s|$)|[\]}][ ]*:|[{,][ ]*[[{]|<<|\[[^\]\n]*:|["'\]}]#|(?:^|[ ])-[ ]*$|(?:^|[\s:])[|>][-+0-9]*[ ]*$/m;
// eslint-disable-next-line no-control-regex -- these control characters are exactly what the fast path must refuse
const CHARACTERS = /[\t\uFEFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/;

/** The data of a plain fleet text no deeper than `maxDepth`, or undefined to say "use source.ts". */
export function fastData(text: string, maxDepth: number): { data: unknown } | undefined {
  if (CHARACTERS.test(text)) return undefined;
  const unquoted = withoutQuoted(text);
  if (unquoted === undefined || TOKENS.test(unquoted)) return undefined;
  let data: unknown;
  try {
    data = load(text, { schema: SCHEMA });
  } catch {
    return undefined; // duplicate keys, syntax errors, several documents...: source.ts says where
  }
  if (data === null || data === undefined || !plain(data, maxDepth)) return undefined;
  return { data };
}

/**
 * The text with the contents of its quoted scalars and comments left out, or undefined if a quoted scalar or a flow
 * collection may span lines (how far its next lines must be indented is where js-yaml and `yaml` differ). Any quote
 * after a space, a line start or `[{,:` is taken to open one, which errs on the safe side.
 */
function withoutQuoted(text: string): string | undefined {
  const parts: string[] = [];
  let from = 0;
  let quote = '';
  let flow = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === '') {
      if (c === '[' || c === '{') flow++;
      else if (c === ']' || c === '}') flow--;
      else if (c === '\n' && flow !== 0) return undefined;
      if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\n')) {
        parts.push(text.slice(from, i));
        const end = text.indexOf('\n', i);
        if (end === -1) return parts.join('');
        from = end;
        i = end - 1; // the line break itself is looked at next: it may be inside a flow collection
      } else if ((c === '"' || c === "'") && (i === 0 || ' \n[{,:'.includes(text[i - 1]))) {
        quote = c;
        parts.push(text.slice(from, i + 1));
      }
    } else if (c === '\n' || c === '\r') return undefined;
    else if (quote === '"' && c === '\\') {
      if (text[i + 1] === '\n' || text[i + 1] === '\r') return undefined;
      i++;
    } else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else {
        quote = '';
        from = i;
      }
    }
  }
  if (quote !== '') return undefined;
  parts.push(text.slice(from));
  return parts.join('');
}

/**
 * Whether no map or list is nested `maxDepth` levels deep (as source.ts counts) and no key reads as "null" (a null
 * key, `~:` or `:`, is "null" to js-yaml but "" to `yaml`; a quoted "null" is merely sent the slow way).
 * Checked without recursion.
 */
function plain(root: unknown, maxDepth: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= maxDepth) return false;
    if (!Array.isArray(node) && Object.hasOwn(node, 'null')) return false;
    for (const value of Object.values(node)) stack.push({ node: value, depth: depth + 1 });
  }
  return true;
}
