import type { Io } from '../io.ts';
export function initCommand(io: Io, args: { dir: string }): number { io.err(args.dir); return 1; }
