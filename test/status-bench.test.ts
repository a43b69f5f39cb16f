// The `meshfleet status` case of the benchmark, run small so that it cannot rot. No timing assertions: only that the
// built CLI checks every cluster, finds them healthy, and never queries more clusters at once than --concurrency.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measureStatus } from '../scripts/bench/status.ts';
import { REPO } from './support/cli.ts';

test('status keeps to its bound on concurrency, and a healthy fleet passes', async () => {
  const r = await measureStatus({
    size: 12,
    concurrency: 3,
    latencyMs: 5,
    runs: 1,
    cli: join(REPO, 'bin', 'meshfleet.mjs'),
  });
  assert.equal(r.exitCodes, [0]);
  assert.ok(r.maxClustersInFlight <= 3, `${r.maxClustersInFlight} clusters at once`);
  // The bound is used, not just respected: several clusters are queried at once.
  assert.ok(r.maxClustersInFlight > 1);
  assert.is(r.seconds.length, 1);
});

test.run();
