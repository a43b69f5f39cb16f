import { formatPath, type FieldPath, type Problem } from '../diagnostics.ts';
import { byKey, byteOrder } from '../model/byte-order.ts';
import { ciliumMinor } from '../model/cilium-version.ts';
import { meshLinks } from '../model/connections.ts';
import { DEFAULTS } from '../model/fleet.ts';
import { knownClusters, meshShape } from './mesh-shape.ts';
import { list, obj, str, type Raw } from './raw.ts';

/**
 * Fleets that validate as data but whose mesh cannot come up (or will not after the next Cilium upgrade): the
 * address pools, EKS's single address family, version skew between connected clusters, deprecated switches and
 * Cilium 1.20's local namespaces. Each rule reads a cluster's EFFECTIVE settings (its own, else the fleet's, else
 * the default) and points at the field that set them.
 */

/** A setting as it applies to one cluster, and where it was written (the cluster itself when it is a default). */
interface Setting {
  readonly value: string;
  readonly path: FieldPath;
  /** Written on the cluster itself. */
  readonly own: boolean;
}

interface Effective {
  readonly index: number;
  readonly name: string;
  readonly version: Setting;
  readonly cni: Setting;
  readonly ipFamily: Setting;
  /** A Cilium value as the merge gives it (the cluster's over the fleet's), and where it was written. */
  value(path: readonly string[]): { readonly value: unknown; readonly path: FieldPath } | undefined;
}

/** Cilium's chart defaults for cluster-pool IPAM (values.yaml of every pinned chart): the same in every cluster. */
const DEFAULT_POOLS = { ipv4: '10.0.0.0/8', ipv6: 'fd00::/104' } as const;
/**
 * The first minor whose chart marks `clustermesh.apiserver.kvstoremesh.enabled` deprecated ("KVStoreMesh will always
 * be enabled once the option is removed"): the packaged 1.18.12 chart already says so, as do 1.19.6 and 1.20.0.
 */
const KVSTOREMESH_DEPRECATED_FROM = 18;
/** `clustermesh.defaultGlobalNamespace` (local namespaces unless annotated) exists from this minor. */
const GLOBAL_NAMESPACES_FROM = 20;

export function meshProblems(data: unknown): Problem[] {
  const root = obj(data);
  const clusters = effectiveClusters(root);
  const known = knownClusters(root);
  let links: ReadonlyMap<string, ReadonlySet<string>> | undefined;
  // Only clusters the mesh can place (a usable name and role, first of its name) have peers; the other rules report the rest.
  const peersOf = (c: Effective): ReadonlySet<string> | undefined =>
    known.get(c.name)?.index === c.index ? (links ??= meshLinks(meshShape(root, known))).get(c.name) : undefined;
  return [
    ...eksFamilyProblems(clusters),
    ...podPoolProblems(root, clusters, peersOf),
    ...versionSkewProblems(clusters, peersOf),
    ...kvstoremeshWarnings(root, clusters),
    ...globalNamespaceWarnings(root, clusters, peersOf),
  ];
}

function effectiveClusters(root: Raw): Effective[] {
  const fleet = obj(root.cilium);
  const fleetValues = obj(fleet.values);
  return list(root.clusters)
    .map(obj)
    .flatMap((c, index): Effective[] => {
      const name = str(c.name);
      if (name === undefined) return [];
      const own = obj(c.cilium);
      const setting = (key: 'version' | 'cni' | 'ipFamily', fallback: string): Setting => {
        const mine = str(own[key]);
        if (mine !== undefined) return { value: mine, path: ['clusters', index, 'cilium', key], own: true };
        const shared = str(fleet[key]);
        if (shared !== undefined) return { value: shared, path: ['cilium', key], own: false };
        return { value: fallback, path: ['clusters', index], own: false };
      };
      const ownValues = obj(own.values);
      return [
        {
          index,
          name,
          version: setting('version', DEFAULTS.ciliumVersion),
          cni: setting('cni', DEFAULTS.cni),
          ipFamily: setting('ipFamily', DEFAULTS.ipFamily),
          value(path) {
            const mine = at(ownValues, path);
            if (mine !== undefined) return { value: mine, path: ['clusters', index, 'cilium', 'values', ...path] };
            const shared = at(fleetValues, path);
            return shared === undefined ? undefined : { value: shared, path: ['cilium', 'values', ...path] };
          },
        },
      ];
    });
}

function at(values: Raw, path: readonly string[]): unknown {
  let node: unknown = values;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Raw)[key];
  }
  return node;
}

