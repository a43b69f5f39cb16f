import { createRequire } from 'node:module';
import type { Problem } from '../diagnostics.ts';
import { formatPath } from '../diagnostics.ts';
import { AWS_CNI_MAX_CLUSTER_ID, DEFAULTS } from '../model/fleet.ts';
import { inspectTemplate, renderTemplate, type TemplateContext, type TemplateVariable } from '../model/template.ts';
import { addressBits, overlappingPairs, type CidrBlock } from './cidr.ts';
import { validateCiliumValues } from './cilium-schema.ts';
import { serviceProblems } from './service-rules.ts';
import { storageProblems } from './storage-rules.ts';

/**
 * Rules a JSON Schema cannot express. They run on the raw data even when the schema found problems, so that one
 * run reports everything: every read is guarded, and a value of the wrong type is left to the schema's message.
 */
type Raw = Record<string, unknown>;

const CILIUM_NAME = /^([a-z0-9][-a-z0-9]*)?[a-z0-9]$/;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

const obj = (v: unknown): Raw => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

export function semanticProblems(data: unknown): Problem[] {
  const root = obj(data);
  const problems: Problem[] = [];
  const clusters = list(root.clusters).map(obj);
  const names = new Map<string, number>();
  clusters.forEach((c, i) => {
    const name = str(c.name);
    if (name !== undefined && !names.has(name)) names.set(name, i);
  });

  checkNames(clusters, problems);
  checkIds(root, clusters, problems);
  checkTemplatesAndEndpoints(root, clusters, problems);
  checkReferences(root, clusters, names, problems);
  checkPodCidrs(clusters, problems);
  checkCiliumValues(root, clusters, problems);
  checkVaultPaths(root, problems);
  checkAuthMode(root, clusters, problems);
  checkGitops(root, problems);
  problems.push(...storageProblems(root), ...serviceProblems(root));
  return problems;
}

function checkNames(clusters: Raw[], problems: Problem[]): void {
  const first = new Map<string, number>();
  clusters.forEach((c, i) => {
    const name = str(c.name);
    if (name === undefined) return;
    const path = ['clusters', i, 'name'];
    if (name.length > 32) problems.push({ path, message: `${formatPath(path)} "${name}" is ${name.length} characters; Cilium allows at most 32` });
    else if (!CILIUM_NAME.test(name)) problems.push({ path, message: `${formatPath(path)} "${name}" must be lowercase letters, digits and "-", starting and ending with a letter or digit (Cilium's cluster name rule)` });
    if (name === 'default') problems.push({ path, message: `${formatPath(path)} "default" is reserved by Cilium for a cluster that is not in a mesh; pick another name` });
    const seen = first.get(name);
    if (seen !== undefined) problems.push({ path, message: `${formatPath(path)} "${name}" is already the name of clusters[${seen}]; cluster names must be unique` });
    else first.set(name, i);
  });
}

function checkIds(root: Raw, clusters: Raw[], problems: Problem[]): void {
  const fleetCilium = obj(root.cilium);
  const max = int(fleetCilium.maxConnectedClusters) ?? DEFAULTS.maxConnectedClusters;
  const fleetCni = str(fleetCilium.cni) ?? DEFAULTS.cni;
  if (max === 255 || max === 511) {
    if (clusters.length > max) {
      problems.push({ path: ['clusters'], message: `clusters has ${clusters.length} clusters; maxConnectedClusters ${max} allows at most ${max}${max === 255 ? ' (set cilium.maxConnectedClusters: 511 for more)' : ''}` });
    }
  }
  const first = new Map<number, number>();
  clusters.forEach((c, i) => {
    const id = int(c.id);
    if (id === undefined) return;
    const path = ['clusters', i, 'id'];
    const cni = str(obj(c.cilium).cni) ?? fleetCni;
    if (id < 1) problems.push({ path, message: `${formatPath(path)} ${id} is below 1; Cilium cluster IDs in a mesh start at 1` });
    else if ((max === 255 || max === 511) && id > max) problems.push({ path, message: `${formatPath(path)} ${id} is above maxConnectedClusters ${max}` });
    else if (cni === 'aws-cni' && id > AWS_CNI_MAX_CLUSTER_ID) {
      problems.push({ path, message: `${formatPath(path)} ${id} is above ${AWS_CNI_MAX_CLUSTER_ID}, the limit with cni aws-cni (Cilium refuses IDs 128..255 and 384..511 with AWS VPC CNI chaining, cilium/cilium#21330)` });
    }
    const seen = first.get(id);
    if (seen !== undefined) problems.push({ path, message: `${formatPath(path)} ${id} is already the ID of clusters[${seen}]; cluster IDs must be unique in the mesh` });
    else first.set(id, i);
  });
}

