// Test harness: validates rendered manifests against the upstream schemas vendored in crds/ (and, for the MinIO
// Tenant, the AGPL CRD read from ../shared at test time), and checks Cilium values keys against values.yaml.
//
// Schema rules, chosen to behave like the API server with strict field validation (`kubectl apply --validate=strict`):
// - CRDs: the openAPIV3Schema of the requested version. A version the CRD defines but does not serve is a
//   validation error; a version or kind nobody defines throws (a test must never skip silently).
// - Objects with `properties` are closed (unknown fields are errors), except where upstream sets
//   `x-kubernetes-preserve-unknown-fields: true` or `x-kubernetes-embedded-resource: true`.
// - `x-kubernetes-int-or-string: true` accepts an integer or a string; `format: int-or-string` likewise.
// - A custom resource's `metadata` is also checked against the Kubernetes ObjectMeta definition.
// - Core objects (Namespace, Service, ConfigMap, Secret, ...) use crds/kubernetes/v1.28.0/_definitions.json,
//   found through each definition's `x-kubernetes-group-version-kind`.
// - CEL rules (`x-kubernetes-validations`) are not evaluated.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

const addFormats = addFormatsModule.default;

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const crdsDir = join(packageRoot, 'crds');
const k8sDefinitionsFile = join(crdsDir, 'kubernetes', 'v1.28.0', '_definitions.json');
/** The MinIO Operator Tenant CRD (AGPL-3.0): read from the shared folder at test time, never copied into the project. */
export const minioTenantCrdPath = join(
  packageRoot,
  '..',
  'shared',
  'crds',
  'minio-operator',
  'minio.min.io_tenants.yaml',
);
export const minioCrdAvailable: boolean = existsSync(minioTenantCrdPath);

type Schema = Record<string, any>;

// ---------------------------------------------------------------------------------------------------------------
// Ajv

