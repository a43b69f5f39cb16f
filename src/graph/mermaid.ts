import { byteOrder } from '../model/byte-order.ts';
import type { ClusterPlan, FleetPlan } from '../plan/types.ts';

/** Mermaid node ids: cluster names may hold `-`, which Mermaid reads as part of an arrow. */
const nodeId = (cluster: string) => `c_${cluster.replace(/[^a-z0-9]/g, '_')}`;

/** The global services a connection carries: those both ends have, exported by at least one of them. */
function carried(a: ClusterPlan, b: ClusterPlan): string[] {
  const key = (s: { namespace: string; name: string }) => `${s.namespace}/${s.name}`;
  const inB = new Map(b.services.map((s) => [key(s), s]));
  return a.services
    .filter((s) => inB.has(key(s)) && (s.shared || inB.get(key(s))!.shared))
    .map((s) => s.name)
    .sort(byteOrder);
}

/**
 * The mesh as a Mermaid flowchart: one subgraph per role, a node per cluster, an undirected edge per Cluster Mesh
 * connection labelled with the global services it carries. Everything is sorted: same fleet, same text.
 */
export function meshGraph(plan: FleetPlan): string {
  const lines = ['flowchart LR'];
  // Storage first, then the other roles in byte order.
  const roles = [...new Set(plan.clusters.map((c) => c.role))].sort(
    (a, b) => Number(b === 'storage') - Number(a === 'storage') || byteOrder(a, b),
  );
  for (const role of roles) {
    lines.push(`  subgraph role_${role}["${role}"]`);
    for (const c of plan.clusters.filter((x) => x.role === role))
      lines.push(`    ${nodeId(c.name)}["${c.name}<br/>id ${c.id}"]`);
    lines.push('  end');
  }
  const byName = new Map(plan.clusters.map((c) => [c.name, c]));
  // Application side on the left, storage on the right: the edges then read "consumer --- server".
  const side = (c: ClusterPlan) => `${c.role === 'storage' ? 1 : 0}\u0000${c.name}`;
  const edges: string[][] = [];
  for (const c of plan.clusters) {
    for (const peer of c.peers) {
      const other = byName.get(peer.name)!;
      if (side(other) < side(c)) continue; // each connection once
      edges.push([side(c), side(other), c.name, other.name, carried(c, other).join(', ')]);
    }
  }
  edges.sort((x, y) => byteOrder(x[0]!, y[0]!) || byteOrder(x[1]!, y[1]!));
  for (const [, , a, b, services] of edges) {
    lines.push(`  ${nodeId(a)} ${services ? `---|"${services}"|` : '---'} ${nodeId(b)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The graph as a fenced block, ready for a README or a pull-request comment. */
export function meshGraphMarkdown(plan: FleetPlan): string {
  return `\`\`\`mermaid\n${meshGraph(plan)}\`\`\`\n`;
}
