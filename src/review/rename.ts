import type { Fleet } from '../model/fleet.ts';

/**
 * Clusters renamed between two versions of a fleet: new name → old name. A cluster that left and one that came with
 * the same Cilium cluster ID and role are one cluster under a new name: the ID is its identity in the mesh (unique,
 * and what its peers know it by), where its files' likeness is not (every application cluster renders alike).
 */
export function renamedClusters(base: Fleet | undefined, head: Fleet): Map<string, string> {
  const renames = new Map<string, string>();
  if (!base) return renames;
  const headNames = new Set(head.clusters.map((c) => c.name));
  const baseNames = new Set(base.clusters.map((c) => c.name));
  const left = new Map(base.clusters.filter((c) => !headNames.has(c.name)).map((c) => [`${c.id}/${c.role}`, c.name]));
  for (const c of head.clusters) {
    const from = left.get(`${c.id}/${c.role}`);
    if (!baseNames.has(c.name) && from !== undefined) renames.set(c.name, from);
  }
  return renames;
}