const K8S_DEFS_ID = 'meshfleet-k8s-definitions-v1.28.0';
const OBJECT_META_REF = `${K8S_DEFS_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;

let ajvInstance: Ajv | undefined;

function ajv(): Ajv {
  if (ajvInstance) return ajvInstance;
  // Upstream schemas: strict mode off; no meta-validation (OpenAPI keywords, and the files are large).
  const a = new Ajv({
    strict: false,
    allErrors: true,
    validateSchema: false,
    logger: false,
    code: { optimize: false },
  });
  addFormats(a);
  a.addFormat('int-or-string', true);
  // Kubernetes `duration` is a Go duration ("1h30m"), not ISO 8601.
  a.addFormat('duration', /^-?(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$|^0$/);
  const defs = JSON.parse(readFileSync(k8sDefinitionsFile, 'utf8')) as Schema;
  a.addSchema({ $id: K8S_DEFS_ID, definitions: mapValues(defs.definitions, kubernetesify) });
  ajvInstance = a;
  return a;
}

function mapValues(o: Schema | undefined, f: (s: any) => any): Schema | undefined {
  if (!o || typeof o !== 'object') return o;
  const out: Schema = {};
  for (const [k, v] of Object.entries(o)) out[k] = f(v);
  return out;
}

/** Copies a Kubernetes structural schema into a JSON Schema with the API server's semantics (see file header). */
function kubernetesify(s: any, junctor = false): any {
  if (!s || typeof s !== 'object' || Array.isArray(s)) return s;
  const out: Schema = { ...s };
  if (out.properties) out.properties = mapValues(out.properties, kubernetesify);
  if (out.patternProperties) out.patternProperties = mapValues(out.patternProperties, kubernetesify);
  // Upstream patterns are Go RE2: a one-letter Unicode class (`\PC`, Cilium's CRDs) is `\P{C}` in JavaScript.
  if (typeof out.pattern === 'string') out.pattern = out.pattern.replace(/\\([pP])([A-Z])/g, '\\$1{$2}');
  if (out.additionalProperties && typeof out.additionalProperties === 'object') {
    out.additionalProperties = kubernetesify(out.additionalProperties);
  }
  if (out.items)
    out.items = Array.isArray(out.items) ? out.items.map((i: any) => kubernetesify(i)) : kubernetesify(out.items);
  // A branch of allOf/anyOf/oneOf/not only validates values (structural schemas): its `properties` close nothing.
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const)
    if (Array.isArray(out[k])) out[k] = out[k].map((b: any) => kubernetesify(b, true));
  if (out.not) out.not = kubernetesify(out.not, true);

  if (
    (out['x-kubernetes-int-or-string'] === true || out.format === 'int-or-string') &&
    !out.type &&
    !out.anyOf &&
    !out.oneOf
  ) {
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (out.nullable === true && !out.type) delete out.nullable; // Ajv refuses `nullable` without `type`
  const open = out['x-kubernetes-preserve-unknown-fields'] === true || out['x-kubernetes-embedded-resource'] === true;
  if (out.properties && out.additionalProperties === undefined && !open && !junctor) out.additionalProperties = false;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Schema lookup

interface CrdDoc {
  apiVersion: string;
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema?: { openAPIV3Schema?: Schema } }[];
  };
}

let crdIndex: Map<string, string> | undefined; // `${group}/${Kind}` -> file
let coreIndex: Map<string, string> | undefined; // `${apiVersion}/${Kind}` -> definition name
const parsedCrdFiles = new Map<string, CrdDoc[]>();
const validators = new Map<string, ValidateFunction | { unserved: string }>();

function listFiles(dir: string, accept: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, accept));
    else if (accept(p)) out.push(p);
  }
  return out.sort();
}

function parseCrdFile(file: string): CrdDoc[] {
  let docs = parsedCrdFiles.get(file);
  if (!docs) {
    docs = parseAllDocuments(readFileSync(file, 'utf8'))
      .map((d) => d.toJS({ maxAliasCount: -1 }) as CrdDoc | null)
      .filter((d): d is CrdDoc => !!d && d.kind === 'CustomResourceDefinition');
    parsedCrdFiles.set(file, docs);
  }
  return docs;
}

function getCrdIndex(): Map<string, string> {
  if (crdIndex) return crdIndex;
  const index = new Map<string, string>();
  const files = listFiles(crdsDir, (p) => /\.ya?ml$/.test(p) && !p.includes(`${sep}cilium${sep}`));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // Cheap scan of controller-gen style files; anything unusual gets a full parse.
    const crdCount = (text.match(/^kind: CustomResourceDefinition\s*$/gm) ?? []).length;
    const group = /^ {2}group:\s*(\S+)\s*$/m.exec(text)?.[1];
    const kind = /^ {2}names:\s*\n(?: {4}.*\n)*? {4}kind:\s*(\S+)\s*$/m.exec(text)?.[1];
    if (crdCount === 1 && group && kind) {
      index.set(`${group}/${kind}`, file);
    } else {
      for (const crd of parseCrdFile(file)) index.set(`${crd.spec.group}/${crd.spec.names.kind}`, file);
    }
  }
  crdIndex = index;
  return index;
}

function getCoreIndex(): Map<string, string> {
  if (coreIndex) return coreIndex;
  const defs = (JSON.parse(readFileSync(k8sDefinitionsFile, 'utf8')) as Schema).definitions as Record<string, Schema>;
  const index = new Map<string, string>();
  for (const [name, def] of Object.entries(defs)) {
    for (const gvk of (def['x-kubernetes-group-version-kind'] ?? []) as {
      group: string;
      version: string;
      kind: string;
    }[]) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      // Several definitions can carry the same GVK (e.g. DeleteOptions); keep the first.
      if (!index.has(`${apiVersion}/${gvk.kind}`)) index.set(`${apiVersion}/${gvk.kind}`, name);
    }
  }
  coreIndex = index;
  return index;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function compileCrdVersion(
  file: string,
  group: string,
  kind: string,
  version: string,
  apiVersion: string,
): ValidateFunction | { unserved: string } {
  const crd = parseCrdFile(file).find((c) => c.spec.group === group && c.spec.names.kind === kind);
  if (!crd) throw new Error(`${file} does not define ${group}/${kind}`);
  const v = crd.spec.versions.find((x) => x.name === version);
  const served = crd.spec.versions.filter((x) => x.served).map((x) => x.name);
  if (!v) {
    throw new Error(
      `unknown apiVersion ${apiVersion} for kind ${kind}: the CRD in ${relative(packageRoot, file)} defines ${crd.spec.versions.map((x) => x.name).join(', ')}`,
    );
  }
  if (!v.served)
    return { unserved: `apiVersion ${apiVersion} of ${kind} is not served by the CRD (served: ${served.join(', ')})` };
  const raw = v.schema?.openAPIV3Schema;
  if (!raw) throw new Error(`CRD ${group}/${kind} ${version} has no openAPIV3Schema`);
  const schema = kubernetesify(raw);
  schema.properties ??= {};
  // Upstream's own metadata constraints (some CRDs limit metadata.name) stay as they are, unclosed: ObjectMeta
  // closes the object.
  const meta = raw.properties?.metadata;
  schema.properties.metadata =
    meta && Object.keys(meta).some((k) => k !== 'type' && k !== 'description')
      ? { allOf: [meta, { $ref: OBJECT_META_REF }] }
      : { $ref: OBJECT_META_REF };
  return ajv().compile(schema);
}

function validatorFor(apiVersion: string, kind: string): ValidateFunction | { unserved: string } {
  const key = `${apiVersion}|${kind}`;
  const cached = validators.get(key);
  if (cached) return cached;
  const { group, version } = splitApiVersion(apiVersion);
  let result: ValidateFunction | { unserved: string };
  if (group === 'minio.min.io' && kind === 'Tenant') {
    if (!minioCrdAvailable) {
      throw new Error(`MinIO Tenant CRD not found at ${minioTenantCrdPath}; guard MinIO tests with minioCrdAvailable`);
    }
    result = compileCrdVersion(minioTenantCrdPath, group, kind, version, apiVersion);
  } else {
    const crdFile = getCrdIndex().get(`${group}/${kind}`);
    if (crdFile) {
      result = compileCrdVersion(crdFile, group, kind, version, apiVersion);
    } else {
      const def = getCoreIndex().get(`${apiVersion}/${kind}`);
      if (!def) {
        throw new Error(
          `no schema for apiVersion ${JSON.stringify(apiVersion)} kind ${JSON.stringify(kind)} (not a vendored CRD in crds/ nor a Kubernetes v1.28 core type)`,
        );
      }
      result = ajv().compile({ $ref: `${K8S_DEFS_ID}#/definitions/${def}` });
    }
  }
  validators.set(key, result);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Error messages

