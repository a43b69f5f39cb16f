// Build step (run by scripts/build.mjs): compiles the fleet schema and every shipped Cilium values schema to
// standalone JavaScript in build/validators/, with the options the validators use at run time (precompiled.ts
// explains how a stale file is recognised and ignored).
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Ajv, type Options } from 'ajv';
// CommonJS: its default export is the module object, which holds the function as .default.
import standaloneCode from 'ajv/dist/standalone/index.js';
import { CILIUM_AJV_OPTIONS, ciliumValuesSchema, ciliumVersions } from './cilium-schema.ts';
import { isPropertyWise, propertyExport, type PropertyWiseSchema } from './property-wise.ts';
import { validatorKey, validatorFile, validatorsDir } from './precompiled.ts';
import { FLEET_AJV_OPTIONS, fleetSchema } from './schema.ts';

/** Writes build/validators/<name>.cjs for each schema; returns the files written. */
export function precompileValidators(): string[] {
  if (validatorsDir === undefined) throw new Error('no package.json above src/validate: cannot tell where build/ is');
  mkdirSync(validatorsDir, { recursive: true });
  const jobs: { name: string; schema: object; options: Options }[] = [
    { name: 'fleet', schema: fleetSchema, options: FLEET_AJV_OPTIONS },
    ...ciliumVersions.map((v) => ({
      name: `cilium-values-${v}`,
      schema: ciliumValuesSchema(v),
      options: CILIUM_AJV_OPTIONS,
    })),
  ];
  return jobs.map(({ name, schema, options }) => {
    const key = validatorKey(schema, options);
    const ajv = new Ajv({ ...options, code: { ...options.code, source: true } });
    const file = validatorFile(name)!;
    const code = `${isPropertyWise(schema) ? propertyWiseCode(ajv, schema, file) : standaloneCode.default(ajv, ajv.compile(schema))}\nmodule.exports.key = ${JSON.stringify(key)};\n`;
    // Renamed into place: another process may be loading the previous file at this moment.
    writeFileSync(`${file}.${process.pid}.tmp`, code);
    renameSync(`${file}.${process.pid}.tmp`, file);
    return file;
  });
}

/**
 * One validator per property (property-wise.ts says why), each in a file of its own in the folder named after `file`
 * and read through the getter named propertyExport(i): a run loads the few it uses. Returns the module holding the
 * getters and the names.
 */
function propertyWiseCode(ajv: Ajv, schema: PropertyWiseSchema, file: string): string {
  const properties = Object.keys(schema.properties);
  const folder = file.replace(/\.cjs$/, '');
  // Filled beside the folder, then swapped in: another process may be loading from the previous one at this moment.
  const fresh = `${folder}.${process.pid}.tmp`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh);
  const getters = properties.map((property, i) => {
    writeFileSync(
      join(fresh, `${propertyExport(i)}.cjs`),
      standaloneCode.default(ajv, ajv.compile(schema.properties[property])),
    );
    return `Object.defineProperty(module.exports, ${JSON.stringify(propertyExport(i))}, { enumerable: true, get: () => require(${JSON.stringify(`./${basename(folder)}/${propertyExport(i)}.cjs`)}) });`;
  });
  const old = `${folder}.${process.pid}.old`;
  try {
    renameSync(folder, old);
  } catch {
    // no earlier build
  }
  renameSync(fresh, folder);
  rmSync(old, { recursive: true, force: true });
  return [`module.exports.properties = ${JSON.stringify(properties)};`, ...getters].join('\n');
}
