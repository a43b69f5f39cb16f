/**
 * `meshfleet status` end to end: the fleet's expectations, every cluster checked at once within a bound, and with
 * `--wait` rounds until everything matches or the deadline passes.
 */
import { type KubeConfig } from '@kubernetes/client-node';
import { checkCluster } from './checks.ts';
import type { ArgoApplications } from './delivery.ts';
import { listed } from './objects.ts';
import type { EndpointRecords } from './dns-records.ts';
import type { ClusterExpectation } from './expect.ts';
import { KubeError, kubeReader } from './kube.ts';
import { mapBounded } from './pool.ts';
import { fleetPasses, type FleetStatus } from './types.ts';

export interface StatusOptions {
  readonly fleet: string;
  readonly clusters: readonly ClusterExpectation[];
  /** Cluster name → kubeconfig context. */
  readonly contexts: ReadonlyMap<string, string>;
  readonly kubeconfig: KubeConfig;
  /** Clusters queried at once. */
  readonly concurrency: number;
  /** Per request, in milliseconds. */
  readonly timeoutMs: number;
  /** With --dns: reads the zone's records, once a round. */
  readonly readDns?: () => Promise<EndpointRecords>;
  /** The clock, for certificate expiry and the --wait deadline. */
  readonly now: () => Date;
  /** Argo CD fleets: the context of the cluster Argo CD runs in; default the kubeconfig's current context. */
  readonly argoContext?: string;
}

/** One look at every cluster. */
export async function fleetStatus(o: StatusOptions): Promise<FleetStatus> {
  const now = o.now();
  const [dns, applications] = await Promise.all([o.readDns?.(), readApplications(o)]);
  const clusters = await mapBounded(o.clusters, o.concurrency, async (exp) => {
    const context = o.contexts.get(exp.cluster) ?? exp.cluster;
    let reader;
    try {
      reader = kubeReader(o.kubeconfig, context, { timeoutMs: o.timeoutMs });
    } catch (e) {
      reader = e instanceof KubeError ? e : new KubeError((e as Error).message.split('\n')[0], true);
    }
    return checkCluster(exp, context, reader, { now, dns, applications });
  });
  return { fleet: o.fleet, clusters };
}

/**
 * An Argo CD fleet's Applications live in the Argo CD cluster (in its `argocd` namespace), not in the clusters they
 * deliver to: they are listed there once a round, in their namespace only.
 */
async function readApplications(o: StatusOptions): Promise<ArgoApplications | undefined> {
  const refs = o.clusters.flatMap((c) => c.delivery.filter((r) => r.kind === 'Application'));
  if (refs.length === 0) return undefined;
  const context = o.argoContext ?? o.kubeconfig.getCurrentContext();
  if (!context)
    return { context: '(none)', error: 'the kubeconfig has no current context: give --argocd-context NAME' };
  try {
    return {
      context,
      objects: await listed(kubeReader(o.kubeconfig, context, { timeoutMs: o.timeoutMs }), refs, true),
    };
  } catch (e) {
    return { context, error: (e as Error).message.split('\n')[0] };
  }
}

export interface WaitOptions {
  /** How long to keep looking, in milliseconds. */
  readonly waitMs: number;
  /** Between rounds, in milliseconds. */
  readonly intervalMs: number;
  /** Told after each round that does not match yet. */
  readonly progress: (status: FleetStatus, remainingMs: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Rounds until all match or the deadline passes; the last round's status either way. */
export async function waitForStatus(
  o: StatusOptions,
  w: WaitOptions,
): Promise<{ status: FleetStatus; converged: boolean }> {
  const sleep = w.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = o.now().getTime() + w.waitMs;
  for (;;) {
    // A round runs whole even near the deadline (requests keep their own timeout): a round cut short would report
    // timeouts that are not there. So the deadline is passed by at most one round.
    const status = await fleetStatus(o);
    if (fleetPasses(status)) return { status, converged: true };
    const left = deadline - o.now().getTime();
    if (left <= 0) return { status, converged: false };
    w.progress(status, left);
    await sleep(Math.min(w.intervalMs, left));
  }
}
