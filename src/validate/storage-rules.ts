import { formatPath, type FieldPath, type Problem } from '../diagnostics.ts';
import { byKey } from '../model/byte-order.ts';
import { DEFAULTS } from '../model/fleet.ts';
import { inspectTemplate } from '../model/template.ts';
import { bucketNameProblem } from './bucket-name.ts';
import { templateContext } from './template-rules.ts';
import { int, list, obj, str, type Raw } from './raw.ts';

/**
 * The smallest pool the MinIO Operator accepts: it refuses a Tenant whose pool has fewer than 4 volumes in total
 * (servers × volumesPerServer; Pool.Validate in minio/operator pkg/apis/minio.min.io/v2), because erasure coding
 * needs at least 4 drives in a pool.
 */
export const MIN_POOL_VOLUMES = 4;

/** The MinIO tenants of storage clusters: where `storage` may appear, pool sizes, bucket names, the credentials path. */
export function storageProblems(root: Raw): Problem[] {
  const problems: Problem[] = [];
  const mount = str(obj(root.vault).mount) ?? DEFAULTS.vaultMount;
  list(root.clusters)
    .map(obj)
    .forEach((c, i) => {
      const role = str(c.role);
      const at: FieldPath = ['clusters', i, 'storage'];
      if (c.storage !== undefined && role !== undefined && role !== 'storage') {
        problems.push({
          path: at,
          atKey: true,
          message: `${formatPath(at)} is only for clusters with role storage; clusters[${i}] has role ${role}`,
        });
        return;
      }
      if (role !== 'storage') return;
      const s = obj(c.storage);
      checkPools(list(s.pools), at, problems);
      checkBuckets(list(s.buckets), at, problems);
      checkCredentialsPath(root, c, str(s.credentialsPath), at, mount, problems);
    });
  checkDefaultS3Service(root, problems);
  return problems;
}

function checkPools(pools: unknown[], at: FieldPath, problems: Problem[]): void {
  const names = new Map<string, number>();
  pools.map(obj).forEach((p, j) => {
    const path = [...at, 'pools', j];
    const servers = int(p.servers) ?? DEFAULTS.storage.servers;
    const volumes = int(p.volumesPerServer) ?? DEFAULTS.storage.volumesPerServer;
    if (servers >= 1 && volumes >= 1 && servers * volumes < MIN_POOL_VOLUMES) {
      problems.push({
        path,
        message: `${formatPath(path)} has ${servers} server${servers === 1 ? '' : 's'} × ${volumes} volume${volumes === 1 ? '' : 's'} = ${servers * volumes}; MinIO erasure coding needs at least ${MIN_POOL_VOLUMES} volumes in a pool (the MinIO Operator refuses the Tenant)`,
      });
    }
    const name = str(p.name) ?? `pool-${j}`;
    const seen = names.get(name);
    if (seen !== undefined) {
      const where = p.name !== undefined ? [...path, 'name'] : path;
      problems.push({
        path: where,
        message: `${formatPath(path)} is named "${name}"${p.name === undefined ? ' (by default)' : ''}, like ${formatPath([...at, 'pools', seen])}; pool names must be unique in a tenant`,
      });
    } else names.set(name, j);
  });
}

function checkBuckets(buckets: unknown[], at: FieldPath, problems: Problem[]): void {
  const seen = new Map<string, number>();
  buckets.forEach((value, j) => {
    const name = str(value);
    if (name === undefined) return;
    const path = [...at, 'buckets', j];
    const why = bucketNameProblem(name);
    if (why) problems.push({ path, message: `${formatPath(path)} "${name}" ${why} (S3 bucket naming rules)` });
    const first = seen.get(name);
    if (first !== undefined)
      problems.push({
        path,
        message: `${formatPath(path)} "${name}" is already ${formatPath([...at, 'buckets', first])}`,
      });
    else seen.set(name, j);
  });
}

function checkCredentialsPath(
  root: Raw,
  c: Raw,
  own: string | undefined,
  at: FieldPath,
  mount: string,
  problems: Problem[],
): void {
  const source = own ?? DEFAULTS.storage.credentialsPathTemplate;
  const path = [...at, 'credentialsPath'];
  const field = own !== undefined ? formatPath(path) : 'the default storage.credentialsPath';
  const result = inspectTemplate(source);
  if ('error' in result) {
    problems.push({ path, message: `${formatPath(path)} template ${JSON.stringify(source)} ${result.error}` });
    return;
  }
  if (own !== undefined && (own.startsWith(`${mount}/`) || own.startsWith('data/') || own.startsWith('/'))) {
    problems.push({
      path,
      message: `${formatPath(path)} "${own}" must be the path inside the "${mount}" mount, without "${mount}/" or KV v2's "data/" (e.g. ${DEFAULTS.storage.credentialsPathTemplate})`,
    });
  }
  const context = templateContext(root, c);
  // A missing zone or fleet name is the schema's to report.
  const missing = result.variables.filter((v) => context[v] === undefined && v !== 'zone' && v !== 'fleet');
  if (missing.length > 0) {
    const cluster = at.slice(0, 2);
    problems.push({
      path: cluster,
      missing: missing.map((v) => [...cluster, v === 'cluster' ? 'name' : v]),
      message: `${formatPath(cluster)} has no ${missing.join(' or ')}, which ${field} ${JSON.stringify(source)} uses; add it to the cluster or set storage.credentialsPath`,
    });
  }
}

/**
 * The default `s3-internal` is one Service, identical in every cluster: it can only select "the tenant" when every
 * storage cluster names its tenant, namespace and TLS the same way. A fleet whose storage clusters differ declares
 * `s3-internal` itself (or one service per tenant).
 */
function checkDefaultS3Service(root: Raw, problems: Problem[]): void {
  if (list(root.services).some((s) => str(obj(s).name) === 's3-internal')) return;
  const storage = list(root.clusters)
    .map(obj)
    .map((c, i) => ({ c, i, name: str(c.name) }))
    .filter((x): x is { c: Raw; i: number; name: string } => str(x.c.role) === 'storage' && x.name !== undefined)
    .sort(byKey((x) => x.name));
  if (storage.length < 2) return;
  const settings = (c: Raw) => {
    const s = obj(c.storage);
    return {
      tenant: str(s.tenant) ?? DEFAULTS.storage.tenant,
      namespace: str(s.namespace) ?? DEFAULTS.storage.namespace,
      requestAutoCert: s.requestAutoCert === true,
    };
  };
  const reference = settings(storage[0].c);
  for (const { c, i } of storage.slice(1)) {
    const own = settings(c);
    for (const key of ['tenant', 'namespace', 'requestAutoCert'] as const) {
      if (own[key] === reference[key]) continue;
      const path = ['clusters', i, 'storage', key];
      problems.push({
        path,
        message: `${formatPath(path)} is ${JSON.stringify(own[key])} but ${storage[0].name} has ${JSON.stringify(reference[key])}; the default service s3-internal is the same in every cluster, so storage clusters must agree on it, or declare s3-internal under services`,
      });
    }
  }
}