/** The AWS VPC CNI gives a pod addresses of the cluster's one family: an EKS cluster is IPv4 or IPv6, never both. */
function eksFamilyProblems(clusters: readonly Effective[]): Problem[] {
  const why = 'an EKS cluster is IPv4 or IPv6, not dual stack (the AWS VPC CNI gives pods addresses of one family)';
  return clusters
    .filter((c) => c.cni.value === 'aws-cni' && c.ipFamily.value === 'dual')
    .map((c): Problem => {
      // Point at what the cluster wrote itself, else at the fleet's ipFamily (one message for every cluster it covers).
      if (c.ipFamily.own || !c.cni.own) {
        const cni = c.cni.own ? ` (set on ${c.name})` : '';
        return {
          path: c.ipFamily.path,
          message: `${formatPath(c.ipFamily.path)} dual cannot work with cni aws-cni${cni}: ${why}; use ipv4 or ipv6`,
        };
      }
      return {
        path: c.cni.path,
        message: `${formatPath(c.cni.path)} aws-cni cannot work with ipFamily dual (from cilium.ipFamily): ${why}; use ipFamily ipv4 or ipv6 on this cluster`,
      };
    });
}

/**
 * With cni native Cilium assigns pod addresses from its cluster pool; a cluster that names none gets the chart's
 * default, which is every other cluster's default too: the pod CIDRs of the mesh overlap. A pool per family that
 * `ipFamily` turns on. Pools given in the Cilium values, or another IPAM mode, are the user's own choice.
 */
function podPoolProblems(
  root: Raw,
  clusters: readonly Effective[],
  peersOf: (c: Effective) => ReadonlySet<string> | undefined,
): Problem[] {
  const problems: Problem[] = [];
  const raw = list(root.clusters).map(obj);
  for (const c of clusters) {
    if (c.cni.value !== 'native') continue;
    const mode = c.value(['ipam', 'mode'])?.value;
    if (mode !== undefined && mode !== 'cluster-pool') continue;
    const families =
      c.ipFamily.value === 'dual'
        ? (['ipv4', 'ipv6'] as const)
        : c.ipFamily.value === 'ipv6'
          ? (['ipv6'] as const)
          : (['ipv4'] as const);
    const cidrs = list(raw[c.index].podCIDRs)
      .map(str)
      .filter((s): s is string => s !== undefined);
    const missing = families.filter((family) => {
      const inValues = c.value([
        'ipam',
        'operator',
        family === 'ipv4' ? 'clusterPoolIPv4PodCIDRList' : 'clusterPoolIPv6PodCIDRList',
      ])?.value;
      if (Array.isArray(inValues) && inValues.length > 0) return false;
      return !cidrs.some((cidr) => cidr.includes(':') === (family === 'ipv6'));
    });
    if (missing.length === 0) continue;
    const peers = peersOf(c);
    if (!peers || peers.size === 0) continue; // alone, it shares its addresses with no one
    const pools = missing.map((f) => `${f === 'ipv4' ? 'IPv4' : 'IPv6'} ${DEFAULT_POOLS[f]}`).join(' and ');
    const family = `ipFamily ${c.ipFamily.value}${c.ipFamily.own ? '' : c.ipFamily.path[0] === 'cilium' ? ' from cilium.ipFamily' : ', the default,'}`;
    if (cidrs.length === 0) {
      const path: FieldPath = ['clusters', c.index];
      problems.push({
        path,
        message: `${formatPath(path)} "${c.name}" has cni native and no podCIDRs: it would take the Cilium chart's default pool (${pools}), as would every other cluster, and pod addresses would overlap across the mesh; give it podCIDRs that no other cluster uses (${families.map((f) => (f === 'ipv4' ? 'IPv4' : 'IPv6')).join(' and ')}, for ${family.replace(/,$/, '')})`,
      });
    } else {
      const path: FieldPath = ['clusters', c.index, 'podCIDRs'];
      problems.push({
        path,
        message: `${formatPath(path)} has no ${missing.map((f) => (f === 'ipv4' ? 'IPv4' : 'IPv6')).join(' or ')} range, which ${family} needs: "${c.name}" would take the Cilium chart's default pool (${pools}), as would every other cluster; add one that no other cluster uses`,
      });
    }
  }
  return problems;
}

/**
 * Cluster Mesh supports connected clusters whose Cilium minor versions are within one of each other. Each pair of
 * connected clusters is compared on their effective versions; the cluster that set its own version is the one out
 * of step (when both did, the one ahead), and it is reported once, naming the peers it is too far from.
 */
function versionSkewProblems(
  clusters: readonly Effective[],
  peersOf: (c: Effective) => ReadonlySet<string> | undefined,
): Problem[] {
  const byName = new Map(clusters.map((c) => [c.name, c]));
  const minors = new Set(clusters.map((c) => ciliumMinor(c.version.value)));
  if (minors.size <= 1) return []; // the usual fleet: no connection needs to be looked at
  const problems: Problem[] = [];
  for (const c of clusters) {
    const mine = ciliumMinor(c.version.value);
    if (mine === undefined || !c.version.own) continue;
    const far: Effective[] = [];
    for (const name of peersOf(c) ?? []) {
      const peer = byName.get(name);
      const theirs = peer && ciliumMinor(peer.version.value);
      if (peer === undefined || theirs === undefined || Math.abs(mine - theirs) <= 1) continue;
      if (peer.version.own && theirs > mine) continue; // the peer, ahead, is reported instead
      far.push(peer);
    }
    if (far.length === 0) continue;
    far.sort(byKey((p) => p.name));
    const shown = far
      .slice(0, 3)
      .map(
        (p) =>
          `${p.name} (${p.version.value}${p.version.own ? '' : p.version.path[0] === 'cilium' ? ' from cilium.version' : ', the default'})`,
      );
    const more = far.length > 3 ? ` and ${far.length - 3} more` : '';
    problems.push({
      path: c.version.path,
      message: `${formatPath(c.version.path)} ${c.version.value} is more than one minor version from its peer${far.length === 1 ? '' : 's'} ${shown.join(', ')}${more}; Cluster Mesh needs the Cilium minor versions of connected clusters within one of each other: upgrade one minor version at a time`,
    });
  }
  return problems;
}

