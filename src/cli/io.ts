/** What a command may touch of the outside world, passed in so that tests can run commands in-process. */
export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  out(line: string): void;
  err(line: string): void;
}

/**
 * The terminal. A reader that goes away (`meshfleet diff | head`) closes the pipe: later writes are dropped instead of
 * raising EPIPE, and the command runs to its end as if it had been read, so that a render or a DNS apply is never
 * cut off halfway by whoever reads its messages.
 */
export function processIo(): Io {
  const write = (stream: NodeJS.WriteStream) => {
    let closed = false;
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      closed = true;
    });
    return (line: string) => {
      if (!closed) stream.write(`${line}\n`);
    };
  };
  return { cwd: process.cwd(), env: process.env, out: write(process.stdout), err: write(process.stderr) };
}
