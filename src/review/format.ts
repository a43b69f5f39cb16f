import type { ClusterDiff, FileDiff, TreeDiff } from './compare.ts';

/** What was compared, for the heading of either format. */
export interface DiffSubject {
  /** The fleet file, as the user named it. */
  readonly file: string;
  /** The base commit (full hash) and how it was chosen, e.g. `merge base with main`. */
  readonly base: { readonly commit: string; readonly label: string };
}

/** GitHub refuses comments above 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** What the diffs of the markdown comment may take; the rest is for the heading, the table and the notes. */
export const MARKDOWN_DIFF_BUDGET = 50_000;
/** Rows of the markdown table before the rest are counted in one row: a 511-cluster change still fits. */
const MAX_TABLE_ROWS = 100;

type Kind = 'added' | 'removed' | 'renamed' | 'changed';
interface Totals {
  clusters: Record<Kind, number>;
  objects: Record<'added' | 'removed' | 'changed', number>;
}

function totals(diff: TreeDiff): Totals {
  const t: Totals = {
    clusters: { added: 0, removed: 0, renamed: 0, changed: 0 },
    objects: { added: 0, removed: 0, changed: 0 },
  };
  for (const c of diff.clusters) {
    t.clusters[c.status] += 1;
    t.objects.added += c.objects.added.length;
    t.objects.removed += c.objects.removed.length;
    t.objects.changed += c.objects.changed.length;
  }
  return t;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function objectSummary(c: ClusterDiff): string {
  const parts = (['added', 'removed', 'changed'] as const)
    .filter((k) => c.objects[k].length > 0)
    .map((k) => `${c.objects[k].length} ${k}`);
  // A file can change without any object changing (a kustomization.yaml listing), and a rename may change nothing else.
  return parts.length > 0 ? `objects: ${parts.join(', ')}` : `${plural(c.files.length, 'file')} changed, no objects`;
}

const change = (c: ClusterDiff) => (c.status === 'renamed' ? `renamed from ${c.from}` : c.status);

function short(commit: string): string {
  return commit.slice(0, 12);
}

/** One file: unified hunks of a changed file; the objects of a file added or removed whole. */
function fileLines(f: FileDiff): string[] {
  if (f.status !== 'changed') {
    return [
      `${f.status === 'added' ? '+++ added' : '--- removed'} ${f.status === 'removed' ? (f.basePath ?? f.path) : f.path}${whatItHolds(f)}`,
    ];
  }
  return [
    `--- a/${f.basePath ?? f.path}`,
    `+++ b/${f.path}`,
    ...f.hunks,
    ...(f.omitted > 0 ? [`... ${plural(f.omitted, 'more line')} in this file`] : []),
  ];
}

/** A cluster's changes: changed files first (what a reviewer reads), then the files added or removed whole. */
function clusterLines(c: ClusterDiff): string[] {
  const changed = c.files.filter((f) => f.status === 'changed');
  const whole = c.files.filter((f) => f.status !== 'changed');
  return [...changed.flatMap(fileLines), ...whole.flatMap(fileLines)];
}

/** The summary of each changed cluster, one line each, aligned. */
function summaryLines(diff: TreeDiff): string[] {
  const width = Math.max(...diff.clusters.map((c) => c.cluster.length));
  return diff.clusters.map((c) => `  ${c.cluster.padEnd(width)}  ${change(c)}: ${objectSummary(c)}`);
}

/** The terminal format: a summary with a line per changed cluster, then each changed cluster's hunks under a heading. */
export function formatText(diff: TreeDiff, subject: DiffSubject): string {
  const t = totals(diff);
  const lines = [`${subject.file} at ${short(subject.base.commit)} (${subject.base.label}) -> working tree`];
  if (diff.clusters.length === 0) {
    lines.push(`no changes in the rendered output (${plural(diff.unchanged.length, 'cluster')} unchanged)`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `clusters: ${t.clusters.added} added, ${t.clusters.removed} removed, ${t.clusters.renamed} renamed, ${t.clusters.changed} changed, ${diff.unchanged.length} unchanged`,
  );
  lines.push(`objects:  ${t.objects.added} added, ${t.objects.removed} removed, ${t.objects.changed} changed`);
  lines.push(...summaryLines(diff));
  for (const c of diff.clusters) {
    lines.push('', `=== cluster ${c.cluster}: ${change(c)} (${objectSummary(c)})`, ...clusterLines(c));
  }
  return `${lines.join('\n')}\n`;
}

/** A fence longer than any run of backticks inside, so that no rendered text can close it early. */
function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * The pull-request comment: a summary table, then one collapsed section per changed cluster. Whatever would take
 * the comment past GitHub's limit is left out, and the comment ends by saying what and how to see it.
 */
export function formatMarkdown(diff: TreeDiff, subject: DiffSubject): string {
  const t = totals(diff);
  const out: string[] = ['<!-- meshfleet diff -->', '### meshfleet: rendered output', ''];
  const against = `\`${subject.file}\` at \`${short(subject.base.commit)}\` (${subject.base.label})`;
  if (diff.clusters.length === 0) {
    out.push(
      `No changes in the rendered output against ${against}: ${plural(diff.unchanged.length, 'cluster')} unchanged.`,
    );
    return `${out.join('\n')}\n`;
  }
  out.push(
    `Against ${against}: **${t.clusters.added} added, ${t.clusters.removed} removed, ${t.clusters.renamed} renamed, ${t.clusters.changed} changed** clusters ` +
      `(${diff.unchanged.length} unchanged); objects ${t.objects.added} added, ${t.objects.removed} removed, ${t.objects.changed} changed.`,
    '',
    '| cluster | change | objects added | objects removed | objects changed |',
    '| --- | --- | ---: | ---: | ---: |',
  );
  for (const c of diff.clusters.slice(0, MAX_TABLE_ROWS)) {
    out.push(
      `| \`${c.cluster}\` | ${c.status === 'renamed' ? `renamed from \`${c.from}\`` : c.status} | ${c.objects.added.length} | ${c.objects.removed.length} | ${c.objects.changed.length} |`,
    );
  }
  const unlisted = diff.clusters.length - MAX_TABLE_ROWS;
  if (unlisted > 0) out.push(`| ${plural(unlisted, 'more cluster')} | | | | |`);
  const command = `meshfleet diff --base ${short(subject.base.commit)}`;
  let budget = MARKDOWN_DIFF_BUDGET;
  const leftOut: string[] = [];
  for (const c of diff.clusters) {
    const body = clusterLines(c).join('\n');
    const f = fence(body);
    const section = [
      '',
      `<details><summary><code>${c.cluster}</code>: ${change(c)} (${objectSummary(c)})</summary>`,
      '',
      `${f}diff\n${body}\n${f}`,
      '',
      '</details>',
    ];
    const size = section.join('\n').length + 1;
    if (size <= budget) {
      out.push(...section);
      budget -= size;
    } else leftOut.push(c.cluster);
  }
  if (leftOut.length > 0) {
    const names =
      leftOut
        .slice(0, 20)
        .map((n) => `\`${n}\``)
        .join(', ') + (leftOut.length > 20 ? ` and ${leftOut.length - 20} more` : '');
    out.push(
      '',
      `Left out to stay under GitHub's comment limit: the diff of ${plural(leftOut.length, 'cluster')} (${names}). Run \`${command}\` to see it.`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** A whole file's objects; a file that is not YAML (vault/<cluster>/) is named alone. */
function whatItHolds(f: FileDiff): string {
  if (!f.path.endsWith('.yaml')) return '';
  return `: ${f.objects.join(', ') || 'no objects'}`;
}
