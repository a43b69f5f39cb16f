// The real Helm for tests: `helm template` of the vendored Cilium chart with exactly the values meshfleet rendered,
// so that the chart's own checks (templates/validate.yaml and its `fail` calls) judge the output.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { Obj } from './output.ts';
import { crdsDir } from './upstream.ts';
import { REPO as REPO_ROOT } from './cli.ts';
import { tempDir } from './temp.ts';

/**
 * The Helm binary, found by running scripts/helm.mjs (which unpacks the pinned one on first use): synchronously,
 * since uvu loads the tests through tsx as CommonJS, where a top-level await cannot be.
 */
const found: { path?: string; why?: string } = (() => {
  try {
    const path = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'helm.mjs')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
    return { path };
  } catch (e) {
    return {
      why: String((e as { stderr?: string }).stderr ?? e)
        .replace(/^meshfleet: no Helm: /, '')
        .trim(),
    };
  }
})();

/** The Helm binary's path, when there is one. */
export function helmBinary(): string | undefined {
  return found.path;
}

/**
 * Whether Helm is here. Without it a test that needs it fails under CI (CI=true), where the pinned Helm must be,
 * and elsewhere skips with a printed note naming the reason.
 */
export function haveHelm(test: string): boolean {
  if (found.path) return true;
  if (process.env.CI) throw new Error(`${test}: no Helm in CI: ${found.why}`);
  console.log(`  (skipped without Helm: ${test}: ${found.why})`);
  return false;
}

/** The packaged chart of a pinned Cilium version, vendored beside its values (crds/cilium/<version>/). */
export function ciliumChart(version: string): string {
  return join(crdsDir, 'cilium', version, `cilium-${version}.tgz`);
}

export interface HelmResult {
  /** The objects the chart renders, when it renders. */
  readonly objects?: Obj[];
  /** Helm's error, when the chart refuses the values. */
  readonly error?: string;
}

const renders = new Map<string, HelmResult>();
let valuesDir: string | undefined;

/** `helm template cilium <chart> --namespace kube-system -f values.yaml`, as a HelmRelease of that version installs. */
export function templateCilium(version: string, values: unknown, namespace = 'kube-system'): HelmResult {
  if (!found.path) throw new Error(`no Helm: ${found.why}`);
  const text = stringify(values);
  const key = createHash('sha256').update(`${version}\0${namespace}\0${text}`).digest('hex');
  const known = renders.get(key);
  if (known) return known;
  valuesDir ??= tempDir('meshfleet-helm-');
  const file = join(valuesDir, `${key}.yaml`);
  writeFileSync(file, text);
  let result: HelmResult;
  try {
    const out = execFileSync(
      found.path,
      ['template', 'cilium', ciliumChart(version), '--namespace', namespace, '-f', file],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    result = {
      objects: parseAllDocuments(out)
        .map((d) => d.toJS())
        .filter((o) => o && typeof o === 'object'),
    };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    result = { error: (err.stderr || err.message).trim() };
  }
  renders.set(key, result);
  return result;
}
