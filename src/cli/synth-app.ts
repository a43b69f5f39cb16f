/**
 * The `app` of cdk8s.yaml, so that `npx cdk8s synth` works as in any cdk8s project: it synthesizes every
 * cluster's charts of the fleet file into cdk8s.out/ (one file per chart). `meshfleet render` is the real
 * writer of dist/; this entry exists for people and tools that expect the cdk8s workflow.
 */
import { readFileSync } from 'node:fs';
import { App } from 'cdk8s';
import { ArgoCdEntryChart } from '../../charts/argocd-entry-chart.ts';
import { FluxEntryChart } from '../../charts/flux-entry-chart.ts';
import { LayerChart, layerConstructs } from '../../charts/layers.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import { planFleet } from '../plan/plan.ts';
import { deliveredLayers } from '../synth/synth.ts';
import { compileFleet } from '../pipeline.ts';

const file = process.env.MESHFLEET_FILE ?? 'fleet.yaml';
const { fleet, diagnostics } = compileFleet(file, readFileSync(file));
if (!fleet) {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  process.exit(1);
}
const app = new App();
for (const plan of planFleet(fleet).clusters) {
  const layers = deliveredLayers(plan, layerConstructs(plan));
  for (const layer of layers) new LayerChart(app, `${plan.name}-${layer}`, { plan, layer });
  if (plan.gitops.engine === 'flux') new FluxEntryChart(app, `${plan.name}-entry`, { plan });
  else new ArgoCdEntryChart(app, `${plan.name}-entry`, { plan, folders: layers });
}
app.synth();
