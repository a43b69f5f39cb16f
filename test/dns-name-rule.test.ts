// One DNS-name rule: a mesh endpoint name `validate` accepts is one `meshfleet dns` publishes, and a name one refuses
// the other refuses too, each saying why.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateSpec } from '../src/dns/index.ts';
import { MINIMAL, run, workspace } from './support/cli.ts';

const ZONE = 'mesh.example.internal';
const NAMES: Record<string, boolean> = {
  [`app.${ZONE}`]: true,
  [`1-2.${ZONE}`]: true,
  [`xn--bcher-kva.${ZONE}`]: true,
  [`${'a'.repeat(63)}.${ZONE}`]: true,
  [`${'a'.repeat(64)}.${ZONE}`]: false,
  [`${`${'a'.repeat(60)}.`.repeat(4)}${ZONE}`]: false, // 265 characters
  [`under_score.${ZONE}`]: false,
  [`-lead.${ZONE}`]: false,
  [`trail-.${ZONE}`]: false,
  [`Upper.${ZONE}`]: false,
  [`two..dots.${ZONE}`]: false,
  [`app.${ZONE}.`]: false,
};

/** The fleet with the application cluster's endpoint set to `name`; what `validate` says about the name. */
async function validateSays(name: string): Promise<string | undefined> {
  const text = MINIMAL.replace(
    '    environment: batch\n',
    `    environment: batch\n    dns:\n      endpoint: "${name}"\n`,
  );
  const result = await run(workspace(text), 'validate');
  return result.err.find((l) => l.includes('is not a valid DNS name'));
}

function dnsSays(name: string): string | undefined {
  const spec = {
    fleet: 'test',
    hostedZoneId: 'Z1',
    zone: ZONE,
    ipFamily: 'ipv4' as const,
    endpoints: [{ cluster: 'app', fqdn: name }],
  };
  return validateSpec(spec).find((l) => l.includes('is not a valid DNS name'));
}

test('validate and dns accept and refuse the same endpoint names, for the same reason', async () => {
  for (const [name, valid] of Object.entries(NAMES)) {
    const fromValidate = await validateSays(name);
    const fromDns = dnsSays(name);
    assert.is(fromValidate === undefined, valid, `validate on ${name}: ${fromValidate}`);
    assert.is(fromDns === undefined, valid, `dns on ${name}: ${fromDns}`);
    if (!valid)
      assert.is(fromValidate!.split('is not a valid DNS name: ')[1], fromDns!.split('is not a valid DNS name: ')[1]);
  }
});

test('the reason names the label that breaks the rule', async () => {
  assert.match(
    (await validateSays(`under_score.${ZONE}`))!,
    /label "under_score" must be lowercase letters, digits and "-"/,
  );
  assert.match(dnsSays(`${'a'.repeat(64)}.${ZONE}`)!, /label "a{64}" is 64 characters; at most 63 are allowed/);
});

test.run();
