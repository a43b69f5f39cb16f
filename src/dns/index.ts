/** Public surface of `meshfleet dns`: the CLI calls dnsCommand; the stages are exported for tests and reuse. */
export { dnsCommand, validateSpec, type DnsSubcommand } from './command.ts';
export { discoverTargets, needsLookup, STACK_TAG, CLUSTER_TAG, CLUSTERMESH_STACK, TAGS_BATCH } from './discover.ts';
export { readZone, toZoneRecord } from './zone.ts';
export { planChanges, summarize, summaryLine, formatTable, inSync, typesFor, OWNERSHIP_TTL } from './plan.ts';
export { applyChanges, batchChanges, waitInSync, ApplyError, ROUTE53_LIMITS, type Batch, type AppliedBatch } from './apply.ts';
export { ownershipValue, parseOwnershipValue, HERITAGE } from './ownership.ts';
export { withRetry, isRetryable, formatAwsError, DEFAULT_RETRY, type RetryPolicy } from './retry.ts';
export type * from './types.ts';
