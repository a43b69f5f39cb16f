/** One cluster's checks against its expectation, each column from its own reads so that one 403 spoils one column. */
import { byKey } from '../model/byte-order.ts';
import { compareEndpoint, type EndpointRecords } from './dns-records.ts';
import { checkDelivery, type ArgoApplications } from './delivery.ts';
import type { ClusterExpectation, ObjectRef } from './expect.ts';
import { KubeError, type CustomObject, type KubeReader } from './kube.ts';
import { label, listed, notReady, readyCondition, refKey } from './objects.ts';
import {
  AGENT_READINESS,
  AGENT_SELECTOR,
  KVSTOREMESH_READINESS,
  KVSTOREMESH_SELECTOR,
  remoteReadiness,
} from './metrics.ts';
import { mapBounded } from './pool.ts';
import { COLUMNS, worst, type CheckResult, type ClusterStatus, type Column, type Mark } from './types.ts';

/** Certificates expiring sooner than this many days are a warning. */
export const EXPIRY_WARNING_DAYS = 30;
/** Metrics scrapes of one cluster's pods at a time. */
const PODS_AT_ONCE = 8;

export interface CheckContext {
  readonly now: Date;
  /** With --dns: what the lookups of `meshfleet dns plan` found. */
  readonly dns?: EndpointRecords;
  /** Argo CD fleets: the Applications, read once a round from the Argo CD cluster. */
  readonly applications?: ArgoApplications;
}

const ok = (details: string[] = []): CheckResult => ({ mark: 'ok', details });
const fail = (details: string[]): CheckResult => ({ mark: 'fail', details });
const failed = (e: unknown): CheckResult => ({ mark: 'error', details: [message(e)] });

function message(e: unknown): string {
  if (e instanceof KubeError) return e.message;
  return (e as Error)?.message?.split('\n')[0] ?? String(e);
}

/** Every column of one cluster; an unreachable API server ends the cluster's checks at the first read. */
export async function checkCluster(
  exp: ClusterExpectation,
  context: string,
  reader: KubeReader | KubeError,
  ctx: CheckContext,
): Promise<ClusterStatus> {
  if (reader instanceof KubeError) return unreachable(exp, context, reader.message);
  // Identity first and alone: if the API server cannot be reached, that is the cluster's one error, not six timeouts.
  let identity: CheckResult;
  try {
    identity = await checkIdentity(exp, reader);
  } catch (e) {
    if (e instanceof KubeError && e.unreachable) return unreachable(exp, context, e.message);
    identity = failed(e);
  }
  const guard = (p: Promise<CheckResult>) => p.catch(failed);
  const [delivery, tls, mesh, services, endpoint] = await Promise.all([
    guard(checkDelivery(exp, reader, ctx.applications)),
    guard(checkTls(exp, reader, ctx.now)),
    guard(checkMesh(exp, reader)),
    guard(checkServices(exp, reader)),
    guard(checkEndpoint(exp, reader, ctx.dns)),
  ]);
  return { cluster: exp.cluster, context, checks: { delivery, identity, tls, mesh, services, endpoint } };
}

function unreachable(exp: ClusterExpectation, context: string, error: string): ClusterStatus {
  const checks = Object.fromEntries(
    COLUMNS.map((c) => [c, { mark: 'error', details: [] } satisfies CheckResult]),
  ) as unknown as Record<Column, CheckResult>;
  return { cluster: exp.cluster, context, error, checks };
}

/** Cilium's running cluster-name, cluster-id and max-connected-clusters, as the agents read them (cilium-config). */
async function checkIdentity(exp: ClusterExpectation, reader: KubeReader): Promise<CheckResult> {
  const cm = await reader.configMap(exp.ciliumNamespace, 'cilium-config');
  if (!cm) return fail([`ConfigMap ${exp.ciliumNamespace}/cilium-config not found: is Cilium installed?`]);
  const data = cm.data ?? {};
  const problems: string[] = [];
  const compare = (key: string, want: string, absent?: string) => {
    const got = data[key] ?? absent;
    if (got !== want)
      problems.push(
        `${key} is ${got === undefined ? 'not set' : JSON.stringify(got)}, the fleet says ${JSON.stringify(want)}`,
      );
  };
  compare('cluster-name', exp.cluster);
  compare('cluster-id', String(exp.id));
  // The agent's default when the key is absent (Cilium before 1.15 never writes it).
  compare('max-connected-clusters', String(exp.maxConnectedClusters), '255');
  return problems.length ? fail(problems) : ok();
}

/**
 * The mesh's Certificates Ready and not expired (the rendered ones, and any other in Cilium's namespace: the chart's own
 * clustermesh certificates, which Helm-issued setups never renew); ExternalSecrets and PushSecrets Ready.
 */
