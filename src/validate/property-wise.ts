import type { ErrorObject, ValidateFunction } from 'ajv';

/**
 * Large schemas that are a plain object of independent properties (Cilium's values schemas, with about 170 top-level
 * keys) are compiled one validator per property. A fleet's values use a handful of keys, and V8 compiles only the
 * functions that run, so a check pays for the keys it meets, not for the whole schema.
 */

/** Ajv's errors for `values`, instance paths from the values' root; none when they are valid. */
export type ErrorsOf = (values: unknown) => readonly ErrorObject[];

export type PropertyWiseSchema = { readonly type: 'object'; readonly properties: Readonly<Record<string, object>> };

/**
 * Whether checking each property with its own subschema gives exactly the errors of the whole: the schema is
 * `{ type: 'object', properties }` and nothing relates one property to another or to the whole (no `$ref`, no
 * `required`, no `additionalProperties`, ...).
 */
export function isPropertyWise(schema: object): schema is PropertyWiseSchema {
  const { $schema: _, type, properties, ...rest } = schema as Record<string, unknown>;
  return (
    type === 'object' &&
    typeof properties === 'object' &&
    properties !== null &&
    Object.keys(rest).length === 0 &&
    !JSON.stringify(properties).includes('"$ref"')
  );
}

export function wholeSchemaErrors(validate: ValidateFunction): ErrorsOf {
  return (values) => (validate(values) ? [] : [...(validate.errors ?? [])]);
}

/**
 * @param properties the schema's, in its order (the order Ajv reports errors in)
 * @param validatorAt the validator of the i-th property, asked for only when a value has that property
 */
export function propertyWiseErrors(
  properties: readonly string[],
  validatorAt: (i: number) => ValidateFunction,
): ErrorsOf {
  const validators: ValidateFunction[] = [];
  return (values) => {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      return [
        {
          instancePath: '',
          schemaPath: '#/type',
          keyword: 'type',
          params: { type: 'object' },
          message: 'must be object',
        },
      ];
    }
    const errors: ErrorObject[] = [];
    properties.forEach((property, i) => {
      const value = (values as Record<string, unknown>)[property];
      if (value === undefined) return;
      const validate = (validators[i] ??= validatorAt(i));
      if (validate(value)) return;
      const prefix = `/${property.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      for (const e of validate.errors ?? []) errors.push({ ...e, instancePath: prefix + e.instancePath });
    });
    return errors;
  };
}

/** Export name of the validator of a property-wise module's i-th property (precompile.ts writes them). */
export const propertyExport = (i: number): string => `p${i}`;

/**
 * Exports of a precompiled module (precompile.ts): `properties` and one validator each (each loaded from a file of its
 * own when first read, so that a run loads only the validators of the keys it meets), or a whole `default`.
 */
export function precompiledErrors(module: Readonly<Record<string, unknown>>): ErrorsOf | undefined {
  const { properties } = module;
  if (Array.isArray(properties))
    return propertyWiseErrors(properties as string[], (i) => module[propertyExport(i)] as ValidateFunction);
  return typeof module.default === 'function' ? wholeSchemaErrors(module.default as ValidateFunction) : undefined;
}
