import type { Diagnostic } from './diagnostics.ts';
import { decodeSource, loadSource } from './load/source.ts';
import type { Fleet } from './model/fleet.ts';
import { planFleet, type PlanOptions } from './plan/plan.ts';
import type { FleetPlan } from './plan/types.ts';
import { synthFleet, type ClusterOutput } from './synth/synth.ts';
import { validateSource } from './validate/index.ts';

/**
 * The core, end to end and without I/O: bytes of a fleet file → validated fleet → plans → rendered files.
 * `file` is only the name used in messages.
 */
export function compileFleet(file: string, bytes: Uint8Array): { fleet?: Fleet; diagnostics: readonly Diagnostic[] } {
  const decoded = decodeSource(file, bytes);
  if (decoded.text === undefined) return { diagnostics: decoded.diagnostics };
  return validateSource(loadSource(file, decoded.text));
}

export function renderFleet(fleet: Fleet, options: PlanOptions = {}): { plan: FleetPlan; outputs: Iterable<ClusterOutput> } {
  const plan = planFleet(fleet, options);
  return { plan, outputs: synthFleet(plan) };
}
