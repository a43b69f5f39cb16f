import { DEFAULTS, type Role } from '../model/fleet.ts';
import type { MeshShape } from '../model/connections.ts';
import { list, obj, str, type Raw } from './raw.ts';

/** A cluster of fleet data not yet resolved, as the rules that need connections see it. */
export interface Known {
  readonly index: number;
  readonly role: Role;
  /** Tenant and namespace on a storage cluster. */
  readonly tenant?: { readonly name: string; readonly namespace: string };
}

/** Clusters with a usable name and role, first occurrence only: the other rules report the rest. */
export function knownClusters(root: Raw): Map<string, Known> {
  const known = new Map<string, Known>();
  list(root.clusters)
    .map(obj)
    .forEach((c, index) => {
      const name = str(c.name);
      const role = str(c.role);
      if (name === undefined || known.has(name) || (role !== 'storage' && role !== 'application')) return;
      const s = obj(c.storage);
      const tenant =
        role === 'storage'
          ? {
              name: str(s.tenant) ?? DEFAULTS.storage.tenant,
              namespace: str(s.namespace) ?? DEFAULTS.storage.namespace,
            }
          : undefined;
      known.set(name, { index, role, tenant });
    });
  return known;
}

export function meshShape(root: Raw, clusters: ReadonlyMap<string, Known>): MeshShape {
  const raw = list(root.clusters).map(obj);
  return {
    topology: str(root.topology) === 'full-mesh' ? 'full-mesh' : 'hub-and-spoke',
    clusters: [...clusters].map(([name, c]) => {
      const connectsTo = raw[c.index].connectsTo;
      return {
        name,
        role: c.role,
        connectsTo: Array.isArray(connectsTo)
          ? connectsTo.map(str).filter((n): n is string => n !== undefined && clusters.has(n))
          : undefined,
      };
    }),
  };
}
