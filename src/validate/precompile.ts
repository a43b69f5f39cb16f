// Build step (run by scripts/build.mjs): compiles the fleet schema and every shipped Cilium values schema to
// standalone JavaScript in build/validators/, with the options the validators use at run time (precompiled.ts
// explains how a stale file is recognised and ignored).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
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
    ...ciliumVersions.map((v) => ({ name: `cilium-values-${v}`, schema: ciliumValuesSchema(v), options: CILIUM_AJV_OPTIONS })),
  ];
  return jobs.map(({ name, schema, options }) => {
    const key = validatorKey(schema, options);
    const ajv = new Ajv({ ...options, code: { ...options.code, source: true } });
    const code = `${isPropertyWise(schema) ? propertyWiseCode(ajv, schema) : standaloneCode.default(ajv, ajv.compile(schema))}\nmodule.exports.key = ${JSON.stringify(key)};\n`;
    const file = validatorFile(name)!;
    // Renamed into place: another process may be loading the previous file at this moment.
    writeFileSync(`${file}.${process.pid}.tmp`, code);
    renameSync(`${file}.${process.pid}.tmp`, file);
    return file;
  });
}

/** One validator per property (property-wise.ts says why), each under its propertyExport name, and the names. */
function propertyWiseCode(ajv: Ajv, schema: PropertyWiseSchema): string {
  const properties = Object.keys(schema.properties);
  properties.forEach((property, i) => ajv.addSchema(schema.properties[property], propertyExport(i)));
  const code = standaloneCode.default(ajv, Object.fromEntries(properties.map((_, i) => [propertyExport(i), propertyExport(i)])));
  return `${code}\nmodule.exports.properties = ${JSON.stringify(properties)};`;
}
