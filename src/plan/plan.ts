import { ciliumMinor } from '../model/cilium-version.ts';
import type { ClusterSpec, Fleet, GlobalServiceSpec } from '../model/fleet.ts';
import { renderTemplate, type TemplateContext } from '../model/template.ts';
import { ciliumValues } from './cilium-values.ts';
import { effectiveAuthMode, effectiveKvstoremesh, rendersRemoteUsers } from './clustermesh-tls.ts';
import { meshPeers } from '../model/connections.ts';
import { shareEach } from '../sharing/index.ts';
import {
  CILIUM_NAMESPACE,
  CLUSTERMESH_PORT,
  type ClusterPlan,
  type ComponentPlan,
  type FleetPlan,
  type IssuerRef,
  type NamespacePlan,
  type ClientRulePlan,
  type PeerPlan,
  type ServiceAccessPlan,
  type ServicePlan,
  type TenantPlan,
} from './types.ts';

/** The pod label the MinIO operator puts on every pod of a tenant, and the MinIO API port of those pods. */
const TENANT_LABEL = 'v1.min.io/tenant';
const MINIO_PORT = 9000;

export interface PlanOptions {
  /** Repository-relative folder the clusters' output goes to (the GitOps engine syncs `<distPath>/<cluster>`). @default 'dist' */
  readonly distPath?: string;
}

/** Fleet → one plan per cluster. Pure: all cross-cluster wiring (peers, names, Vault paths) is decided here. */
export function planFleet(fleet: Fleet, options: PlanOptions = {}): FleetPlan {
  const distPath = (options.distPath ?? 'dist').replace(/\/+$/, '');
  const names = clusterNames(fleet);
  const mesh = meshOf(fleet, names);
  return {
    fleet: fleet.name,
    clusters: fleet.clusters.map((cluster) => planCluster(fleet, cluster, names.get(cluster.name)!, mesh, distPath)),
    dns: {
      zone: fleet.dns.zone,
      hostedZoneId: fleet.dns.hostedZoneId,
      ipFamily: fleet.cilium.ipFamily,
      endpoints: fleet.clusters.map((c) => ({
        cluster: c.name,
        fqdn: names.get(c.name)!.endpoint,
        externalDns: c.dns.externalDns,
        target: c.dns.target,
      })),
    },
  };
}

/** What a cluster's templates render to: its template context, the DNS name peers dial, its own Vault path. */
interface ClusterNames {
  readonly ctx: TemplateContext;
  readonly endpoint: string;
  readonly vaultPath: string;
}

function clusterNames(fleet: Fleet): ReadonlyMap<string, ClusterNames> {
  return new Map(
    fleet.clusters.map((c) => {
      const ctx = templateContext(fleet, c);
      return [
        c.name,
        { ctx, endpoint: renderTemplate(c.dns.endpoint, ctx), vaultPath: renderTemplate(fleet.vault.path, ctx) },
      ];
    }),
  );
}

/** Who is connected to whom, and who serves each service. */
interface Mesh {
  /** Each cluster's peers, by name (model/connections.ts). */
  readonly peerNames: ReadonlyMap<string, readonly string[]>;
  /** A cluster's peers as PeerPlans. */
  readonly peers: (cluster: string) => readonly PeerPlan[];
  readonly servers: ReadonlyMap<GlobalServiceSpec, ReadonlySet<string>>;
}

/**
 * One PeerPlan per cluster, shared by every cluster that dials it (src/sharing): made once, and so are the entries
 * charts make of it.
 */
function meshOf(fleet: Fleet, names: ReadonlyMap<string, ClusterNames>): Mesh {
  const peerNames = meshPeers(fleet);
  const byName = new Map(
    fleet.clusters.map((c): [string, PeerPlan] => {
      const { endpoint, vaultPath } = names.get(c.name)!;
      return [c.name, { name: c.name, id: c.id, endpoint, port: CLUSTERMESH_PORT, vaultPath }];
    }),
  );
  const asPeer = shareEach((name: string) => byName.get(name)!);
  return { peerNames, peers: (cluster) => asPeer.list(peerNames.get(cluster)!), servers: serversOf(fleet) };
}

