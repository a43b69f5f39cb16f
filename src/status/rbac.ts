/**
 * The least privilege `meshfleet status` needs: read-only, only the kinds it reads. The fake API server in the tests
 * enforces exactly these rules, and docs/status.md shows them as the YAML below.
 */
import { dump } from 'js-yaml';

export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** Only these objects (by name). */
  readonly resourceNames?: readonly string[];
  /** Some rules are only needed in Cilium's namespace: a Role there, not the ClusterRole. */
  readonly namespace?: string;
}

export const STATUS_RBAC: readonly RbacRule[] = [
  // Services by name: the global services (in the fleet's namespaces) and the clustermesh-apiserver load balancer.
  { apiGroups: [''], resources: ['services'], verbs: ['get'] },
  { apiGroups: ['kustomize.toolkit.fluxcd.io'], resources: ['kustomizations'], verbs: ['list'] },
  { apiGroups: ['helm.toolkit.fluxcd.io'], resources: ['helmreleases'], verbs: ['list'] },
  { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['list'] },
  { apiGroups: ['cert-manager.io'], resources: ['certificates'], verbs: ['list'] },
  { apiGroups: ['external-secrets.io'], resources: ['externalsecrets', 'pushsecrets'], verbs: ['list'] },
  // Cilium's running identity: cilium-config alone, not every ConfigMap.
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['cilium-config'], namespace: 'kube-system' },
  // Cilium's metrics, through the API server's pod proxy: only the Cilium pods' namespace.
  { apiGroups: [''], resources: ['pods'], verbs: ['list'], namespace: 'kube-system' },
  { apiGroups: [''], resources: ['pods/proxy'], verbs: ['get'], namespace: 'kube-system' },
];

/** The ClusterRole and the Role in Cilium's namespace, as one YAML stream. */
export function rbacYaml(name = 'meshfleet-status'): string {
  const rules = (ns?: string) =>
    STATUS_RBAC.filter((r) => r.namespace === ns).map((r) => ({
      apiGroups: [...r.apiGroups],
      resources: [...r.resources],
      ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
      verbs: [...r.verbs],
    }));
  const namespaces = [...new Set(STATUS_RBAC.flatMap((r) => (r.namespace ? [r.namespace] : [])))].sort();
  const docs: object[] = [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: rules(undefined) },
    ...namespaces.map((namespace) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules: rules(namespace) })),
  ];
  return docs.map((d) => dump(d, { lineWidth: -1, flowLevel: 3 })).join('---\n');
}
