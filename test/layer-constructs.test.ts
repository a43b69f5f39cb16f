// A render builds each construct of a layer that is not per cluster once, and shares its objects among the clusters
// that have it (src/synth/synth.ts, charts/layer-constructs.ts). This holds every cluster's layer files to its layer
// chart built whole, as `cdk8s synth` builds it: a construct that wrote anything but what its props say (its place in
// the tree, another cluster's data) would differ here.
import { ApiObject, App, type Chart } from 'cdk8s';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LAYERS, LayerChart } from '../charts/layers.ts';
import { fleetYaml } from '../scripts/bench/fleets.ts';
import { compileFleet } from '../src/compile.ts';
import { planFleet } from '../src/plan/plan.ts';
import { HEADER, FleetSynthesizer } from '../src/synth/synth.ts';
import { toYaml } from '../src/synth/yaml-scalars.ts';
import { EXAMPLE_FLEET } from './support/big-fleet.ts';

const FLEETS = {
  example: EXAMPLE_FLEET,
  'full mesh, shared CA': fleetYaml({ shape: 'full-mesh', tls: 'shared-ca', size: 5 }),
  'hub and spoke, per-cluster CA': fleetYaml({ shape: 'hub-and-spoke', tls: 'per-cluster-ca', size: 6 }),
};

/** A chart's objects, each written as a render writes it (without the file's header). */
function chartDocuments(chart: Chart): string[] {
  return chart.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject)
    .map((o) => toYaml(o.toJson()))
    .sort();
}

/** The documents of a layer's files, whichever file holds each (a peer's objects share one: src/synth/layout.ts). */
function fileDocuments(files: readonly string[]): string[] {
  return files
    .flatMap((text) => {
      assert.ok(text.startsWith(HEADER), text.slice(0, 80));
      return text.slice(HEADER.length).split(/^---\n/m);
    })
    .sort();
}

test("each cluster's layers hold what its layer charts, built whole, write", () => {
  for (const [name, text] of Object.entries(FLEETS)) {
    const { fleet, diagnostics } = compileFleet('fleet.yaml', new TextEncoder().encode(text));
    assert.ok(fleet, `${name}: ${diagnostics.map((d) => d.message).join('; ')}`);
    const synthesizer = new FleetSynthesizer(); // one for the fleet, as in a render: objects built for one cluster serve the next
    for (const plan of planFleet(fleet!).clusters) {
      const output = synthesizer.cluster(plan);
      const app = new App();
      const layers = Object.fromEntries(LAYERS.map((layer) => [layer, new LayerChart(app, layer, { plan, layer })]));
      for (const [layer, chart] of Object.entries(layers)) {
        const rendered = [...output.dist].filter(
          ([path]) => path.startsWith(`${layer}/`) && !path.endsWith('/kustomization.yaml'),
        );
        assert.equal(
          fileDocuments(rendered.map(([, text]) => text)),
          chartDocuments(chart),
          `${name}: ${plan.name}/${layer}`,
        );
      }
    }
  }
});

test.run();
