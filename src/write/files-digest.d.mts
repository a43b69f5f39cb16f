export declare function filesDigest(files: Iterable<readonly [string, string]>): string;
