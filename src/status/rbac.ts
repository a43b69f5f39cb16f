/**
 * The least privilege `meshfleet status` needs: read-only, only the kinds it reads, no Secrets. The fake API server
 * in the tests enforces exactly these rules; docs/status.md shows them (rbacYaml()), and `meshfleet status --rbac`
 * prints the subset one fleet uses (rbacFor()).
 */
import { dump } from 'js-yaml';
import type { ClusterExpectation } from './expect.ts';

export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** Only these objects (by name). */
  readonly resourceNames?: readonly string[];
  /** Some rules are only needed in one namespace: a Role there, not the ClusterRole. */
  readonly namespace?: string;
  /** Bound in the cluster Argo CD runs in (`--argocd-context`), not in the fleet's clusters. */
  readonly argocd?: true;
}

export const STATUS_RBAC: readonly RbacRule[] = [
  // Services by name: the global services (in the fleet's namespaces) and the clustermesh-apiserver load balancer.
  { apiGroups: [''], resources: ['services'], verbs: ['get'] },
  { apiGroups: ['kustomize.toolkit.fluxcd.io'], resources: ['kustomizations'], verbs: ['list'] },
  { apiGroups: ['helm.toolkit.fluxcd.io'], resources: ['helmreleases'], verbs: ['list'] },
  { apiGroups: ['cert-manager.io'], resources: ['certificates'], verbs: ['list'] },
  { apiGroups: ['external-secrets.io'], resources: ['externalsecrets', 'pushsecrets'], verbs: ['list'] },
  // Cilium's running identity: cilium-config alone, not every ConfigMap.
  {
    apiGroups: [''],
    resources: ['configmaps'],
    verbs: ['get'],
    resourceNames: ['cilium-config'],
    namespace: 'kube-system',
  },
  // Cilium's metrics, through the API server's pod proxy: only the Cilium pods' namespace.
  { apiGroups: [''], resources: ['pods'], verbs: ['list'], namespace: 'kube-system' },
  { apiGroups: [''], resources: ['pods/proxy'], verbs: ['get'], namespace: 'kube-system' },
  // Argo CD fleets: the Applications, in the Argo CD cluster's namespace that holds them.
  { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['list'], namespace: 'argocd', argocd: true },
];

/** The rules one fleet's status needs: the kinds its render delivers and secures with, and no others. */
export function rbacFor(clusters: readonly ClusterExpectation[]): RbacRule[] {
  const used = new Set(clusters.flatMap((c) => [...c.delivery, ...c.tls]).map((r) => `${r.group}/${r.plural}`));
  const rules: RbacRule[] = [];
  for (const rule of STATUS_RBAC) {
    // The core kinds (Services, cilium-config, Cilium's pods) are read for every cluster.
    const resources = rule.apiGroups.includes('')
      ? rule.resources
      : rule.resources.filter((r) => rule.apiGroups.some((g) => used.has(`${g}/${r}`)));
    if (resources.length) rules.push({ ...rule, resources });
  }
  return rules;
}

/** The ClusterRole, the Role in Cilium's namespace and (Argo CD) the Role in the Argo CD cluster, as one YAML stream. */
export function rbacYaml(rules: readonly RbacRule[] = STATUS_RBAC, name = 'meshfleet-status'): string {
  const plain = (list: readonly RbacRule[]) =>
    list.map((r) => ({
      apiGroups: [...r.apiGroups],
      resources: [...r.resources],
      ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
      verbs: [...r.verbs],
    }));
  const role = (namespace: string, list: readonly RbacRule[]) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name, namespace },
    rules: plain(list),
  });
  const docs: string[] = [];
  const yaml = (d: object) => dump(d, { lineWidth: -1, flowLevel: 3 });
  const fleet = rules.filter((r) => !r.argocd);
  docs.push(
    yaml({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name },
      rules: plain(fleet.filter((r) => !r.namespace)),
    }),
  );
  for (const ns of namespaces(fleet))
    docs.push(
      yaml(
        role(
          ns,
          fleet.filter((r) => r.namespace === ns),
        ),
      ),
    );
  const argo = rules.filter((r) => r.argocd);
  for (const ns of namespaces(argo)) {
    docs.push(
      `# In the cluster Argo CD runs in (--argocd-context), not in the fleet's clusters.\n${yaml(
        role(
          ns,
          argo.filter((r) => r.namespace === ns),
        ),
      )}`,
    );
  }
  return docs.join('---\n');
}

function namespaces(rules: readonly RbacRule[]): string[] {
  return [...new Set(rules.flatMap((r) => (r.namespace ? [r.namespace] : [])))].sort();
}
