import type { Fleet } from './model/fleet.ts';
import { planFleet, type PlanOptions } from './plan/plan.ts';
import type { FleetPlan } from './plan/types.ts';
import { synthFleet, type ClusterOutput } from './synth/synth.ts';

/**
 * The core's steps, without I/O: bytes of a fleet file → validated fleet (compile.ts) → plans → each cluster's files,
 * in memory, for what reads them there (`meshfleet status`, tests). Rendering to disk is src/render/render.ts, which
 * runs the same steps with the render cache and the writer.
 */
export { compileFleet } from './compile.ts';

export function renderFleet(
  fleet: Fleet,
  options: PlanOptions = {},
): { plan: FleetPlan; outputs: Iterable<ClusterOutput> } {
  const plan = planFleet(fleet, options);
  return { plan, outputs: synthFleet(plan) };
}
