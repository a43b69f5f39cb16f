import { hostname } from 'node:os';
import { join } from 'node:path';
import { linkSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { UserError } from '../diagnostics.ts';

/** The lock file's name inside the output folder. */
export const LOCK_NAME = '.meshfleet.lock';

export interface LockOptions {
  /** How long to wait for another render to finish before giving up. @default 60_000 */
  readonly waitMs?: number;
  /** Told once when this render starts waiting for another. */
  readonly onWait?: (holder: string) => void;
}

export interface Lock {
  release(): void;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);

/** Whether a process with this id runs on this machine (EPERM: it does, as someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>/.meshfleet.lock`, waiting while a live render holds it. The file is written whole under a private
 * name and hard-linked into place, so the lock never exists half-written; link fails if the name is taken, which
 * makes taking it atomic. A lock whose process is gone (a killed run) is stale and taken over.
 */
export function acquireLock(dir: string, options: LockOptions = {}): Lock {
  const path = join(dir, LOCK_NAME);
  const mine = `${process.pid}\n${hostname()}\n${new Date().toISOString()}\n`;
  const draft = join(dir, `.meshfleet-lock-${process.pid}.tmp`);
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  let told = false;
  writeFileSync(draft, mine);
  try {
    for (;;) {
      try {
        linkSync(draft, path);
        return { release: () => releaseLock(path, mine) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const held = readOrEmpty(path);
      if (held === undefined) continue; // released between our link and our read
      if (isStale(held)) {
        takeOverStale(path, held, dir);
        continue;
      }
      const who = describe(held);
      if (Date.now() >= deadline) {
        throw new UserError(
          `${path} is held by ${who}: another render is writing there. Try again when it ends; if no meshfleet runs, delete ${path}`,
        );
      }
      if (!told) options.onWait?.(who);
      told = true;
      sleep(50);
    }
  } finally {
    rmSync(draft, { force: true });
  }
}

function releaseLock(path: string, mine: string): void {
  if (readOrEmpty(path) === mine) unlinkSync(path);
}

function readOrEmpty(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function isStale(content: string): boolean {
  const [pid, host] = content.split('\n');
  // Another machine's process cannot be checked from here: its lock is honoured until it is released.
  if (host !== hostname()) return false;
  return !processAlive(Number(pid));
}

/**
 * Moves a stale lock aside under a private name before deleting it, and checks that what moved is the stale one:
 * two runs that both found it stale must not delete the fresh lock one of them took meanwhile.
 */
function takeOverStale(path: string, stale: string, dir: string): void {
  const aside = join(dir, `.meshfleet-lock-stale-${process.pid}.tmp`);
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else moved it first
  }
  if (readOrEmpty(aside) === stale) {
    rmSync(aside, { force: true });
    return;
  }
  try {
    linkSync(aside, path); // a live lock: put it back
  } catch {
    // Another run has taken the lock meanwhile; the one we moved still belongs to a live run that will find it
    // gone on release, which is harmless: it only ever unlinks a lock with its own content.
  }
  rmSync(aside, { force: true });
}

function describe(content: string): string {
  const [pid, host, since] = content.split('\n');
  return `meshfleet (pid ${pid || '?'} on ${host || '?'}, since ${since || '?'})`;
}
