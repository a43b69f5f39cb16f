import type { Fleet } from './model/fleet.ts';
import { planFleet, type PlanOptions } from './plan/plan.ts';
import type { FleetPlan } from './plan/types.ts';
import { synthFleet, type ClusterOutput } from './synth/synth.ts';

/** The core, end to end and without I/O: bytes of a fleet file → validated fleet (compile.ts) → plans → rendered files. */
export { compileFleet } from './compile.ts';

export function renderFleet(fleet: Fleet, options: PlanOptions = {}): { plan: FleetPlan; outputs: Iterable<ClusterOutput> } {
  const plan = planFleet(fleet, options);
  return { plan, outputs: synthFleet(plan) };
}
