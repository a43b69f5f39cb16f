import type { ClusterSpec, Fleet } from './fleet.ts';
import { sharedSubsets } from '../sharing/index.ts';

/** What deciding connections reads: validation asks the same question of fleet.yaml before it is resolved. */
export type MeshShape = Pick<Fleet, 'topology'> & {
  readonly clusters: readonly Pick<ClusterSpec, 'name' | 'role' | 'connectsTo'>[];
};

/**
 * Who is connected to whom. A cluster dials what `connectsTo` names, or what the topology gives it; Cluster Mesh
 * connections are two-way, so a cluster's peers are those it dials and those that dial it.
 */
export function meshLinks(fleet: MeshShape): ReadonlyMap<string, ReadonlySet<string>> {
  const all = fleet.clusters.map((c) => c.name);
  if (everyoneDialsEveryone(fleet)) {
    // Everyone dials everyone: each cluster's peers are all the others, a copy of the set of all names rather than
    // the pairs of the loop below, which grow with the square of the fleet.
    const everyone = new Set(all);
    return new Map(
      all.map((name) => {
        const others = new Set(everyone);
        others.delete(name);
        return [name, others];
      }),
    );
  }
  const peers = new Map<string, Set<string>>(fleet.clusters.map((c) => [c.name, new Set<string>()]));
  const storage = fleet.clusters.filter((c) => c.role === 'storage').map((c) => c.name);
  for (const cluster of fleet.clusters) {
    const dials =
      cluster.connectsTo ?? (fleet.topology === 'full-mesh' ? all : cluster.role === 'application' ? storage : []);
    for (const other of dials) {
      if (other === cluster.name) continue;
      peers.get(cluster.name)!.add(other);
      peers.get(other)!.add(cluster.name);
    }
  }
  return peers;
}

/** How many connections the mesh has (each counted once). */
export function meshLinkCount(fleet: MeshShape): number {
  const n = fleet.clusters.length;
  if (everyoneDialsEveryone(fleet)) return (n * (n - 1)) / 2;
  return [...meshLinks(fleet).values()].reduce((sum, peers) => sum + peers.size, 0) / 2;
}

/** A full mesh where no cluster narrows its connections and no name repeats. */
function everyoneDialsEveryone(fleet: MeshShape): boolean {
  return (
    fleet.topology === 'full-mesh' &&
    fleet.clusters.every((c) => c.connectsTo === undefined) &&
    new Set(fleet.clusters.map((c) => c.name)).size === fleet.clusters.length
  );
}

/**
 * Each cluster's peers in name order, for output that must not depend on the order of fleet.yaml. Each list is a
 * subset of the fleet's sorted names, so that the lists of a large mesh share the groups of names they hold whole
 * (src/sharing).
 */
export function meshPeers(fleet: MeshShape): ReadonlyMap<string, readonly string[]> {
  if (everyoneDialsEveryone(fleet)) {
    const subsetOf = sharedSubsets(fleet.clusters.map((c) => c.name).sort());
    return new Map(fleet.clusters.map(({ name }) => [name, subsetOf((n) => n !== name)]));
  }
  const links = meshLinks(fleet);
  const subsetOf = sharedSubsets([...links.keys()].sort());
  return new Map([...links].map(([name, peers]) => [name, subsetOf((n) => peers.has(n))]));
}