/** Every template is checked where it is written; every cluster's names are rendered to find gaps and clashes. */
function checkTemplatesAndEndpoints(root: Raw, clusters: Raw[], problems: Problem[]): void {
  const vault = obj(root.vault);
  const auth = obj(vault.auth);
  const dns = obj(root.dns);
  const fleetTemplates: { path: (string | number)[]; source: string }[] = [
    { path: ['dns', 'endpoint'], source: str(dns.endpoint) ?? DEFAULTS.endpointTemplate },
    { path: ['vault', 'path'], source: str(vault.path) ?? DEFAULTS.vaultPathTemplate },
    { path: ['vault', 'sharedCaPath'], source: str(vault.sharedCaPath) ?? DEFAULTS.sharedCaPathTemplate },
    { path: ['vault', 'auth', 'mountPath'], source: str(auth.mountPath) ?? DEFAULTS.authMountPathTemplate },
    { path: ['vault', 'auth', 'role'], source: str(auth.role) ?? DEFAULTS.authRoleTemplate },
  ];
  const usable = new Map<string, readonly TemplateVariable[]>();
  const inspect = (path: (string | number)[], source: string): readonly TemplateVariable[] | undefined => {
    const result = inspectTemplate(source);
    if ('error' in result) {
      problems.push({ path, message: `${formatPath(path)} template ${JSON.stringify(source)} ${result.error}` });
      return undefined;
    }
    return result.variables;
  };
  for (const t of fleetTemplates) {
    const vars = inspect(t.path, t.source);
    if (vars) usable.set(formatPath(t.path), vars);
  }

  const zone = str(dns.zone);
  const fleet = str(root.fleet);
  const endpoints = new Map<string, number>();
  clusters.forEach((c, i) => {
    const context: TemplateContext = {
      cluster: str(c.name), id: int(c.id), role: str(c.role), application: str(c.application), environment: str(c.environment), zone, fleet,
    };
    const own = str(obj(c.dns).endpoint);
    const ownPath = ['clusters', i, 'dns', 'endpoint'];
    const endpointVars = own !== undefined ? inspect(ownPath, own) : usable.get('dns.endpoint');
    const endpointSource = own ?? str(dns.endpoint) ?? DEFAULTS.endpointTemplate;
    const endpointField = own !== undefined ? formatPath(ownPath) : 'dns.endpoint';
    const perCluster: { field: string; source: string; vars: readonly TemplateVariable[] | undefined }[] = [
      { field: endpointField, source: endpointSource, vars: endpointVars },
      ...fleetTemplates.slice(1).map((t) => ({ field: formatPath(t.path), source: t.source, vars: usable.get(formatPath(t.path)) })),
    ];
    // The shared CA path is only rendered, and so only needs its variables, in shared-CA mode.
    if ((str(obj(root.tls).mode) ?? DEFAULTS.tlsMode) !== 'shared-ca') {
      perCluster.splice(perCluster.findIndex((t) => t.field === 'vault.sharedCaPath'), 1);
    }
    let complete = true;
    for (const t of perCluster) {
      if (!t.vars) { complete = false; continue; }
      // A missing zone or fleet name is the schema's to report, once, not once per cluster.
      const missing = t.vars.filter((v) => context[v] === undefined && v !== 'zone' && v !== 'fleet');
      if (t.vars.some((v) => context[v] === undefined)) complete = false;
      if (missing.length > 0) {
        complete = false;
        problems.push({ path: ['clusters', i], missing: missing.map((v) => ['clusters', i, v === 'cluster' ? 'name' : v]), message: `clusters[${i}] has no ${missing.join(' or ')}, which ${t.field} ${JSON.stringify(t.source)} uses; add it to the cluster or change the template` });
      }
    }
    if (!complete || !endpointVars) return;
    const name = renderTemplate(endpointSource, context);
    const where = own !== undefined ? ownPath : ['clusters', i];
    if (!DNS_NAME.test(name)) {
      problems.push({ path: where, message: `${formatPath(['clusters', i])} mesh endpoint "${name}" (from ${endpointField}) is not a valid DNS name` });
      return;
    }
    const seen = endpoints.get(name);
    if (seen !== undefined) problems.push({ path: where, message: `${formatPath(['clusters', i])} mesh endpoint "${name}" is already the endpoint of clusters[${seen}]; each cluster needs its own DNS name` });
    else endpoints.set(name, i);
  });
}

