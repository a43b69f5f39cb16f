import { byteOrder } from './model/byte-order.ts';

/** A path into the fleet document: map keys and sequence indexes, e.g. ['clusters', 3, 'id']. */
export type FieldPath = readonly (string | number)[];

/**
 * An error refuses the fleet; a warning is printed and the fleet goes on (a fleet that works today but will not, or
 * may not, work as written), unless `--strict` makes it an error.
 */
export type Severity = 'error' | 'warning';

/** One problem with the input, before it is given a file position. */
export interface Problem {
  readonly path: FieldPath;
  readonly message: string;
  /** Point at the key of `path` rather than its value (e.g. an unknown field). @default false */
  readonly atKey?: boolean;
  /** @default 'error' */
  readonly severity?: Severity;
  /**
   * Fields whose absence this problem is about (`clusters[3].environment`): left out when a misspelt key next to
   * them (`enviroment`) is reported, as its knock-on.
   */
  readonly missing?: readonly FieldPath[];
  /** For an unknown key: the known field it most likely meant, where that field would be. */
  readonly meant?: FieldPath;
  /** Found by the JSON Schema: a rule's message about the same field says more, and replaces it. */
  readonly fromSchema?: boolean;
}

/** A problem located in a file: printed as `file:line:col: message`. */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
  /** @default 'error' */
  readonly severity?: Severity;
}

const USER_ERROR = Symbol.for('meshfleet.UserError');

/** An error that is the user's to fix: the CLI prints its lines without a stack and exits 1. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'UserError';
    (this as Record<symbol, unknown>)[USER_ERROR] = true;
  }

  // Commands are loaded with dynamic import(); under a CommonJS test loader (uvu -r tsx) this module can then
  // exist twice, and a plain prototype check would turn a user's error into an internal one with a stack.
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[USER_ERROR] === true;
  }
}

/** `clusters[3].id`: how a path reads in a message. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(document)' : out;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

/** What `--strict` makes of a warning: the same diagnostic, refusing the fleet. */
export function asError(d: Diagnostic): Diagnostic {
  return d.severity === 'warning' ? { file: d.file, line: d.line, col: d.col, message: d.message } : d;
}

/** Sort by position so that output reads top to bottom and is stable. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return byteOrder(a.file, b.file) || a.line - b.line || a.col - b.col || byteOrder(a.message, b.message);
}
