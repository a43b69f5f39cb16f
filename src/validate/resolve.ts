import { byKey, byteOrder } from '../model/byte-order.ts';
import {
  DEFAULTS,
  type ClientPods,
  type ClusterSpec,
  type ComponentSettings,
  type Fleet,
  type GlobalServiceSpec,
  type PoolSpec,
  type ServiceAccess,
  type StorageSpec,
  type Values,
} from '../model/fleet.ts';

/**
 * Fills in every default. Runs only on data that passed the schema and the rules, so it may trust shapes; it is
 * the one place defaults are applied (the schema's descriptions document the same values).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export function resolveFleet(raw: Any): Fleet {
  const cilium = resolveCilium(raw.cilium ?? {});
  const endpoint = raw.dns.endpoint ?? DEFAULTS.endpointTemplate;
  const clusters: ClusterSpec[] = raw.clusters
    .map((c: Any) => resolveCluster(c, cilium, endpoint))
    .sort(byKey((c: ClusterSpec) => c.name));
  return {
    name: raw.fleet,
    cilium,
    topology: raw.topology ?? DEFAULTS.topology,
    dns: { zone: raw.dns.zone, hostedZoneId: raw.dns.hostedZoneId },
    vault: resolveVault(raw.vault),
    tls: { mode: raw.tls?.mode ?? DEFAULTS.tlsMode },
    components: resolveComponents(raw.components ?? {}),
    gitops: {
      engine: raw.gitops?.engine ?? DEFAULTS.gitopsEngine,
      repository: raw.gitops?.repository,
      branch: raw.gitops?.branch ?? DEFAULTS.branch,
      interval: raw.gitops?.interval ?? DEFAULTS.interval,
    },
    services: resolveServices(raw.services ?? [], clusters),
    clusters,
  };
}

function resolveCilium(cilium: Any): Fleet['cilium'] {
  return {
    version: cilium.version ?? DEFAULTS.ciliumVersion,
    maxConnectedClusters: cilium.maxConnectedClusters ?? DEFAULTS.maxConnectedClusters,
    kvstoremesh: cilium.kvstoremesh ?? true,
    cni: cilium.cni ?? DEFAULTS.cni,
    ipFamily: cilium.ipFamily ?? DEFAULTS.ipFamily,
    values: (cilium.values ?? {}) as Values,
  };
}

/** A cluster's own settings, each falling back to the fleet's. */
function resolveCluster(c: Any, fleetCilium: Fleet['cilium'], endpoint: string): ClusterSpec {
  return {
    name: c.name,
    id: c.id,
    role: c.role,
    application: c.application,
    environment: c.environment,
    ...(c.kubeContext !== undefined ? { kubeContext: c.kubeContext as string } : {}),
    connectsTo: c.connectsTo ? [...new Set<string>(c.connectsTo)].sort(byteOrder) : undefined,
    podCIDRs: c.podCIDRs ?? [],
    cilium: {
      version: c.cilium?.version ?? fleetCilium.version,
      cni: c.cilium?.cni ?? fleetCilium.cni,
      ipFamily: c.cilium?.ipFamily ?? fleetCilium.ipFamily,
      values: c.cilium?.values ?? {},
    },
    dns: {
      endpoint: c.dns?.endpoint ?? endpoint,
      externalDns: c.dns?.externalDns ?? false,
      target: c.dns?.target,
    },
    storage: c.role === 'storage' ? resolveStorage(c.storage ?? {}) : undefined,
  };
}

function resolveVault(vault: Any): Fleet['vault'] {
  const [saNamespace, saName] = (vault.auth?.serviceAccount ?? DEFAULTS.serviceAccount).split('/');
  return {
    server: vault.server,
    mount: vault.mount ?? DEFAULTS.vaultMount,
    path: vault.path ?? DEFAULTS.vaultPathTemplate,
    sharedCaPath: vault.sharedCaPath ?? DEFAULTS.sharedCaPathTemplate,
    auth: {
      mountPath: vault.auth?.mountPath ?? DEFAULTS.authMountPathTemplate,
      role: vault.auth?.role ?? DEFAULTS.authRoleTemplate,
      serviceAccount: { namespace: saNamespace, name: saName },
    },
  };
}

