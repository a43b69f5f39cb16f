import type { Fleet } from '../model/fleet.ts';

/**
 * Who is connected to whom. A cluster dials what `connectsTo` names, or what the topology gives it; Cluster Mesh
 * connections are two-way, so a cluster's peers are those it dials and those that dial it.
 */
export function meshPeers(fleet: Fleet): ReadonlyMap<string, readonly string[]> {
  const peers = new Map<string, Set<string>>(fleet.clusters.map((c) => [c.name, new Set<string>()]));
  const storage = fleet.clusters.filter((c) => c.role === 'storage').map((c) => c.name);
  const all = fleet.clusters.map((c) => c.name);
  for (const cluster of fleet.clusters) {
    const dials = cluster.connectsTo ?? (fleet.topology === 'full-mesh' ? all : cluster.role === 'application' ? storage : []);
    for (const other of dials) {
      if (other === cluster.name) continue;
      peers.get(cluster.name)!.add(other);
      peers.get(other)!.add(cluster.name);
    }
  }
  return new Map([...peers].map(([name, set]) => [name, [...set].sort()]));
}
