import { UsageError } from './usage-error.ts';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration flag's value in milliseconds: `500ms`, `90s`, `10m`, `1h`, or `1m30s`. Anything else is wrong usage. */
export function parseDuration(flag: string, value: string): number {
  const parts = [...value.matchAll(/(\d+)(ms|s|m|h)/g)];
  const total = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit], 0);
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value || total <= 0) {
    throw new UsageError(`${flag} ${JSON.stringify(value)}: give a duration like 90s, 10m or 1h`);
  }
  return total;
}
