export declare const HELM_VERSION: string;
/** The path of a Helm binary, or why there is none here. */
export declare function helmPath(): Promise<{ readonly path?: string; readonly why?: string }>;
