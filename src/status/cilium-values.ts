/**
 * Cilium chart values `meshfleet status` needs rendered to see the mesh the way Cilium does. Not merged into the
 * computed values here: src/plan/cilium-values.ts owns those (see docs/status.md for why each is needed).
 *
 * - `prometheus.enabled: true`: the agents export `cilium_clustermesh_remote_cluster_readiness_status` only with
 *   their metrics server on (chart default off). Without it status reads KVStoreMesh alone, which tells whether the
 *   cluster's clustermesh-apiserver reaches its peers but not whether every agent reaches the local KVStoreMesh.
 * - `clustermesh.apiserver.metrics.kvstoremesh.enabled: true`: already the chart default (1.18 to 1.20), pinned so a
 *   fleet's values do not turn off the one source status has when agents export nothing.
 */
export const STATUS_CILIUM_VALUES = {
  prometheus: { enabled: true },
  clustermesh: { apiserver: { metrics: { kvstoremesh: { enabled: true } } } },
} as const;
