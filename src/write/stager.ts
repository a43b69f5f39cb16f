import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { FilePart, SharedText } from '../sharing/index.ts';
import type { ClusterOutput } from '../synth/synth.ts';
import { stagingFolder } from './atomic.ts';
import { assertNoSecrets } from './guard.ts';
import { isSafeSegment, safeJoin } from './paths.ts';
import { outputChanges } from './changes.ts';
import { listRoots, type OutputRoots, type RootListing } from './roots.ts';

interface Staged {
  readonly files: ReadonlyMap<string, string>;
  /** Resolves to the staged folder; never rejects (a failure leaves the folder to be written under the lock). */
  readonly folder: Promise<string | undefined>;
}

/**
 * Writes each changed cluster's new dist/ folder while the render synthesizes the next one: a writer thread does the
 * writes, so disk time hides behind synthesis time on the second core. Staged folders are private
 * (`.meshfleet-tmp-…-<pid>`, see atomic.ts) and change nothing anyone reads; writeOutputs decides under the lock, as
 * before, what is swapped in. Each output is scanned for secrets before any of it reaches the disk.
 */
export class Stager {
  /** Outputs found identical to what is on disk: the first look need not compare them again. */
  readonly unchanged = new Set<ClusterOutput>();
  /** Outputs already scanned for secrets. */
  readonly checked = new Set<ClusterOutput>();
  /** Whether some output differed from the disk: the writer's first look (for a render with nothing to do) is moot. */
  changed = false;
  readonly #staged = new Map<string, Staged>();
  /** The digest (files-digest.mjs) of each folder the writer thread wrote, by the files it was given. */
  readonly #digests = new WeakMap<ReadonlyMap<string, string>, string>();
  readonly #roots: OutputRoots;
  /** The roots as listed when the render began: what the stager sees only decides what to write early. */
  readonly #listed: RootListing;
  #writer: StageWriter | undefined;
  readonly #madeRoots = new Set<string>();

  constructor(roots: OutputRoots) {
    this.#roots = roots;
    this.#listed = listRoots(roots);
  }

  /** Call as each output is synthesized. */
  add(output: ClusterOutput): void {
    assertNoSecrets([output]);
    this.checked.add(output);
    if (!isSafeSegment(output.cluster)) return; // refused with its message by the writer
    const conflicts: string[] = [];
    const changes = outputChanges(output, this.#roots, conflicts, this.#listed);
    if (conflicts.length > 0) return; // reported by the writer, which writes nothing then
    if (changes.dist.length === 0 && changes.entry.length === 0 && changes.vault.length === 0)
      this.unchanged.add(output);
    else this.changed = true;
    if (changes.dist.length > 0) this.#stage(this.#roots.dist, output.cluster, output.dist, output.parts);
    // A clusters/<cluster>/ folder that is not there yet is made whole too (changes.ts: newEntryFolders). The render's
    // thread reads the writer's replies only once it has synthesized every cluster, so it stages whatever changed
    // rather than guess whether the writer keeps up.
    if (changes.entry.length > 0 && !this.#listed.clusters.has(output.cluster)) {
      this.#stage(this.#roots.clusters, output.cluster, output.entry);
    }
  }

  #stage(
    root: string,
    cluster: string,
    files: ReadonlyMap<string, string>,
    parts?: ReadonlyMap<string, readonly FilePart[]>,
  ): void {
    this.#writer ??= new StageWriter();
    if (!this.#madeRoots.has(root)) {
      mkdirSync(root, { recursive: true });
      this.#madeRoots.add(root);
    }
    const target = join(root, cluster);
    const folder = this.#writer.stage(target, files, parts).then((staged) => {
      if (staged) this.#digests.set(files, staged.digest);
      return staged?.path;
    });
    this.#staged.set(target, { files, folder });
  }

  /** The digest of `files` (files-digest.mjs), if the writer thread wrote them and has said so; else undefined. */
  digestOf(files: ReadonlyMap<string, string>): string | undefined {
    return this.#digests.get(files);
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
    for (const folder of await Promise.all(left.map((s) => s.folder)))
      if (folder) rmSync(folder, { recursive: true, force: true });
    await this.#writer?.close();
    this.#writer = undefined;
  }
}

interface StagedFolder {
  readonly path: string;
  readonly digest: string;
}

/**
 * A writer thread (stage-worker.mjs) that fills staged folders: the render's thread sends one message per folder
 * rather than making asynchronous calls per file, whose overhead would fall on the thread that synthesizes. A file joined from
 * parts (src/sharing) is sent as its parts, each shared text once per render and then by number. The thread keeps
 * the process alive only while it has folders to write, so a render that fails before `discard` still exits.
 */
class StageWriter {
  // Loaded here rather than imported: a render with nothing to write never starts the thread.
  readonly #worker: Worker = new (
    createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads')
  ).Worker(new URL('./stage-worker.mjs', import.meta.url));
  /** Each job's staged folder and how to settle its promise, by job id. */
  readonly #pending = new Map<
    number,
    { readonly folder: string; readonly settle: (staged: StagedFolder | undefined) => void }
  >();
  #next = 0;
  #sentCount = 0;
  /** The number of each shared text sent to the thread. */
  readonly #sent = new WeakMap<SharedText, number>();

  constructor() {
    this.#worker.unref();
    this.#worker.on('message', ({ id, digest }: { id: number; digest?: string }) => this.#settle(id, digest));
    // A thread that failed leaves its folders to be written under the lock, as any failed staging does.
    this.#worker.on('error', () => this.#settleAll());
    this.#worker.on('exit', () => this.#settleAll());
  }

  /**
   * Resolves to the staged folder and its files' digest, or to undefined if it could not be written; never rejects.
   * `parts`: of the files joined from parts, by path (ClusterOutput.parts).
   */
  stage(
    target: string,
    files: ReadonlyMap<string, string>,
    parts?: ReadonlyMap<string, readonly FilePart[]>,
  ): Promise<StagedFolder | undefined> {
    const folder = stagingFolder(target);
    const id = this.#next++;
    const job = { id, folder, rels: [...files.keys()], ...this.#encode(folder, files, parts) };
    return new Promise((settle) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { folder, settle });
      this.#worker.postMessage(job);
    });
  }

  /**
   * The job's files as stage-worker.mjs takes them: a file with parts as an Int32Array of numbers (one typed array
   * is copied into the message as bytes, where an array of parts would be an object per part): a shared text's
   * number, or -1 - i for `strings[i]`. `shared`: the shared texts this job is the first to hold.
   */
  #encode(
    folder: string,
    files: ReadonlyMap<string, string>,
    parts: ReadonlyMap<string, readonly FilePart[]> | undefined,
  ) {
    const strings: string[] = [];
    const shared: [number, string][] = [];
    const number = (part: FilePart) => {
      if (typeof part === 'string') return -strings.push(part); // -1 - its index
      let n = this.#sent.get(part);
      if (n === undefined) {
        this.#sent.set(part, (n = this.#sentCount++));
        shared.push([n, part.text]);
      }
      return n;
    };
    const content = (rel: string, text: string) => {
      const fileParts = parts?.get(rel);
      return fileParts ? Int32Array.from(fileParts, number) : text;
    };
    return { files: [...files].map(([rel, text]) => [safeJoin(folder, rel), content(rel, text)]), strings, shared };
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  /** `digest`: the written folder's; undefined if it could not be written. */
  #settle(id: number, digest: string | undefined): void {
    const job = this.#pending.get(id);
    if (!job) return;
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
    job.settle(digest === undefined ? undefined : { path: job.folder, digest });
  }

  #settleAll(): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id, undefined);
  }
}
