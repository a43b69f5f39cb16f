import { parseAllDocuments } from 'yaml';
import { byteOrder } from '../model/byte-order.ts';
import { objectsIn, textHunks, yamlHunks } from './hunks.ts';
import type { Tree, TreeLayout } from './render-tree.ts';

export type ChangeStatus = 'added' | 'removed' | 'changed';

export interface FileDiff {
  /** Repository-relative path (in the working tree; in the base for a removed file). */
  readonly path: string;
  /** Where the file was in the base when its cluster was renamed. @default path */
  readonly basePath?: string;
  readonly status: ChangeStatus;
  /** A changed file's unified hunks (yamlHunks); none for a file added or removed whole. */
  readonly hunks: readonly string[];
  /** Hunk lines past the per-file cap, left out. */
  readonly omitted: number;
  /** The objects of a file added or removed whole (`Kind namespace/name`); none for a changed file. */
  readonly objects: readonly string[];
}

/** Kubernetes objects named `Kind namespace/name` (or `Kind name` when cluster-scoped). */
export interface ObjectChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export interface ClusterDiff {
  readonly cluster: string;
  readonly status: ChangeStatus | 'renamed';
  /** The cluster's name in the base, when it was renamed. */
  readonly from?: string;
  /** Sorted by path. */
  readonly files: readonly FileDiff[];
  readonly objects: ObjectChanges;
}

export interface TreeDiff {
  /** Clusters with any change, sorted by name. */
  readonly clusters: readonly ClusterDiff[];
  /** Clusters rendered identically on both sides. */
  readonly unchanged: readonly string[];
}

/**
 * Compares two rendered trees cluster by cluster: files as unified hunks, and objects by identity.
 * @param renames new cluster name → old name (rename.ts): such a cluster is compared with its old folders
 */
export function compareTrees(
  base: Tree,
  head: Tree,
  layout: TreeLayout,
  renames: ReadonlyMap<string, string> = new Map(),
): TreeDiff {
  const clusterOf = clusterResolver(layout);
  const byCluster = new Map<string, { base: Map<string, string>; head: Map<string, string> }>();
  const bucket = (path: string) => {
    const cluster = clusterOf(path);
    if (!byCluster.has(cluster)) byCluster.set(cluster, { base: new Map(), head: new Map() });
    return byCluster.get(cluster)!;
  };
  for (const [path, text] of base) bucket(path).base.set(path, text);
  for (const [path, text] of head) bucket(path).head.set(path, text);

  const clusters: ClusterDiff[] = [];
  const unchanged: string[] = [];
  const renamedFrom = new Set(renames.values());
  for (const cluster of [...byCluster.keys()].sort(byteOrder)) {
    if (renamedFrom.has(cluster)) continue;
    const side = byCluster.get(cluster)!;
    const from = renames.get(cluster);
    if (from !== undefined && byCluster.has(from)) {
      const base = byCluster.get(from)!.base;
      const moved = (path: string) =>
        path
          .split('/')
          .map((part) => (part === from ? cluster : part))
          .join('/');
      const original = new Map([...base.keys()].map((path) => [moved(path), path]));
      const files = compareFiles(new Map([...base].map(([path, text]) => [moved(path), text])), side.head, (path) =>
        original.get(path),
      );
      clusters.push({ cluster, status: 'renamed', from, files, objects: compareObjects(base, side.head) });
      continue;
    }
    const files = compareFiles(side.base, side.head);
    if (files.length === 0) {
      unchanged.push(cluster);
      continue;
    }
    const status: ChangeStatus = side.base.size === 0 ? 'added' : side.head.size === 0 ? 'removed' : 'changed';
    clusters.push({ cluster, status, files, objects: compareObjects(side.base, side.head) });
  }
  return { clusters, unchanged };
}

function clusterResolver(layout: TreeLayout): (path: string) => string {
  const roots = [layout.dist, layout.clusters, layout.vault ?? 'vault'].map((r) => `${r.replace(/\/+$/, '')}/`);
  return (path) => {
    const root = roots.find((r) => path.startsWith(r));
    if (!root) throw new Error(`rendered file ${path} is outside ${roots.join(' and ')}`);
    return path.slice(root.length).split('/')[0];
  };
}

function compareFiles(
  base: ReadonlyMap<string, string>,
  head: ReadonlyMap<string, string>,
  basePathOf?: (path: string) => string | undefined,
): FileDiff[] {
  const paths = [...new Set([...base.keys(), ...head.keys()])].sort(byteOrder);
  const out: FileDiff[] = [];
  for (const path of paths) {
    const before = base.get(path);
    const after = head.get(path);
    if (before === after) continue;
    const basePath = basePathOf?.(path);
    const renamed = basePath !== undefined && basePath !== path ? { basePath } : {};
    if (before === undefined || after === undefined) {
      const status: ChangeStatus = before === undefined ? 'added' : 'removed';
      out.push({
        path,
        ...renamed,
        status,
        hunks: [],
        omitted: 0,
        objects: isYaml(path) ? objectsIn((before ?? after)!) : [],
      });
      continue;
    }
    const { lines, omitted } = isYaml(path) ? yamlHunks(before, after) : textHunks(before, after);
    out.push({ path, ...renamed, status: 'changed', hunks: lines, omitted, objects: [] });
  }
  return out;
}

/** vault/<cluster>/ holds HCL, JSON and Markdown: files, not objects. */
const isYaml = (path: string) => path.endsWith('.yaml');

/** Objects by identity across every file of one side; kustomize's own kustomization.yaml files are not objects. */
function objectsOf(files: ReadonlyMap<string, string>): Map<string, string> {
  const objects = new Map<string, string>();
  for (const [path, text] of files) {
    if (!isYaml(path)) continue;
    for (const doc of parseAllDocuments(text)) {
      const o = doc.toJS() as {
        apiVersion?: string;
        kind?: string;
        metadata?: { name?: string; namespace?: string };
      } | null;
      if (!o?.kind || !o.metadata?.name || o.apiVersion?.startsWith('kustomize.config.k8s.io/')) continue;
      const id = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
      objects.set(id, JSON.stringify(o));
    }
  }
  return objects;
}

function compareObjects(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>): ObjectChanges {
  const before = objectsOf(base);
  const after = objectsOf(head);
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort(byteOrder);
  return {
    added: ids.filter((id) => !before.has(id)),
    removed: ids.filter((id) => !after.has(id)),
    changed: ids.filter((id) => before.has(id) && after.has(id) && before.get(id) !== after.get(id)),
  };
}
