import type { Values } from '../model/fleet.ts';

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Helm's rule: maps merge key by key, anything else (lists included) replaces. Keys are defined, never assigned,
 * so a `__proto__` key from fleet.yaml stays an ordinary key and cannot reach Object.prototype.
 */
export function mergeValues(...layers: readonly Values[]): Values {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const key of Object.keys(layer)) {
      const next = layer[key];
      const prev = out[key];
      const value = isMap(prev) && isMap(next) ? mergeValues(prev, next) : isMap(next) ? mergeValues(next) : next;
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}
