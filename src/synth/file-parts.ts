/**
 * A file's text as the parts it is joined from. In a full mesh the large files repeat the same peer entries, cluster
 * after cluster: at 511 clusters with per-cluster CAs, 384 MB of text is made of a few MB of distinct entries. The
 * render's thread joins the parts only as a rope (V8 concatenates strings by reference, and copies only when the
 * characters are read), and the writer thread is sent each repeated part once and writes files from their parts,
 * so that the render's thread never copies the whole output: joining it and sending it each cost a full copy.
 */

/** A part that recurs across files, known by identity: one object per distinct text and indentation. */
export class RepeatedText {
  constructor(readonly text: string) {}
}

export type FilePart = string | RepeatedText;

export const partText = (part: FilePart): string => (typeof part === 'string' ? part : part.text);

/** The parts' text, as a rope: nothing is copied until something reads its characters. */
export function joinParts(parts: readonly FilePart[]): string {
  let text = '';
  for (const part of parts) text += partText(part);
  return text;
}

/** About how many consecutive repeated parts make one run: few parts per file, yet runs that recur. */
const RUN_LENGTH = 8;

interface RunNode {
  /** The texts from the root to here, joined. */
  readonly text: string;
  readonly next: Map<RepeatedText, RunNode>;
  /** Whether the last of those texts ends a run: known here, so that a walk asks one map per part. */
  readonly endsRun: boolean;
  run?: RepeatedText;
}

/**
 * Joins consecutive repeated parts into runs, each run one RepeatedText wherever the same parts follow each other.
 * A mesh's peers are small entries (a few lines each), in the same order in every cluster's file but for the cluster
 * itself: passed one by one they would cost the render's thread as much as copying them. A run ends after a part
 * chosen once per part (every RUN_LENGTH-th part seen), so the same parts end the same runs in every file.
 */
export class RunJoiner {
  readonly #root: RunNode = { text: '', next: new Map(), endsRun: false };
  readonly #endsRun = new WeakMap<RepeatedText, boolean>();
  #seen = 0;

  /** Adds `texts` to `parts`, as runs. */
  push(parts: FilePart[], texts: Iterable<RepeatedText>): void {
    let node = this.#root;
    for (const text of texts) {
      let next = node.next.get(text);
      if (next === undefined) node.next.set(text, (next = { text: node.text + text.text, next: new Map(), endsRun: this.#ends(text) }));
      node = next;
      if (node.endsRun) {
        parts.push((node.run ??= new RepeatedText(node.text)));
        node = this.#root;
      }
    }
    if (node !== this.#root) parts.push((node.run ??= new RepeatedText(node.text)));
  }

  #ends(text: RepeatedText): boolean {
    let ends = this.#endsRun.get(text);
    if (ends === undefined) this.#endsRun.set(text, (ends = this.#seen++ % RUN_LENGTH === RUN_LENGTH - 1));
    return ends;
  }
}
