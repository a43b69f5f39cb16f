import { formatPath, type FieldPath, type Problem } from '../diagnostics.ts';
import { byteOrder } from '../model/byte-order.ts';
// Validation must call "connected" exactly what the plan will: both use the model's one definition.
import { meshLinks } from '../model/connections.ts';
import { knownClusters, meshShape, type Known } from './mesh-shape.ts';
import { list, obj, str, type Raw } from './raw.ts';

/** The pod label the MinIO operator puts on every pod of a tenant. */
const TENANT_LABEL = 'v1.min.io/tenant';

/** The fleet's clusters as the service rules see them: by name, which are storage, and who each is connected to. */
interface Fleetwide {
  readonly clusters: ReadonlyMap<string, Known>;
  readonly storage: readonly string[];
  readonly peersOf: (name: string) => ReadonlySet<string>;
}

/** One service under check: where it is, its name and namespace, and the known clusters that serve it. */
interface Service {
  readonly s: Raw;
  readonly at: FieldPath;
  readonly name: string;
  readonly namespace: string | undefined;
  /** servedBy is written; otherwise the storage clusters serve it. */
  readonly explicit: boolean;
  readonly servers: ReadonlySet<string>;
}

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
  const fleet: Fleetwide = {
    clusters,
    storage: [...clusters].filter(([, c]) => c.role === 'storage').map(([name]) => name),
    peersOf,
  };
  const serviceNames = new Map<string, number>();
  list(root.services)
    .map(obj)
    .forEach((s, i) => {
      const service = describe(s, ['services', i], fleet);
      checkServiceName(service, i, serviceNames, problems);
      checkPortNames(list(s.ports), service.at, problems);
      checkServers(service, fleet, problems);
      checkConsumers(service, fleet, problems);
      checkAccess(service, fleet, problems);
      checkTenantSelector(service, fleet, problems);
      checkOperatorNames(service, fleet, problems);
    });
  return problems;
}

function describe(s: Raw, at: FieldPath, fleet: Fleetwide): Service {
  const explicit = Array.isArray(s.servedBy);
  const named = explicit ? list(s.servedBy).map(str) : fleet.storage;
  const servers = new Set(named.filter((n): n is string => n !== undefined && fleet.clusters.has(n)));
  return { s, at, name: str(s.name) ?? formatPath(at), namespace: str(s.namespace), explicit, servers };
}

/** Each Service is written to `service-<name>.yaml`: one name, one file, whatever the namespace. */
function checkServiceName({ s, at, name }: Service, i: number, seen: Map<string, number>, problems: Problem[]): void {
  if (str(s.name) === undefined) return;
  const first = seen.get(name);
  const path = [...at, 'name'];
  if (first !== undefined)
    problems.push({
      path,
      message: `${formatPath(path)} "${name}" is already the name of services[${first}]; service names must be unique in the fleet`,
    });
  else seen.set(name, i);
}

function checkServers({ s, at, name, explicit }: Service, fleet: Fleetwide, problems: Problem[]): void {
  if (explicit && list(s.servedBy).length === 0) {
    problems.push({
      path: [...at, 'servedBy'],
      message: `${formatPath([...at, 'servedBy'])} is empty; a global service needs at least one cluster that serves it`,
    });
  } else if (!explicit && fleet.storage.length === 0) {
    problems.push({
      path: at,
      message: `${formatPath(at)} "${name}" has no servedBy, and this fleet has no storage cluster to serve it by default; list the clusters that serve it in servedBy`,
    });
  }
}

/** A consumer only uses remote backends, and gets them only from a server it is connected to. */
function checkConsumers({ s, at, name, servers }: Service, fleet: Fleetwide, problems: Problem[]): void {
  list(s.consumedBy).forEach((value, j) => {
    const consumer = str(value);
    if (consumer === undefined || !fleet.clusters.has(consumer)) return;
    const path = [...at, 'consumedBy', j];
    const peers = fleet.peersOf(consumer);
    if (servers.has(consumer)) {
      problems.push({
        path,
        message: `${formatPath(path)} "${consumer}" also serves "${name}"; a cluster either exports backends (servedBy) or only uses remote ones (consumedBy)`,
      });
    } else if (servers.size > 0 && ![...peers].some((p) => servers.has(p))) {
      const connected = [...peers].sort(byteOrder);
      const index = fleet.clusters.get(consumer)!.index;
      problems.push({
        path,
        message: `${formatPath(path)} "${consumer}" connects to no cluster that serves "${name}" (served by ${[...servers].sort(byteOrder).join(', ')}; ${consumer} connects to ${connected.length ? connected.join(', ') : 'none'}); add a server to clusters[${index}].connectsTo`,
      });
    }
  });
}

