export declare function filesDigest(
  files: Iterable<readonly [string, string | Uint8Array | readonly Uint8Array[]]>,
): string;
export declare function sortedFilesDigest(
  files: Iterable<readonly [string, string | Uint8Array | readonly Uint8Array[]]>,
): string;
