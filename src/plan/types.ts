import type { Cni, GitopsEngine, IpFamily, PoolSpec, Role, ServicePort, TlsMode, Values } from '../model/fleet.ts';
import type { AuthMode } from './clustermesh-tls.ts';

/** Cilium's clustermesh-apiserver (etcd) port: what every peer dials. */
export const CLUSTERMESH_PORT = 2379;
export const CILIUM_NAMESPACE = 'kube-system';

/** A cluster this one is connected to, as this one sees it. */
export interface PeerPlan {
  readonly name: string;
  readonly id: number;
  /** The DNS name this cluster dials. */
  readonly endpoint: string;
  readonly port: number;
  /** Where the peer keeps its clustermesh client material in Vault (inside the mount). */
  readonly vaultPath: string;
}

export interface IssuerRef {
  readonly group: 'cert-manager.io';
  readonly kind: 'Issuer' | 'ClusterIssuer';
  readonly name: string;
}

export interface ComponentPlan {
  /** HelmRelease, HelmRepository and target namespace name. */
  readonly name: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
  readonly values: Values;
}

export interface ServicePlan {
  readonly name: string;
  readonly namespace: string;
  readonly ports: readonly ServicePort[];
  readonly selector: { readonly [label: string]: string };
  /** `service.cilium.io/shared`: this cluster exports backends. */
  readonly shared: boolean;
  readonly affinity?: 'local' | 'remote' | 'none';
  /** On a serving cluster of a service that declares `access`: who may reach its backends here. */
  readonly access?: ServiceAccessPlan;
}

/** Pods of these clusters (named explicitly, whatever `policyDefaultLocalCluster` says) and namespaces, with these labels. */
export interface ClientRulePlan {
  /** Sorted. */
  readonly clusters: readonly string[];
  /** Sorted. */
  readonly namespaces: readonly string[];
  readonly podLabels: { readonly [label: string]: string };
}

/** One CiliumNetworkPolicy on a serving cluster: ingress to the service's backends from these only. */
export interface ServiceAccessPlan {
  /** The policy's name, in the service's namespace. */
  readonly name: string;
  /** The consumers' entries (limited to consumers connected to this cluster), then the local ones. */
  readonly clients: readonly ClientRulePlan[];
  /** The service's target ports and protocols: what clients may reach. */
  readonly ports: readonly { readonly port: string; readonly protocol: 'TCP' | 'UDP' | 'SCTP' }[];
  /** A MinIO tenant behind the service: its own pods and the operator must reach it too. */
  readonly tenant?: {
    readonly label: string;
    readonly name: string;
    readonly namespace: string;
    /** The MinIO API port, which the operator calls (health, buckets, administration). */
    readonly port: number;
    /** Undefined when the fleet does not install the operator. */
    readonly operatorNamespace?: string;
  };
}

export interface NamespacePlan {
  readonly name: string;
  /** Annotate `clustermesh.cilium.io/global: "true"` (Cilium 1.20 with defaultGlobalNamespace off). */
  readonly global: boolean;
}

export interface TenantPlan {
  readonly name: string;
  readonly namespace: string;
  readonly pools: readonly PoolSpec[];
  readonly buckets: readonly string[];
  readonly requestAutoCert: boolean;
  /** Secret holding `config.env`, filled from Vault. */
  readonly configurationSecret: string;
  readonly credentialsPath: string;
}

/** Everything one cluster's output needs; charts read nothing else. */
export interface ClusterPlan {
  readonly fleet: string;
  readonly name: string;
  readonly id: number;
  readonly role: Role;
  /** This cluster's mesh endpoint DNS name. */
  readonly endpoint: string;
  /** Sorted by name. */
  readonly peers: readonly PeerPlan[];
  readonly cilium: {
    readonly version: string;
    readonly cni: Cni;
    readonly ipFamily: IpFamily;
    /** Whether the kvstoremesh sidecar runs, as the final values say. */
    readonly kvstoremesh: boolean;
    /** The final chart values: computed, then the fleet's `values`, then the cluster's. */
    readonly values: Values;
  };
  readonly tls: {
    readonly mode: TlsMode;
    /** The issuer of the clustermesh-apiserver certificates. */
    readonly issuer: IssuerRef;
    /** `clustermesh.apiserver.tls.authMode` as the chart applies it (the values', else the chart version's default). */
    readonly authMode: AuthMode;
    /** meshfleet renders `clustermesh-remote-users` (the chart does not, and the clustermesh-apiserver mounts it). */
    readonly remoteUsers: boolean;
  };
  readonly vault: {
    readonly server: string;
    readonly mount: string;
    readonly authMountPath: string;
    readonly role: string;
    readonly serviceAccount: { readonly namespace: string; readonly name: string };
    /** The ClusterSecretStore name. */
    readonly store: string;
    /** This cluster's clustermesh material path (inside the mount). */
    readonly ownPath: string;
    /** The mesh CA path in shared-CA mode. */
    readonly sharedCaPath?: string;
  };
  readonly components: {
    readonly certManager?: ComponentPlan;
    readonly externalSecrets?: ComponentPlan;
    readonly minioOperator?: ComponentPlan;
  };
  readonly namespaces: readonly NamespacePlan[];
  readonly services: readonly ServicePlan[];
  readonly tenant?: TenantPlan;
  readonly gitops: {
    readonly engine: GitopsEngine;
    /** Repository-relative folder of this cluster's rendered output, e.g. `dist/data-bolt`. */
    readonly path: string;
    readonly repository?: string;
    readonly branch: string;
    readonly interval: string;
  };
}

export interface FleetPlan {
  readonly fleet: string;
  /** Sorted by name. */
  readonly clusters: readonly ClusterPlan[];
  /** What `meshfleet dns` keeps in step. */
  readonly dns: {
    readonly zone: string;
    readonly hostedZoneId?: string;
    readonly ipFamily: IpFamily;
    readonly endpoints: readonly {
      readonly cluster: string;
      readonly fqdn: string;
      readonly externalDns: boolean;
      readonly target?: { readonly dnsName: string; readonly hostedZoneId: string };
    }[];
  };
}
