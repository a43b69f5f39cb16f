import { formatPath, type FieldPath, type Problem } from '../diagnostics.ts';
// Validation must call "connected" exactly what the plan will: both use the model's one definition.
import { meshLinks } from '../model/connections.ts';
import { knownClusters, meshShape } from './mesh-shape.ts';
import { list, obj, str, type Raw } from './raw.ts';

/** The pod label the MinIO operator puts on every pod of a tenant. */
const TENANT_LABEL = 'v1.min.io/tenant';

/**
 * Global services: who serves, who consumes, and whether that can work. A consumer must be connected to a server
 * (backends only come from clusters in the mesh with it); a server must have something to export.
 */
export function serviceProblems(root: Raw): Problem[] {
  const problems: Problem[] = [];
  const clusters = knownClusters(root);
  // Only a consumer needs the links: a 511-cluster full mesh has 130,000 of them.
  let links: ReadonlyMap<string, ReadonlySet<string>> | undefined;
  const peersOf = (name: string) => (links ??= meshLinks(meshShape(root, clusters))).get(name)!;
  const storage = [...clusters].filter(([, c]) => c.role === 'storage').map(([name]) => name);
  const serviceNames = new Map<string, number>();

  list(root.services).map(obj).forEach((s, i) => {
    const at: FieldPath = ['services', i];
    const name = str(s.name) ?? formatPath(at);
    const namespace = str(s.namespace);
    const explicit = Array.isArray(s.servedBy);
    const servers = new Set((explicit ? list(s.servedBy).map(str) : storage).filter((n): n is string => n !== undefined && clusters.has(n)));

    if (str(s.name) !== undefined) {
      const first = serviceNames.get(name);
      // Each Service is written to `service-<name>.yaml`: one name, one file, whatever the namespace.
      if (first !== undefined) problems.push({ path: [...at, 'name'], message: `${formatPath([...at, 'name'])} "${name}" is already the name of services[${first}]; service names must be unique in the fleet` });
      else serviceNames.set(name, i);
    }
    checkPortNames(list(s.ports), at, problems);

    if (explicit && list(s.servedBy).length === 0) {
      problems.push({ path: [...at, 'servedBy'], message: `${formatPath([...at, 'servedBy'])} is empty; a global service needs at least one cluster that serves it` });
    } else if (!explicit && storage.length === 0) {
      problems.push({ path: at, message: `${formatPath(at)} "${name}" has no servedBy, and this fleet has no storage cluster to serve it by default; list the clusters that serve it in servedBy` });
    }

    list(s.consumedBy).forEach((value, j) => {
      const consumer = str(value);
      if (consumer === undefined || !clusters.has(consumer)) return;
      const path = [...at, 'consumedBy', j];
      if (servers.has(consumer)) {
        problems.push({ path, message: `${formatPath(path)} "${consumer}" also serves "${name}"; a cluster either exports backends (servedBy) or only uses remote ones (consumedBy)` });
      } else if (servers.size > 0 && ![...peersOf(consumer)].some((p) => servers.has(p))) {
        const connected = [...peersOf(consumer)].sort();
        problems.push({
          path,
          message: `${formatPath(path)} "${consumer}" connects to no cluster that serves "${name}" (served by ${[...servers].sort().join(', ')}; ${consumer} connects to ${connected.length ? connected.join(', ') : 'none'}); add a server to clusters[${clusters.get(consumer)!.index}].connectsTo`,
        });
      }
    });

    if (s.access !== undefined && Object.keys(obj(s.selector)).length === 0) {
      // The policy selects the backends by the Service's selector: an empty one would select every pod of the namespace.
      problems.push({ path: [...at, 'access'], message: `${formatPath([...at, 'access'])}: "${name}" has no selector, so there are no backends to protect; give the service a selector, or drop access` });
    } else if (s.access !== undefined && servers.size > 0) {
      const consumers = Array.isArray(s.consumedBy)
        ? list(s.consumedBy).map(str).filter((n): n is string => n !== undefined && clusters.has(n) && !servers.has(n))
        : [...clusters.keys()].filter((n) => !servers.has(n) && [...peersOf(n)].some((p) => servers.has(p)));
      accessProblems(obj(s.access), [...at, 'access'], name, new Set(consumers), problems);
    }

    const selected = str(obj(s.selector)[TENANT_LABEL]);
    if (selected !== undefined && namespace !== undefined) {
      const serverPaths: [string, FieldPath][] = explicit
        ? list(s.servedBy).map((v, j) => [str(v) ?? '', [...at, 'servedBy', j]])
        : storage.map((n) => [n, [...at, 'selector', TENANT_LABEL]]);
      for (const [server, path] of serverPaths) {
        const tenant = clusters.get(server)?.tenant;
        if (!clusters.has(server) || (tenant && tenant.name === selected && tenant.namespace === namespace)) continue;
        problems.push({ path, message: `${formatPath(path)}: cluster "${server}" runs no MinIO tenant "${selected}" in namespace "${namespace}", so it would export no backends for "${name}"` });
      }
    }

    // The operator creates these Services itself for each tenant; a second one by the same name would fight it.
    if (namespace !== undefined && str(s.name) !== undefined) {
      for (const [cluster, c] of clusters) {
        if (!c.tenant || c.tenant.namespace !== namespace) continue;
        const reserved = ['minio', `${c.tenant.name}-hl`, `${c.tenant.name}-console`];
        if (!reserved.includes(name)) continue;
        const renderedThere = servers.has(cluster) || list(s.consumedBy).includes(cluster)
          || (!Array.isArray(s.consumedBy) && [...peersOf(cluster)].some((p) => servers.has(p)));
        if (renderedThere) {
          problems.push({ path: [...at, 'name'], message: `${formatPath([...at, 'name'])} "${name}" in namespace "${namespace}" is a Service the MinIO operator creates for tenant "${c.tenant.name}" on ${cluster}; pick another name` });
          break;
        }
      }
    }
  });
  return problems;
}

