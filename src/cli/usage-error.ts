const USAGE_ERROR = Symbol.for('meshfleet.UsageError');

/** Wrong usage of the CLI (an unknown flag or value): main prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
    (this as Record<symbol, unknown>)[USAGE_ERROR] = true;
  }

  /** By its mark, not by class: a module loaded twice (a test runner's loader, a bundle's chunk) has two classes. */
  static is(e: unknown): e is UsageError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[USAGE_ERROR] === true;
  }

  // Thrown from commands loaded with dynamic import(), where this module can exist twice (diagnostics.ts: UserError).
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[USAGE_ERROR] === true;
  }
}
