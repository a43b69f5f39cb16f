// Name templates: plain `{{variable}}` templates are substituted without loading Handlebars; this holds that
// substitution to exactly what Handlebars (strict, no escaping) renders, and the refusals to what validate promises.
import Handlebars from 'handlebars';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inspectTemplate, renderTemplate, TEMPLATE_VARIABLES, type TemplateContext } from '../src/model/template.ts';

const text = fc.string({ unit: fc.constantFrom(...'abc.-_/:<>&"\'`= 0123456789é'.split('')), maxLength: 6 });
const variable = fc.constantFrom(...TEMPLATE_VARIABLES).map((v) => `{{${v}}}`);
const template = fc.array(fc.oneof(text, variable), { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''));
const value = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 511 }));
const context = fc.record(
  Object.fromEntries(TEMPLATE_VARIABLES.map((v) => [v, value])) as Record<string, fc.Arbitrary<string | number>>,
);

test('plain {{variable}} templates render exactly as Handlebars renders them', () => {
  fc.assert(
    fc.property(template, context, (source, ctx) => {
      // renderTemplate passes values as strings (Handlebars adds adjacent numbers instead of joining them).
      const strings = Object.fromEntries(Object.entries(ctx).map(([k, v]) => [k, String(v)]));
      const expected = Handlebars.compile(source, {
        strict: true,
        noEscape: true,
        knownHelpersOnly: true,
        knownHelpers: {},
      })(strings);
      assert.is(renderTemplate(source, ctx as TemplateContext), expected);
    }),
    { numRuns: 2000 },
  );
});

test('the variables a template uses, and the refusals', () => {
  assert.equal(inspectTemplate('{{environment}}.{{application}}.{{zone}}'), {
    variables: ['application', 'environment', 'zone'],
  });
  assert.equal(inspectTemplate('{{region}}.{{zone}}'), {
    error: 'uses unknown variable "region"; known: cluster, id, role, application, environment, zone, fleet',
  });
  assert.equal(inspectTemplate('{{#if zone}}x{{/if}}'), {
    error: 'may only use {{variable}}; the block {{#if}} is not allowed',
  });
  assert.equal(inspectTemplate('{{> partial}}'), {
    error: 'may only use {{variable}}; a partial {{> …}} is not allowed',
  });
  assert.equal(inspectTemplate('{{lookup cluster "x"}}'), {
    error: 'may only use {{variable}}; the helper call {{lookup …}} is not allowed',
  });
  assert.equal(inspectTemplate('{{cluster.constructor}}'), {
    error:
      'uses unknown variable "cluster.constructor"; known: cluster, id, role, application, environment, zone, fleet',
  });
});

test('numbers are joined as text, not added', () => {
  assert.is(renderTemplate('{{id}}{{id}}', { id: 5 }), '55');
});

test('a variable without a value is an error, never an empty string', () => {
  assert.throws(() => renderTemplate('{{environment}}.{{zone}}', { zone: 'z' }), /environment/);
});

test.run();