function resolveComponents(components: Any): Fleet['components'] {
  const component = (key: keyof typeof DEFAULTS.components): ComponentSettings => ({
    enabled: components[key]?.enabled ?? true,
    version: components[key]?.version ?? DEFAULTS.components[key].version,
    repository: DEFAULTS.components[key].repository,
    chart: DEFAULTS.components[key].chart,
    values: components[key]?.values ?? {},
  });
  return {
    certManager: component('certManager'),
    externalSecrets: component('externalSecrets'),
    minioOperator: component('minioOperator'),
  };
}

function resolveStorage(s: Any): StorageSpec {
  const pools: PoolSpec[] = (s.pools ?? [{}]).map((p: Any, i: number): PoolSpec => ({
    name: p.name ?? `pool-${i}`,
    servers: p.servers ?? DEFAULTS.storage.servers,
    volumesPerServer: p.volumesPerServer ?? DEFAULTS.storage.volumesPerServer,
    size: p.size ?? DEFAULTS.storage.size,
    storageClass: p.storageClass,
    resources: p.resources,
  }));
  return {
    tenant: s.tenant ?? DEFAULTS.storage.tenant,
    namespace: s.namespace ?? DEFAULTS.storage.namespace,
    pools,
    buckets: [...(s.buckets ?? [])].sort(byteOrder),
    requestAutoCert: s.requestAutoCert ?? false,
    credentialsPath: s.credentialsPath ?? DEFAULTS.storage.credentialsPathTemplate,
  };
}

function resolveAccess(a: Any): ServiceAccess {
  const pods = (p: Any): ClientPods => ({
    namespaces: [...p.namespaces].sort(byteOrder),
    podLabels: p.podLabels ?? {},
  });
  return {
    consumers: (a.consumers ?? []).map((c: Any) => ({
      ...pods(c),
      ...(c.clusters ? { clusters: [...c.clusters].sort(byteOrder) } : {}),
    })),
    local: (a.local ?? []).map(pods),
  };
}

/** The fleet's global services; `s3-internal` is added when a storage cluster exists and none is declared by that name. */
function resolveServices(declared: Any[], clusters: readonly ClusterSpec[]): GlobalServiceSpec[] {
  const services: GlobalServiceSpec[] = declared.map((s: Any) => ({
    name: s.name,
    namespace: s.namespace,
    ports: s.ports.map((p: Any) => ({
      name: p.name,
      port: p.port,
      targetPort: p.targetPort ?? p.port,
      protocol: p.protocol ?? 'TCP',
    })),
    selector: s.selector ?? {},
    servedBy: s.servedBy ? [...s.servedBy].sort(byteOrder) : undefined,
    consumedBy: s.consumedBy ? [...s.consumedBy].sort(byteOrder) : undefined,
    affinity: s.affinity,
    clientNamespaces: [...(s.clientNamespaces ?? [])].sort(byteOrder),
    access: s.access ? resolveAccess(s.access) : undefined,
  }));
  // The rules make every storage cluster agree on tenant, namespace and TLS when this default applies.
  const storage = clusters.find((c) => c.role === 'storage');
  if (storage && !services.some((s) => s.name === 's3-internal')) {
    // With requestAutoCert MinIO serves TLS on 9000, so the port is named and numbered for HTTPS.
    const tls = storage.storage!.requestAutoCert;
    services.push({
      name: 's3-internal',
      namespace: storage.storage!.namespace,
      ports: [{ name: tls ? 'https-minio' : 'http-minio', port: tls ? 443 : 80, targetPort: 9000, protocol: 'TCP' }],
      selector: { 'v1.min.io/tenant': storage.storage!.tenant },
      clientNamespaces: [],
    });
  }
  return services.sort(byKey((s) => `${s.namespace}/${s.name}`));
}
