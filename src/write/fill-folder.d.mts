export declare function fillFolder(
  folder: string,
  files: Iterable<readonly [string, string | Uint8Array | readonly Uint8Array[]]>,
): void;
