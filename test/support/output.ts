// The objects a render wrote, parsed, for tests that look inside them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readTree } from './tree.ts';

export type Obj = any;

/** The objects of one rendered file. */
export function objects(path: string): Obj[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS());
}

/** Every object a cluster's dist folder holds (kustomization.yaml files excluded). */
export function clusterObjects(dist: string, cluster: string): Obj[] {
  const out: Obj[] = [];
  for (const [rel] of readTree(join(dist, cluster))) {
    if (!rel.endsWith('kustomization.yaml')) out.push(...objects(join(dist, cluster, rel)));
  }
  return out;
}

export function find(list: Obj[], kind: string, name: string): Obj {
  const found = list.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found)
    throw new Error(`no ${kind} ${name} among ${list.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  return found;
}