async function checkTls(exp: ClusterExpectation, reader: KubeReader, now: Date): Promise<CheckResult> {
  const objects = await listed(reader, exp.tls);
  // Certificates in Cilium's namespace that the render does not write: the chart's (tls.auto.method certmanager).
  const rendered = new Set(exp.tls.map((r) => refKey(r.plural, r.group, r.namespace, r.name)));
  const certKind = exp.tls.find((r) => r.kind === 'Certificate');
  const extra: { ref: ObjectRef; object: CustomObject }[] = [];
  for (const [key, o] of objects) {
    if (!certKind || !key.startsWith(`${certKind.plural}.${certKind.group} `) || rendered.has(key)) continue;
    if (o.metadata?.namespace === exp.ciliumNamespace)
      extra.push({ ref: { ...certKind, namespace: o.metadata.namespace, name: o.metadata?.name ?? '' }, object: o });
  }
  extra.sort(byKey((e) => e.ref.name));
  const marks: Mark[] = ['ok'];
  const details: string[] = [];
  let soonest: { days: number; ref: ObjectRef } | undefined;
  const entries = [
    ...exp.tls.map((ref) => ({ ref, object: objects.get(refKey(ref.plural, ref.group, ref.namespace, ref.name)) })),
    ...extra,
  ];
  for (const { ref, object } of entries) {
    if (!object) {
      marks.push('fail');
      details.push(`${label(ref)} not found`);
      continue;
    }
    const ready = readyCondition(object);
    if (ref.kind === 'Certificate' && typeof object.status?.notAfter === 'string') {
      const left = Date.parse(object.status.notAfter) - now.getTime();
      const days = Math.floor(left / 86_400_000);
      if (left <= 0) {
        const ago = Math.floor(-left / 86_400_000);
        marks.push('fail');
        details.push(
          `${label(ref)} expired ${ago === 0 ? 'today' : `${ago} day${ago === 1 ? '' : 's'} ago`} (${object.status.notAfter})`,
        );
        continue;
      }
      if (days < EXPIRY_WARNING_DAYS) {
        marks.push('warn');
        details.push(`${label(ref)} expires in ${days} day${days === 1 ? '' : 's'} (${object.status.notAfter})`);
      }
      if (!soonest || days < soonest.days) soonest = { days, ref };
    }
    if (ready?.status !== 'True') {
      marks.push('fail');
      details.push(notReady(ref, ready));
    }
  }
  const mark = exp.tls.length === 0 ? 'none' : worst(marks);
  if (mark === 'ok' && soonest)
    details.push(`first certificate to expire: ${label(soonest.ref)} in ${soonest.days} days`);
  return { mark, details };
}

/**
 * Each expected peer connected, as Cilium reports it: KVStoreMesh (in every clustermesh-apiserver pod) dials the peers,
 * and the agents dial KVStoreMesh (or the peers, without it); a peer counts as connected when every source says so.
 * A source whose metrics the fleet's values turn off is a blind spot: the column is an error, never a silent ok.
 */
async function checkMesh(exp: ClusterExpectation, reader: KubeReader): Promise<CheckResult> {
  if (exp.peers.length === 0) return { mark: 'none', details: [] };
  const sources: { what: string; selector: string; port: number; metric: string }[] = [];
  const blind: string[] = [];
  if (exp.kvstoremesh) {
    if (exp.kvstoremeshMetricsPort !== undefined) {
      sources.push({
        what: 'KVStoreMesh',
        selector: KVSTOREMESH_SELECTOR,
        port: exp.kvstoremeshMetricsPort,
        metric: KVSTOREMESH_READINESS,
      });
    } else blind.push(cannotSee('KVStoreMesh', 'clustermesh.apiserver.metrics.kvstoremesh.enabled'));
  }
  if (exp.agentMetricsPort !== undefined)
    sources.push({ what: 'agent', selector: AGENT_SELECTOR, port: exp.agentMetricsPort, metric: AGENT_READINESS });
  else blind.push(cannotSee('the agents', 'prometheus.enabled'));
  const problems: string[] = [];
  const unexpected = new Set<string>();
  const expected = new Set(exp.peers);
  for (const s of sources) {
    const pods = (await reader.pods(exp.ciliumNamespace, s.selector)).filter((p) => p.running);
    if (pods.length === 0) {
      problems.push(`no running ${s.what} pod (${s.selector})`);
      continue;
    }
    const scrapes = await mapBounded(pods, PODS_AT_ONCE, async (p) => ({
      pod: p.name,
      ready: remoteReadiness(await reader.podProxy(exp.ciliumNamespace, p.name, s.port, 'metrics'), s.metric),
    }));
    for (const peer of exp.peers) {
      const down = scrapes.filter((x) => x.ready.get(peer) !== true);
      if (down.length === 0) continue;
      const never = down.filter((x) => !x.ready.has(peer)).length;
      const why = never === down.length ? 'not configured' : 'not ready';
      problems.push(
        `peer ${peer} ${why} in ${down.length} of ${scrapes.length} ${s.what} pod${scrapes.length === 1 ? '' : 's'} (${down
          .map((x) => x.pod)
          .slice(0, 3)
          .join(', ')}${down.length > 3 ? ', ...' : ''})`,
      );
    }
    for (const x of scrapes) for (const name of x.ready.keys()) if (!expected.has(name)) unexpected.add(name);
  }
  for (const name of [...unexpected].sort())
    problems.push(
      `unexpected peer ${name}: Cilium is configured to connect to a cluster the fleet does not pair with this one`,
    );
  if (blind.length) return { mark: 'error', details: [...blind, ...problems] };
  return problems.length ? fail(problems) : ok();
}

