/**
 * What the `meshfleet status` tests share: a workspace with a fleet file, the fake Kubernetes API serving that fleet's
 * healthy clusters, a kubeconfig with one context per cluster, and the CLI run in-process against them.
 */
import { type test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadAll } from 'js-yaml';
import type { RbacRule } from '../../src/status/rbac.ts';
import { MINIMAL, run, workspace } from './cli.ts';
import { FakeKube, writeKubeconfig, type FakeClusterState } from './fake-kube.ts';
import { healthyFleet } from './fake-kube-fleet.ts';

const closers: (() => Promise<void>)[] = [];

/** Closes every fake a test started, after each test of the suite. */
export function closeAfterEach(suite: typeof test): void {
  suite.after.each(async () => {
    for (const close of closers.splice(0)) await close();
  });
}

/** Something to close after the test. */
export function closeLater(close: () => Promise<void>): void {
  closers.push(close);
}

export interface Setup {
  readonly dir: string;
  readonly fake: FakeKube;
  readonly kubeconfig: string;
  state(cluster: string): FakeClusterState;
  status(...args: string[]): ReturnType<typeof run>;
}

export type KubeOptions = Parameters<typeof writeKubeconfig>[3] & { readonly only?: readonly string[] };

export async function setup(fleet = MINIMAL, kube: KubeOptions = {}): Promise<Setup> {
  const dir = workspace(fleet);
  const fake = await FakeKube.start();
  closers.push(() => fake.close());
  for (const [name, state] of healthyFleet(fleet)) fake.clusters.set(name, state);
  const kubeconfig = writeKubeconfig(dir, fake.url, kube.only ?? [...fake.clusters.keys()], kube);
  return {
    dir,
    fake,
    kubeconfig,
    state: (c) => fake.clusters.get(c)!,
    status: (...args) => run(dir, 'status', '--kubeconfig', kubeconfig, ...args),
  };
}

/** The table row of a cluster, as cells. */
export function row(out: readonly string[], cluster: string): string[] {
  const line = out.find((l) => l.startsWith(`${cluster} `));
  assert.ok(line, `no row for ${cluster} in:\n${out.join('\n')}`);
  return line!.trim().split(/\s+/);
}

export const HEALTHY = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'];

/** The fleet's Argo CD variant: the same clusters, delivered by Applications in the Argo CD cluster. */
export const ARGO_FLEET = MINIMAL.replace(
  'clusters:\n',
  'gitops:\n  engine: argocd\n  repository: https://git.example.internal/platform/fleet.git\nclusters:\n',
);

/** The rules of the ClusterRole and Roles `status --rbac` printed, as the fake API enforces them. */
export function rulesOf(yamlText: string): RbacRule[] {
  const docs = loadAll(yamlText) as { kind: string; metadata: { namespace?: string }; rules: RbacRule[] }[];
  return docs.flatMap((d) =>
    d.rules.map((r) => ({ ...r, ...(d.kind === 'Role' ? { namespace: d.metadata.namespace } : {}) })),
  );
}