function pointerSegments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `spec.ports[0].port`, `metadata.annotations["service.cilium.io/global"]`. */
export function formatPath(segments: readonly string[]): string {
  let out = '';
  for (const s of segments) {
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out || '(root)';
}

function preview(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function valueAt(root: unknown, segments: string[]): unknown {
  let cur: any = root;
  for (const s of segments) cur = cur == null ? undefined : cur[s];
  return cur;
}

function formatErrors(errors: ErrorObject[], data: unknown): string[] {
  // Collapse "anyOf/oneOf of types" (int-or-string, quantities) into one message.
  const merged = new Set<ErrorObject>();
  const replacements = new Map<ErrorObject, string>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    const branch = errors.filter(
      (b) => b !== e && b.instancePath === e.instancePath && b.schemaPath.startsWith(`${e.schemaPath}/`),
    );
    if (branch.length > 0 && branch.every((b) => b.keyword === 'type')) {
      branch.forEach((b) => merged.add(b));
      const types = [...new Set(branch.map((b) => String((b.params as any).type)))];
      replacements.set(e, `must be ${types.join(' or ')}`);
    }
  }
  const out: string[] = [];
  for (const e of errors) {
    if (merged.has(e)) continue;
    const segs = pointerSegments(e.instancePath);
    const p = e.params as Record<string, any>;
    const got = () => ` (got ${preview(valueAt(data, segs))})`;
    let msg: string;
    switch (e.keyword) {
      case 'additionalProperties':
        msg = `${formatPath([...segs, p.additionalProperty])}: unknown field (not in the schema)`;
        break;
      case 'required':
        msg = `${formatPath([...segs, p.missingProperty])}: required field missing`;
        break;
      case 'type':
        msg = `${formatPath(segs)}: must be ${Array.isArray(p.type) ? p.type.join(' or ') : p.type}${got()}`;
        break;
      case 'enum':
        msg = `${formatPath(segs)}: must be one of: ${(p.allowedValues as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}${got()}`;
        break;
      case 'anyOf':
      case 'oneOf':
        msg = `${formatPath(segs)}: ${replacements.get(e) ?? e.message}${replacements.has(e) ? got() : ''}`;
        break;
      default:
        msg = `${formatPath(segs)}: ${e.message}${e.keyword === 'pattern' || e.keyword === 'format' ? got() : ''}`;
    }
    if (!out.includes(msg)) out.push(msg);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/**
 * Validates one Kubernetes object against its upstream schema. Returns human-readable errors ([] when valid).
 * Throws when no schema is known for obj.apiVersion + obj.kind (or the object has none).
 */
export function validateManifest(obj: any): string[] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj))
    throw new Error(`not a Kubernetes object: ${preview(obj)}`);
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) {
    throw new Error(`object without apiVersion/kind: ${preview(obj)}`);
  }
  const v = validatorFor(apiVersion, kind);
  if ('unserved' in v) return [v.unserved];
  if (v(obj)) return [];
  return formatErrors(v.errors ?? [], obj);
}

