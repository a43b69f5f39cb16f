/** Public surface of `meshfleet dns`: the CLI calls dnsCommand; the steps are exported for tests and reuse. */
export { dnsCommand, type DnsSubcommand } from './command.ts';
export { validateSpec } from './spec.ts';
export { discoverTargets, needsLookup, STACK_TAG, CLUSTER_TAG, CLUSTERMESH_STACK, TAGS_BATCH } from './discover.ts';
export { readZone, toZoneRecord } from './zone.ts';
export { planChanges, summarize, inSync, typesFor, OWNERSHIP_TTL } from './plan.ts';
export { summaryLine, formatTable } from './report.ts';
export {
  applyChanges,
  batchChanges,
  waitInSync,
  ApplyError,
  ROUTE53_LIMITS,
  type Batch,
  type AppliedBatch,
} from './apply.ts';
export { ownershipValue, parseOwnershipValue, HERITAGE } from './ownership.ts';
export { withRetry, isRetryable, formatAwsError, DEFAULT_RETRY, type RetryPolicy } from './retry.ts';
export type * from './types.ts';
