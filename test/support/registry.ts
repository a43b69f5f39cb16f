// A stand-in for the npm registry on 127.0.0.1, so that a test can install meshfleet the way a user does
// (`npm install`, which asks the registry about every dependency) while tests use no network beyond this machine.
// It knows exactly the packages package-lock.json names: their metadata comes from the lockfile and their tarballs
// from the npm cache, which `npm ci` filled. npm checks every tarball against the integrity the metadata gives, so
// what is installed is byte for byte what the lockfile pinned.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface LocalRegistry {
  readonly url: string;
  /**
   * Requests it could not answer: a package the lockfile does not name, a tarball not in the cache. npm also asks
   * about optional peer dependencies that nothing installs; the lockfile has no version of those, and a "not found"
   * is an answer npm installs fine with, so they are not counted.
   */
  readonly misses: string[];
  close(): Promise<void>;
}

interface LockEntry {
  readonly version?: string;
  readonly name?: string;
  readonly integrity?: string;
  readonly inBundle?: boolean;
  readonly link?: boolean;
  readonly [field: string]: unknown;
}

// The fields of a lockfile entry that npm's abbreviated metadata ("corgi") document carries for a version.
const MANIFEST_FIELDS = [
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  'bin',
  'engines',
  'os',
  'cpu',
  'libc',
  'deprecated',
  'license',
  'hasInstallScript',
];

/** The npm cache folder, as npm itself reports it (the variable is set when the tests run under `npm test`). */
export function npmCacheDir(): string {
  return process.env.npm_config_cache || execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
}

/**
 * cacache, npm's cache, keeps each tarball under content-v2/ at the hex digest of its integrity, split 2/2/rest.
 * npm stores a tarball under its sha512 digest when the integrity string has one.
 */
function cachedTarball(cache: string, integrity: string): string {
  const hashes = integrity.split(/\s+/).map((h) => h.split(/-(.*)/s));
  const [algorithm, base64] = hashes.find(([a]) => a === 'sha512') ?? hashes[0];
  const hex = Buffer.from(base64, 'base64').toString('hex');
  return join(cache, '_cacache', 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
}

/** Starts the registry for `lockfile`, serving tarballs out of the npm cache at `cache`. */
export async function startRegistry(lockfile: string, cache: string = npmCacheDir()): Promise<LocalRegistry> {
  const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as { packages: Record<string, LockEntry> };
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const packuments = new Map<
    string,
    { name: string; 'dist-tags': { latest: string }; versions: Record<string, object> }
  >();
  const tarballs = new Map<string, string>();
  const optionalPeers = new Set<string>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    // The root project, links to folders and packages shipped inside another package's tarball are not on a registry.
    if (path === '' || entry.link || entry.inBundle || !entry.version || !entry.integrity) continue;
    for (const [peer, meta] of Object.entries(
      (entry.peerDependenciesMeta ?? {}) as Record<string, { optional?: boolean }>,
    )) {
      if (meta.optional) optionalPeers.add(peer);
    }
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const file = `/${name}/-/${name.split('/').at(-1)}-${entry.version}.tgz`;
    tarballs.set(file, cachedTarball(cache, entry.integrity));
    const manifest: Record<string, unknown> = {
      name,
      version: entry.version,
      _hasShrinkwrap: entry.hasShrinkwrap === true,
    };
    for (const field of MANIFEST_FIELDS) if (entry[field] !== undefined) manifest[field] = entry[field];
    manifest.dist = { tarball: url + file, integrity: entry.integrity };
    const packument = packuments.get(name) ?? { name, 'dist-tags': { latest: entry.version }, versions: {} };
    packument.versions[entry.version] = manifest;
    packuments.set(name, packument);
  }
  for (const packument of packuments.values()) packument['dist-tags'].latest = highest(Object.keys(packument.versions));

  const misses: string[] = [];
  server.on('request', (req, res) => {
    // npm asks for a scoped package as /@scope%2fname.
    const path = decodeURIComponent(new URL(req.url ?? '/', url).pathname);
    const tarball = tarballs.get(path);
    const packument = packuments.get(path.slice(1));
    if (req.method === 'GET' && tarball && existsSync(tarball)) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(tarball));
    } else if (req.method === 'GET' && packument) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
    } else {
      if (!optionalPeers.has(path.slice(1))) misses.push(`${req.method} ${path}`);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
    }
  });
  return {
    url,
    misses,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/** The highest of some release versions (x.y.z, all that a lockfile pins here), compared numerically. */
function highest(versions: string[]): string {
  const key = (v: string) => v.split(/[.+-]/).slice(0, 3).map(Number);
  return versions.reduce((a, b) => {
    const [x, y] = [key(a), key(b)];
    const i = x.findIndex((n, j) => n !== y[j]);
    return i >= 0 && y[i] > x[i] ? b : a;
  });
}
