export declare function filesDigest(files: Iterable<readonly [string, string | Uint8Array | readonly Uint8Array[]]>): string;
