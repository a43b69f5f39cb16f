import Handlebars from 'handlebars';

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
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (e) {
    const lines = (e as Error).message.split('\n');
    return { error: `is not a valid template: ${lines[0]} ${lines[lines.length - 1]}`.trim() };
  }
  const used = new Set<TemplateVariable>();
  for (const node of ast.body) {
    if (node.type === 'ContentStatement' || node.type === 'CommentStatement') continue;
    if (node.type !== 'MustacheStatement') return { error: `may only use {{variable}}; ${describe(node)} is not allowed` };
    const m = node as hbs.AST.MustacheStatement;
    const path = m.path as hbs.AST.PathExpression;
    if (m.params.length > 0 || (m.hash && m.hash.pairs.length > 0)) return { error: `may only use {{variable}}; the helper call {{${path.original ?? '…'} …}} is not allowed` };
    if (path.type !== 'PathExpression' || path.data || path.depth > 0 || path.parts.length !== 1 || !known.has(path.parts[0])) {
      const name = path.type === 'PathExpression' ? path.original : String((path as { value?: unknown }).value);
      return { error: `uses unknown variable "${name}"; known: ${TEMPLATE_VARIABLES.join(', ')}` };
    }
    used.add(path.parts[0] as TemplateVariable);
  }
  return { variables: [...used].sort() };
}

function describe(node: hbs.AST.Node): string {
  switch (node.type) {
    case 'BlockStatement': return `the block {{#${((node as hbs.AST.BlockStatement).path as hbs.AST.PathExpression).original}}}`;
    case 'PartialStatement': case 'PartialBlockStatement': return 'a partial {{> …}}';
    case 'DecoratorBlock': case 'Decorator': return 'a decorator';
    default: return node.type;
  }
}

/** Renders a template that `inspectTemplate` accepted; a variable with no value is an error, never ''. */
export function renderTemplate(source: string, context: TemplateContext): string {
  let fn = compiled.get(source);
  if (!fn) {
    fn = Handlebars.compile(source, { strict: true, noEscape: true, knownHelpersOnly: true, knownHelpers: {} });
    compiled.set(source, fn);
  }
  return fn(context);
}
