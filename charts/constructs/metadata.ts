import type { ApiObjectMetadata } from 'cdk8s';

/** Every object says who wrote it, so a person reading a cluster knows where to change it. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'meshfleet' } as const;

export function metadata(
  name: string,
  namespace?: string,
  extra: { annotations?: Record<string, string>; labels?: Record<string, string> } = {},
): ApiObjectMetadata {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: { ...MANAGED_BY, ...extra.labels },
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
  };
}
