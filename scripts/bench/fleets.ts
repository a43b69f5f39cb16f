// Synthetic fleets for the benchmark: the shapes and sizes issue 7 asks meshfleet to handle, written as the YAML a
// person would commit, so that `validate` and `render` pay for parsing and locating exactly as they would in CI.
import { stringify } from 'yaml';

export type Shape = 'hub-and-spoke' | 'full-mesh';
export type TlsMode = 'per-cluster-ca' | 'shared-ca';

export interface FleetCase {
  readonly shape: Shape;
  readonly tls: TlsMode;
  /** Number of clusters, 2..511. */
  readonly size: number;
}

export const SHAPES: readonly Shape[] = ['hub-and-spoke', 'full-mesh'];
export const TLS_MODES: readonly TlsMode[] = ['per-cluster-ca', 'shared-ca'];
export const SIZES: readonly number[] = [10, 100, 255, 511];

/** Application clusters per storage cluster in hub-and-spoke fleets: a few hubs, each with many spokes. */
const SPOKES_PER_HUB = 64;
const APPLICATIONS = ['airflow', 'spark', 'trino', 'arcane', 'dev-spaces'];

export function caseName(c: FleetCase): string {
  return `${c.shape}-${c.tls}-${c.size}`;
}

/**
 * The fleet file of a case. Hub-and-spoke: one storage cluster per 64 clusters, each application cluster dials one
 * hub (round robin). Full mesh: one storage cluster, `topology: full-mesh`. Every cluster has its own PodCIDR (a /17
 * of 10.0.0.0/8) and the fleet sets a few Cilium values, so that the rules and the values schema check do real work.
 */
export function fleetYaml(c: FleetCase): string {
  if (!Number.isInteger(c.size) || c.size < 2 || c.size > 511) throw new Error(`fleet size ${c.size}: use 2..511`);
  const hubs = c.shape === 'full-mesh' ? 1 : Math.ceil(c.size / SPOKES_PER_HUB);
  const hubName = (h: number) => `storage-${h}`;
  const clusters = [];
  for (let i = 0; i < c.size; i++) {
    const id = i + 1;
    const podCIDRs = [`10.${id >> 1}.${(id & 1) * 128}.0/17`];
    if (i < hubs) {
      clusters.push({ name: hubName(i), id, role: 'storage', application: 's3', environment: `hub-${i}`, podCIDRs });
      continue;
    }
    const application = APPLICATIONS[i % APPLICATIONS.length];
    const environment = `env-${i}`;
    clusters.push({
      name: `${application}-${environment}`,
      id,
      role: 'application',
      application,
      environment,
      ...(c.shape === 'hub-and-spoke' ? { connectsTo: [hubName(i % hubs)] } : {}),
      podCIDRs,
    });
  }
  const fleet = {
    fleet: 'bench',
    cilium: {
      version: '1.19.6',
      cni: 'native',
      ...(c.size > 255 ? { maxConnectedClusters: 511 } : {}),
      values: { hubble: { enabled: true, relay: { enabled: true } }, operator: { replicas: 2 } },
    },
    topology: c.shape,
    dns: { zone: 'cluster-mesh.bench.internal' },
    vault: { server: 'https://vault.bench.internal:8200' },
    tls: { mode: c.tls },
    clusters,
  };
  return `# Synthetic fleet for \`npm run bench\`: ${caseName(c)}\n${stringify(fleet, { lineWidth: 0 })}`;
}
