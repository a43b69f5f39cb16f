// A credential pasted as a value anywhere in fleet.yaml is refused by its form, whatever key holds it (defect 13).
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { secretInText } from '../src/validate/secrets.ts';
import { EXAMPLE, run, workspace } from './support/cli.ts';

const VAULT_TOKEN = `hvs.${'CAESIJlWh3n0lD4RqW3Y2fjEqjPRkYpRhPDXfRDEZvxjR3oGGh4KHGh2cy5mTVpkSW1kR2Rm'}`;
const LEGACY_TOKEN = 's.Ab3dEfGh1jKlMn0pQrStUvWx';
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

test('each kind of credential is recognised by its form, and the names around it are not', () => {
  const secret: [string, string][] = [
    [VAULT_TOKEN, 'a Vault token'],
    [`VAULT_TOKEN=${LEGACY_TOKEN}`, 'a Vault token'],
    [`hvb.${'A'.repeat(30)}x1`, 'a Vault token'],
    [`aws_access_key_id = ${ACCESS_KEY}`, 'an AWS access key ID'],
    [`Bearer ${JWT}`, 'a JWT'],
    ['https://admin:s3cr3t-pass@vault.example.internal:8200', 'credentials in a URL'],
    ['https://x-access-token:ghp_abc123def456@github.com/org/fleet.git', 'credentials in a URL'],
    ['-----BEGIN CERTIFICATE-----\nMIIB', 'a PEM block'],
    ['-----BEGIN EC PRIVATE KEY-----\nMHcC', 'a private key'],
    ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'what looks like an AWS secret access key'],
  ];
  for (const [text, kind] of secret) assert.is(secretInText(text), kind, text);
  const benign = [
    'https://vault.sneaksanddata.internal:8200',
    'ssh://git@github.com/example/fleet.git',
    'https://user:${GIT_TOKEN}@github.com/example/fleet.git',
    'https://{{ .user }}:{{ .password }}@example.com/x',
    'clusters/s3/tls/production-0/infrastructure/clustermesh',
    'production-1.airflow.cluster-mesh.sneaksanddata.internal',
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type',
    'quay.io/cilium/cilium:v1.19.6@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    'kustomize.toolkit.fluxcd.io/prune',
    'secret/data/clusters/mesh/tls/clustermesh-ca',
    'arn:aws:iam::123456789012:role/external-secrets',
    'clustermesh-apiserver.kube-system.svc',
  ];
  for (const text of benign) assert.is(secretInText(text), undefined, text);
});

const base62 = (length: number) =>
  fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
    minLength: length,
    maxLength: length,
  });
const upper = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), minLength: length, maxLength: length });
const b64url = (min: number) =>
  fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
    minLength: min,
    maxLength: min + 40,
  });
/** Text a credential is pasted into: words and separators that are not part of a token. */
const around = fc.string({ unit: fc.constantFrom(...'abc xyz=:;,"\' \n/'), maxLength: 20 });
/** What stands between a credential and the text around it (a token glued to a word is part of that word). */
const separator = fc.constantFrom(' ', '=', ': ', '"', "'", '\n', ',');

const credentials = fc.oneof(
  fc.tuple(fc.constantFrom('hvs.', 'hvb.', 'hvr.'), b64url(24)).map(([p, s]) => p + s),
  fc.tuple(fc.constantFrom('s.', 'b.'), base62(24)).map(([p, s]) => p + s),
  fc.tuple(fc.constantFrom('AKIA', 'ASIA'), upper(16)).map(([p, s]) => p + s),
  fc.tuple(b64url(8), b64url(8), b64url(8)).map(([h, p, s]) => `eyJ${h}.eyJ${p}.${s}`),
  fc
    .tuple(fc.constantFrom('https', 'http', 'postgres', 'redis'), base62(3), base62(8))
    .map(([scheme, user, pass]) => `${scheme}://${user}:${pass}@host.example.internal`),
);

const label = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
  minLength: 1,
  maxLength: 12,
});
const benignTexts = fc.oneof(
  fc.array(label, { minLength: 2, maxLength: 6 }).map((labels) => labels.join('.')), // DNS names
  fc.array(label, { minLength: 2, maxLength: 6 }).map((parts) => `clusters/${parts.join('/')}/tls`), // Vault paths
  fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30)).map(([a, b, c]) => `v${a}.${b}.${c}`), // versions
  fc
    .tuple(fc.array(label, { minLength: 2, maxLength: 4 }), fc.nat(65535))
    .map(([labels, port]) => `https://${labels.join('.')}:${port}/v1`), // URLs
);

test('property: a credential pasted into any text is found; DNS names, Vault paths, versions and plain URLs never are', () => {
  fc.assert(
    fc.property(around, separator, credentials, separator, around, (before, open, secret, close, after) => {
      const text = `${before}${open}${secret}${close}${after}`.padEnd(16, ' ');
      assert.ok(secretInText(text), JSON.stringify(text));
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(benignTexts, (text) => {
      assert.is(secretInText(text.padEnd(16, '-')), undefined, text);
    }),
    { numRuns: 1000 },
  );
});

test('a Vault token in a Cilium extraEnv entry or an annotation, and credentials in vault.server, are refused at the field with where they belong', async () => {
  const text = EXAMPLE.replace(
    'server: https://vault.sneaksanddata.internal:8200',
    'server: https://admin:s3cr3t-pass@vault.sneaksanddata.internal:8200',
  ).replace(
    '  ipFamily: ipv6       # AAAA records for the mesh endpoints\n',
    [
      '  ipFamily: ipv6',
      '  values:',
      '    extraEnv:',
      `      - {name: VAULT_TOKEN, value: ${VAULT_TOKEN}}`,
      '    podAnnotations:',
      `      example.com/auth: "Bearer ${JWT}"`,
      '',
    ].join('\n'),
  );
  const result = await run(workspace(text), 'validate');
  assert.is(result.code, 1);
  assert.equal(result.err, [
    'fleet.yaml:13:36: cilium.values.extraEnv[0].value holds a Vault token; fleet.yaml is committed to git and copied into every cluster\'s manifests, so it must hold no secret: store it in Vault (the KV mount "secret", beside the paths this fleet references) and have an ExternalSecret make a Kubernetes Secret of it; point the chart at that Secret (e.g. a valueFrom.secretKeyRef or existingSecret value), never at the value',
    'fleet.yaml:15:25: cilium.values.podAnnotations.example.com/auth holds a JWT; fleet.yaml is committed to git and copied into every cluster\'s manifests, so it must hold no secret: store it in Vault (the KV mount "secret", beside the paths this fleet references) and have an ExternalSecret make a Kubernetes Secret of it; point the chart at that Secret (e.g. a valueFrom.secretKeyRef or existingSecret value), never at the value',
    "fleet.yaml:22:11: vault.server holds credentials in a URL; fleet.yaml is committed to git and copied into every cluster's manifests, so it must hold no secret: each cluster logs in to Vault with Kubernetes auth (vault.auth: mountPath, role, serviceAccount), so no token or password belongs here; remove it",
    '3 problems in fleet.yaml',
  ]);
  assert.not.match(result.err.join('\n'), /s3cr3t|hvs\.|eyJ/);
}); // The example itself validates (validate.test.ts), as does every test fleet: none of them is taken for a secret.

test.run();
