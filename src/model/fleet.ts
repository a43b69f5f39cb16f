/**
 * The fleet as meshfleet understands it once fleet.yaml is valid: every default filled in, every field typed.
 * `validate` produces it; `plan` consumes it. Field docs and defaults mirror schema/fleet.schema.json.
 */

export type Role = 'storage' | 'application';
export type Cni = 'native' | 'aws-cni';
export type IpFamily = 'ipv4' | 'ipv6' | 'dual';
export type TlsMode = 'per-cluster-ca' | 'shared-ca';
export type Topology = 'hub-and-spoke' | 'full-mesh';
export type GitopsEngine = 'flux' | 'argocd';
export type Values = { readonly [key: string]: unknown };

export const DEFAULTS = {
  ciliumVersion: '1.19.6',
  maxConnectedClusters: 255,
  cni: 'native' as Cni,
  ipFamily: 'ipv4' as IpFamily,
  topology: 'hub-and-spoke' as Topology,
  endpointTemplate: '{{environment}}.{{application}}.{{zone}}',
  vaultMount: 'secret',
  vaultPathTemplate: 'clusters/{{application}}/tls/{{environment}}/infrastructure/clustermesh',
  sharedCaPathTemplate: 'clusters/mesh/tls/clustermesh-ca',
  authMountPathTemplate: 'kubernetes-{{cluster}}',
  authRoleTemplate: '{{cluster}}-clustermesh',
  serviceAccount: 'external-secrets/external-secrets',
  tlsMode: 'per-cluster-ca' as TlsMode,
  gitopsEngine: 'flux' as GitopsEngine,
  branch: 'main',
  interval: '10m',
  components: {
    certManager: { version: 'v1.21.1', repository: 'https://charts.jetstack.io', chart: 'cert-manager' },
    externalSecrets: { version: '2.9.0', repository: 'https://charts.external-secrets.io', chart: 'external-secrets' },
    minioOperator: { version: '7.1.1', repository: 'https://operator.min.io', chart: 'operator' },
  },
  storage: {
    tenant: 'minio',
    namespace: 'minio-tenant',
    servers: 4,
    volumesPerServer: 4,
    size: '100Gi',
    credentialsPathTemplate: 'clusters/{{application}}/minio/{{environment}}/root',
  },
} as const;

/** Cluster IDs Cilium refuses with AWS VPC CNI chaining (cilium/cilium#21330) start above this. */
export const AWS_CNI_MAX_CLUSTER_ID = 127;

export interface CiliumSettings {
  /** Chart version. @default '1.19.6' */
  readonly version: string;
  /** @default 'native' */
  readonly cni: Cni;
  /** @default 'ipv4' */
  readonly ipFamily: IpFamily;
  /** Free-form chart values, merged last. @default {} */
  readonly values: Values;
}

export interface FleetCilium extends CiliumSettings {
  /** @default 255 */
  readonly maxConnectedClusters: 255 | 511;
  /** @default true */
  readonly kvstoremesh: boolean;
}

export interface ComponentSettings {
  /** @default true */
  readonly enabled: boolean;
  readonly version: string;
  readonly repository: string;
  readonly chart: string;
  /** @default {} */
  readonly values: Values;
}

export interface VaultSettings {
  readonly server: string;
  /** KV v2 mount. @default 'secret' */
  readonly mount: string;
  /** Template of the clustermesh TLS path inside the mount (no `data/`). */
  readonly path: string;
  /** Template of the shared mesh CA path inside the mount. */
  readonly sharedCaPath: string;
  readonly auth: {
    /** Template. @default 'kubernetes-{{cluster}}' */
    readonly mountPath: string;
    /** Template. @default '{{cluster}}-clustermesh' */
    readonly role: string;
    readonly serviceAccount: { readonly namespace: string; readonly name: string };
  };
}

export interface PoolSpec {
  readonly name: string;
  /** @default 4 */
  readonly servers: number;
  /** @default 4 */
  readonly volumesPerServer: number;
  /** @default '100Gi' */
  readonly size: string;
  readonly storageClass?: string;
  readonly resources?: { readonly requests?: Values; readonly limits?: Values };
}

