import { formatPath, type FieldPath, type Problem } from '../diagnostics.ts';
import { DEFAULTS } from '../model/fleet.ts';

/**
 * Secret material must never reach git: fleet.yaml holds only references to Vault. This scan walks every value of
 * the fleet data, free-form Helm `values` included, since those are copied into HelmReleases verbatim.
 */

/** What was found, without the value itself: a message must not repeat the secret it warns about. */
export interface SecretFinding {
  readonly path: FieldPath;
  readonly kind: string;
}

const PEM = /-----BEGIN [A-Z0-9 ]{0,40}-----/;
const PRIVATE_KEY = /PRIVATE KEY-----|\bPuTTY-User-Key-File-\d|\bssh-(rsa|ed25519) AAAA/;
// AWS secret access keys are 40 characters of base64. A run of exactly 40 such characters that mixes case and has
// a digit or a `/`/`+` is flagged; pure hex (a git or SHA-1 digest) is not.
const AWS_SECRET = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
// Key names whose value is a credential. Compared after lowercasing and removing `-`, `_` and `.`. Not `secretKey`:
// in External Secrets (which meshfleet renders) it names a key inside a Kubernetes Secret, a reference; a real
// S3 secret key under that name is still caught by its 40-character pattern.
const SENSITIVE_KEY =
  /(password|passwd|passphrase|token|secret|apikey|secretaccesskey|privatekey|clientsecret|credentials?)$/;
// `existingSecret: name` and friends name a Kubernetes object that holds the secret: a reference, not a value.
const REFERENCE_KEY = /^(existing|use|enable|auto|mount|automount)/;
// Values that point at a secret elsewhere: Vault and env references, and templates filled in by another tool.
const REFERENCE_VALUE = /^(vault:|ref\+vault:\/\/|\$\{[^}]+\}$)|\{\{.*\}\}/s;

/**
 * Credentials recognisable by their form wherever they are pasted (an `extraEnv` value, an annotation, a URL). Each
 * is anchored so that the names around it (DNS names, versions, Vault paths, image tags) do not match.
 */