function checkReferences(root: Raw, clusters: Raw[], names: Map<string, number>, problems: Problem[]): void {
  const ref = (path: (string | number)[], value: unknown, self?: string) => {
    const name = str(value);
    if (name === undefined) return;
    if (!names.has(name)) problems.push({ path, message: `${formatPath(path)} "${name}" names no cluster in the fleet` });
    else if (name === self) problems.push({ path, message: `${formatPath(path)} "${name}" is the cluster itself` });
  };
  clusters.forEach((c, i) => list(c.connectsTo).forEach((n, j) => ref(['clusters', i, 'connectsTo', j], n, str(c.name))));
  list(root.services).map(obj).forEach((s, i) => {
    list(s.servedBy).forEach((n, j) => ref(['services', i, 'servedBy', j], n));
    list(s.consumedBy).forEach((n, j) => ref(['services', i, 'consumedBy', j], n));
  });
}

function checkPodCidrs(clusters: Raw[], problems: Problem[]): void {
  const blocks: (CidrBlock & { readonly cidr: string; readonly path: (string | number)[]; readonly at: string })[] = [];
  clusters.forEach((c, i) => {
    list(c.podCIDRs).forEach((value, j) => {
      const cidr = str(value);
      if (cidr === undefined) return;
      const path = ['clusters', i, 'podCIDRs', j];
      const parsed = parseCidr(cidr);
      if (!parsed) {
        problems.push({ path, message: `${formatPath(path)} "${cidr}" is not a CIDR such as 10.0.0.0/16 or fd00:10::/48` });
        return;
      }
      blocks.push({ ...parsed, cidr, path, at: str(c.name) ?? `clusters[${i}]`, bits: addressBits(parsed.address, parsed.family) });
    });
  });
  for (const [earlier, later] of overlappingPairs(blocks)) {
    problems.push({ path: later.path, message: `${formatPath(later.path)} ${later.cidr} overlaps ${earlier.cidr} of ${earlier.at}; PodCIDRs must not overlap across the mesh` });
  }
}

// Loaded on first use: a render of a fleet file known valid skips validation, and its start-up is most of its time.
let net: typeof import('node:net') | undefined;
const isIP = (address: string): number => (net ??= createRequire(import.meta.url)('node:net') as typeof import('node:net')).isIP(address);

function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return undefined;
  const version = isIP(m[1]);
  const prefix = Number(m[2]);
  if (version === 4 && prefix <= 32) return { address: m[1], prefix, family: 'ipv4' };
  if (version === 6 && prefix <= 128) return { address: m[1], prefix, family: 'ipv6' };
  return undefined;
}

