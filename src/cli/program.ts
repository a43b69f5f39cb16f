import { Command, type CommanderError, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { COMMANDS, FILE_ARGUMENT, type CommandEntry } from './command-table.ts';
import type { Io } from './io.ts';

const EPILOG = `
FILE defaults to fleet.yaml, --out to dist, --clusters to clusters (all relative to the current folder).
Warnings print as FILE:LINE:COL: warning: ... and keep exit 0; --strict makes them errors (exit 1), for CI.
Exit codes: 0 success, 1 invalid input or stale output, 2 wrong usage.
\`meshfleet help COMMAND\` or \`meshfleet COMMAND --help\` shows a command's flags.`;

/** Where a command's exit code goes: commander's actions return nothing, so the code is kept here. */
interface Outcome {
  code: number;
}

/**
 * The whole CLI as a commander program, built afresh for each run so that runs in one process (the tests) share
 * nothing. Help, version and usage errors never reach a command: they come back as a CommanderError.
 */
export function buildProgram(io: Io, outcome: Outcome): Command {
  const program = new Command('meshfleet')
    .description('compile a fleet file into per-cluster GitOps manifests for Cilium Cluster Mesh')
    .version(pkg.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show the usage')
    .helpCommand('help [command]', 'show the usage of a command')
    .addHelpText('after', EPILOG)
    // One located line, then where to look: the whole usage would push the line itself off the screen.
    .showHelpAfterError('(add --help for the usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
      outputError: (text, write) => write(text.replace(/^error: /, 'meshfleet: ')),
    });
  for (const entry of COMMANDS) addCommand(program, entry, io, outcome);
  return program;
}

function addCommand(parent: Command, entry: CommandEntry, io: Io, outcome: Outcome): void {
  const command = parent.command(entry.name).description(entry.summary);
  for (const o of entry.options ?? []) {
    const option = new Option(o.flags, o.description);
    if (o.choices) option.choices(o.choices);
    if (o.default !== undefined) option.default(o.default);
    if (o.repeatable) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    command.addOption(option);
  }
  if (entry.subcommands) {
    for (const sub of entry.subcommands) addCommand(command, sub, io, outcome);
    return;
  }
  const run = entry.run;
  if (!run) throw new Error(`command ${entry.name} has neither run nor subcommands`);
  const argument = entry.argument ?? FILE_ARGUMENT;
  command
    .argument(`[${argument.name}]`, argument.description, argument.default)
    .action(async (value: string, options: Record<string, never>) => {
      outcome.code = await run(io, { argument: value, options });
    });
}

/** The exit code for what commander stopped at: help or version asked for (0), or wrong usage (2). */
export function commanderExitCode(e: CommanderError): number {
  return e.exitCode === 0 ? 0 : 2;
}
