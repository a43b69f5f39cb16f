// The chart-level claim behind `meshfleet status`'s mesh column: with the values meshfleet renders, the real
// `helm template` of each pinned Cilium chart gives the pods status lists (by its label selectors, in Cilium's
// namespace) a metrics server on exactly the port status scrapes through the pod proxy. And when a fleet's own values
// turn a source off, the chart exposes no such port and status knows it cannot see that source.
import { loadAll } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, stringify } from 'yaml';
import { compileFleet, renderFleet } from '../src/pipeline.ts';
import { expectation, renderedObjects as statusRefs, type ClusterExpectation } from '../src/status/expect.ts';
import { AGENT_SELECTOR, KVSTOREMESH_SELECTOR } from '../src/status/metrics.ts';
import { releaseOf, podSpec } from './support/chart-needs.ts';
import { MINIMAL } from './support/cli.ts';
import { haveHelm, templateCilium } from './support/helm.ts';
import type { Obj } from './support/output.ts';

const VERSIONS = ['1.18.12', '1.19.6', '1.20.0'] as const;

interface Case {
  readonly cluster: string;
  readonly expected: ClusterExpectation;
  readonly chart: Obj[];
}

/** Each cluster of the fleet: what status will scrape (from the plan) and the chart's objects for its rendered release. */
function cases(cilium: Obj): Case[] {
  const fleetText = stringify({ ...parse(MINIMAL), cilium });
  const { fleet, diagnostics } = compileFleet('fleet.yaml', new TextEncoder().encode(fleetText));
  if (!fleet) throw new Error(diagnostics.map((d) => d.message).join('; '));
  const { plan, outputs } = renderFleet(fleet);
  const plans = new Map(plan.clusters.map((c) => [c.name, c]));
  const out: Case[] = [];
  for (const output of outputs) {
    const rendered = [...output.dist.values(), ...output.entry.values()]
      .flatMap((t) => loadAll(t) as Obj[])
      .filter(Boolean);
    const release = releaseOf(rendered, 'cilium');
    if (!release) throw new Error(`${output.cluster}: no Cilium release rendered`);
    const { objects, error } = templateCilium(release.version, release.values, release.namespace);
    if (!objects) throw new Error(`${output.cluster}: helm template of cilium ${release.version} failed:\n${error}`);
    assert.is(
      release.namespace,
      expectationOf(plans.get(output.cluster)!, output).ciliumNamespace,
      'the release installs where status looks',
    );
    out.push({ cluster: output.cluster, expected: expectationOf(plans.get(output.cluster)!, output), chart: objects });
  }
  return out;
}

function expectationOf(
  plan: Parameters<typeof expectation>[0],
  output: Parameters<typeof statusRefs>[0],
): ClusterExpectation {
  return expectation(plan, statusRefs(output));
}

/** The chart's workloads whose pods the selector (`key=value`) picks, in the namespace. */
function selected(chart: readonly Obj[], selector: string, namespace: string): Obj[] {
  const [key, value] = selector.split('=');
  return chart.filter(
    (o) =>
      podSpec(o) &&
      (o.metadata?.namespace ?? namespace) === namespace &&
      o.spec?.template?.metadata?.labels?.[key] === value,
  );
}

/**
 * Every `containerPort` of one container of the workloads, with the `--prometheus-serve-addr` flags it is given. By
 * name: the clustermesh-apiserver pod's other container serves the apiserver's own metrics, which say nothing of peers.
 */
function metricsPorts(workloads: readonly Obj[], container: string): { ports: number[]; serveAddrs: string[] } {
  const containers = workloads.flatMap((w) => podSpec(w)!.containers as Obj[]).filter((c) => c.name === container);
  return {
    ports: containers.flatMap((c) => (c.ports ?? []).map((p: Obj) => p.containerPort)),
    serveAddrs: containers.flatMap((c) =>
      (c.args ?? []).filter((a: string) => a.startsWith('--prometheus-serve-addr=')),
    ),
  };
}

for (const version of VERSIONS) {
  for (const kvstoremesh of [true, false]) {
    test(`cilium ${version}, KVStoreMesh ${kvstoremesh ? 'on' : 'off'}: the chart serves metrics on the ports status scrapes`, () => {
      if (!haveHelm(`status-chart ${version}`)) return;
      for (const c of cases({ version, kvstoremesh })) {
        const ns = c.expected.ciliumNamespace;
        const agents = selected(c.chart, AGENT_SELECTOR, ns);
        assert.equal(
          agents.map((w) => w.kind),
          ['DaemonSet'],
          `${c.cluster}: the agents status lists by ${AGENT_SELECTOR}`,
        );
        assert.ok(c.expected.agentMetricsPort !== undefined, `${c.cluster}: status expects no agent metrics`);
        assert.ok(
          metricsPorts(agents, 'cilium-agent').ports.includes(c.expected.agentMetricsPort!),
          `${c.cluster}: no agent container port ${c.expected.agentMetricsPort}`,
        );
        // The agent's metrics server listens where cilium-config says.
        const config = c.chart.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'cilium-config');
        assert.is(config?.data?.['prometheus-serve-addr'], `:${c.expected.agentMetricsPort}`, c.cluster);

        const apiservers = selected(c.chart, KVSTOREMESH_SELECTOR, ns);
        if (!kvstoremesh) {
          assert.is(
            c.expected.kvstoremeshMetricsPort,
            undefined,
            `${c.cluster}: status scrapes a KVStoreMesh that does not run`,
          );
          assert.equal(
            metricsPorts(apiservers, 'kvstoremesh').serveAddrs,
            [],
            `${c.cluster}: KVStoreMesh metrics without KVStoreMesh`,
          );
          continue;
        }
        assert.equal(
          apiservers.map((w) => w.kind),
          ['Deployment'],
          `${c.cluster}: the clustermesh-apiserver status lists by ${KVSTOREMESH_SELECTOR}`,
        );
        const kv = metricsPorts(apiservers, 'kvstoremesh');
        assert.ok(
          kv.ports.includes(c.expected.kvstoremeshMetricsPort!),
          `${c.cluster}: no container port ${c.expected.kvstoremeshMetricsPort}`,
        );
        assert.ok(
          kv.serveAddrs.includes(`--prometheus-serve-addr=:${c.expected.kvstoremeshMetricsPort}`),
          `${c.cluster}: ${kv.serveAddrs}`,
        );
      }
    });
  }
}

test('a fleet whose values turn the metrics off: the chart exposes none, and status expects none (it says it cannot see)', () => {
  if (!haveHelm('status-chart metrics off')) return;
  const off = {
    values: {
      prometheus: { enabled: false },
      clustermesh: { apiserver: { metrics: { kvstoremesh: { enabled: false } } } },
    },
  };
  for (const c of cases(off)) {
    const ns = c.expected.ciliumNamespace;
    assert.is(c.expected.agentMetricsPort, undefined, c.cluster);
    assert.is(c.expected.kvstoremeshMetricsPort, undefined, c.cluster);
    assert.not.ok(
      metricsPorts(selected(c.chart, AGENT_SELECTOR, ns), 'cilium-agent').ports.includes(9962),
      `${c.cluster}: the agents still serve 9962`,
    );
    assert.equal(metricsPorts(selected(c.chart, KVSTOREMESH_SELECTOR, ns), 'kvstoremesh').serveAddrs, [], c.cluster);
  }
});

test.run();