function checkCiliumValues(root: Raw, clusters: Raw[], problems: Problem[]): void {
  const fleetCilium = obj(root.cilium);
  const fleetVersion = str(fleetCilium.version) ?? DEFAULTS.ciliumVersion;
  const check = (version: string, values: unknown, base: (string | number)[]) => {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) return;
    for (const p of validateCiliumValues(version, values)) {
      const path = [...base, ...p.path];
      problems.push({ path, message: `${formatPath(path)} ${p.message} (Cilium ${version} values schema)` });
    }
  };
  check(fleetVersion, fleetCilium.values, ['cilium', 'values']);
  clusters.forEach((c, i) => {
    const cilium = obj(c.cilium);
    const version = str(cilium.version) ?? fleetVersion;
    check(version, cilium.values, ['clusters', i, 'cilium', 'values']);
    if (cilium.version !== undefined && cilium.values === undefined) check(version, fleetCilium.values, ['cilium', 'values']);
  });
}

/** External Secrets with `version: v2` adds the mount and `data/` itself; writing them in the path doubles them. */
function checkVaultPaths(root: Raw, problems: Problem[]): void {
  const vault = obj(root.vault);
  const mount = str(vault.mount) ?? DEFAULTS.vaultMount;
  for (const field of ['path', 'sharedCaPath'] as const) {
    const value = str(vault[field]);
    if (value === undefined) continue;
    const path = ['vault', field];
    if (value.startsWith(`${mount}/`) || value.startsWith('data/') || value.startsWith('/')) {
      problems.push({ path, message: `${formatPath(path)} "${value}" must be the path inside the "${mount}" mount, without "${mount}/" or KV v2's "data/" (e.g. ${DEFAULTS.vaultPathTemplate})` });
    }
  }
}

/** Argo CD Applications name the Git repository they sync; Flux can fall back to the one `flux bootstrap` made. */
function checkGitops(root: Raw, problems: Problem[]): void {
  const gitops = obj(root.gitops);
  if (str(gitops.engine) === 'argocd' && gitops.repository === undefined) {
    problems.push({ path: ['gitops', 'engine'], message: 'gitops.engine argocd needs gitops.repository: the Argo CD Applications name the Git repository they sync' });
  }
}

/**
 * With per-cluster CAs a cluster dials a peer with the peer's own `clustermesh-apiserver-remote-cert`, fetched from
 * the peer's Vault path. Under `authMode: cluster` that certificate's common name is `remote-<peer>` (the dialed
 * cluster's name, templates/clustermesh-apiserver/_helpers.tpl; `remote` in the other modes), while the peer's etcd
 * admits only the `remote-<dialing cluster>` users: every connection would be refused. Shared-CA mode, where each
 * cluster presents its own certificate, is what that mode needs (the chart's values.yaml says as much).
 */
function checkAuthMode(root: Raw, clusters: Raw[], problems: Problem[]): void {
  if ((str(obj(root.tls).mode) ?? DEFAULTS.tlsMode) !== 'per-cluster-ca') return;
  const authModeAt = (values: unknown) => str(obj(obj(obj(obj(values).clustermesh).apiserver).tls).authMode);
  const report = (base: (string | number)[]) => {
    const path = [...base, 'clustermesh', 'apiserver', 'tls', 'authMode'];
    problems.push({ path, message: `${formatPath(path)} "cluster" cannot work with tls.mode per-cluster-ca (a peer presents the dialed cluster's remote certificate, which that mode refuses); use tls.mode shared-ca or another authMode` });
  };
  if (authModeAt(obj(root.cilium).values) === 'cluster') report(['cilium', 'values']);
  clusters.forEach((c, i) => {
    if (authModeAt(obj(c.cilium).values) === 'cluster') report(['clusters', i, 'cilium', 'values']);
  });
}
