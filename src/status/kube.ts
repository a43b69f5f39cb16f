/**
 * The few reads `meshfleet status` makes of a cluster, through the official client (@kubernetes/client-node), each
 * bounded by a timeout: an API server that accepts connections and never answers costs one timeout, not a hang.
 * Errors come out as KubeError, one line for people; a 404 on a single object is "absent", not an error.
 */
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Observable,
  type ObservableMiddleware,
  type V1ConfigMap,
  type V1Service,
} from '@kubernetes/client-node';

/** A read that failed, said in one line. `unreachable` when the API server itself could not be talked to. */
export class KubeError extends Error {
  constructor(
    message: string,
    readonly unreachable: boolean,
  ) {
    super(message);
  }
}

/** A pod as status needs it. */
export interface PodRef {
  readonly name: string;
  readonly running: boolean;
}

/** What the checks read; a fake in tests of the checks alone, the real client otherwise. */
export interface KubeReader {
  /** undefined when the ConfigMap does not exist. */
  configMap(namespace: string, name: string): Promise<V1ConfigMap | undefined>;
  /** undefined when the Service does not exist. */
  service(namespace: string, name: string): Promise<V1Service | undefined>;
  /** Every object of a custom resource kind, in one namespace or (without one) in all. */
  listCustom(group: string, version: string, plural: string, namespace?: string): Promise<readonly CustomObject[]>;
  pods(namespace: string, labelSelector: string): Promise<readonly PodRef[]>;
  /** GET through the API server's pod proxy (`pods/proxy`): how Cilium's metrics are read without a port-forward. */
  podProxy(namespace: string, pod: string, port: number, path: string): Promise<string>;
}

/** The fields of a custom object the checks read. */
export interface CustomObject {
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly status?: Record<string, unknown>;
}

export interface ClientOptions {
  /** Per request, in milliseconds. */
  readonly timeoutMs: number;
}

/** A reader for one context of a loaded kubeconfig; throws KubeError when the context is not there. */
export function kubeReader(base: KubeConfig, context: string, options: ClientOptions): KubeReader {
  if (!base.getContextObject(context)) throw new KubeError(`no context "${context}" in the kubeconfig`, true);
  // A KubeConfig of its own per cluster: the client reads the current context when it signs each request, so clusters
  // queried at once must not share one whose current context changes.
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: base.clusters, users: base.users, contexts: base.contexts, currentContext: context });
  const server = kc.getCurrentCluster()?.server ?? '(no server)';
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const call = <T>(what: string, f: (opts: object) => Promise<T>): Promise<T> =>
    timed(what, server, options.timeoutMs, f);
  const orAbsent = async <T>(p: Promise<T>): Promise<T | undefined> => {
    try {
      return await p;
    } catch (e) {
      if (e instanceof KubeError && e.message.startsWith('not found')) return undefined;
      throw e;
    }
  };
  return {
    configMap: (namespace, name) =>
      orAbsent(
        call(`get configmaps ${namespace}/${name}`, (o) => core.readNamespacedConfigMap({ namespace, name }, o)),
      ),
    service: (namespace, name) =>
      orAbsent(call(`get services ${namespace}/${name}`, (o) => core.readNamespacedService({ namespace, name }, o))),
    listCustom: async (group, version, plural, namespace) => {
      const list =
        namespace === undefined
          ? await call(`list ${plural}.${group}`, (o) => custom.listClusterCustomObject({ group, version, plural }, o))
          : await call(`list ${plural}.${group} in ${namespace}`, (o) =>
              custom.listNamespacedCustomObject({ group, version, namespace, plural }, o),
            );
      return (list as { items?: CustomObject[] }).items ?? [];
    },
    pods: async (namespace, labelSelector) => {
      const list = await call(`list pods in ${namespace}`, (o) =>
        core.listNamespacedPod({ namespace, labelSelector }, o),
      );
      return list.items.map((p) => ({ name: p.metadata?.name ?? '', running: p.status?.phase === 'Running' }));
    },
    podProxy: (namespace, pod, port, path) =>
      call(`get pods/proxy ${namespace}/${pod}:${port}`, (o) =>
        core.connectGetNamespacedPodProxyWithPath({ namespace, name: `${pod}:${port}`, path }, o),
      ),
  };
}

/**
 * One request with a deadline: the client's fetch gets an AbortSignal (so the socket is let go), and the promise is
 * raced against the same deadline, so that nothing the client does before sending (auth plugins) can outlast it.
 */
async function timed<T>(what: string, server: string, timeoutMs: number, f: (opts: object) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new KubeError(`no answer from ${server} within ${seconds(timeoutMs)}`, true));
    }, timeoutMs);
  });
  // The object-parameter API hands options to the observable API underneath: the middleware must be observable.
  const signal: ObservableMiddleware = {
    pre: (ctx) => {
      ctx.setSignal(controller.signal);
      return new Observable(Promise.resolve(ctx));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
  const opts = { middleware: [signal], middlewareMergeStrategy: 'append' };
  try {
    return await Promise.race([
      f(opts).catch((e: unknown) => {
        throw describe(e, what, server, timeoutMs);
      }),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Any failure of the client as a KubeError: status codes by their meaning, network errors by their code. */
function describe(e: unknown, what: string, server: string, timeoutMs: number): KubeError {
  if (e instanceof KubeError) return e;
  if (e instanceof ApiException) {
    const code = e.code;
    if (code === 401)
      return new KubeError(`unauthorized at ${server}: the kubeconfig's credentials were refused`, true);
    if (code === 403) return new KubeError(`forbidden: ${what} (see the ClusterRole in docs/status.md)`, false);
    if (code === 404) return new KubeError(`not found: ${what}`, false);
    return new KubeError(`${what}: HTTP ${code}${reason(e.body)}`, false);
  }
  const err = e as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'AbortError' || err?.name === 'TimeoutError')
    return new KubeError(`no answer from ${server} within ${seconds(timeoutMs)}`, true);
  const code = err?.cause?.code ?? err?.code;
  if (code) return new KubeError(`cannot reach ${server}: ${code}`, true);
  const message = (err?.cause?.message ?? err?.message ?? String(e)).split('\n')[0];
  return new KubeError(`${what}: ${message}`, true);
}

/** The Status message a Kubernetes error body carries, if any. */
function reason(body: unknown): string {
  if (typeof body === 'string') {
    try {
      const message = (JSON.parse(body) as { message?: unknown }).message;
      if (typeof message === 'string') return `: ${message.split('\n')[0]}`;
    } catch {
      // not JSON: say nothing rather than a page of HTML
    }
  }
  return '';
}
