/** The AWS side of a `dns` command: its SDK clients, its retry policy and what its errors say to a person. */
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { DEFAULT_RETRY, formatAwsError, type RetryPolicy } from './retry.ts';
import type { DnsCommandOptions, DnsTuning } from './types.ts';

export interface DnsClients {
  readonly route53: Route53Client;
  /** Made on first use: a fleet whose every target is in fleet.yaml never talks to ELBv2. */
  elb(): ElasticLoadBalancingV2Client;
  destroy(): void;
}

export function dnsClients(opts: DnsCommandOptions): DnsClients {
  const tuning = opts.tuning ?? {};
  const config = {
    maxAttempts: 1, // retries are ours (retry.ts), so they can be reported and tuned
    // Without these a server that accepts the connection and never answers holds the command forever.
    requestHandler: {
      connectionTimeout: tuning.connectTimeoutMs ?? 5_000,
      requestTimeout: tuning.requestTimeoutMs ?? 30_000,
      throwOnRequestTimeout: true, // otherwise the SDK only logs a warning and keeps waiting
    },
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
  };
  const route53 = new Route53Client(config);
  let elb: ElasticLoadBalancingV2Client | undefined;
  return {
    route53,
    elb: () => (elb ??= new ElasticLoadBalancingV2Client(config)),
    destroy: () => {
      route53.destroy();
      elb?.destroy();
    },
  };
}

/** The tuned retry policy; `signal` ends every call and wait in flight when the command's deadline passes. */
export function retryPolicy(tuning: DnsTuning, signal: AbortSignal): RetryPolicy {
  return {
    maxAttempts: tuning.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
    baseDelayMs: tuning.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: tuning.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    signal,
  };
}

/**
 * An AWS SDK error about the machine's setup, said with what fixes it; undefined for any other error. The SDK's own
 * words ("Region is missing", "Could not load credentials from any providers") name neither the flag nor the variables.
 */
export function setupProblem(err: unknown): string | undefined {
  const e = err as { name?: string; message?: string } | undefined;
  if (/region is missing/i.test(e?.message ?? '')) return 'no AWS region: pass --region REGION or set AWS_REGION';
  if (e?.name === 'CredentialsProviderError' || /could not load credentials/i.test(e?.message ?? '')) {
    return 'no AWS credentials: set AWS_PROFILE to a profile of ~/.aws/config, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  }
  return undefined;
}

/** One line for any error a step throws: what fixes the setup, meshfleet's own message, or the AWS error. */
export function errorLine(err: unknown): string {
  return setupProblem(err) ?? (err instanceof Error && !('$metadata' in err) ? err.message : formatAwsError(err));
}
