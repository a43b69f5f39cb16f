import { isAbsolute, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../diagnostics.ts';
import type { Io } from './io.ts';
import { UsageError } from './usage-error.ts';

const USAGE = `meshfleet: compile a fleet file into per-cluster GitOps manifests for Cilium Cluster Mesh

Usage:
  meshfleet validate [FILE] [--format text|github] [--strict]
  meshfleet render   [FILE] [--out DIR] [--clusters DIR] [--vault DIR] [--check] [--strict]
  meshfleet diff     [FILE] [--base REF] [--format text|markdown] [--out DIR] [--clusters DIR]
  meshfleet graph    [FILE] [--format markdown|mermaid]
  meshfleet dns plan|apply [FILE] [--endpoint URL] [--region REGION] [--json] [--detailed-exitcode]
  meshfleet status   [FILE] [--context TEMPLATE] [--kubeconfig PATH] [--json] [--wait DURATION] [--cluster NAME]...

FILE defaults to fleet.yaml, --out to dist, --clusters to clusters, --vault to vault (all relative to the current folder).
diff compares the rendered output of FILE at REF (default: the merge base with main or master) with the working tree.
Warnings print as FILE:LINE:COL: warning: ... and keep exit 0; --strict makes them errors (exit 1), for CI.
Exit codes: 0 success, 1 invalid input or stale output, 2 wrong usage.`;

function defaultIo(): Io {
  return {
    cwd: process.cwd(),
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}

/** The whole CLI: argv in, exit code out. Only bin/meshfleet.mjs touches process.argv and the exit code. */
export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'validate': {
        const { values, positionals } = parse(rest, { format: { type: 'string' }, strict: { type: 'boolean' } }, 1);
        // Each command loads only what it needs: validate must not pay for cdk8s, nor render for the AWS SDK.
        const { parseFormat, validateCommand } = await import('./commands/validate.ts');
        return validateCommand(io, { file: positionals[0] ?? 'fleet.yaml', format: parseFormat(values.format as string | undefined), strict: values.strict === true });
      }
      case 'render': {
        const { values, positionals } = parse(rest, { out: { type: 'string' }, clusters: { type: 'string' }, vault: { type: 'string' }, check: { type: 'boolean' }, strict: { type: 'boolean' } }, 1);
        const { renderCommand } = await import('./commands/render.ts');
        return await renderCommand(io, {
          file: positionals[0] ?? 'fleet.yaml', ...outputFolders(values, io.cwd), vault: values.vault as string | undefined, check: values.check === true, strict: values.strict === true,
        });
      }
      case 'dns': {
        const [sub, ...dnsArgs] = rest;
        if (sub !== 'plan' && sub !== 'apply') throw new UsageError(`dns needs "plan" or "apply", not ${JSON.stringify(sub ?? '')}`);
        const { values, positionals } = parse(dnsArgs, {
          endpoint: { type: 'string' }, region: { type: 'string' }, json: { type: 'boolean' }, 'detailed-exitcode': { type: 'boolean' },
        }, 1);
        const { dnsCliCommand } = await import('./commands/dns.ts');
        return await dnsCliCommand(io, {
          sub,
          file: positionals[0] ?? 'fleet.yaml',
          endpoint: values.endpoint as string | undefined,
          region: values.region as string | undefined,
          json: values.json === true,
          detailedExitcode: values['detailed-exitcode'] === true,
        });
      }
      case 'diff': {
        const { values, positionals } = parse(rest, {
          base: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, clusters: { type: 'string' },
        }, 1);
        const { diffCommand, parseDiffFormat } = await import('./commands/diff.ts');
        return diffCommand(io, {
          file: positionals[0] ?? 'fleet.yaml',
          base: values.base as string | undefined,
          format: parseDiffFormat(values.format as string | undefined),
          ...outputFolders(values, io.cwd),
        });
      }
      case 'graph': {
        const { values, positionals } = parse(rest, { format: { type: 'string' } }, 1);
        const { graphCommand, parseGraphFormat } = await import('./commands/graph.ts');
        return graphCommand(io, { file: positionals[0] ?? 'fleet.yaml', format: parseGraphFormat(values.format as string | undefined) });
      }
      case 'status': {
        const { values, positionals } = parse(rest, {
          context: { type: 'string' }, kubeconfig: { type: 'string' }, json: { type: 'boolean' }, wait: { type: 'string' },
          interval: { type: 'string' }, cluster: { type: 'string', multiple: true }, concurrency: { type: 'string' }, timeout: { type: 'string' },
          dns: { type: 'boolean' }, endpoint: { type: 'string' }, region: { type: 'string' },
        }, 1);
        if (values.help === true) {
          io.out((await import('../status/help.ts')).STATUS_HELP);
          return 0;
        }
        const status = await import('./commands/status.ts');
        const flag = <T>(f: () => T): T => {
          try {
            return f();
          } catch (e) {
            throw e instanceof status.StatusUsageError ? new UsageError(e.message) : e;
          }
        };
        const d = status.STATUS_DEFAULTS;
        const context = (values.context as string | undefined) ?? d.context;
        flag(() => status.checkContextTemplate(context));
        return await status.statusCommand(io, {
          file: positionals[0] ?? 'fleet.yaml',
          context,
          kubeconfig: values.kubeconfig as string | undefined,
          json: values.json === true,
          waitMs: values.wait === undefined ? undefined : flag(() => status.parseDuration('wait', values.wait as string)),
          intervalMs: flag(() => status.parseDuration('interval', (values.interval as string | undefined) ?? d.interval)),
          clusters: ((values.cluster ?? []) as unknown as string[]).flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean),
          concurrency: flag(() => status.parseCount('concurrency', (values.concurrency as string | undefined) ?? String(d.concurrency))),
          timeoutMs: flag(() => status.parseDuration('timeout', (values.timeout as string | undefined) ?? d.timeout)),
          dns: values.dns === true,
          endpoint: values.endpoint as string | undefined,
          region: values.region as string | undefined,
        });
      }
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`meshfleet: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof UserError) {
      io.err(`meshfleet: ${e.message}`);
      return 1;
    }
    // A fault of meshfleet itself: the stack is for whoever fixes it.
    io.err(`meshfleet: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return 70;
  }
}

/**
 * --out and --clusters, which must not overlap: each folder in --out is a cluster's output, replaced or removed whole,
 * so entry points inside it (or output inside the entry points' folder) would be taken for clusters that left.
 */
function outputFolders(values: Record<string, string | boolean | undefined>, cwd: string): { out: string; clusters: string } {
  const out = (values.out as string | undefined) ?? 'dist';
  const clusters = (values.clusters as string | undefined) ?? 'clusters';
  const inside = (inner: string, outer: string) => {
    const rel = relative(resolve(cwd, outer), resolve(cwd, inner));
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  };
  if (inside(clusters, out) || inside(out, clusters)) {
    throw new UsageError(`--out ${out} and --clusters ${clusters} overlap: give the rendered output and the GitOps entry points a folder each`);
  }
  return { out, clusters };
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse(args: string[], options: Options, maxPositionals: number): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  if (parsed.positionals.length > maxPositionals) throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`);
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}
