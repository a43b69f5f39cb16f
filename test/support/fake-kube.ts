/**
 * A fake Kubernetes API server on 127.0.0.1 for end-to-end tests of `meshfleet status` with the real client. It
 * serves, per cluster, the objects a test records (selected by the bearer token of the cluster's kubeconfig user),
 * in the shapes of the Kubernetes API:
 *
 *   GET /api/v1/namespaces/{ns}/configmaps/{name}         get configmaps
 *   GET /api/v1/namespaces/{ns}/services/{name}           get services
 *   GET /api/v1/namespaces/{ns}/pods?labelSelector=a=b    list pods
 *   GET /api/v1/namespaces/{ns}/pods/{name}:{port}/proxy/{path}   get pods/proxy (the pod's text, or 503)
 *   GET /apis/{group}/{version}/{plural}                  list, all namespaces (404 when the CRD is not "installed")
 *   GET /apis/{group}/{version}/namespaces/{ns}/{plural}  list, one namespace
 *
 * With `rules` set, every request is authorized against them the way RBAC would (verb, API group, resource,
 * namespace, resourceNames) and answered 403 otherwise. It also records the most clusters served at once.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RbacRule } from '../../src/status/rbac.ts';

type Obj = Record<string, any>;

export interface FakePod {
  readonly name: string;
  readonly labels: Record<string, string>;
  phase: string;
}

/** One cluster's recorded state; tests change it between (or during) runs. */
export interface FakeClusterState {
  /** `namespace/name` → ConfigMap. */
  readonly configMaps: Map<string, Obj>;
  /** `namespace/name` → Service. */
  readonly services: Map<string, Obj>;
  readonly pods: FakePod[];
  /** `plural.group` → objects (a key present means the CRD is installed). */
  readonly custom: Map<string, Obj[]>;
  /** `namespace/pod:port/path` → response text; absent means the pod does not listen there. */
  readonly proxied: Map<string, string>;
}

export function emptyCluster(): FakeClusterState {
  return { configMaps: new Map(), services: new Map(), pods: [], custom: new Map(), proxied: new Map() };
}

/** What a request asks, as RBAC sees it. */
export interface RequestAttributes {
  readonly verb: 'get' | 'list';
  readonly apiGroup: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
}

export class FakeKube {
  readonly clusters = new Map<string, FakeClusterState>();
  /** RBAC rules the caller is bound to; undefined allows everything. */
  rules?: readonly RbacRule[];
  /** Called before each authorized request is served: tests change state here (a fleet turning healthy midway). */
  onRequest?: (cluster: string, attrs: RequestAttributes) => void;
  /** Each answer waits this long, as a remote API server's round trip would (the benchmark's fleets). */
  delayMs = 0;
  /** The most distinct clusters with a request in flight at the same time. */
  maxClustersInFlight = 0;
  requests = 0;
  readonly #inFlight = new Map<string, number>();
  readonly #server: http.Server;

  private constructor(server: http.Server) {
    this.#server = server;
  }

