import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Layer } from '../../charts/layers.ts';
import { compileFleet, renderFleet } from '../../src/pipeline.ts';
import { tempDir } from './temp.ts';

/**
 * Two storage clusters in two regions, each with the application clusters of its region. Which cluster reaches
 * which storage is said by `connectsTo`; trino-us also reads the Hive metastore that spark-eu serves.
 */
export const REGIONAL = `fleet: regional
dns:
  zone: mesh.example.internal
vault:
  server: https://vault.example.internal:8200
services:
  - name: metastore
    namespace: hive
    ports:
      - name: thrift
        port: 9083
    selector:
      app.kubernetes.io/name: hive-metastore
    servedBy: [spark-eu]
    consumedBy: [trino-us]
    affinity: local
clusters:
  - name: minio-eu
    id: 1
    role: storage
    application: s3
    environment: eu-west-1
    storage:
      pools:
        - servers: 2
          volumesPerServer: 2
          size: 1Ti
          storageClass: gp3
          resources:
            requests: { cpu: "2", memory: 8Gi }
            limits: { memory: 8Gi }
      buckets: [spark-scratch, airflow-logs]
    podCIDRs: [10.1.0.0/16]
  - name: minio-us
    id: 2
    role: storage
    application: s3
    environment: us-east-1
    storage:
      buckets: [trino-spill]
    podCIDRs: [10.2.0.0/16]
  - name: spark-eu
    id: 3
    role: application
    application: spark
    environment: eu-west-1
    connectsTo: [minio-eu]
    podCIDRs: [10.3.0.0/16]
  - name: trino-us
    id: 4
    role: application
    application: trino
    environment: us-east-1
    connectsTo: [minio-us, spark-eu]
    podCIDRs: [10.4.0.0/16]
`;

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: any;
};

/** Compiles and renders a fleet; throws with the diagnostics when it is not valid. */
export function render(text: string): { clusters: Map<string, Map<string, string>>; peers: Map<string, string[]> } {
  const { fleet, diagnostics } = compileFleet('fleet.yaml', new TextEncoder().encode(text));
  if (!fleet) throw new Error(diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`).join('\n'));
  const { plan, outputs } = renderFleet(fleet);
  const clusters = new Map<string, Map<string, string>>();
  for (const o of outputs) clusters.set(o.cluster, new Map(o.dist));
  return { clusters, peers: new Map(plan.clusters.map((c) => [c.name, c.peers.map((p) => p.name)])) };
}

/**
 * The rendered objects of one cluster's layer, parsed, keyed by file name; the objects of a file of several (a
 * cluster's per-peer objects share one: src/synth/layout.ts) by `<file>#<object name>`.
 */
export function objects(files: Map<string, string>, layer: Layer): Map<string, Manifest> {
  const out = new Map<string, Manifest>();
  for (const [path, text] of files) {
    const [l, file] = path.split('/');
    if (l !== layer || !file || file === 'kustomization.yaml') continue;
    const docs = parseAllDocuments(text).map((d) => d.toJS() as Manifest);
    if (docs.length === 1) out.set(file, docs[0]);
    else for (const doc of docs) out.set(`${file}#${doc.metadata.name}`, doc);
  }
  return out;
}

/** Writes one cluster's rendered folder to a fresh temporary directory and returns it. */
export function writeCluster(files: Map<string, string>): string {
  const dir = tempDir('meshfleet-storage-');
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
