/**
 * Retries for AWS calls: throttling, server faults and timeouts are retried with exponential backoff
 * and full jitter; everything else fails at once. The SDK clients are built with `maxAttempts: 1`
 * so this is the only retry layer and its behaviour is the one tested.
 */

/** Settings read from the environment on every invocation. */
export interface RetrySettings {
  /** Total attempts per call, the first included (`SHIM_MAX_ATTEMPTS`, default 6). */
  readonly maxAttempts: number;
  /** Base delay in ms (`SHIM_RETRY_BASE_MS`, default 250). */
  readonly baseDelayMs: number;
  /** Upper bound of one delay in ms (`SHIM_RETRY_MAX_DELAY_MS`, default 10000). */
  readonly maxDelayMs: number;
  /** Per-request timeout in ms, after which the request is abandoned and retried (`SHIM_REQUEST_TIMEOUT_MS`, default 15000). */
  readonly requestTimeoutMs: number;
  /** Connection timeout in ms (`SHIM_CONNECT_TIMEOUT_MS`, default 5000). */
  readonly connectTimeoutMs: number;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`Environment variable ${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

export function retrySettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RetrySettings {
  return {
    maxAttempts: intFromEnv(env, 'SHIM_MAX_ATTEMPTS', 6, 1),
    baseDelayMs: intFromEnv(env, 'SHIM_RETRY_BASE_MS', 250, 0),
    maxDelayMs: intFromEnv(env, 'SHIM_RETRY_MAX_DELAY_MS', 10000, 0),
    requestTimeoutMs: intFromEnv(env, 'SHIM_REQUEST_TIMEOUT_MS', 15000, 1),
    connectTimeoutMs: intFromEnv(env, 'SHIM_CONNECT_TIMEOUT_MS', 5000, 1),
  };
}

/**
 * Delay before retry number `retry` (1 for the first retry): full jitter, a uniform draw in
 * [0, min(maxDelay, base * 2^(retry-1))).
 */
export function backoffDelay(retry: number, settings: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

const TRANSIENT_CODES = new Set([
  'InternalServerException',
  'InternalServerError',
  'InternalFailure',
  'InternalError',
  'ServiceException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  // Organizations: another change to the organization is in progress.
  'ConcurrentModificationException',
  // STS: the identity provider could not be reached.
  'IDPCommunicationError',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED', 'ENETUNREACH']);

/** The AWS error code of an SDK error (its name), or a network error code. */
export function errorCode(err: unknown): string {
  const e = err as { name?: unknown; code?: unknown; Code?: unknown } | undefined;
  if (e && typeof e.name === 'string' && e.name !== 'Error') return e.name;
  if (e && typeof e.code === 'string') return e.code;
  if (e && typeof e.Code === 'string') return e.Code;
  return 'Error';
}

/** HTTP status of the response that carried an SDK error, if any. */
export function httpStatus(err: unknown): number | undefined {
  const status = (err as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Whether a failed call may succeed if repeated unchanged. */
export function isRetryable(err: unknown): boolean {
  const code = errorCode(err);
  if (THROTTLING_CODES.has(code) || TRANSIENT_CODES.has(code)) return true;
  const netCode = (err as { code?: unknown } | undefined)?.code;
  if (typeof netCode === 'string' && NETWORK_CODES.has(netCode)) return true;
  const status = httpStatus(err);
  if (status !== undefined && (status === 429 || status >= 500)) return true;
  if ((err as { $retryable?: unknown } | undefined)?.$retryable) return true;
  return false;
}

/** Raised when a call failed and was not (or no longer) retried; carries the attempt count. */
export class CallFailedError extends Error {
  constructor(
    readonly operation: string,
    readonly cause: unknown,
    readonly attempts: number,
  ) {
    super(`${operation} failed${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${errorCode(cause)}: ${causeMessage(cause)}`);
    this.name = 'CallFailedError';
  }

  /** The AWS error code of the last failure. */
  get code(): string {
    return errorCode(this.cause);
  }
}

function causeMessage(err: unknown): string {
  const message = (err as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string' && message.length > 0) return message;
  const status = httpStatus(err);
  return status !== undefined ? `HTTP ${status}` : String(err);
}

/** One entry of the per-action call summary that goes into the log line. */
export interface CallRecord {
  readonly op: string;
  readonly attempts: number;
  readonly ms: number;
  readonly error?: string;
}

export interface RetryContext {
  readonly settings: RetrySettings;
  readonly calls: CallRecord[];
  /** Milliseconds left before the Lambda times out; no retry is started that would outlive it. */
  readonly remainingMs?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Run `fn`, retrying retryable failures; throws {@link CallFailedError} otherwise. */
export async function withRetry<T>(ctx: RetryContext, operation: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const sleep = ctx.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await fn();
      ctx.calls.push({ op: operation, attempts: attempt, ms: Date.now() - started });
      return result;
    } catch (err) {
      const retryable = isRetryable(err);
      const delay = backoffDelay(attempt, ctx.settings);
      // Leave room for one more request and for reporting the failure before the Lambda times out.
      const budgetLeft = ctx.remainingMs ? ctx.remainingMs() - delay - ctx.settings.requestTimeoutMs - 1000 : Infinity;
      if (!retryable || attempt >= ctx.settings.maxAttempts || budgetLeft <= 0) {
        ctx.calls.push({ op: operation, attempts: attempt, ms: Date.now() - started, error: errorCode(err) });
        throw new CallFailedError(operation, err, attempt);
      }
      await sleep(delay);
    }
  }
}