export interface StorageSpec {
  /** @default 'minio' */
  readonly tenant: string;
  /** @default 'minio-tenant' */
  readonly namespace: string;
  readonly pools: readonly PoolSpec[];
  /** @default [] */
  readonly buckets: readonly string[];
  /** @default false */
  readonly requestAutoCert: boolean;
  /** Template of the Vault path (inside the mount) of the root credentials. */
  readonly credentialsPath: string;
}

export interface ServicePort {
  readonly name: string;
  readonly port: number;
  /** @default port */
  readonly targetPort: number | string;
  /** @default 'TCP' */
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface GlobalServiceSpec {
  readonly name: string;
  readonly namespace: string;
  readonly ports: readonly ServicePort[];
  /** @default {} */
  readonly selector: { readonly [label: string]: string };
  /** Cluster names; undefined means the storage clusters. */
  readonly servedBy?: readonly string[];
  /** Cluster names; undefined means every cluster connected to a server. */
  readonly consumedBy?: readonly string[];
  readonly affinity?: 'local' | 'remote' | 'none';
  /**
   * Namespaces of the service's clients on consuming clusters, made global there where Cilium 1.20 keeps namespaces
   * local by default (`clustermesh.defaultGlobalNamespace: false`). Sorted. @default []
   */
  readonly clientNamespaces: readonly string[];
  /** Who may reach the backends; undefined: no network policy (every pod of every connected cluster may). */
  readonly access?: ServiceAccess;
}

/** Pods that may use a service: any pod of these namespaces carrying all these labels. */
export interface ClientPods {
  /** Sorted. */
  readonly namespaces: readonly string[];
  /** @default {} */
  readonly podLabels: { readonly [label: string]: string };
}

export interface ServiceAccess {
  /** Clients on consuming clusters; `clusters` undefined means every consumer. @default [] */
  readonly consumers: readonly (ClientPods & { readonly clusters?: readonly string[] })[];
  /** Clients on the serving clusters. @default [] */
  readonly local: readonly ClientPods[];
}

export interface ClusterSpec {
  readonly name: string;
  readonly id: number;
  readonly role: Role;
  readonly application?: string;
  readonly environment?: string;
  /** The kubeconfig context `meshfleet status` reads this cluster through, overriding its `--context` template. */
  readonly kubeContext?: string;
  /** Clusters this one dials; undefined means "from the fleet's topology". */
  readonly connectsTo?: readonly string[];
  /** @default [] */
  readonly podCIDRs: readonly string[];
  /** The fleet's Cilium settings with this cluster's overrides applied (values: this cluster's only). */
  readonly cilium: CiliumSettings;
  readonly dns: {
    /** Endpoint name template: the cluster's own or the fleet's. */
    readonly endpoint: string;
    /** @default false */
    readonly externalDns: boolean;
    readonly target?: { readonly dnsName: string; readonly hostedZoneId: string };
  };
  /** Present on storage clusters (defaults filled in). */
  readonly storage?: StorageSpec;
}

export interface Fleet {
  readonly name: string;
  readonly cilium: FleetCilium;
  /** @default 'hub-and-spoke' */
  readonly topology: Topology;
  readonly dns: { readonly zone: string; readonly hostedZoneId?: string };
  readonly vault: VaultSettings;
  readonly tls: { readonly mode: TlsMode };
  readonly components: {
    readonly certManager: ComponentSettings;
    readonly externalSecrets: ComponentSettings;
    readonly minioOperator: ComponentSettings;
  };
  readonly gitops: {
    readonly engine: GitopsEngine;
    readonly repository?: string;
    readonly branch: string;
    readonly interval: string;
  };
  readonly services: readonly GlobalServiceSpec[];
  /** Sorted by name: the order in fleet.yaml never shows in the output. */
  readonly clusters: readonly ClusterSpec[];
}
