import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterOutput } from '../synth/synth.ts';
import { stageFolder } from './atomic.ts';
import { assertNoSecrets } from './guard.ts';
import { isSafeSegment } from './paths.ts';
import { outputChanges, type OutputRoots } from './write.ts';

interface Staged {
  readonly files: ReadonlyMap<string, string>;
  /** Resolves to the staged folder; never rejects (a failure leaves the folder to be written under the lock). */
  readonly folder: Promise<string | undefined>;
}

/**
 * Writes each changed cluster's new dist/ folder while the render synthesizes the next one: the writes go on in
 * libuv's threads, so disk time hides behind synthesis time. Staged folders are private (`.meshfleet-tmp-…-<pid>`,
 * see atomic.ts) and change nothing anyone reads; writeOutputs decides under the lock, as before, what is swapped
 * in. Each output is scanned for secrets before any of it reaches the disk.
 */
export class Stager {
  /** Outputs found identical to what is on disk: the first look need not compare them again. */
  readonly unchanged = new Set<ClusterOutput>();
  /** Outputs already scanned for secrets. */
  readonly checked = new Set<ClusterOutput>();
  readonly #staged = new Map<string, Staged>();
  readonly #roots: OutputRoots;

  constructor(roots: OutputRoots) {
    this.#roots = roots;
  }

  /** Call as each output is synthesized. */
  add(output: ClusterOutput): void {
    assertNoSecrets([output]);
    this.checked.add(output);
    if (!isSafeSegment(output.cluster)) return; // refused with its message by the writer
    const conflicts: string[] = [];
    const changes = outputChanges(output, this.#roots, conflicts);
    if (conflicts.length > 0) return; // reported by the writer, which writes nothing then
    if (changes.dist.length === 0 && changes.entry.length === 0) this.unchanged.add(output);
    if (changes.dist.length === 0) return;
    mkdirSync(this.#roots.dist, { recursive: true });
    const target = join(this.#roots.dist, output.cluster);
    this.#staged.set(target, { files: output.dist, folder: stageFolder(target, output.dist).catch(() => undefined) });
  }

  /** The folder staged for target, if it holds exactly `files` (the same output); it is then the caller's. */
  async take(target: string, files: ReadonlyMap<string, string>): Promise<string | undefined> {
    const staged = this.#staged.get(target);
    if (!staged || staged.files !== files) return undefined;
    this.#staged.delete(target);
    return staged.folder;
  }

  /** Removes every staged folder not taken. */
  async discard(): Promise<void> {
    const left = [...this.#staged.values()];
    this.#staged.clear();
    for (const folder of await Promise.all(left.map((s) => s.folder))) if (folder) rmSync(folder, { recursive: true, force: true });
  }
}
