// `npm run bench:status`: how long `meshfleet status` takes on a large fleet against the tests' fake Kubernetes API,
// and that it keeps to its bound on concurrency. Build first (`npm run build`): it runs bin/meshfleet.mjs.
//
//   npm run bench:status                                    100 clusters, --concurrency 16, 3 runs
//   npm run bench:status -- --sizes 10,100,255 --concurrency 32 --latency 50 --runs 5
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureStatus, statusLine, type StatusBenchResult } from './bench/status.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    sizes: { type: 'string' },
    concurrency: { type: 'string' },
    latency: { type: 'string' },
    runs: { type: 'string' },
    json: { type: 'string' },
    cli: { type: 'string' },
  },
});
const results: StatusBenchResult[] = [];
for (const size of (values.sizes ?? '100').split(',').map(Number)) {
  const r = await measureStatus({
    size,
    concurrency: values.concurrency ? Number(values.concurrency) : undefined,
    latencyMs: values.latency ? Number(values.latency) : undefined,
    runs: values.runs ? Number(values.runs) : undefined,
    cli: values.cli ?? join(root, 'bin', 'meshfleet.mjs'),
  });
  console.log(statusLine(r));
  results.push(r);
}
writeFileSync(
  values.json ?? 'bench-status-results.json',
  `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`,
);
