import { createRequire } from 'node:module';
import type { Problem } from '../diagnostics.ts';
import { formatPath } from '../diagnostics.ts';
import { AWS_CNI_MAX_CLUSTER_ID, DEFAULTS } from '../model/fleet.ts';
import { addressBits, overlappingPairs, type CidrBlock } from './cidr.ts';
import { validateCiliumValues } from './cilium-schema.ts';
import { int, list, obj, str, type Raw } from './raw.ts';
import { serviceProblems } from './service-rules.ts';
import { storageProblems } from './storage-rules.ts';
import { checkTemplatesAndEndpoints } from './template-rules.ts';

const CILIUM_NAME = /^([a-z0-9][-a-z0-9]*)?[a-z0-9]$/;

/**
 * Rules a JSON Schema cannot express. They run on the raw data even when the schema found problems, so that one
 * run reports everything: every read is guarded, and a value of the wrong type is left to the schema's message.
 */
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
    if (name.length > 32)
      problems.push({
        path,
        message: `${formatPath(path)} "${name}" is ${name.length} characters; Cilium allows at most 32`,
      });
    else if (!CILIUM_NAME.test(name))
      problems.push({
        path,
        message: `${formatPath(path)} "${name}" must be lowercase letters, digits and "-", starting and ending with a letter or digit (Cilium's cluster name rule)`,
      });
    if (name === 'default')
      problems.push({
        path,
        message: `${formatPath(path)} "default" is reserved by Cilium for a cluster that is not in a mesh; pick another name`,
      });
    const seen = first.get(name);
    if (seen !== undefined)
      problems.push({
        path,
        message: `${formatPath(path)} "${name}" is already the name of clusters[${seen}]; cluster names must be unique`,
      });
    else first.set(name, i);
  });
}

function checkIds(root: Raw, clusters: Raw[], problems: Problem[]): void {
  const fleetCilium = obj(root.cilium);
  const max = int(fleetCilium.maxConnectedClusters) ?? DEFAULTS.maxConnectedClusters;
  const fleetCni = str(fleetCilium.cni) ?? DEFAULTS.cni;
  if (max === 255 || max === 511) {
    if (clusters.length > max) {
      problems.push({
        path: ['clusters'],
        message: `clusters has ${clusters.length} clusters; maxConnectedClusters ${max} allows at most ${max}${max === 255 ? ' (set cilium.maxConnectedClusters: 511 for more)' : ''}`,
      });
    }
  }
  const first = new Map<number, number>();
  clusters.forEach((c, i) => {
    const id = int(c.id);
    if (id === undefined) return;
    const path = ['clusters', i, 'id'];
    const cni = str(obj(c.cilium).cni) ?? fleetCni;
    if (id < 1)
      problems.push({ path, message: `${formatPath(path)} ${id} is below 1; Cilium cluster IDs in a mesh start at 1` });
    else if ((max === 255 || max === 511) && id > max)
      problems.push({ path, message: `${formatPath(path)} ${id} is above maxConnectedClusters ${max}` });
    else if (cni === 'aws-cni' && id > AWS_CNI_MAX_CLUSTER_ID) {
      problems.push({
        path,
        message: `${formatPath(path)} ${id} is above ${AWS_CNI_MAX_CLUSTER_ID}, the limit with cni aws-cni (Cilium refuses IDs 128..255 and 384..511 with AWS VPC CNI chaining, cilium/cilium#21330)`,
      });
    }
    const seen = first.get(id);
    if (seen !== undefined)
      problems.push({
        path,
        message: `${formatPath(path)} ${id} is already the ID of clusters[${seen}]; cluster IDs must be unique in the mesh`,
      });
    else first.set(id, i);
  });
}

function checkReferences(root: Raw, clusters: Raw[], names: Map<string, number>, problems: Problem[]): void {
  const ref = (path: (string | number)[], value: unknown, self?: string) => {
    const name = str(value);
    if (name === undefined) return;
    if (!names.has(name))
      problems.push({ path, message: `${formatPath(path)} "${name}" names no cluster in the fleet` });
    else if (name === self) problems.push({ path, message: `${formatPath(path)} "${name}" is the cluster itself` });
  };
  clusters.forEach((c, i) =>
    list(c.connectsTo).forEach((n, j) => ref(['clusters', i, 'connectsTo', j], n, str(c.name))),
  );
  list(root.services)
    .map(obj)
    .forEach((s, i) => {
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
        problems.push({
          path,
          message: `${formatPath(path)} "${cidr}" is not a CIDR such as 10.0.0.0/16 or fd00:10::/48`,
        });
        return;
      }
      blocks.push({
        ...parsed,
        cidr,
        path,
        at: str(c.name) ?? `clusters[${i}]`,
        bits: addressBits(parsed.address, parsed.family),
      });
    });
  });
  for (const [earlier, later] of overlappingPairs(blocks)) {
    problems.push({
      path: later.path,
      message: `${formatPath(later.path)} ${later.cidr} overlaps ${earlier.cidr} of ${earlier.at}; PodCIDRs must not overlap across the mesh`,
    });
  }
}

// Loaded on first use, like every module validation needs: a render of a fleet file known valid skips validation.
let net: typeof import('node:net') | undefined;
const isIP = (address: string): number =>
  (net ??= createRequire(import.meta.url)('node:net') as typeof import('node:net')).isIP(address);

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
    if (cilium.version !== undefined && cilium.values === undefined)
      check(version, fleetCilium.values, ['cilium', 'values']);
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
      problems.push({
        path,
        message: `${formatPath(path)} "${value}" must be the path inside the "${mount}" mount, without "${mount}/" or KV v2's "data/" (e.g. ${DEFAULTS.vaultPathTemplate})`,
      });
    }
  }
}

/** Argo CD Applications name the Git repository they sync; Flux can fall back to the one `flux bootstrap` made. */
function checkGitops(root: Raw, problems: Problem[]): void {
  const gitops = obj(root.gitops);
  if (str(gitops.engine) === 'argocd' && gitops.repository === undefined) {
    problems.push({
      path: ['gitops', 'engine'],
      message:
        'gitops.engine argocd needs gitops.repository: the Argo CD Applications name the Git repository they sync',
    });
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
    problems.push({
      path,
      message: `${formatPath(path)} "cluster" cannot work with tls.mode per-cluster-ca (a peer presents the dialed cluster's remote certificate, which that mode refuses); use tls.mode shared-ca or another authMode`,
    });
  };
  if (authModeAt(obj(root.cilium).values) === 'cluster') report(['cilium', 'values']);
  clusters.forEach((c, i) => {
    if (authModeAt(obj(c.cilium).values) === 'cluster') report(['clusters', i, 'cilium', 'values']);
  });
}
