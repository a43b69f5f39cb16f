// Ajv validators compiled to JavaScript by `npm run build` (build/validators/*.cjs), so that a run does not compile a
// schema that has not changed since the build.
//
// Each module records a key: a hash of the schema and the Ajv options it was compiled with. A module whose key does
// not match the schema and options in hand (a stale build, or tests running the sources after a schema edit) is
// ignored, and the caller compiles the schema as it always did: the precompiled code can make a run faster, never
// different.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Options, ValidateFunction } from 'ajv';

function findPackageRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The same from the sources (tsx) and from the bundle in build/. */
const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const validatorsDir = packageRoot === undefined ? undefined : join(packageRoot, 'build', 'validators');

/** What a compiled validator depends on. */
export function validatorKey(schema: unknown, options: Options): string {
  return createHash('sha256').update(JSON.stringify(options)).update('\0').update(JSON.stringify(schema)).digest('hex');
}

/** File name of a precompiled validator, e.g. `fleet` or `cilium-values-1.19.6`. */
export function validatorFile(name: string): string | undefined {
  return validatorsDir === undefined ? undefined : join(validatorsDir, `${name}.cjs`);
}

/** The module of precompiled validators `name`, if it was compiled from exactly this key. */
export function loadPrecompiledModule(name: string, key: string): Readonly<Record<string, unknown>> | undefined {
  const file = validatorFile(name);
  if (file === undefined || !existsSync(file)) return undefined;
  // CommonJS, loaded synchronously: validation is synchronous all the way up to the CLI.
  const loaded = createRequire(import.meta.url)(file) as Record<string, unknown>;
  return loaded.key === key ? loaded : undefined;
}

/** The precompiled validator `name` (a whole schema), if there is one compiled from exactly this key. */
export function loadPrecompiled(name: string, key: string): ValidateFunction | undefined {
  return loadPrecompiledModule(name, key)?.default as ValidateFunction | undefined;
}

/**
 * Compiles at run time what no precompiled module covers. Ajv is loaded only then: a run from the build never pays
 * for importing it.
 */
export function compileSchema(schema: object, options: Options): ValidateFunction {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new Ajv(options).compile(schema);
}