  static async start(): Promise<FakeKube> {
    const server = http.createServer();
    const fake = new FakeKube(server);
    server.on('request', (req, res) => fake.#handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The bearer token that selects a cluster. */
  static token(cluster: string): string {
    return `token-${cluster}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests++;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const cluster = token?.startsWith('token-') ? token.slice('token-'.length) : undefined;
    const state = cluster === undefined ? undefined : this.clusters.get(cluster);
    if (!cluster || !state) return status(res, 401, 'Unauthorized', 'Unauthorized');
    this.#inFlight.set(cluster, (this.#inFlight.get(cluster) ?? 0) + 1);
    this.maxClustersInFlight = Math.max(this.maxClustersInFlight, this.#inFlight.size);
    res.on('close', () => {
      const n = (this.#inFlight.get(cluster) ?? 1) - 1;
      if (n === 0) this.#inFlight.delete(cluster);
      else this.#inFlight.set(cluster, n);
    });
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = routeOf(url.pathname);
    if (req.method !== 'GET' || !route)
      return status(res, 404, 'NotFound', `the server could not find the requested resource`);
    if (this.rules && !allowed(this.rules, route.attrs)) {
      const a = route.attrs;
      const what = `${a.resource}${a.apiGroup ? `.${a.apiGroup}` : ''}${a.name ? ` "${a.name}"` : ''}`;
      const where = a.namespace ? ` in the namespace "${a.namespace}"` : ' at the cluster scope';
      return status(
        res,
        403,
        'Forbidden',
        `${what} is forbidden: User "meshfleet" cannot ${a.verb} resource "${a.resource}" in API group "${a.apiGroup}"${where}`,
      );
    }
    this.onRequest?.(cluster, route.attrs);
    if (this.delayMs > 0) setTimeout(() => route.serve(state, url, res), this.delayMs);
    else route.serve(state, url, res);
  }
}

interface Route {
  readonly attrs: RequestAttributes;
  serve(state: FakeClusterState, url: URL, res: http.ServerResponse): void;
}

function routeOf(path: string): Route | undefined {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'api' && parts[1] === 'v1' && parts[2] === 'namespaces') {
    const [namespace, resource, name, sub, ...rest] = parts.slice(3);
    if ((resource === 'configmaps' || resource === 'services') && name && !sub) {
      return {
        attrs: { verb: 'get', apiGroup: '', resource, namespace, name },
        serve: (s, _u, res) => {
          const o = (resource === 'configmaps' ? s.configMaps : s.services).get(`${namespace}/${name}`);
          return o ? json(res, 200, o) : status(res, 404, 'NotFound', `${resource} "${name}" not found`);
        },
      };
    }
    if (resource === 'pods' && !name) {
      return {
        attrs: { verb: 'list', apiGroup: '', resource: 'pods', namespace },
        serve: (s, u, res) => {
          const selector = (u.searchParams.get('labelSelector') ?? '')
            .split(',')
            .filter(Boolean)
            .map((kv) => kv.split('='));
          const items = s.pods
            .filter((p) => selector.every(([k, v]) => p.labels[k] === v))
            .map((p) => ({ metadata: { name: p.name, namespace, labels: p.labels }, status: { phase: p.phase } }));
          json(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items });
        },
      };
    }
    if (resource === 'pods' && name && sub === 'proxy') {
      return {
        attrs: { verb: 'get', apiGroup: '', resource: 'pods/proxy', namespace, name: name.split(':')[0] },
        serve: (s, _u, res) => {
          const text = s.proxied.get(`${namespace}/${name}/${rest.join('/')}`);
          if (text === undefined)
            return status(
              res,
              503,
              'ServiceUnavailable',
              `error trying to reach service: dial tcp ${name}: connect: connection refused`,
            );
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
          res.end(text);
        },
      };
    }
    return undefined;
  }
  const namespaced = parts[0] === 'apis' && parts.length === 6 && parts[3] === 'namespaces';
  if (parts[0] === 'apis' && (parts.length === 4 || namespaced)) {
    const [, group, version] = parts;
    const [namespace, plural] = namespaced ? [parts[4], parts[5]] : [undefined, parts[3]];
    return {
      attrs: { verb: 'list', apiGroup: group, resource: plural, ...(namespace ? { namespace } : {}) },
      serve: (s, _u, res) => {
        const items = s.custom.get(`${plural}.${group}`);
        if (!items) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
        const listed = namespace ? items.filter((o) => o.metadata?.namespace === namespace) : items;
        json(res, 200, { apiVersion: `${group}/${version}`, kind: 'List', metadata: {}, items: listed });
      },
    };
  }
  return undefined;
}

function allowed(rules: readonly RbacRule[], a: RequestAttributes): boolean {
  return rules.some(
    (r) =>
      r.apiGroups.includes(a.apiGroup) &&
      r.resources.includes(a.resource) &&
      r.verbs.includes(a.verb) &&
      (r.namespace === undefined || r.namespace === a.namespace) &&
      (r.resourceNames === undefined || (a.name !== undefined && r.resourceNames.includes(a.name))),
  );
}

function json(res: http.ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function status(res: http.ServerResponse, code: number, reason: string, message: string): void {
  json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

/** A server that accepts connections and never answers: an API server hung behind a load balancer. */
export async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A kubeconfig with one context per cluster, each pointing at `server` (or its own) with the cluster's token. */
export function writeKubeconfig(
  dir: string,
  server: string,
  clusters: readonly string[],
  options: {
    readonly contextName?: (cluster: string) => string;
    readonly servers?: Readonly<Record<string, string>>;
    /** The current context (default: the first cluster's). */
    readonly current?: string;
  } = {},
): string {
  const ctx = options.contextName ?? ((c: string) => c);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    // The client refuses plain HTTP unless TLS verification is off: this fake speaks HTTP on 127.0.0.1 only.
    clusters: clusters.map((c) => ({
      name: c,
      cluster: { server: options.servers?.[c] ?? server, 'insecure-skip-tls-verify': true },
    })),
    users: clusters.map((c) => ({ name: c, user: { token: FakeKube.token(c) } })),
    contexts: clusters.map((c) => ({ name: ctx(c), context: { cluster: c, user: c } })),
    'current-context': options.current ?? (clusters.length ? ctx(clusters[0]) : ''),
  };
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}
