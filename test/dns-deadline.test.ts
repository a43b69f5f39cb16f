// `meshfleet dns` never hangs: per-call timeouts, an overall --timeout, setup problems named with their fix.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dnsCommand, type DnsSpec } from '../src/dns/index.ts';
import { REPO, run, workspace } from './support/cli.ts';
import { clustermeshLoadBalancer, FakeAws, useFakeCredentials } from './support/fake-aws.ts';

useFakeCredentials();

/** A server that accepts every connection and never answers. */
async function silentServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const SPEC: DnsSpec = {
  fleet: 'f',
  hostedZoneId: 'Z1',
  zone: 'mesh.example.internal',
  ipFamily: 'ipv4',
  endpoints: [
    { cluster: 'a', fqdn: 'a.mesh.example.internal', target: { dnsName: 'lb.example.com', hostedZoneId: 'Z2' } },
  ],
};

test('against a server that never answers, --timeout ends the command with one line saying so', async () => {
  const server = await silentServer();
  try {
    for (const sub of ['plan', 'apply']) {
      const r = await run(
        workspace(),
        'dns',
        sub,
        '--endpoint',
        server.url,
        '--region',
        'eu-central-1',
        '--timeout',
        '1s',
      );
      assert.is(r.code, 1, sub);
      assert.equal(r.out, [], sub);
      assert.match(r.err.at(-1)!, /^error: no result within 1s: gave up \(--timeout 1s\)/, sub);
    }
  } finally {
    await server.stop();
  }
});

test('each call has a request timeout: a silent server is a retried TimeoutError, reported on stderr', async () => {
  const server = await silentServer();
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await dnsCommand('plan', SPEC, {
      endpoint: server.url,
      region: 'eu-central-1',
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      tuning: { requestTimeoutMs: 100, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    assert.is(code, 1);
    assert.ok(
      err.some((l) => /ListResourceRecordSets: TimeoutError, retrying/.test(l)),
      err.join('\n'),
    );
    assert.match(err.at(-1)!, /^error: reading hosted zone Z1: TimeoutError/);
  } finally {
    await server.stop();
  }
});

/** Runs `fn` with the AWS variables unset, as on a machine without AWS setup. */
async function withoutAws<T>(names: string[], fn: () => Promise<T>): Promise<T> {
  const saved = names.map((n) => [n, process.env[n]] as const);
  for (const n of names) delete process.env[n];
  try {
    return await fn();
  } finally {
    for (const [n, v] of saved) if (v !== undefined) process.env[n] = v;
  }
}

test('no region and no credentials are named with the flag or variables that fix them', async () => {
  const err: string[] = [];
  const opts = {
    endpoint: 'http://127.0.0.1:9',
    out: () => {},
    err: (l: string) => err.push(l),
    tuning: { maxAttempts: 1 },
  };
  assert.is(await withoutAws(['AWS_REGION', 'AWS_DEFAULT_REGION'], () => dnsCommand('plan', SPEC, opts)), 1);
  assert.equal(err, ['error: no AWS region: pass --region REGION or set AWS_REGION']);
  err.length = 0;
  assert.is(
    await withoutAws(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'], () =>
      dnsCommand('plan', SPEC, { ...opts, region: 'eu-central-1' }),
    ),
    1,
  );
  assert.equal(err, [
    'error: no AWS credentials: set AWS_PROFILE to a profile of ~/.aws/config, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
  ]);
});

test('waiting for INSYNC is progress on stderr; stdout holds the plan and the result', async () => {
  const fake = new FakeAws();
  fake.addZone('Z1', 'mesh.example.internal', []);
  const url = await fake.start();
  try {
    const out: string[] = [];
    const err: string[] = [];
    const code = await dnsCommand('apply', SPEC, {
      endpoint: url,
      region: 'eu-central-1',
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      tuning: { pollIntervalMs: 1 },
    });
    assert.is(code, 0, err.join('\n'));
    assert.ok(
      err.some((l) => /INSYNC after/.test(l)),
      err.join('\n'),
    );
    assert.not.ok(
      out.some((l) => /INSYNC|waiting for|submitted/.test(l)),
      out.join('\n'),
    );
  } finally {
    await fake.stop();
  }
});

test("the built CLI does not show the AWS SDK's Node version warning", async () => {
  const fake = new FakeAws();
  fake.addZone('Z04482502EXAMPLE', 'cluster-mesh.sneaksanddata.internal', []);
  fake.loadBalancers = ['data-bolt', 'airflow-production-1'].map((c, i) => clustermeshLoadBalancer(c, i + 1));
  const url = await fake.start();
  try {
    const dir = workspace();
    const r = await new Promise<{ stderr: string }>((resolve) => {
      // spawnSync would block the fake server in this process: run the CLI asynchronously.
      import('node:child_process').then(({ execFile }) =>
        execFile(
          process.execPath,
          [join(REPO, 'bin/meshfleet.mjs'), 'dns', 'plan', '--endpoint', url],
          { cwd: dir, env: process.env },
          (_e, _o, stderr) => resolve({ stderr }),
        ),
      );
    });
    assert.not.match(r.stderr, /NodeVersionSupportWarning|Warning/);
  } finally {
    await fake.stop();
  }
});

test.run();
