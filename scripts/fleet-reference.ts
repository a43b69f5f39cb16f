/**
 * Prints the fleet.yaml reference (every field, its type, what it means and its default) as a Markdown table,
 * from schema/fleet.schema.json, so that the docs cannot drift from the schema: `npx tsx scripts/fleet-reference.ts`.
 * test/readme.test.ts checks that docs/fleet-reference.md holds exactly this table.
 */
import schema from '../schema/fleet.schema.json' with { type: 'json' };

type Schema = {
  $ref?: string;
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  additionalProperties?: boolean | Schema;
};
const definitions = (schema as { definitions: Record<string, Schema> }).definitions;

function deref(s: Schema): Schema {
  if (!s.$ref) return s;
  const target = deref(definitions[s.$ref.replace('#/definitions/', '')]);
  return { ...target, ...s, $ref: undefined, description: s.description ?? target.description };
}

function typeOf(s: Schema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(deref(s.items)) : 'any'}`;
  if (Array.isArray(s.type)) return s.type.join(' \\| ');
  return s.type === 'object' ? 'map' : (s.type ?? 'any');
}

export function fleetReference(): string {
  const rows: string[] = ['| field | type | required | meaning and default |', '| --- | --- | --- | --- |'];
  const walk = (node: Schema, path: string, required: boolean) => {
    const s = deref(node);
    if (path)
      rows.push(
        `| \`${path}\` | ${typeOf(s)} | ${required ? 'yes' : ''} | ${(s.description ?? '').replace(/\|/g, '\\|')} |`,
      );
    const props = s.properties ?? (s.type === 'array' && s.items ? deref(s.items).properties : undefined);
    const req = s.properties ? (s.required ?? []) : s.items ? (deref(s.items).required ?? []) : [];
    if (!props) return;
    const prefix = s.type === 'array' ? `${path}[]` : path;
    for (const [key, child] of Object.entries(props)) walk(child, prefix ? `${prefix}.${key}` : key, req.includes(key));
  };
  walk(schema as Schema, '', true);
  return rows.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${fleetReference()}\n`);
