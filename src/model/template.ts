import { createRequire } from 'node:module';

// Handlebars is loaded only for templates beyond plain `{{variable}}` text: the defaults and most fleets never need it,
// and loading it would be a large part of what `validate` does.
let loaded: typeof import('handlebars') | undefined;
const handlebars = () => (loaded ??= createRequire(import.meta.url)('handlebars') as typeof import('handlebars'));

/** Text and `{{name}}` only (no other braces, no backslash escapes): what Handlebars would just substitute. */
const SIMPLE = /^(?:[^{}\\]|\{\{[a-z]+\}\})*$/;
const VARIABLE = /\{\{([a-z]+)\}\}/g;

/** What a name template may use. Anything else (helpers, blocks, partials, paths like `a.b`) is refused. */
export const TEMPLATE_VARIABLES = ['cluster', 'id', 'role', 'application', 'environment', 'zone', 'fleet'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateContext = { readonly [K in TemplateVariable]?: string | number };

const known = new Set<string>(TEMPLATE_VARIABLES);
const compiled = new Map<string, (ctx: TemplateContext) => string>();

/**
 * Checks a template's shape without rendering it. Returns the variables it uses, or the reason it is refused.
 * Handlebars' own strict mode catches unknown variables only at render time and allows helpers; this does both
 * up front, so every template problem is reported by `validate` with its location.
 */
export function inspectTemplate(source: string): { variables: readonly TemplateVariable[] } | { error: string } {
  if (SIMPLE.test(source)) {
    const names = [...source.matchAll(VARIABLE)].map((m) => m[1]);
    const unknown = names.find((n) => !known.has(n));
    if (unknown !== undefined)
      return { error: `uses unknown variable "${unknown}"; known: ${TEMPLATE_VARIABLES.join(', ')}` };
    return { variables: [...new Set(names as TemplateVariable[])].sort() };
  }
  let ast: hbs.AST.Program;
  try {
    ast = handlebars().parse(source);
  } catch (e) {
    const lines = (e as Error).message.split('\n');
    return { error: `is not a valid template: ${lines[0]} ${lines[lines.length - 1]}`.trim() };
  }
  const used = new Set<TemplateVariable>();
  for (const node of ast.body) {
    if (node.type === 'ContentStatement' || node.type === 'CommentStatement') continue;
    if (node.type !== 'MustacheStatement')
      return { error: `may only use {{variable}}; ${describe(node)} is not allowed` };
    const m = node as hbs.AST.MustacheStatement;
    const path = m.path as hbs.AST.PathExpression;
    if (m.params.length > 0 || (m.hash && m.hash.pairs.length > 0))
      return { error: `may only use {{variable}}; the helper call {{${path.original ?? '…'} …}} is not allowed` };
    if (
      path.type !== 'PathExpression' ||
      path.data ||
      path.depth > 0 ||
      path.parts.length !== 1 ||
      !known.has(path.parts[0])
    ) {
      const name = path.type === 'PathExpression' ? path.original : String((path as { value?: unknown }).value);
      return { error: `uses unknown variable "${name}"; known: ${TEMPLATE_VARIABLES.join(', ')}` };
    }
    used.add(path.parts[0] as TemplateVariable);
  }
  return { variables: [...used].sort() };
}

function describe(node: hbs.AST.Node): string {
  switch (node.type) {
    case 'BlockStatement':
      return `the block {{#${((node as hbs.AST.BlockStatement).path as hbs.AST.PathExpression).original}}}`;
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return 'a partial {{> …}}';
    case 'DecoratorBlock':
    case 'Decorator':
      return 'a decorator';
    default:
      return node.type;
  }
}

/** Renders a template that `inspectTemplate` accepted; a variable with no value is an error, never ''. */
export function renderTemplate(source: string, context: TemplateContext): string {
  let fn = compiled.get(source);
  if (!fn) {
    fn = SIMPLE.test(source)
      ? substitute(source)
      : handlebars().compile(source, { strict: true, noEscape: true, knownHelpersOnly: true, knownHelpers: {} });
    compiled.set(source, fn);
  }
  // Strings only: Handlebars adds two adjacent numbers (`{{id}}{{id}}` with id 5 gives "10") instead of joining them.
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) if (value !== undefined) strings[key] = String(value);
  return fn(strings);
}

/** What Handlebars (strict, no escaping) renders for a SIMPLE template; test/template.test.ts holds them equal. */
function substitute(source: string): (ctx: TemplateContext) => string {
  return (ctx) =>
    source.replace(VARIABLE, (_, name: string) => {
      const value = ctx[name as TemplateVariable];
      if (value === undefined) throw new Error(`template ${JSON.stringify(source)}: "${name}" has no value`);
      return String(value);
    });
}
