/**
 * Shared text: a file's text as the parts it is joined from, its own strings and shared texts. In a full mesh the
 * large files hold the same peer entries, cluster after cluster, so most of a render's text is a few distinct
 * entries over and over. The render's thread joins a file's parts only as a rope (V8 concatenates strings by
 * reference, and copies only when the characters are read), and the writer thread is sent each shared text once and
 * writes files from their parts, so that the render's thread never copies the whole output.
 */

/** Text shared by many files, known by identity: one object per distinct text (and indentation). */
export class SharedText {
  constructor(readonly text: string) {}
}

/** A part of a file's text: its own, or shared. */
export type FilePart = string | SharedText;

export const partText = (part: FilePart): string => (typeof part === 'string' ? part : part.text);

/** The parts' text, as a rope: nothing is copied until something reads its characters. */
export function joinParts(parts: readonly FilePart[]): string {
  let text = '';
  for (const part of parts) text += partText(part);
  return text;
}

/** About how many consecutive shared texts are joined into one: few parts per file, yet joins that recur. */
const JOIN_LENGTH = 8;

interface JoinNode {
  /** The texts from the root to here, joined. */
  readonly text: string;
  readonly next: Map<SharedText, JoinNode>;
  /** Whether the last of those texts ends a join: known here, so that a walk asks one map per text. */
  readonly endsJoin: boolean;
  joined?: SharedText;
}

/**
 * Joins consecutive shared texts into shared texts, one object wherever the same texts follow each other. A mesh's
 * peers are small entries (a few lines each), in the same order in every cluster's file but for the cluster itself:
 * a file of one part per peer would be as many parts as lines. A join ends after a text chosen once per text (every
 * JOIN_LENGTH-th text seen), so the same texts end the same joins in every file.
 */
export class SharedTextJoiner {
  readonly #root: JoinNode = { text: '', next: new Map(), endsJoin: false };
  readonly #endsJoin = new WeakMap<SharedText, boolean>();
  #seen = 0;

  /** Adds `texts` to `parts`, joined. */
  push(parts: FilePart[], texts: Iterable<SharedText>): void {
    let node = this.#root;
    for (const text of texts) {
      let next = node.next.get(text);
      if (next === undefined)
        node.next.set(text, (next = { text: node.text + text.text, next: new Map(), endsJoin: this.#ends(text) }));
      node = next;
      if (node.endsJoin) {
        parts.push((node.joined ??= new SharedText(node.text)));
        node = this.#root;
      }
    }
    if (node !== this.#root) parts.push((node.joined ??= new SharedText(node.text)));
  }

  #ends(text: SharedText): boolean {
    let ends = this.#endsJoin.get(text);
    if (ends === undefined) this.#endsJoin.set(text, (ends = this.#seen++ % JOIN_LENGTH === JOIN_LENGTH - 1));
    return ends;
  }
}
