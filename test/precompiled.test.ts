// The validators `npm run build` precompiles (build/validators/) must answer exactly as the schemas compiled at run
// time, and must be ignored when they were compiled from another schema or other options.
import { Ajv, type ErrorObject } from 'ajv';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CILIUM_AJV_OPTIONS, ciliumValuesSchema, ciliumVersions } from '../src/validate/cilium-schema.ts';
import { loadPrecompiled, loadPrecompiledModule, validatorKey } from '../src/validate/precompiled.ts';
import { isPropertyWise, precompiledErrors, wholeSchemaErrors } from '../src/validate/property-wise.ts';
import { FLEET_AJV_OPTIONS, fleetSchema } from '../src/validate/schema.ts';

const badFleet = {
  fleet: 'Bad_Name',
  cilium: { maxConnectedClusters: 300, cni: 'calico' },
  dns: { zone: 'x' },
  vault: {},
  clusters: [{ name: 'a', id: 'one', role: 'storage', extra: true }, { id: 2 }],
};
const badValues = { hubble: { enabled: 'yes', relay: { enabled: 1 } }, operator: { replicas: 'two' }, MTU: 'big' };

function errorsOf(validate: (d: unknown) => boolean, data: unknown) {
  const v = validate as ((d: unknown) => boolean) & { errors?: unknown[] | null };
  v(data);
  // parentSchema and schema are copies in the standalone code: compare what they say, not which object they are.
  return JSON.parse(JSON.stringify(v.errors ?? []));
}

test('npm run build wrote a precompiled fleet validator that agrees with the schema compiled now', () => {
  const precompiled = loadPrecompiled('fleet', validatorKey(fleetSchema, FLEET_AJV_OPTIONS));
  assert.ok(precompiled, 'build/validators/fleet.cjs is missing or stale: run npm run build');
  const fresh = new Ajv(FLEET_AJV_OPTIONS).compile(fleetSchema);
  const errors = errorsOf(precompiled!, badFleet);
  assert.ok(errors.length > 5);
  assert.equal(errors, errorsOf(fresh, badFleet));
});

/** What a person is told: the same from a whole-schema validator and from property-wise ones (schemaPath differs). */
const told = (errors: readonly ErrorObject[]) =>
  errors.map(({ instancePath, keyword, params, message }) =>
    JSON.parse(JSON.stringify({ instancePath, keyword, params, message })),
  );

test('every shipped Cilium values schema is precompiled property-wise and answers as the whole schema compiled now', () => {
  assert.ok(ciliumVersions.length > 0);
  for (const version of ciliumVersions) {
    const schema = ciliumValuesSchema(version);
    assert.ok(isPropertyWise(schema), version);
    const module = loadPrecompiledModule(`cilium-values-${version}`, validatorKey(schema, CILIUM_AJV_OPTIONS));
    assert.ok(module, `build/validators/cilium-values-${version}.cjs is missing or stale: run npm run build`);
    const precompiled = precompiledErrors(module!)!;
    const whole = wholeSchemaErrors(new Ajv(CILIUM_AJV_OPTIONS).compile(schema));
    assert.is(precompiled(badValues).length, 4, version);
    assert.equal(told(precompiled(badValues)), told(whole(badValues)), version);
    // Any values, known keys or not, of any shape: the same errors in the same order.
    const keys = Object.keys((schema as { properties: object }).properties);
    const values = fc.oneof(
      fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string()), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    fc.assert(
      fc.property(values, (v) => assert.equal(told(precompiled(v)), told(whole(v)))),
      { numRuns: 300 },
    );
  }
});

test('a precompiled validator is not used for another schema or other options', () => {
  const other = { ...fleetSchema, required: ['fleet'] };
  assert.is(loadPrecompiled('fleet', validatorKey(other, FLEET_AJV_OPTIONS)), undefined);
  assert.is(loadPrecompiled('fleet', validatorKey(fleetSchema, { ...FLEET_AJV_OPTIONS, allErrors: false })), undefined);
  assert.is(loadPrecompiled('no-such-validator', validatorKey(fleetSchema, FLEET_AJV_OPTIONS)), undefined);
});

test.run();