function cannotSee(what: string, value: string): string {
  return `cannot see ${what}: the fleet's cilium.values set ${value} to false, and status reads the remote clusters from those metrics`;
}

/** Each global Service present with the annotations (and port names) the fleet gives it. */
async function checkServices(exp: ClusterExpectation, reader: KubeReader): Promise<CheckResult> {
  if (exp.services.length === 0) return { mark: 'none', details: [] };
  const problems: string[] = [];
  await Promise.all(
    exp.services.map(async (s) => {
      const svc = await reader.service(s.namespace, s.name);
      const name = `Service ${s.namespace}/${s.name}`;
      if (!svc) {
        problems.push(`${name} not found`);
        return;
      }
      const a = svc.metadata?.annotations ?? {};
      const want: Record<string, string | undefined> = {
        'service.cilium.io/global': 'true',
        'service.cilium.io/shared': s.shared ? 'true' : 'false',
        'service.cilium.io/affinity': s.affinity,
      };
      for (const [key, value] of Object.entries(want)) {
        if (value === undefined) continue;
        // An absent `shared` on a global Service means "true" to Cilium.
        const got = a[key] ?? (key === 'service.cilium.io/shared' ? 'true' : undefined);
        if (got !== value)
          problems.push(
            `${name}: ${key} is ${got === undefined ? 'not set' : JSON.stringify(got)}, the fleet says ${JSON.stringify(value)}`,
          );
      }
      // Cilium keys a global Service's backends by port name: a renamed port drops out of the mesh.
      const names = new Set((svc.spec?.ports ?? []).map((p) => p.name ?? ''));
      for (const p of s.ports) if (p.name && !names.has(p.name)) problems.push(`${name}: no port named ${p.name}`);
    }),
  );
  return problems.length ? fail(problems.sort()) : ok();
}

/**
 * The clustermesh-apiserver load balancer has an address: what the mesh endpoint name must point at. With `dns.target`
 * it must be that load balancer; with --dns, the name's records must alias it, found by `meshfleet dns plan`'s lookups.
 */
async function checkEndpoint(exp: ClusterExpectation, reader: KubeReader, dns?: EndpointRecords): Promise<CheckResult> {
  const svc = await reader.service(exp.ciliumNamespace, 'clustermesh-apiserver');
  if (!svc) return fail([`Service ${exp.ciliumNamespace}/clustermesh-apiserver not found`]);
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  const address = ingress.map((i) => i.hostname ?? i.ip).find((x) => x);
  if (!address) return fail([`Service ${exp.ciliumNamespace}/clustermesh-apiserver has no load balancer address yet`]);
  const norm = (n: string) => n.toLowerCase().replace(/\.$/, '');
  if (exp.endpoint.target && norm(exp.endpoint.target) !== norm(address)) {
    return {
      mark: 'fail',
      details: [
        `${exp.endpoint.fqdn} is set to alias ${exp.endpoint.target} (dns.target), but the load balancer is ${address}`,
      ],
      loadBalancer: address,
    };
  }
  if (dns && !exp.endpoint.externalDns) {
    const verdict = compareEndpoint(
      dns,
      { cluster: exp.cluster, fqdn: exp.endpoint.fqdn, target: exp.endpoint.target },
      address,
    );
    return {
      mark: verdict.ok ? 'ok' : 'error' in dns ? 'error' : 'fail',
      details: verdict.details,
      loadBalancer: address,
    };
  }
  const why = exp.endpoint.target ? 'the dns.target of' : exp.endpoint.externalDns ? 'kept by ExternalDNS for' : 'for';
  return { mark: 'ok', details: [`load balancer ${address}, ${why} ${exp.endpoint.fqdn}`], loadBalancer: address };
}
