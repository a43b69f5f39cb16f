/**
 * Annotations that keep an object when it leaves the output: Flux's garbage collection skips an object with
 * `kustomize.toolkit.fluxcd.io/prune: disabled` (also when its Kustomization is deleted), and Argo CD does not prune
 * one with `argocd.argoproj.io/sync-options: Prune=false`. Both are set whichever engine delivers, since a folder is
 * the same for both. They go on what others' workloads stand on, which a change to fleet.yaml must never take
 * down with it: a Namespace (every workload in it would go), the MinIO tenant (its data), and every Helm release
 * with its source (Cilium is the running cluster's CNI; uninstalling External Secrets or cert-manager can take
 * their CRDs, and every object of them, with it). Removing those is a person's deliberate act.
 */
export const KEEP_ON_PRUNE: Readonly<Record<string, string>> = {
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
  'argocd.argoproj.io/sync-options': 'Prune=false',
};