/** One cluster's plan, from its names and its place in the mesh. */
function planCluster(
  fleet: Fleet,
  cluster: ClusterSpec,
  { ctx, endpoint, vaultPath }: ClusterNames,
  mesh: Mesh,
  distPath: string,
): ClusterPlan {
  const peers = mesh.peers(cluster.name);
  const issuer: IssuerRef = {
    group: 'cert-manager.io',
    kind: 'Issuer',
    name: fleet.tls.mode === 'shared-ca' ? 'clustermesh-ca' : `${cluster.name}-self-signed-ca`,
  };
  const values = ciliumValues({ fleet, cluster, endpoint, peers, issuer });
  const authMode = effectiveAuthMode(cluster.cilium.version, values);
  const services = servicesOf(fleet, cluster, mesh.peerNames, mesh.servers);
  const tenant = cluster.storage ? tenantOf(cluster, ctx) : undefined;
  return {
    fleet: fleet.name,
    name: cluster.name,
    id: cluster.id,
    role: cluster.role,
    endpoint,
    peers,
    cilium: {
      version: cluster.cilium.version,
      cni: cluster.cilium.cni,
      ipFamily: cluster.cilium.ipFamily,
      kvstoremesh: effectiveKvstoremesh(values),
      values,
    },
    tls: { mode: fleet.tls.mode, issuer, authMode, remoteUsers: rendersRemoteUsers(cluster.cilium.version, authMode) },
    vault: vaultOf(fleet, ctx, vaultPath),
    components: {
      certManager: component(fleet.components.certManager, 'cert-manager', { crds: { enabled: true } }),
      externalSecrets: component(fleet.components.externalSecrets, 'external-secrets', { installCRDs: true }),
      minioOperator:
        cluster.role === 'storage' ? component(fleet.components.minioOperator, 'minio-operator', {}) : undefined,
    },
    namespaces: namespacesOf(cluster, services, tenant, values, clientNamespacesOf(fleet, services)),
    services,
    tenant,
    gitops: {
      engine: fleet.gitops.engine,
      path: `${distPath}/${cluster.name}`,
      repository: fleet.gitops.repository,
      branch: fleet.gitops.branch,
      interval: fleet.gitops.interval,
    },
  };
}

/** Where the cluster's secret store reads Vault, and the paths it reads. */
function vaultOf(fleet: Fleet, ctx: TemplateContext, ownPath: string): ClusterPlan['vault'] {
  return {
    server: fleet.vault.server,
    mount: fleet.vault.mount,
    authMountPath: renderTemplate(fleet.vault.auth.mountPath, ctx),
    role: renderTemplate(fleet.vault.auth.role, ctx),
    serviceAccount: fleet.vault.auth.serviceAccount,
    store: 'vault',
    ownPath,
    sharedCaPath: fleet.tls.mode === 'shared-ca' ? renderTemplate(fleet.vault.sharedCaPath, ctx) : undefined,
  };
}

/** The name templates' variables for one cluster of a validated fleet. */
export function templateContext(fleet: Fleet, c: ClusterSpec): TemplateContext {
  return {
    cluster: c.name,
    id: c.id,
    role: c.role,
    application: c.application,
    environment: c.environment,
    zone: fleet.dns.zone,
    fleet: fleet.name,
  };
}

function component(
  settings: Fleet['components']['certManager'],
  name: string,
  defaults: Record<string, unknown>,
): ComponentPlan | undefined {
  if (!settings.enabled) return undefined;
  return {
    name,
    namespace: name,
    chart: settings.chart,
    version: settings.version,
    repository: settings.repository,
    values: { ...defaults, ...settings.values },
  };
}

/** The clusters exporting each service: those it names, or the storage clusters. */
function serversOf(fleet: Fleet): ReadonlyMap<GlobalServiceSpec, ReadonlySet<string>> {
  const storage = fleet.clusters.filter((c) => c.role === 'storage').map((c) => c.name);
  return new Map(fleet.services.map((s) => [s, new Set(s.servedBy ?? storage)]));
}

function servicesOf(
  fleet: Fleet,
  cluster: ClusterSpec,
  peersOf: ReadonlyMap<string, readonly string[]>,
  servers: ReadonlyMap<GlobalServiceSpec, ReadonlySet<string>>,
): ServicePlan[] {
  const out: ServicePlan[] = [];
  for (const service of fleet.services) {
    const serving = servers.get(service)!;
    const shared = serving.has(cluster.name);
    const consumes = service.consumedBy
      ? service.consumedBy.includes(cluster.name)
      : peersOf.get(cluster.name)!.some((p) => serving.has(p));
    if (!shared && !consumes) continue;
    const access = shared && service.access ? accessOf(fleet, cluster, service, serving, peersOf) : undefined;
    out.push({
      name: service.name,
      namespace: service.namespace,
      ports: service.ports,
      selector: service.selector,
      shared,
      affinity: service.affinity,
      ...(access ? { access } : {}),
    });
  }
  return out;
}

