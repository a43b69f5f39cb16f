import { isAbsolute, relative, resolve, sep } from 'node:path';
import { parseDuration } from './duration.ts';
import type { Io } from './io.ts';
import { UsageError } from './usage-error.ts';

/** One flag of a command, as the help shows it. */
export interface OptionEntry {
  /** Commander's spelling: `--out <dir>` takes a value, `--check` is a switch. */
  readonly flags: string;
  readonly description: string;
  /** The only values accepted; anything else is a usage error (exit 2) before the command runs. */
  readonly choices?: readonly string[];
  /** Shown in the help and used when the flag is absent. */
  readonly default?: string;
  /** The flag may be given more than once; the command gets every value, in order. */
  readonly repeatable?: boolean;
}

/** The one optional argument a command takes. */
export interface ArgumentEntry {
  readonly name: string;
  readonly description: string;
  readonly default: string;
}

/** The fleet file, which most commands read. */
export const FILE_ARGUMENT: ArgumentEntry = { name: 'file', description: 'the fleet file', default: 'fleet.yaml' };

/** What a command's `run` is given: its argument (FILE unless it says otherwise) and its flags, by camelCase names. */
export interface CommandInput {
  readonly argument: string;
  readonly options: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
}

/** One command of the CLI: adding a command is adding one of these to COMMANDS. */
export interface CommandEntry {
  /** The name, e.g. `render`; every command takes an optional FILE (default fleet.yaml). */
  readonly name: string;
  /** One line for the command list and the top of its help. */
  readonly summary: string;
  /** @default FILE_ARGUMENT */
  readonly argument?: ArgumentEntry;
  readonly options?: readonly OptionEntry[];
  /** Commands below this one (`dns plan`); a command has either these or `run`. */
  readonly subcommands?: readonly CommandEntry[];
  /**
   * Runs the command and returns its exit code. Each loads its module on demand, so that `validate` never pays for
   * cdk8s, nor `render` for the AWS SDK.
   */
  readonly run?: (io: Io, input: CommandInput) => Promise<number> | number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const OUTPUT_FOLDERS: readonly OptionEntry[] = [
  { flags: '--out <dir>', description: 'folder of the rendered output', default: 'dist' },
  { flags: '--clusters <dir>', description: 'folder of the GitOps entry points', default: 'clusters' },
];

const DNS_OPTIONS: readonly OptionEntry[] = [
  { flags: '--endpoint <url>', description: 'AWS endpoint instead of the real one (a test or local stand-in)' },
  { flags: '--region <region>', description: 'AWS region (default: $AWS_REGION or $AWS_DEFAULT_REGION)' },
  { flags: '--timeout <duration>', description: 'give up after this long, e.g. 90s, 10m', default: '10m' },
  { flags: '--json', description: 'the plan or result as JSON on stdout; progress on stderr' },
  { flags: '--detailed-exitcode', description: 'exit 2 when changes are pending (plan)' },
];

function dnsEntry(sub: 'plan' | 'apply', summary: string): CommandEntry {
  return {
    name: sub,
    summary,
    options: DNS_OPTIONS,
    run: async (io, { argument: file, options: o }) => {
      const { dnsCliCommand } = await import('./commands/dns.ts');
      return dnsCliCommand(io, {
        sub,
        file,
        endpoint: str(o.endpoint),
        region: str(o.region),
        json: o.json === true,
        detailedExitcode: o.detailedExitcode === true,
        timeoutMs: parseDuration('--timeout', str(o.timeout) ?? '10m'),
      });
    },
  };
}

/** Every command of the CLI, in the order the help lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'init',
    summary: 'scaffold a fleet repository: fleet.yaml, .gitignore, a GitHub workflow, a README',
    argument: { name: 'dir', description: 'the repository folder, created if missing', default: '.' },
    run: async (io, { argument: dir }) => (await import('./commands/init.ts')).initCommand(io, { dir }),
  },
  {
    name: 'validate',
    summary: 'check the fleet file; problems print as FILE:LINE:COL',
    options: [
      {
        flags: '--format <format>',
        description: 'how problems print (github: workflow annotations)',
        choices: ['text', 'github'],
        default: 'text',
      },
      { flags: '--strict', description: 'warnings are errors (exit 1), for CI' },
    ],
    run: async (io, { argument: file, options: o }) => {
      const { validateCommand } = await import('./commands/validate.ts');
      return validateCommand(io, { file, format: o.format as 'text' | 'github', strict: o.strict === true });
    },
  },
  {
    name: 'render',
    summary: "write each cluster's manifests and GitOps entry point",
    options: [
      ...OUTPUT_FOLDERS,
      { flags: '--vault <dir>', description: "where each cluster's Vault policy and role go (default: vault)" },
      { flags: '--check', description: 'write nothing; exit 1 when the output is not what the fleet renders' },
      { flags: '--strict', description: 'warnings are errors: nothing is rendered (exit 1)' },
    ],
    run: async (io, { argument: file, options: o }) => {
      const { renderCommand } = await import('./commands/render.ts');
      return renderCommand(io, {
        file,
        ...outputFolders(o, io.cwd),
        vault: str(o.vault),
        check: o.check === true,
        strict: o.strict === true,
      });
    },
  },
  {
    name: 'status',
    summary: 'the running clusters held against the fleet file, one row per cluster',
    options: [
      {
        flags: '--context <template>',
        description:
          "kubeconfig context per cluster, a name template ({{cluster}}, {{id}}, {{role}}, {{application}}, {{environment}}, {{zone}}, {{fleet}}); a cluster's kubeContext wins",
        default: '{{cluster}}',
      },
      { flags: '--kubeconfig <path>', description: 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)' },
      { flags: '--json', description: 'one JSON document on stdout, for machines' },
      {
        flags: '--wait <duration>',
        description: 'look again until everything matches or the duration (30s, 10m, 1h) has passed: a readiness gate',
      },
      { flags: '--interval <duration>', description: 'time between looks with --wait', default: '10s' },
      {
        flags: '--cluster <name>',
        description: 'only this cluster (repeat, or separate names with commas)',
        repeatable: true,
      },
      { flags: '--concurrency <n>', description: 'clusters queried at once', default: '16' },
      {
        flags: '--timeout <duration>',
        description: 'per request to an API server (and to AWS with --dns)',
        default: '10s',
      },
      {
        flags: '--argocd-context <name>',
        description: 'Argo CD fleets: the context of the cluster Argo CD runs in (default: the current context)',
      },
      {
        flags: '--dns',
        description:
          'also check each endpoint name in Route 53 with the lookups of `meshfleet dns plan` (AWS credentials)',
      },
      {
        flags: '--endpoint <url>',
        description: 'AWS endpoint instead of the real one, with --dns (a test or local stand-in)',
      },
      {
        flags: '--region <region>',
        description: 'AWS region, with --dns (default: $AWS_REGION or $AWS_DEFAULT_REGION)',
      },
      {
        flags: '--rbac',
        description: "print the read-only ClusterRole and Roles this fleet's status needs; query nothing",
      },
    ],
    run: async (io, { argument: file, options: o }) => {
      const status = await import('./commands/status.ts');
      // Every flag with a default has it from the table above (commander fills it in).
      const context = String(o.context);
      status.checkContextTemplate(context);
      return status.statusCommand(io, {
        file,
        context,
        kubeconfig: str(o.kubeconfig),
        json: o.json === true,
        waitMs: o.wait === undefined ? undefined : parseDuration('--wait', String(o.wait)),
        intervalMs: parseDuration('--interval', String(o.interval)),
        clusters: ((o.cluster as string[] | undefined) ?? [])
          .flatMap((c) => c.split(','))
          .map((c) => c.trim())
          .filter(Boolean),
        concurrency: status.parseCount('--concurrency', String(o.concurrency)),
        timeoutMs: parseDuration('--timeout', String(o.timeout)),
        dns: o.dns === true,
        endpoint: str(o.endpoint),
        region: str(o.region),
        argocdContext: str(o.argocdContext),
        rbac: o.rbac === true,
      });
    },
  },
  {
    name: 'diff',
    summary: 'what the change to the fleet file changes in the rendered output',
    options: [
      { flags: '--base <ref>', description: 'git ref to compare with (default: the merge base with main or master)' },
      {
        flags: '--format <format>',
        description: 'markdown: for a pull request comment',
        choices: ['text', 'markdown'],
        default: 'text',
      },
      ...OUTPUT_FOLDERS,
    ],
    run: async (io, { argument: file, options: o }) => {
      const { diffCommand } = await import('./commands/diff.ts');
      return diffCommand(io, {
        file,
        base: str(o.base),
        format: o.format as 'text' | 'markdown',
        ...outputFolders(o, io.cwd),
      });
    },
  },
  {
    name: 'graph',
    summary: 'the mesh as a Mermaid diagram',
    options: [
      {
        flags: '--format <format>',
        description: 'markdown: fenced, for a README or comment',
        choices: ['markdown', 'mermaid'],
        default: 'markdown',
      },
    ],
    run: async (io, { argument: file, options: o }) => {
      const { graphCommand } = await import('./commands/graph.ts');
      return graphCommand(io, { file, format: o.format as 'markdown' | 'mermaid' });
    },
  },
  {
    name: 'dns',
    summary: 'the mesh endpoint names in Route 53',
    subcommands: [
      dnsEntry('plan', 'show what apply would change in the hosted zone'),
      dnsEntry('apply', 'create, update and delete the records meshfleet owns; wait until Route 53 has them'),
    ],
  },
];

/**
 * --out and --clusters, which must not overlap: each folder in --out is a cluster's output, replaced or removed whole,
 * so entry points inside it (or output inside the entry points' folder) would be taken for clusters that left.
 */
function outputFolders(o: CommandInput['options'], cwd: string): { out: string; clusters: string } {
  const out = str(o.out) ?? 'dist';
  const clusters = str(o.clusters) ?? 'clusters';
  const inside = (inner: string, outer: string) => {
    const rel = relative(resolve(cwd, outer), resolve(cwd, inner));
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  };
  if (inside(clusters, out) || inside(out, clusters)) {
    throw new UsageError(
      `--out ${out} and --clusters ${clusters} overlap: give the rendered output and the GitOps entry points a folder each`,
    );
  }
  return { out, clusters };
}
