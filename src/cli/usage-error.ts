/** Wrong usage found after parsing, like flags that contradict each other or a malformed value: exit 2. */
export class UsageError extends Error {}
