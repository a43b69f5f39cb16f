import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { byteOrder } from '../model/byte-order.ts';
import type { Fleet } from '../model/fleet.ts';
import { render, type RenderRequest } from '../render/render.ts';

/** Rendered output as a map from repository-relative path (`dist/<cluster>/...`, `clusters/<cluster>/...`, `vault/<cluster>/...`) to text. */
export type Tree = ReadonlyMap<string, string>;

export interface TreeLayout {
  /** Repository-relative folder of the rendered clusters, as `render --out` gives it. @default 'dist' */
  readonly dist: string;
  /** Repository-relative folder of the GitOps entry points, as `render --clusters` gives it. @default 'clusters' */
  readonly clusters: string;
  /** Repository-relative folder of the clusters' Vault policies and roles, as `render --vault` gives it. @default 'vault' */
  readonly vault?: string;
}

/**
 * Renders fleet file bytes exactly as `meshfleet render` would (src/render/render.ts), into a temporary folder that is
 * removed again, and returns what was written. No bytes (the file did not exist) render nothing.
 */
export async function renderTree(
  file: string,
  bytes: Uint8Array | undefined,
  layout: TreeLayout,
): Promise<{ tree?: Tree; fleet?: Fleet; diagnostics: readonly Diagnostic[] }> {
  if (bytes === undefined) return { tree: new Map(), diagnostics: [] };
  return renderInto(file, { bytes }, layout);
}

/** A validated fleet's rendered output, written as `meshfleet render` writes it into a scratch folder, and read back. */
export async function renderFleetTree(fleet: Fleet, layout: TreeLayout): Promise<Tree> {
  const { tree } = await renderInto('fleet.yaml', { fleet }, layout);
  return tree!;
}

async function renderInto(
  file: string,
  source: RenderRequest['source'],
  layout: TreeLayout,
): Promise<{ tree?: Tree; fleet?: Fleet; diagnostics: readonly Diagnostic[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'meshfleet-diff-'));
  try {
    const roots = {
      dist: join(dir, ...layout.dist.split('/')),
      clusters: join(dir, ...layout.clusters.split('/')),
      vault: join(dir, ...(layout.vault ?? 'vault').split('/')),
    };
    // The scratch folder stands for the repository root: the GitOps engine is given the paths of `layout`.
    const outcome = await render({ file, source, fleetDir: dir, roots, cache: false });
    if (outcome.status !== 'written') return { diagnostics: outcome.diagnostics };
    return { tree: readTree(dir), fleet: outcome.fleet, diagnostics: [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readTree(dir: string): Map<string, string> {
  const tree = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else tree.set(relative(dir, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return new Map([...tree].sort(([a], [b]) => byteOrder(a, b)));
}
