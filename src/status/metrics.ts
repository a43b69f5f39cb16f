/**
 * Cilium's own word on its remote clusters: the readiness gauges in the Prometheus text its agents
 * (`cilium_clustermesh_remote_cluster_readiness_status`) and KVStoreMesh
 * (`cilium_kvstoremesh_remote_cluster_readiness_status`) export, labelled with `target_cluster`
 * (Cilium pkg/clustermesh metrics; docs.cilium.io "Monitoring & Metrics", clustermesh section).
 */

export const AGENT_READINESS = 'cilium_clustermesh_remote_cluster_readiness_status';
export const KVSTOREMESH_READINESS = 'cilium_kvstoremesh_remote_cluster_readiness_status';

/** The labels the Cilium chart gives the agent pods and the clustermesh-apiserver pods (KVStoreMesh runs in the latter). */
export const AGENT_SELECTOR = 'k8s-app=cilium';
export const KVSTOREMESH_SELECTOR = 'k8s-app=clustermesh-apiserver';

/** Remote cluster name → ready, from one scrape. A cluster listed by several series is ready only if all say so. */
export function remoteReadiness(text: string, metric: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(metric)) continue;
    const m = /^(\w+)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== metric) continue;
    const target = /(?:^|,)\s*target_cluster="([^"]*)"/.exec(m[2] ?? '')?.[1];
    if (target === undefined) continue;
    const ready = Number(m[3]) === 1;
    out.set(target, (out.get(target) ?? true) && ready);
  }
  return out;
}