/**
 * Who may reach a service's backends on one of its serving clusters. An entry admits the consumers it names (or every
 * consumer) that are connected to this cluster, by name: from Cilium 1.19 (`policyDefaultLocalCluster`) a selector
 * without a cluster means the local cluster only, before it meant every cluster, so naming them keeps one meaning.
 */
function accessOf(
  fleet: Fleet,
  cluster: ClusterSpec,
  service: GlobalServiceSpec,
  serving: ReadonlySet<string>,
  peersOf: ReadonlyMap<string, readonly string[]>,
): ServiceAccessPlan {
  const access = service.access!;
  const peers = new Set(peersOf.get(cluster.name)!);
  const consumers = (
    service.consumedBy ??
    fleet.clusters.map((c) => c.name).filter((n) => !serving.has(n) && peersOf.get(n)!.some((p) => serving.has(p)))
  ).filter((n) => peers.has(n) && !serving.has(n));
  const clients: ClientRulePlan[] = [
    ...access.consumers.map((c) => ({
      clusters: (c.clusters ?? consumers).filter((n) => consumers.includes(n)).sort(),
      namespaces: c.namespaces,
      podLabels: c.podLabels,
    })),
    ...access.local.map((c) => ({ clusters: [cluster.name], namespaces: c.namespaces, podLabels: c.podLabels })),
  ].filter((c) => c.clusters.length > 0);
  const tenantName = service.selector[TENANT_LABEL];
  const storage = cluster.storage;
  const tenant =
    storage && tenantName === storage.tenant && service.namespace === storage.namespace
      ? {
          label: TENANT_LABEL,
          name: tenantName,
          namespace: storage.namespace,
          port: MINIO_PORT,
          ...(fleet.components.minioOperator.enabled ? { operatorNamespace: 'minio-operator' } : {}),
        }
      : undefined;
  const ports = service.ports.map((p) => ({ port: String(p.targetPort), protocol: p.protocol }));
  return { name: `${service.name}-access`, clients, ports, ...(tenant ? { tenant } : {}) };
}

function tenantOf(cluster: ClusterSpec, ctx: TemplateContext): TenantPlan {
  const s = cluster.storage!;
  return {
    name: s.tenant,
    namespace: s.namespace,
    pools: s.pools,
    buckets: s.buckets,
    requestAutoCert: s.requestAutoCert,
    configurationSecret: `${s.tenant}-env-configuration`,
    credentialsPath: renderTemplate(s.credentialsPath, ctx),
  };
}

/** The namespaces of the clients of the services this cluster consumes (does not serve). */
function clientNamespacesOf(fleet: Fleet, services: readonly ServicePlan[]): readonly string[] {
  const consumed = new Set(services.filter((s) => !s.shared).map((s) => s.name));
  return fleet.services.filter((s) => consumed.has(s.name)).flatMap((s) => s.clientNamespaces);
}

/**
 * Namespaces the output needs. With Cilium 1.20's `clustermesh.defaultGlobalNamespace: false`, a namespace is only
 * global when annotated `clustermesh.cilium.io/global: "true"`, and cross-cluster traffic needs both ends global: the
 * namespace of a global Service, and on a consuming cluster the namespaces of its clients.
 */
function namespacesOf(
  cluster: ClusterSpec,
  services: readonly ServicePlan[],
  tenant: TenantPlan | undefined,
  values: Record<string, unknown>,
  clients: readonly string[],
): NamespacePlan[] {
  const clustermesh = (values.clustermesh ?? {}) as Record<string, unknown>;
  const needsAnnotation =
    (ciliumMinor(cluster.cilium.version) ?? 0) >= 20 && clustermesh.defaultGlobalNamespace === false;
  const names = new Set<string>([...services.map((s) => s.namespace), ...(tenant ? [tenant.namespace] : [])]);
  // Elsewhere a client's namespace is global already, and not meshfleet's to render.
  const clientOnly = new Set(needsAnnotation ? clients.filter((n) => !names.has(n)) : []);
  for (const name of clientOnly) names.add(name);
  names.delete(CILIUM_NAMESPACE);
  return [...names].sort().map((name) => ({
    name,
    global: needsAnnotation && (clientOnly.has(name) || services.some((s) => s.namespace === name)),
  }));
}