/**
 * A service's access list may only name its consumers (clients on a serving cluster go under `local`); a consumer no
 * entry covers gets no rule, so its pods are refused once the policy selects the backends: allowed, but warned about.
 */
function accessProblems(access: Raw, at: FieldPath, name: string, consumers: ReadonlySet<string>, problems: Problem[]): void {
  const covered = new Set<string>();
  const known = [...consumers].sort().join(', ') || 'none';
  list(access.consumers).map(obj).forEach((entry, i) => {
    if (!Array.isArray(entry.clusters)) {
      for (const c of consumers) covered.add(c);
      return;
    }
    list(entry.clusters).forEach((value, j) => {
      const cluster = str(value);
      if (cluster === undefined) return;
      if (consumers.has(cluster)) {
        covered.add(cluster);
        return;
      }
      const path = [...at, 'consumers', i, 'clusters', j];
      problems.push({ path, message: `${formatPath(path)} "${cluster}" does not consume "${name}" (its consumers: ${known}); name consuming clusters only, and clients on a serving cluster under ${formatPath([...at, 'local'])}` });
    });
  });
  const uncovered = [...consumers].filter((c) => !covered.has(c)).sort();
  if (uncovered.length > 0) {
    problems.push({
      path: at,
      severity: 'warning',
      message: `${formatPath(at)} of "${name}" admits no pod of ${uncovered.join(', ')}, which consume${uncovered.length === 1 ? 's' : ''} it: requests from there will be refused; add them to ${formatPath([...at, 'consumers'])} (an entry without clusters covers every consumer)`,
    });
  }
}

function checkPortNames(ports: unknown[], at: FieldPath, problems: Problem[]): void {
  const seen = new Map<string, number>();
  ports.map(obj).forEach((p, k) => {
    const name = str(p.name);
    if (name === undefined) return;
    const first = seen.get(name);
    const path = [...at, 'ports', k, 'name'];
    if (first !== undefined) problems.push({ path, message: `${formatPath(path)} "${name}" is already the name of ports[${first}]; port names must be unique in a Service (Cilium matches backends by port name)` });
    else seen.set(name, k);
  });
}
