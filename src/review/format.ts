import type { ClusterDiff, TreeDiff } from './compare.ts';

/** What was compared, for the heading of either format. */
export interface DiffSubject {
  /** The fleet file, as the user named it. */
  readonly file: string;
  /** The base commit (full hash) and how it was chosen, e.g. `merge base with main`. */
  readonly base: { readonly commit: string; readonly label: string };
}

/** GitHub refuses comments above 65,536 characters; the rest of the budget is for the table and headings. */
export const MARKDOWN_DIFF_BUDGET = 60_000;

interface Totals { clusters: Record<'added' | 'removed' | 'changed', number>; objects: Record<'added' | 'removed' | 'changed', number> }

function totals(diff: TreeDiff): Totals {
  const t: Totals = { clusters: { added: 0, removed: 0, changed: 0 }, objects: { added: 0, removed: 0, changed: 0 } };
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
  const parts = (['added', 'removed', 'changed'] as const).filter((k) => c.objects[k].length > 0).map((k) => `${c.objects[k].length} ${k}`);
  // A file can change without any object changing (a kustomization.yaml listing).
  return parts.length > 0 ? `objects: ${parts.join(', ')}` : `${plural(c.files.length, 'file')} changed, no objects`;
}

function short(commit: string): string {
  return commit.slice(0, 12);
}

/** The terminal format: a summary, then each changed cluster's unified diff under a heading. */
export function formatText(diff: TreeDiff, subject: DiffSubject): string {
  const t = totals(diff);
  const lines = [`${subject.file} at ${short(subject.base.commit)} (${subject.base.label}) -> working tree`];
  if (diff.clusters.length === 0) {
    lines.push(`no changes in the rendered output (${plural(diff.unchanged.length, 'cluster')} unchanged)`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`clusters: ${t.clusters.added} added, ${t.clusters.removed} removed, ${t.clusters.changed} changed, ${diff.unchanged.length} unchanged`);
  lines.push(`objects:  ${t.objects.added} added, ${t.objects.removed} removed, ${t.objects.changed} changed`);
  for (const c of diff.clusters) {
    lines.push('', `=== cluster ${c.cluster}: ${c.status} (${objectSummary(c)})`);
    for (const f of c.files) lines.push(f.patch.replace(/\n$/, ''));
  }
  return `${lines.join('\n')}\n`;
}

/** A fence longer than any run of backticks inside, so that no rendered text can close it early. */
function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * The pull-request comment: a summary table, then one collapsed section per changed cluster. Diffs that would
 * take the comment past GitHub's limit are left out with the command that shows them.
 */
export function formatMarkdown(diff: TreeDiff, subject: DiffSubject): string {
  const t = totals(diff);
  const out: string[] = ['<!-- meshfleet diff -->', '### meshfleet: rendered output', ''];
  const against = `\`${subject.file}\` at \`${short(subject.base.commit)}\` (${subject.base.label})`;
  if (diff.clusters.length === 0) {
    out.push(`No changes in the rendered output against ${against}: ${plural(diff.unchanged.length, 'cluster')} unchanged.`);
    return `${out.join('\n')}\n`;
  }
  out.push(
    `Against ${against}: **${t.clusters.added} added, ${t.clusters.removed} removed, ${t.clusters.changed} changed** clusters `
      + `(${diff.unchanged.length} unchanged); objects ${t.objects.added} added, ${t.objects.removed} removed, ${t.objects.changed} changed.`,
    '',
    '| cluster | change | objects added | objects removed | objects changed |',
    '| --- | --- | ---: | ---: | ---: |',
  );
  for (const c of diff.clusters) {
    out.push(`| \`${c.cluster}\` | ${c.status} | ${c.objects.added.length} | ${c.objects.removed.length} | ${c.objects.changed.length} |`);
  }
  let budget = MARKDOWN_DIFF_BUDGET;
  for (const c of diff.clusters) {
    const body = c.files.map((f) => f.patch.replace(/\n$/, '')).join('\n');
    const f = fence(body);
    const block = `${f}diff\n${body}\n${f}`;
    out.push('', `<details><summary><code>${c.cluster}</code>: ${c.status} (${objectSummary(c)})</summary>`, '');
    if (block.length <= budget) {
      out.push(block);
      budget -= block.length;
    } else {
      out.push(`Diff left out (${plural(body.split('\n').length, 'line')}): the comment would pass GitHub's size limit. Run \`meshfleet diff --base ${short(subject.base.commit)}\` to see it.`);
    }
    out.push('', '</details>');
  }
  return `${out.join('\n')}\n`;
}
