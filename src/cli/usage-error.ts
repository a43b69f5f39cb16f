/** Wrong usage found after parsing, like flags that contradict each other or a malformed value: exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  /** By name, not by class: a module loaded twice (a test runner's loader, a bundle's chunk) has two classes. */
  static is(e: unknown): e is UsageError {
    return e instanceof Error && e.name === 'UsageError';
  }
}
