// meshfleet's objects write their metadata without cdk8s's resolve and sanitize passes (charts/constructs/
// plain-manifest.ts). This holds the result to what cdk8s writes, on every object of fleets in every mode.
import { ApiObject, App } from 'cdk8s';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ArgoCdEntryChart } from '../charts/argocd-entry-chart.ts';
import { FluxEntryChart } from '../charts/flux-entry-chart.ts';
import { LAYERS, LayerChart, layerConstructs } from '../charts/layers.ts';
import { fleetYaml } from '../scripts/bench/fleets.ts';
import { compileFleet } from '../src/compile.ts';
import { planFleet } from '../src/plan/plan.ts';
import { deliveredLayers } from '../src/synth/synth.ts';
import { EXAMPLE_FLEET } from './support/big-fleet.ts';

const ARGO = 'gitops:\n  engine: argocd\n  repository: https://git.example.internal/platform/fleet.git\n';
const FLEETS = {
  example: EXAMPLE_FLEET,
  'example, Argo CD': `${EXAMPLE_FLEET}\n${ARGO}`,
  'full mesh, shared CA': fleetYaml({ shape: 'full-mesh', tls: 'shared-ca', size: 6 }),
  'hub and spoke, per-cluster CA': fleetYaml({ shape: 'hub-and-spoke', tls: 'per-cluster-ca', size: 6 }),
};

test("every object's metadata is what cdk8s writes for it", () => {
  for (const [name, text] of Object.entries(FLEETS)) {
    const { fleet, diagnostics } = compileFleet('fleet.yaml', new TextEncoder().encode(text));
    assert.ok(fleet, `${name}: ${diagnostics.map((d) => d.message).join('; ')}`);
    let checked = 0;
    for (const plan of planFleet(fleet!).clusters) {
      const app = new App();
      for (const layer of LAYERS) new LayerChart(app, layer, { plan, layer });
      if (plan.gitops.engine === 'flux') new FluxEntryChart(app, 'entry', { plan });
      else new ArgoCdEntryChart(app, 'entry', { plan, folders: deliveredLayers(plan, layerConstructs(plan)) });
      for (const object of app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
        assert.equal(
          (object.toJson() as { metadata: unknown }).metadata,
          object.metadata.toJson(),
          `${name}: ${object.node.path}`,
        );
        checked++;
      }
    }
    assert.ok(checked > 20, `${name}: ${checked} objects`);
  }
});

test.run();
