// Validates Cilium Helm values against the chart's own values.schema.json (vendored in crds/cilium/<version>/).
//
// The upstream schema (draft-07) checks types and enums only: it has no `additionalProperties: false`, so a
// misspelt key passes it. Key names are checked separately (against values.yaml) by the tests.
//
// The schema files are found relative to the package root (the nearest folder above this module that holds
// package.json), so the same code works from the TypeScript source (tsx) and from the esbuild bundle
// (build/meshfleet.mjs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, Options } from 'ajv';
import { compileSchema, loadPrecompiledModule, validatorKey } from './precompiled.ts';
import { precompiledErrors, wholeSchemaErrors, type ErrorsOf } from './property-wise.ts';

export interface CiliumValuesError {
  /** Instance path split into segments, e.g. ['clustermesh', 'maxConnectedClusters']; [] for the root. */
  path: string[];
  /** Human-readable message, e.g. 'must be integer', 'must be one of: a, b'. */
  message: string;
}

function findPackageRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
const ciliumDir = packageRoot === undefined ? undefined : join(packageRoot, 'crds', 'cilium');

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function listVersions(): string[] {
  if (ciliumDir === undefined || !existsSync(ciliumDir)) return [];
  return readdirSync(ciliumDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(ciliumDir, e.name, 'values.schema.json')))
    .map((e) => e.name)
    .sort(compareVersions);
}

/** Cilium chart versions whose values schema ships with meshfleet (folders of crds/cilium), oldest first. */
export const ciliumVersions: readonly string[] = Object.freeze(listVersions());

// Upstream schema: strict mode off (it uses keywords and shapes Ajv's strict mode rejects). No meta-validation and
// no code optimisation: the file is vendored and checksummed, so neither would find anything, and both cost compile
// time. `npm run build` precompiles every version with these options (src/validate/precompile.ts).
export const CILIUM_AJV_OPTIONS: Options = {
  strict: false,
  allErrors: true,
  validateSchema: false,
  code: { optimize: false },
};

/** The values schema of a chart version that ships with meshfleet. */
export function ciliumValuesSchema(version: string): object {
  if (!ciliumVersions.includes(version) || ciliumDir === undefined) {
    throw new Error(
      `no values schema for Cilium chart ${version}; known versions: ${ciliumVersions.join(', ') || '(none found)'}`,
    );
  }
  return JSON.parse(readFileSync(join(ciliumDir, version, 'values.schema.json'), 'utf8')) as object;
}

const checks = new Map<string, ErrorsOf>();

function checkFor(version: string): ErrorsOf {
  const cached = checks.get(version);
  if (cached) return cached;
  const schema = ciliumValuesSchema(version);
  const precompiled = loadPrecompiledModule(`cilium-values-${version}`, validatorKey(schema, CILIUM_AJV_OPTIONS));
  const check =
    (precompiled && precompiledErrors(precompiled)) ?? wholeSchemaErrors(compileSchema(schema, CILIUM_AJV_OPTIONS));
  checks.set(version, check);
  return check;
}

function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': {
      const t = p.type;
      return `must be ${Array.isArray(t) ? t.join(' or ') : String(t)}`;
    }
    case 'enum':
      return `must be one of: ${(p.allowedValues as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'required':
      return `must have required property '${String(p.missingProperty)}'`;
    case 'additionalProperties':
      return `unknown key '${String(p.additionalProperty)}'`;
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}

/**
 * Validates Helm values for the Cilium chart `version` against that chart's values.schema.json.
 * Returns [] when valid. Throws for a version that has no schema in crds/cilium (see `ciliumVersions`).
 * Catches wrong types and enum values, not misspelt keys (the upstream schema allows any key).
 */
export function validateCiliumValues(version: string, values: unknown): CiliumValuesError[] {
  const seen = new Set<string>();
  const out: CiliumValuesError[] = [];
  for (const e of checkFor(version)(values)) {
    const path = pointerToPath(e.instancePath);
    const message = describe(e);
    const key = JSON.stringify([path, message]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message });
  }
  return out;
}
