// Bundles the CLI into ES modules so `meshfleet` starts in tens of milliseconds instead of paying for a
// TypeScript loader on every run. Dependencies stay in node_modules, except cdk8s and constructs: loaded as CommonJS
// from an ES module, Node parses every file of theirs once more to find its exports, on every run.
// Code splitting: each command's modules are a chunk loaded on demand (`validate` never loads cdk8s).
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * A hash of everything that can change what a render writes (sources, generated imports, schemas, locked dependency
 * versions, this script): the render cache (src/write/render-cache.ts) trusts nothing recorded by another build.
 */
function buildId() {
  const h = createHash('sha256');
  const add = (path) => h.update(`${path}\0`).update(readFileSync(path)).update('\0');
  for (const dir of ['src', 'charts', 'imports', 'schema']) {
    for (const path of readdirSync(dir, { recursive: true })
      .map((p) => join(dir, p))
      .sort()) {
      try {
        add(path);
      } catch {
        // a folder
      }
    }
  }
  for (const path of ['package-lock.json', 'scripts/build.mjs']) add(path);
  return h.digest('hex');
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const bundled = new Set(['cdk8s', 'constructs']); // their licences (Apache-2.0) and their dependencies' allow it
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((d) => !bundled.has(d))
  .flatMap((d) => [d, `${d}/*`]);
// Bundled CommonJS requires Node's built-ins: give each ES module chunk a `require` of its own.
const banner = {
  js: "import { createRequire as __meshfleetRequire } from 'node:module'; const require = __meshfleetRequire(import.meta.url);",
};
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  banner,
  logLevel: 'warning',
};

// cdk8s requires the `yaml` package as it loads, for what meshfleet never calls (App.synth's files, Include,
// Helm). Its bundled copy gets a stand-in that loads `yaml` on first use; meshfleet's own imports of it are untouched.
const lazyYamlForCdk8s = {
  name: 'lazy-yaml-for-cdk8s',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, ({ importer }) =>
      /[\\/]node_modules[\\/]cdk8s[\\/]/.test(importer) ? { path: 'yaml', namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      loader: 'js',
      // `__esModule`: cdk8s's __importStar then takes the stand-in as it is, without reading any other key.
      contents:
        "let yaml; module.exports = new Proxy({}, { get: (_, key) => (key === '__esModule' ? true : (yaml ??= require('yaml'))[key]) });",
    }));
  },
};

// Chunk names carry a content hash, so a build never rewrites a chunk a running render may still load.
const { metafile } = await build({
  ...common,
  entryPoints: [{ in: 'src/cli/main.ts', out: 'meshfleet' }],
  outdir: 'build',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  define: { MESHFLEET_BUILD_ID: JSON.stringify(buildId()) },
  metafile: true,
  plugins: [lazyYamlForCdk8s],
});

// Schemas compiled to JavaScript now rather than on every run (src/validate/precompiled.ts).
const precompiler = `build/precompile-${process.pid}.mjs`; // builds may run side by side
await build({ ...common, entryPoints: ['src/validate/precompile.ts'], outfile: precompiler });
try {
  const { precompileValidators } = await import(`${pathToFileURL(precompiler).href}?${Date.now()}`);
  precompileValidators();
} finally {
  rmSync(precompiler, { force: true });
}

// The stager's writer thread is plain JavaScript loaded by URL beside the module that starts it (src/write/stager.ts).
const WORKER_FILES = ['stage-worker.mjs', 'fill-folder.mjs', 'files-digest.mjs'];
for (const file of WORKER_FILES) copyFileSync(`src/write/${file}`, `build/chunks/${file}`);

// Chunks of earlier builds: removed once a minute old (time enough for a render started before this build to load
// what it needs), so that build/ holds one build and a search of it finds the code that runs.
const current = new Set([...Object.keys(metafile.outputs), ...WORKER_FILES.map((f) => `build/chunks/${f}`)]);
for (const name of readdirSync('build/chunks')) {
  const path = `build/chunks/${name}`;
  if (!current.has(path) && Date.now() - statSync(path).mtimeMs > 60_000) rmSync(path, { force: true });
}
