/**
 * Retries for AWS calls. The SDK clients are built with maxAttempts 1 and every call goes through
 * {@link withRetry}, so the policy (and its delays, which tests shrink to a millisecond) lives in one place
 * and each retry can be reported on a progress line.
 */

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Ends the calls, and the waits between them, when the command's deadline passes. */
  readonly signal?: AbortSignal;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 20_000 };

/** Error codes AWS uses for throttling; Route 53's PriorRequestNotComplete means "slow down" too. */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'PriorRequestNotComplete',
  'SlowDown',
]);

/** Connection failures worth another try: the request may not have reached the service, or its answer was lost. */
const NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN']);

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
}

export function httpStatus(err: unknown): number | undefined {
  const e = err as AwsLikeError | undefined;
  return e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode;
}

export function isRetryable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as AwsLikeError;
  if (e.name && THROTTLING.has(e.name)) return true;
  if (e.code && THROTTLING.has(e.code)) return true;
  const status = httpStatus(err);
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (e.code && NETWORK.has(e.code)) return true;
  if (e.name === 'TimeoutError') return true;
  if (typeof e.message === 'string' && /socket hang up/i.test(e.message)) return true;
  return false;
}

/** Short name of an error for progress lines: 'Throttling', 'HTTP 503', 'ECONNRESET'. */
export function errorLabel(err: unknown): string {
  const e = err as AwsLikeError;
  const status = httpStatus(err);
  if (e?.name && e.name !== 'Error' && !/^Unknown|ServiceException$/.test(e.name)) return e.name;
  if (e?.code) return e.code;
  if (status !== undefined) return `HTTP ${status}`;
  return e?.name ?? 'error';
}

/** One line, no stack: 'Route 53 ListResourceRecordSets failed: AccessDenied: ... (HTTP 403)'. */
export function formatAwsError(err: unknown): string {
  const e = err as AwsLikeError;
  const status = httpStatus(err);
  const label = errorLabel(err);
  const msg = (e?.message ?? String(err)).replace(/\s+/g, ' ').trim();
  const text = msg && msg !== label ? `${label}: ${msg}` : label;
  return status !== undefined && !text.includes(`HTTP ${status}`) ? `${text} (HTTP ${status})` : text;
}

export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });

/**
 * Runs `fn`, retrying throttling, PriorRequestNotComplete, 5xx and dropped connections with exponential
 * backoff and jitter. Other errors, and the last one, are thrown as they are.
 */
export async function withRetry<T>(
  what: string,
  fn: () => Promise<T>,
  policy: RetryPolicy,
  onRetry?: (line: string) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (policy.signal?.aborted) throw policy.signal.reason;
      if (attempt >= policy.maxAttempts || !isRetryable(err)) throw err;
      const delay = backoffDelay(attempt, policy);
      onRetry?.(`${what}: ${errorLabel(err)}, retrying in ${delay} ms (attempt ${attempt + 1}/${policy.maxAttempts})`);
      await sleep(delay, policy.signal);
    }
  }
}
