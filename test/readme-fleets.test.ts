// Issue 20, problem 7: every YAML block of the README and of docs/ that shows a fleet, or part of one, is valid. A
// part is put where the page says it goes: a cluster entry into `clusters` (replacing the cluster of that name), a
// cluster's fields into the cluster the section last showed, top-level fields over the fleet (a `clusters` list
// among them adds its fields to the clusters of those names). A block with `fleet:` is a whole fleet file and stands
// alone. Blocks follow on from each other within a `##` section of the README or a page of docs/ (one topic each),
// on top of the example fleet.yaml; commented-out fields (documented defaults) are uncommented, so that what they
// show is checked too. Rendered Kubernetes objects are not fleets and are left out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { formatDiagnostic } from '../src/diagnostics.ts';
import { loadSource } from '../src/load/source.ts';
import { validateSource } from '../src/validate/index.ts';
import { EXAMPLE, REPO } from './support/cli.ts';
import { userDocs } from './support/docs.ts';

type Map = Record<string, unknown>;
interface Block {
  readonly at: string;
  readonly section: string;
  readonly text: string;
}

const schema = JSON.parse(readFileSync(join(REPO, 'schema/fleet.schema.json'), 'utf8'));
const FLEET_KEYS = new Set(Object.keys(schema.properties));
const CLUSTER_KEYS = new Set(Object.keys(schema.definitions.cluster.properties));

function yamlBlocks(): Block[] {
  const blocks: Block[] = [];
  for (const page of userDocs()) {
    let section = `${page.path}:`;
    let open: { line: number; lines: string[] } | undefined;
    page.text.split('\n').forEach((line, i) => {
      if (open) {
        if (line.startsWith('```')) {
          blocks.push({ at: `${page.path}:${open.line}`, section, text: open.lines.join('\n') });
          open = undefined;
        } else open.lines.push(line);
      } else if (line.startsWith('## ') && page.path === 'README.md') section = `${page.path}: ${line}`;
      else if (line === '```yaml') open = { line: i + 2, lines: [] };
    });
  }
  return blocks;
}

/** `# key: value   (default)` lines become `key: value`; a flow map continued on the next commented line too. */
function uncommented(text: string): string {
  let depth = 0;
  return text
    .split('\n')
    .map((line) => {
      const m = /^(\s*)# (\s*)(.*?)(\s{2,}\(.*\))?$/.exec(line);
      const continued = depth > 0;
      if (!m || !(continued || /^[A-Za-z]\w*:(\s|$)/.test(m[3]))) return line;
      depth += (m[3].match(/\{/g) ?? []).length - (m[3].match(/\}/g) ?? []).length;
      // A continuation keeps its column; a field takes the place of the comment sign.
      return continued ? `${m[1]}  ${m[2]}${m[3]}` : `${m[1]}${m[3]}`;
    })
    .join('\n');
}

function dedent(text: string): string {
  const lines = text.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

const isMap = (v: unknown): v is Map => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Applies a block to `fleet`; returns whether it was a fleet part (false: a Kubernetes object). */
function apply(fleet: Map, state: { cluster?: string }, block: Block): boolean {
  const documents = parseAllDocuments(dedent(uncommented(block.text))).map((d) => d.toJS() as unknown);
  if (documents.length > 1) {
    // Several objects in one block (a Role and its binding) are manifests, never a fleet.
    assert.ok(
      documents.every((d) => isMap(d) && 'apiVersion' in d),
      `${block.at}: a block of several documents that are not all Kubernetes objects`,
    );
    return false;
  }
  const data = documents[0];
  const clusters = fleet.clusters as Map[];
  if (isMap(data) && 'fleet' in data) {
    for (const k of Object.keys(fleet)) delete fleet[k];
    Object.assign(fleet, data);
    return true;
  }
  if (Array.isArray(data)) {
    for (const entry of data as Map[]) {
      const at = clusters.findIndex((c) => c.name === entry.name);
      if (at >= 0) clusters[at] = entry;
      else clusters.push(entry);
      state.cluster = entry.name as string;
    }
    return true;
  }
  assert.ok(isMap(data), `${block.at}: a YAML block that is neither a map nor a list`);
  const keys = Object.keys(data);
  if ('apiVersion' in data || 'spec' in data) return false;
  if (keys.every((k) => FLEET_KEYS.has(k))) {
    for (const k of keys) {
      if (k === 'clusters') for (const entry of data.clusters as Map[]) addTo(clusters, entry);
      else fleet[k] = isMap(fleet[k]) && isMap(data[k]) ? { ...(fleet[k] as Map), ...data[k] } : data[k];
    }
    return true;
  }
  if (keys.every((k) => CLUSTER_KEYS.has(k))) {
    const cluster = clusters.find((c) => c.name === state.cluster) ?? clusters.find((c) => c.role === 'storage')!;
    Object.assign(cluster, data);
    return true;
  }
  throw new Error(`${block.at}: a YAML block that is neither a fleet part nor a Kubernetes object: ${keys.join(', ')}`);
}

/** A cluster's fields shown under `clusters`: added to the cluster of that name, or a new cluster. */
function addTo(clusters: Map[], entry: Map): void {
  const known = clusters.find((c) => c.name === entry.name);
  if (known) Object.assign(known, entry);
  else clusters.push(entry);
}

const problemsOf = (fleet: Map, block: Block): string[] =>
  validateSource(loadSource(block.at, stringify(fleet))).diagnostics.map(
    (d) => `block at ${block.at}: ${formatDiagnostic(d)}`,
  );

test('every YAML block of the README and docs/ that shows a fleet or part of one gives a valid fleet', () => {
  const failures: string[] = [];
  let checked = 0;
  let section: string | undefined;
  let story: Map = {};
  const state: { cluster?: string } = {};
  for (const block of yamlBlocks()) {
    if (block.section !== section) {
      section = block.section;
      story = parse(EXAMPLE) as Map;
      state.cluster = undefined;
    }
    // A block stands on its own on the example fleet, or follows on from the blocks before it in its section.
    const alone = parse(EXAMPLE) as Map;
    if (!apply(alone, {}, block)) continue;
    apply(story, state, block);
    checked += 1;
    if (problemsOf(alone, block).length > 0) failures.push(...problemsOf(story, block));
  }
  assert.ok(checked >= 6, `only ${checked} fleet blocks found`);
  assert.equal(failures, []);
});

test.run();
