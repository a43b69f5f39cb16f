/** The minor of a Cilium `1.<minor>.<patch>` version, which decides which chart values and defaults apply. */
export function ciliumMinor(version: string): number | undefined {
  const m = /^1\.(\d+)\./.exec(version);
  return m ? Number(m[1]) : undefined;
}
