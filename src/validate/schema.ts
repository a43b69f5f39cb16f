import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import fleetSchema from '../../schema/fleet.schema.json' with { type: 'json' };
import { formatPath, type FieldPath, type Problem } from '../diagnostics.ts';
import { compileSchema, loadPrecompiled, validatorKey } from './precompiled.ts';

export { fleetSchema };
/** Also what `npm run build` precompiles the fleet schema with (src/validate/precompile.ts). */
export const FLEET_AJV_OPTIONS: Options = { strict: true, allErrors: true, allowUnionTypes: true, verbose: true };

let validator: ValidateFunction | undefined;

/** Compiled once per process: the same schema file serves editors (yaml-language-server) and `validate`. */
function compiled(): ValidateFunction {
  if (!validator) {
    validator =
      loadPrecompiled('fleet', validatorKey(fleetSchema, FLEET_AJV_OPTIONS)) ??
      compileSchema(fleetSchema, FLEET_AJV_OPTIONS);
  }
  return validator;
}

/** What a `$ref`'d definition means, for messages a person can act on instead of a regular expression. */
const PATTERN_HINTS: Record<string, string> = {
  dnsLabel: 'must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit',
  dnsName: 'must be a DNS name: dot-separated labels of lowercase letters, digits and "-"',
  quantity: 'must be a Kubernetes quantity such as 500m, 2 or 8Gi (suffixes m k M G T P E, Ki Mi Gi Ti Pi Ei)',
};

export function schemaProblems(data: unknown): Problem[] {
  const validate = compiled();
  if (validate(data)) return [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const found = toProblem(error, data);
    if (!found) continue;
    const problem: Problem = { ...found, fromSchema: true };
    const key = `${formatPath(problem.path)}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function toProblem(error: ErrorObject, data: unknown): Problem | undefined {
  const path = pointerToPath(error.instancePath, data);
  const where = formatPath(path);
  const value = valueAt(data, path);
  switch (error.keyword) {
    case 'required': {
      const field = (error.params as { missingProperty: string }).missingProperty;
      return {
        path,
        missing: [[...path, field]],
        message: `${path.length ? `${where}: ` : ''}missing required field "${field}"`,
      };
    }
    case 'additionalProperties': {
      const field = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const hint = closest(field, known);
      return {
        path: [...path, field],
        atKey: true,
        ...(hint ? { meant: [...path, hint] } : {}),
        message: `${formatPath([...path, field])} is not a known field${hint ? `; did you mean "${hint}"?` : `; known: ${known.join(', ')}`}`,
      };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues
        .map((v) => JSON.stringify(v))
        .join(', ');
      return { path, message: `${where} ${show(value)} must be one of ${allowed}` };
    }
    case 'type':
      return {
        path,
        message: `${where} must be ${article((error.params as { type: string | string[] }).type)}, not ${kindOf(value)}`,
      };
    case 'pattern': {
      const def = /#\/definitions\/(\w+)\//.exec(error.schemaPath)?.[1];
      return {
        path,
        message: `${where} ${show(value)} ${(def && PATTERN_HINTS[def]) || `must match ${(error.params as { pattern: string }).pattern}`}`,
      };
    }
    case 'minimum':
    case 'maximum':
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
      return { path, message: `${where} ${show(value)} ${error.message}` };
    case 'if':
    case 'anyOf':
    case 'oneOf':
      return undefined; // the branch errors say more
    default:
      return { path, message: `${where} ${error.message ?? 'is invalid'}` };
  }
}

function pointerToPath(pointer: string, data: unknown): FieldPath {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(node) ? Number(part) : part;
    path.push(segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  }
  return path;
}

function valueAt(data: unknown, path: FieldPath): unknown {
  let node = data;
  for (const part of path)
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part as string] : undefined;
  return node;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
  return `${typeof value} ${show(value)}`;
}

function article(type: string | string[]): string {
  const names: Record<string, string> = {
    object: 'a map',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
    null: 'null',
  };
  return (Array.isArray(type) ? type : [type]).map((t) => names[t] ?? t).join(' or ');
}

/** The known field a misspelt one most likely meant, if any is close. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}
