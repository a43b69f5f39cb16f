// A small run of `npm run bench` (10 clusters, 1 run) so that the benchmark cannot rot. No timing assertions:
// only that every figure is there, has the right shape, and that the no-op render wrote nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { runBench, writeReport } from '../scripts/bench.ts';
import { fleetYaml, SHAPES, TLS_MODES } from '../scripts/bench/fleets.ts';
import { COLUMNS, nodeStartLine, table } from '../scripts/bench/report.ts';
import { compileFleet } from '../src/compile.ts';
import { tempDir } from './support/temp.ts';

const report = runBench({ sizes: [10], runs: 1 });

test('the synthetic fleets are valid at every size, 511 included', () => {
  for (const shape of SHAPES) {
    for (const tls of TLS_MODES) {
      for (const size of [10, 511]) {
        const { diagnostics } = compileFleet('fleet.yaml', Buffer.from(fleetYaml({ shape, tls, size })));
        assert.equal(
          diagnostics.map((d) => d.message),
          [],
          `${shape} ${tls} ${size}`,
        );
      }
    }
  }
});

test('a hub-and-spoke fleet has hubs with many spokes; a full mesh connects everyone', () => {
  const hub = parse(fleetYaml({ shape: 'hub-and-spoke', tls: 'shared-ca', size: 255 }));
  assert.is(hub.clusters.filter((c: { role: string }) => c.role === 'storage').length, 4);
  const mesh = parse(fleetYaml({ shape: 'full-mesh', tls: 'shared-ca', size: 511 }));
  assert.is(mesh.topology, 'full-mesh');
  assert.is(mesh.cilium.maxConnectedClusters, 511);
});

test('one result per shape and TLS mode, with every figure', () => {
  assert.equal(report.results.map((r) => `${r.shape} ${r.tls} ${r.clusters}`).sort(), [
    'full-mesh per-cluster-ca 10',
    'full-mesh shared-ca 10',
    'hub-and-spoke per-cluster-ca 10',
    'hub-and-spoke shared-ca 10',
  ]);
  for (const r of report.results) {
    assert.ok(r.files > 10 && r.bytes > 1000, `${r.case} wrote ${r.files} files, ${r.bytes} bytes`);
    for (const t of [r.validate, r.cold, r.noop, r.floor]) {
      assert.is(t.runs.length, 1);
      assert.ok(t.median > 0 && t.cpuMedian > 0 && t.peakRssMiB > 10, `${r.case}: ${JSON.stringify(t)}`);
    }
    assert.ok(r.ratio > 0 && r.secondsPerMB > 0);
    assert.is(r.noopFilesWritten, 0, `${r.case}: a no-op render wrote files`);
  }
});

test('the machine is described: cores, memory, Node version', () => {
  assert.ok(report.machine.cores >= 1);
  assert.ok(report.machine.memoryGiB > 0);
  assert.is(report.machine.node, process.version);
  assert.is(report.runs, 1);
});

test("Node's own start is reported, and which of the caller's variables the measured processes did not get", () => {
  assert.ok(report.nodeStart.seconds > 0 && report.nodeStart.callerEnvSeconds > 0);
  for (const name of report.nodeStart.removedFromEnv) assert.ok(process.env[name] !== undefined, name);
});

test('the table has a header, a rule and a row per result; the JSON and Markdown files hold the same figures', () => {
  const lines = table(report.results).split('\n');
  assert.is(lines.length, 2 + report.results.length);
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  assert.equal(cells(lines[0]), [...COLUMNS]);
  for (const line of lines.slice(2)) assert.is(cells(line).length, COLUMNS.length);

  const dir = tempDir('meshfleet-bench-test-');
  const files = { json: join(dir, 'results.json'), markdown: join(dir, 'BENCHMARKS.md') };
  writeReport(report, files);
  assert.equal(JSON.parse(readFileSync(files.json, 'utf8')), JSON.parse(JSON.stringify(report)));
  const md = readFileSync(files.markdown, 'utf8');
  assert.ok(md.includes(table(report.results)), 'BENCHMARKS.md holds the table');
  assert.ok(md.includes(nodeStartLine(report.nodeStart)), "and Node's own start");
  assert.ok(md.includes(`${report.machine.cores} cores`) && md.includes(`Node ${process.version}`), 'and the machine');
});

test.run();
