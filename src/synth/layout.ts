import { formatPath } from '../diagnostics.ts';
import { byteOrder } from '../model/byte-order.ts';
import type { Emitted } from './emit.ts';
import { joinParts, SharedText, type FilePart } from '../sharing/index.ts';
import { HEADER } from './header.ts';

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

/**
 * An object as written: its manifest (for its file's name and place) and its YAML. A peer's object (`peer` set, see
 * charts/layer-constructs.ts) is written as a document without the file's header, to be joined with the other peers'.
 */
export interface Written {
  readonly manifest: Manifest;
  readonly emitted: Emitted;
  readonly peer?: string;
}

/** The start of every file, and what goes between two documents of one: each a part the writer is sent once. */
const HEADER_PART = new SharedText(HEADER);
const SEPARATOR_PART = new SharedText('---\n');

/**
 * A layer's files. Each object has a file of its own, `<kind>-<name>.yaml`, so that a review reads object by object;
 * except the objects a cluster has one of per peer (`peer`): those of one kind, named `<base>-<peer>`, are the
 * documents of one file, `<kinds>-<base>-peers.yaml`, in peer order. A peer's objects stay objects of their own (one
 * missing peer holds back no other, charts/constructs/clustermesh-peer-cert.ts), but a mesh of hundreds of clusters
 * would otherwise write hundreds of files per cluster. What looks like a secret is added to findings, located.
 */
export function layerFiles(
  cluster: string,
  objects: readonly Written[],
  folder: string,
  findings: string[],
): Map<string, Emitted> {
  const files = new Map<string, Emitted>();
  const peerFiles = new Map<string, Written[]>();
  const add = (file: string, manifest: Manifest, emitted: Emitted) => {
    if (files.has(file))
      throw new Error(
        `cluster ${cluster}: two files named ${file}, one of them for ${manifest.kind} ${manifest.metadata.name}`,
      );
    files.set(file, emitted);
  };
  for (const object of sortByManifest(objects, (w) => w.manifest)) {
    const { manifest, emitted, peer } = object;
    if (peer === undefined) {
      const file = `${manifest.kind.toLowerCase()}-${manifest.metadata.name}.yaml`;
      add(file, manifest, located(emitted, `${folder}/${file}`, findings));
      continue;
    }
    const file = peerFileName(cluster, manifest, peer);
    let documents = peerFiles.get(file);
    if (!documents) {
      peerFiles.set(file, (documents = []));
      add(file, manifest, { text: '', findings: [] }); // its place, taken now so that a name clash is found either way
    }
    documents.push(object);
  }
  for (const [file, documents] of peerFiles) files.set(file, documentsFile(documents, `${folder}/${file}`, findings));
  return files;
}

/** `<kinds>-<base>-peers.yaml` for an object named `<base>-<peer>`. */
function peerFileName(cluster: string, manifest: Manifest, peer: string): string {
  const {
    kind,
    metadata: { name },
  } = manifest;
  if (!name.endsWith(`-${peer}`) || name.length === peer.length + 1) {
    throw new Error(`cluster ${cluster}: ${kind} ${name} is peer ${peer}'s, but is not named <base>-${peer}`);
  }
  return `${plural(kind.toLowerCase())}-${name.slice(0, -peer.length - 1)}-peers.yaml`;
}

/** Kubernetes' default plural of a lowercase kind. */
function plural(kind: string): string {
  if (kind.endsWith('s')) return `${kind}es`;
  if (kind.endsWith('y')) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}

/** One file of several documents (each written without the header), in the given order. */
function documentsFile(documents: readonly Written[], where: string, findings: string[]): Emitted {
  const parts: FilePart[] = [HEADER_PART];
  documents.forEach(({ manifest, emitted }, i) => {
    if (i > 0) parts.push(SEPARATOR_PART);
    if (emitted.parts) for (const part of emitted.parts) parts.push(part);
    else parts.push(emitted.text);
    located(emitted, `${where}: ${manifest.kind} ${manifest.metadata.name}`, findings);
  });
  return { text: joinParts(parts), parts, findings: documents.flatMap((d) => d.emitted.findings) };
}

/** The emitted object; what looks like a secret in it is added to findings as `where: field holds what`. */
export function located(emitted: Emitted, where: string, findings: string[]): Emitted {
  for (const f of emitted.findings) findings.push(`${where}: ${formatPath(f.path)} holds ${f.kind}`);
  return emitted;
}

/** Stable order whatever order constructs were added in: by their manifests' kind, then namespace, then name. */
export function sortByManifest<T>(items: readonly T[], manifest: (item: T) => Manifest): T[] {
  const keyed = items.map((item) => {
    const o = manifest(item);
    return { item, key: `${o.kind}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}` };
  });
  return keyed.sort((a, b) => byteOrder(a.key, b.key)).map((k) => k.item);
}
