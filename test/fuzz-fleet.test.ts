// Property-based: the example fleet mutated thousands of times (wrong types, missing and extra keys, huge and
// negative numbers, empty, long and unicode strings, duplicated clusters, broken YAML). Every case ends in a valid
// render or in exit 1 with located lines only; never an internal error or a stack, and never a write on failure.
// FUZZ_RUNS scales the number of cases (default: 2000 validate + 200 render).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempProject } from './support/cli.ts';
import { fleetText } from './support/fleet-arbitraries.ts';

const RUNS = Number(process.env.FUZZ_RUNS) || 2000;
// `.` with the s flag, not `\S`: a message may quote a key that starts with an invisible character (a stray BOM).
const LOCATED = /^fleet\.yaml:\d+:\d+: ./s;

function assertAnswer(r: { code: number; out: string[]; err: string[] }, text: string): void {
  const all = [...r.out, ...r.err].join('\n');
  assert.not.match(all, /internal error|\n\s+at \S+ \(/, `${all}\n--- input ---\n${text}`);
  if (r.code === 0) return;
  assert.is(r.code, 1, `${all}\n--- input ---\n${text}`);
  const lines = r.err.filter((l) => !/^\d+ problems?(?: and \d+ warnings?)? in fleet\.yaml$/.test(l));
  assert.ok(lines.length > 0, text);
  for (const line of lines) assert.match(line, LOCATED, `${line}\n--- input ---\n${text}`);
}

test(`validate: ${RUNS} mutated fleets answer with a valid fleet or located errors`, async () => {
  const dir = tempProject();
  await fc.assert(
    fc.asyncProperty(fleetText, async (text) => {
      writeFileSync(join(dir, 'fleet.yaml'), text);
      assertAnswer(await run(dir, 'validate'), text);
    }),
    { numRuns: RUNS },
  );
});

test(`render: ${Math.round(RUNS / 10)} mutated fleets render, or fail with located errors and write nothing`, async () => {
  const dir = tempProject();
  await fc.assert(
    fc.asyncProperty(fleetText, async (text) => {
      const out = mkdtempSync(join(dir, 'out-'));
      writeFileSync(join(dir, 'fleet.yaml'), text);
      const r = await run(dir, 'render', '--out', join(out, 'dist'), '--clusters', join(out, 'clusters'));
      assertAnswer(r, text);
      if (r.code !== 0)
        assert.not.ok(existsSync(join(out, 'dist')) || existsSync(join(out, 'clusters')), 'wrote on failure');
      rmSync(out, { recursive: true, force: true });
    }),
    { numRuns: Math.round(RUNS / 10) },
  );
  assert.is((Object.prototype as Record<string, unknown>).polluted, undefined);
});

test.run();