/** Turning KVStoreMesh off is deprecated in every pinned chart: warned, since it works today. */
function kvstoremeshWarnings(root: Raw, clusters: readonly Effective[]): Problem[] {
  const deprecating = (c: Effective) => (ciliumMinor(c.version.value) ?? 0) >= KVSTOREMESH_DEPRECATED_FROM;
  const reason = 'KVStoreMesh will always be enabled once the option is removed (Cilium chart values.yaml)';
  const problems: Problem[] = [];
  const users = clusters.filter(deprecating);
  if (obj(root.cilium).kvstoremesh === false && users.length > 0) {
    const versions = [...new Set(users.map((c) => c.version.value))].sort(byteOrder);
    problems.push({
      path: ['cilium', 'kvstoremesh'],
      severity: 'warning',
      message: `cilium.kvstoremesh false is deprecated in Cilium ${versions.join(', ')}: ${reason}; plan for KVStoreMesh on`,
    });
  }
  for (const c of users) {
    const set = c.value(['clustermesh', 'apiserver', 'kvstoremesh', 'enabled']);
    if (set?.value !== false) continue;
    problems.push({
      path: set.path,
      severity: 'warning',
      message: `${formatPath(set.path)} false is deprecated in Cilium ${c.version.value}: ${reason}; plan for KVStoreMesh on`,
    });
  }
  return problems;
}

/**
 * Cilium 1.20 with `clustermesh.defaultGlobalNamespace: false` keeps every namespace local unless annotated, and
 * cross-cluster traffic needs BOTH the source and the destination namespace global (the chart's values.yaml).
 * meshfleet annotates a service's own namespace; the namespaces of its clients on a consuming cluster are the ones
 * `clientNamespaces` names. A service consumed there without them is warned about: its clients may still live in
 * the service's own namespace.
 */
function globalNamespaceWarnings(
  root: Raw,
  clusters: readonly Effective[],
  peersOf: (c: Effective) => ReadonlySet<string> | undefined,
): Problem[] {
  const local = clusters.filter(
    (c) =>
      (ciliumMinor(c.version.value) ?? 0) >= GLOBAL_NAMESPACES_FROM &&
      c.value(['clustermesh', 'defaultGlobalNamespace'])?.value === false,
  );
  if (local.length === 0) return [];
  const known = knownClusters(root);
  const storage = [...known].filter(([, k]) => k.role === 'storage').map(([name]) => name);
  const declared = list(root.services).map(obj);
  const services = declared.map((s, i) => ({ service: s, at: ['services', i] as FieldPath }));
  // The default service is consumed like any other, but has no entry to carry clientNamespaces until declared.
  const implicit = storage.length > 0 && !declared.some((s) => str(s.name) === 's3-internal');
  const problems: Problem[] = [];
  for (const { service, at: path } of [
    ...services,
    ...(implicit ? [{ service: { name: 's3-internal' } as Raw, at: undefined }] : []),
  ]) {
    if (list(service.clientNamespaces).length > 0) continue;
    const servers = new Set(Array.isArray(service.servedBy) ? list(service.servedBy).map(str) : storage);
    const consumers = local.filter((c) => {
      if (servers.has(c.name)) return false;
      if (Array.isArray(service.consumedBy)) return service.consumedBy.includes(c.name);
      return [...(peersOf(c) ?? [])].some((p) => servers.has(p));
    });
    if (consumers.length === 0) continue;
    const name = str(service.name) ?? 'the service';
    const names = consumers.map((c) => c.name).sort(byteOrder);
    const who = `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
    const why = `on Cilium 1.20 with clustermesh.defaultGlobalNamespace false a client's namespace must be global too ("BOTH the source and destination namespaces must be global")`;
    if (path) {
      problems.push({
        path,
        severity: 'warning',
        message: `${formatPath(path)} "${name}" is consumed by ${who}, where ${why}; list the namespaces of the pods that use it in ${formatPath([...path, 'clientNamespaces'])}`,
      });
    } else {
      const setting = consumers[0].value(['clustermesh', 'defaultGlobalNamespace'])!;
      problems.push({
        path: setting.path,
        severity: 'warning',
        message: `${formatPath(setting.path)}: the default service "s3-internal" is consumed by ${who}, where ${why}; declare s3-internal under services with the namespaces of the pods that use it in clientNamespaces`,
      });
    }
  }
  return problems;
}