function checkAccess({ s, at, name, servers }: Service, fleet: Fleetwide, problems: Problem[]): void {
  if (s.access === undefined) return;
  if (Object.keys(obj(s.selector)).length === 0) {
    // The policy selects the backends by the Service's selector: an empty one would select every pod of the namespace.
    problems.push({
      path: [...at, 'access'],
      message: `${formatPath([...at, 'access'])}: "${name}" has no selector, so there are no backends to protect; give the service a selector, or drop access`,
    });
  } else if (servers.size > 0) {
    const consumers = Array.isArray(s.consumedBy)
      ? list(s.consumedBy)
          .map(str)
          .filter((n): n is string => n !== undefined && fleet.clusters.has(n) && !servers.has(n))
      : [...fleet.clusters.keys()].filter((n) => !servers.has(n) && [...fleet.peersOf(n)].some((p) => servers.has(p)));
    accessProblems(obj(s.access), [...at, 'access'], name, new Set(consumers), problems);
  }
}

/** A selector naming a MinIO tenant exports backends only from clusters that run that tenant in that namespace. */
function checkTenantSelector(
  { s, at, name, namespace, explicit }: Service,
  fleet: Fleetwide,
  problems: Problem[],
): void {
  const selected = str(obj(s.selector)[TENANT_LABEL]);
  if (selected === undefined || namespace === undefined) return;
  const serverPaths: [string, FieldPath][] = explicit
    ? list(s.servedBy).map((v, j) => [str(v) ?? '', [...at, 'servedBy', j]])
    : fleet.storage.map((n) => [n, [...at, 'selector', TENANT_LABEL]]);
  for (const [server, path] of serverPaths) {
    const tenant = fleet.clusters.get(server)?.tenant;
    if (!fleet.clusters.has(server) || (tenant && tenant.name === selected && tenant.namespace === namespace)) continue;
    problems.push({
      path,
      message: `${formatPath(path)}: cluster "${server}" runs no MinIO tenant "${selected}" in namespace "${namespace}", so it would export no backends for "${name}"`,
    });
  }
}

/** The operator creates these Services itself for each tenant; a second one by the same name would fight it. */
function checkOperatorNames({ s, at, name, namespace, servers }: Service, fleet: Fleetwide, problems: Problem[]): void {
  if (namespace === undefined || str(s.name) === undefined) return;
  for (const [cluster, c] of fleet.clusters) {
    if (!c.tenant || c.tenant.namespace !== namespace) continue;
    if (!['minio', `${c.tenant.name}-hl`, `${c.tenant.name}-console`].includes(name)) continue;
    const renderedThere =
      servers.has(cluster) ||
      list(s.consumedBy).includes(cluster) ||
      (!Array.isArray(s.consumedBy) && [...fleet.peersOf(cluster)].some((p) => servers.has(p)));
    if (renderedThere) {
      problems.push({
        path: [...at, 'name'],
        message: `${formatPath([...at, 'name'])} "${name}" in namespace "${namespace}" is a Service the MinIO operator creates for tenant "${c.tenant.name}" on ${cluster}; pick another name`,
      });
      return;
    }
  }
}

/**
 * A service's access list may only name its consumers (clients on a serving cluster go under `local`); a consumer no
 * entry covers gets no rule, so its pods are refused once the policy selects the backends: allowed, but warned about.
 */
function accessProblems(
  access: Raw,
  at: FieldPath,
  name: string,
  consumers: ReadonlySet<string>,
  problems: Problem[],
): void {
  const covered = new Set<string>();
  const known = [...consumers].sort(byteOrder).join(', ') || 'none';
  list(access.consumers)
    .map(obj)
    .forEach((entry, i) => {
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
        problems.push({
          path,
          message: `${formatPath(path)} "${cluster}" does not consume "${name}" (its consumers: ${known}); name consuming clusters only, and clients on a serving cluster under ${formatPath([...at, 'local'])}`,
        });
      });
    });
  const uncovered = [...consumers].filter((c) => !covered.has(c)).sort(byteOrder);
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
    if (first !== undefined)
      problems.push({
        path,
        message: `${formatPath(path)} "${name}" is already the name of ports[${first}]; port names must be unique in a Service (Cilium matches backends by port name)`,
      });
    else seen.set(name, k);
  });
}
