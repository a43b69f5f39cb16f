import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { TenantPlan } from '../../src/plan/types.ts';
import { KEEP_ON_PRUNE } from './keep-on-prune.ts';
import { metadata } from './metadata.ts';
import { MinioRootCredentials } from './minio-root-credentials.ts';

// The Tenant is typed here by hand, and only in the fields meshfleet renders: the MinIO operator and its CRD are
// AGPL-3.0, so no code is generated from that CRD into this project. Tests check the output against the CRD itself.

type Quantities = { readonly [resource: string]: unknown };

/** One server pool of a Tenant (minio.min.io/v2 `spec.pools[]`). */
export interface TenantPoolSpec {
  readonly name: string;
  readonly servers: number;
  readonly volumesPerServer: number;
  readonly volumeClaimTemplate: {
    readonly metadata: { readonly name: string };
    readonly spec: {
      readonly accessModes: readonly string[];
      readonly resources: { readonly requests: { readonly storage: string } };
      readonly storageClassName?: string;
    };
  };
  readonly resources?: { readonly requests?: Quantities; readonly limits?: Quantities };
}

/** The part of a Tenant's spec meshfleet renders. */
export interface TenantSpec {
  /** The Secret holding `config.env` (root credentials). */
  readonly configuration: { readonly name: string };
  readonly pools: readonly TenantPoolSpec[];
  readonly buckets?: readonly { readonly name: string }[];
  readonly requestAutoCert: boolean;
}

export interface MinioTenantProps {
  readonly tenant: TenantPlan;
  /** The ClusterSecretStore the root credentials are read through. */
  readonly store: string;
}

/** A MinIO Tenant and the ExternalSecret that gives it its root credentials. */
export class MinioTenant extends Construct {
  constructor(scope: Construct, id: string, { tenant, store }: MinioTenantProps) {
    super(scope, id);
    new MinioRootCredentials(this, 'credentials', {
      secretName: tenant.configurationSecret,
      namespace: tenant.namespace,
      store,
      vaultPath: tenant.credentialsPath,
    });
    new ApiObject(this, 'tenant', {
      apiVersion: 'minio.min.io/v2',
      kind: 'Tenant',
      metadata: metadata(tenant.name, tenant.namespace, { annotations: { ...KEEP_ON_PRUNE } }),
      spec: tenantSpec(tenant),
    });
  }
}

export function tenantSpec(tenant: TenantPlan): TenantSpec {
  return {
    configuration: { name: tenant.configurationSecret },
    pools: tenant.pools.map((p): TenantPoolSpec => ({
      name: p.name,
      servers: p.servers,
      volumesPerServer: p.volumesPerServer,
      volumeClaimTemplate: {
        metadata: { name: 'data' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: p.size } },
          ...(p.storageClass ? { storageClassName: p.storageClass } : {}),
        },
      },
      ...(p.resources ? { resources: p.resources } : {}),
    })),
    // Buckets the operator creates when missing; it never deletes one, so removing a name here keeps the bucket.
    ...(tenant.buckets.length > 0 ? { buckets: tenant.buckets.map((name) => ({ name })) } : {}),
    requestAutoCert: tenant.requestAutoCert,
  };
}
