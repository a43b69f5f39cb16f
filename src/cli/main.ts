import { CommanderError } from 'commander';
import { UserError } from '../diagnostics.ts';
import { processIo, type Io } from './io.ts';
import { buildProgram, commanderExitCode } from './program.ts';
import { UsageError } from './usage-error.ts';

/** The whole CLI: argv in, exit code out. Only bin/meshfleet.mjs touches process.argv and the exit code. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const outcome = { code: 0 };
  try {
    await buildProgram(io, outcome).parseAsync([...argv], { from: 'user' });
    return outcome.code;
  } catch (e) {
    if (e instanceof CommanderError) return commanderExitCode(e);
    if (UsageError.is(e)) {
      io.err(`meshfleet: ${e.message}`);
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