const TOKENS: readonly (readonly [RegExp, string])[] = [
  // Vault service, batch and recovery tokens: `hvs.`/`hvb.`/`hvr.` since Vault 1.10, `s.`/`b.` + 24 characters before.
  [/(?<![\w.-])hv[sbr]\.[A-Za-z0-9_-]{20,}/, 'a Vault token'],
  [/(?<![\w.-])[sb]\.[A-Za-z0-9]{24}(?![\w.-])/, 'a Vault token'],
  // AWS access key IDs, long-term (AKIA) and temporary (ASIA): half of a credential, and what leads to the other half.
  [/(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/, 'an AWS access key ID'],
  // Base64url JSON header and payload (both start `{"`, eyJ) and a signature.
  [/(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'a JWT'],
];
/** `scheme://user:password@host`; a password that is a reference (`${VAR}`, `{{ .x }}`) is not a credential. */
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]+:([^\s/?#@]+)@/gi;
/** Words every match of TOKENS or URL_CREDENTIALS holds: most texts hold none, and no regex runs on them. */
const TOKEN_WORDS = ['s.', 'b.', 'hvr.', 'AKIA', 'ASIA', 'eyJ', '://'];

function tokenInText(text: string): string | undefined {
  if (!TOKEN_WORDS.some((w) => text.includes(w))) return undefined;
  for (const [pattern, kind] of TOKENS) if (pattern.test(text)) return kind;
  for (const m of text.matchAll(URL_CREDENTIALS)) {
    if (!/^(\$\{[^}]*\}|\{\{.*\}\})$/.test(m[1])) return 'credentials in a URL';
  }
  return undefined;
}

function awsSecretLike(text: string): boolean {
  for (const m of text.matchAll(AWS_SECRET)) {
    const s = m[0];
    if (/^[0-9a-fA-F]+$/.test(s)) continue;
    if (/[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9/+]/.test(s)) return true;
  }
  return false;
}

/** Why a string is secret material whatever key holds it, or undefined. */
export function secretInText(text: string): string | undefined {
  if (text.length < 16) return undefined; // every rendered string passes through here: almost none can be a secret
  return (
    keyMaterialInText(text) ??
    tokenInText(text) ??
    (text.length >= 40 && awsSecretLike(text) ? 'what looks like an AWS secret access key' : undefined)
  );
}

/**
 * PEM blocks and private keys only: cheap enough to run over whole rendered files. Each regex runs only on a text
 * holding a word every match of it holds. The words are looked for, not `-----`: rendered YAML is full of the start
 * of that (list items, names with dashes), so a search for it would stop at nearly every line.
 */
export function keyMaterialInText(text: string): string | undefined {
  if (PRIVATE_KEY_WORDS.some((w) => text.includes(w)) && PRIVATE_KEY.test(text)) return 'a private key';
  if (PEM_WORDS.some((w) => text.includes(w)) && PEM.test(text)) return 'a PEM block';
  return undefined;
}

/** Words every match of PRIVATE_KEY holds, and every match of PEM. */
const PRIVATE_KEY_WORDS = ['PRIVATE KEY', 'PuTTY', 'AAAA'];
const PEM_WORDS = ['BEGIN '];

/** The words keyMaterialInText looks for first: a text holding none of them holds no key material. */
export const KEY_MATERIAL_WORDS: readonly string[] = [...PRIVATE_KEY_WORDS, ...PEM_WORDS];

export function isSensitiveKey(key: string): boolean {
  let sensitive = sensitiveKeys.get(key);
  if (sensitive === undefined) {
    const k = key.toLowerCase().replace(/[-_.]/g, '');
    sensitiveKeys.set(key, (sensitive = SENSITIVE_KEY.test(k) && !REFERENCE_KEY.test(k)));
  }
  return sensitive;
}

/** By key: a render asks of every scalar's key, and a fleet's output has a few hundred distinct keys. */
const sensitiveKeys = new Map<string, boolean>();

/** A literal credential under a sensitive key: a non-empty string or a number that is not a reference. */
function literalUnder(key: string, value: unknown): boolean {
  if (!isSensitiveKey(key)) return false;
  if (typeof value === 'number') return true;
  return typeof value === 'string' && value.trim() !== '' && !REFERENCE_VALUE.test(value.trim());
}

export const LITERAL_CREDENTIAL = 'a literal credential';

/**
 * Why a scalar is secret material, or undefined: its text anywhere, or a literal credential under a sensitive key.
 * `key` is the key the value is under, or its index in a list. The rule for one value, shared by the scans that walk.
 */
export function scalarSecret(key: string | number | undefined, value: unknown): string | undefined {
  if (typeof value === 'string') {
    const kind = secretInText(value);
    if (kind) return kind;
  } else if (typeof value !== 'number') {
    return undefined;
  }
  return typeof key === 'string' && literalUnder(key, value) ? LITERAL_CREDENTIAL : undefined;
}

/** Every secret-looking value in data, in document order. Keys are scanned too (a PEM pasted as a key). */
export function findSecrets(data: unknown): SecretFinding[] {
  const found: SecretFinding[] = [];
  // Depth-first with an explicit stack: the loader caps nesting, but this scan must not be the thing that overflows.
  const stack: { value: unknown; path: FieldPath }[] = [{ value: data, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        const kind = secretInText(key);
        if (kind) found.push({ path: [...path, key], kind: `${kind} in a key` });
        stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
      }
    } else {
      const kind = scalarSecret(path[path.length - 1], value);
      if (kind) found.push({ path, kind });
    }
  }
  return found;
}

/** The validate step: each finding is a problem located at its field, saying where such a value belongs instead. */
export function secretProblems(data: unknown): Problem[] {
  const found = findSecrets(data);
  if (found.length === 0) return [];
  const vault = data !== null && typeof data === 'object' ? (data as { vault?: { mount?: unknown } }).vault : undefined;
  const mount = typeof vault?.mount === 'string' ? vault.mount : DEFAULTS.vaultMount;
  return found.map(({ path, kind }) => ({
    path,
    message: `${formatPath(path)} holds ${kind}; fleet.yaml is committed to git and copied into every cluster's manifests, so it must hold no secret: ${insteadOf(path, mount)}`,
  }));
}

/** Where a credential found at `path` belongs instead. */
function insteadOf(path: FieldPath, mount: string): string {
  if (path[0] === 'vault') {
    return 'each cluster logs in to Vault with Kubernetes auth (vault.auth: mountPath, role, serviceAccount), so no token or password belongs here; remove it';
  }
  if (path[0] === 'gitops') {
    return "give the GitOps engine its Git credentials in the cluster (a Flux GitRepository's secretRef, an Argo CD repository Secret), not in the URL";
  }
  return `store it in Vault (the KV mount "${mount}", beside the paths this fleet references) and have an ExternalSecret make a Kubernetes Secret of it; point the chart at that Secret (e.g. a valueFrom.secretKeyRef or existingSecret value), never at the value`;
}