/**
 * Validates every object in every *.yaml / *.yml file under dir (recursively; multi-document files), except
 * kustomization.yaml. One entry per file (path relative to dir, '/' separators), sorted; errors are prefixed
 * with the object (`Kind namespace/name`). Throws when dir does not exist or holds no YAML to validate.
 * A MinIO Tenant is skipped (and the skip printed) when the AGPL CRD is not beside the repository to check it with.
 */
export function validateManifestsInDir(dir: string): { file: string; errors: string[] }[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`not a directory: ${dir}`);
  const files = listFiles(dir, (p) => /\.ya?ml$/.test(p) && !/^kustomization\.ya?ml$/.test(p.split(sep).pop()!));
  if (files.length === 0) throw new Error(`no manifests under ${dir}`);
  return files.map((path) => {
    const file = relative(dir, path).split(sep).join('/');
    const errors: string[] = [];
    const docs = parseAllDocuments(readFileSync(path, 'utf8'));
    docs.forEach((doc, i) => {
      const where = docs.length > 1 ? `document ${i + 1}: ` : '';
      if (doc.errors.length > 0) {
        errors.push(...doc.errors.map((e) => `${where}YAML error: ${e.message}`));
        return;
      }
      const obj = doc.toJS();
      if (obj == null) return; // empty document
      const name = obj?.metadata?.name ?? '(no name)';
      const id = `${obj?.kind ?? '(no kind)'} ${obj?.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${name}`;
      if (obj.kind === 'Tenant' && obj.apiVersion === 'minio.min.io/v2' && !minioCrdAvailable) {
        skippedTenant(id);
        return;
      }
      errors.push(...validateManifest(obj).map((e) => `${where}${id}: ${e}`));
    });
    return { file, errors };
  });
}

let tenantSkipNoted = false;
function skippedTenant(id: string): void {
  if (tenantSkipNoted) return;
  tenantSkipNoted = true;
  console.log(`  skipped: ${id} not checked, ${minioTenantCrdPath} is absent (the MinIO CRD is AGPL and not vendored)`);
}

// ---------------------------------------------------------------------------------------------------------------
// Cilium values keys

const ciliumValuesCache = new Map<string, unknown>();

function ciliumUpstreamValues(version: string): unknown {
  let v = ciliumValuesCache.get(version);
  if (v === undefined) {
    const file = join(crdsDir, 'cilium', version, 'values.yaml');
    if (!existsSync(file)) throw new Error(`no Cilium values.yaml for ${version} in crds/cilium`);
    v = parseYaml(readFileSync(file, 'utf8'), { maxAliasCount: -1 }) ?? {};
    ciliumValuesCache.set(version, v);
  }
  return v;
}

/**
 * Keys whose upstream default is a non-empty map but which hold Kubernetes-typed or free-form content
 * (e.g. `nodeSelector: {kubernetes.io/os: linux}`, `affinity: {podAntiAffinity: ...}`): any key is allowed below them.
 */
const OPEN_KEYS =
  /^(nodeSelector|affinity|securityContext|podSecurityContext|updateStrategy|resources|extraConfig|.*[aA]nnotations|.*[lL]abels)$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Dotted paths of keys in `values` that the Cilium chart `version` does not have in its values.yaml (misspelt
 * keys pass values.schema.json, which allows any key). Maps upstream leaves empty ({} or null) and lists are open,
 * as are Kubernetes-typed maps such as nodeSelector, affinity, resources, *annotations, *labels.
 */
export function ciliumValuesKeysUnknown(version: string, values: object): string[] {
  const unknown: string[] = [];
  const walk = (upstream: unknown, given: unknown, path: string[]) => {
    if (!isPlainObject(upstream) || !isPlainObject(given)) return; // scalar, list, or type mismatch (schema's job)
    if (Object.keys(upstream).length === 0) return; // open map
    for (const [k, v] of Object.entries(given)) {
      const p = [...path, k];
      if (path.length === 0 && k === 'global') continue; // Helm's global values (the schema lists it; values.yaml does not)
      if (!(k in upstream)) {
        unknown.push(p.join('.'));
        continue;
      }
      if (OPEN_KEYS.test(k)) continue;
      walk(upstream[k], v, p);
    }
  };
  walk(ciliumUpstreamValues(version), values, []);
  return unknown;
}
