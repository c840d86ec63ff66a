/**
 * Retries for AWS calls: throttling, server faults and timeouts are retried with exponential backoff
 * and full jitter, up to a number of attempts; AccessDenied is retried with the same backoff for a
 * bounded time after the invocation started (IAM propagation, below); everything else fails at
 * once. The SDK clients are built with `maxAttempts: 1` so this is the only retry layer and its
 * behaviour is the one tested.
 *
 * IAM propagation. IAM is eventually consistent: a role's new or changed policy, and a member
 * role's trust policy, may deny for a while after the change was made ("Changes that I make are
 * not always immediately visible", IAM user guide). Terraform invokes the shim right after it
 * creates or changes the shim role's inline policy (the first apply; adding a member account adds
 * its role to the policy and an invocation), so the first calls of such an invocation can be
 * denied although the policy allows them. AccessDenied is therefore retried for
 * `SHIM_PERMISSION_RETRY_SECONDS` (default 120, the time hashicorp/aws itself waits for IAM
 * propagation on its own resources; 0 turns it off) after the invocation's first AWS call, never
 * beyond what the Lambda timeout leaves (300 s by default). A call still denied then fails with a
 * message that names both causes: propagation still under way, or the permission really missing
 * (with the action, the resource and the principal).
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

/** How long AccessDenied is retried (read from the environment unless the retry context gives it). */
export interface PermissionRetrySettings {
  /** Milliseconds after the invocation's first call during which AccessDenied is retried (`SHIM_PERMISSION_RETRY_SECONDS`, default 120 s; 0: never). */
  readonly windowMs: number;
}

/** Default of `SHIM_PERMISSION_RETRY_SECONDS`. */
export const DEFAULT_PERMISSION_RETRY_SECONDS = 120;

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`Environment variable ${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

/** The retry settings from the environment (`SHIM_MAX_ATTEMPTS`, ...), with their defaults. */
export function retrySettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RetrySettings {
  return {
    maxAttempts: intFromEnv(env, 'SHIM_MAX_ATTEMPTS', 6, 1),
    baseDelayMs: intFromEnv(env, 'SHIM_RETRY_BASE_MS', 250, 0),
    maxDelayMs: intFromEnv(env, 'SHIM_RETRY_MAX_DELAY_MS', 10000, 0),
    requestTimeoutMs: intFromEnv(env, 'SHIM_REQUEST_TIMEOUT_MS', 15000, 1),
    connectTimeoutMs: intFromEnv(env, 'SHIM_CONNECT_TIMEOUT_MS', 5000, 1),
  };
}

/** How long AccessDenied is retried while IAM propagates (`SHIM_PERMISSION_RETRY_SECONDS`), from the environment. */
export function permissionRetrySettingsFromEnv(env: NodeJS.ProcessEnv = process.env): PermissionRetrySettings {
  return { windowMs: intFromEnv(env, 'SHIM_PERMISSION_RETRY_SECONDS', DEFAULT_PERMISSION_RETRY_SECONDS, 0) * 1000 };
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

const PERMISSION_CODES = new Set([
  // STS and IAM (query protocol).
  'AccessDenied',
  // Bedrock, Organizations, CloudWatch Logs (JSON protocols).
  'AccessDeniedException',
]);

/** Whether a failed call was refused for lack of permission (which IAM propagation can cause). */
export function isPermissionDenied(err: unknown): boolean {
  return PERMISSION_CODES.has(errorCode(err));
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
    /** For AccessDenied: how long it was retried, for the message. */
    permission?: PermissionRetried,
  ) {
    const message = causeMessage(cause);
    // IAM's AccessDenied messages end without a full stop; the hint is a sentence of its own.
    const hint = isPermissionDenied(cause) ? `${/[.!?]$/.test(message) ? '' : '.'} ${permissionHint(cause, permission)}` : '';
    super(`${operation} failed${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${errorCode(cause)}: ${message}${hint}`);
    this.name = 'CallFailedError';
  }

  /** The AWS error code of the last failure. */
  get code(): string {
    return errorCode(this.cause);
  }
}

/** Whether `err` is a failed call whose AWS error code is `code`. */
export function isCode(err: unknown, code: string): boolean {
  return err instanceof CallFailedError && err.code === code;
}

function causeMessage(err: unknown): string {
  const message = (err as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string' && message.length > 0) return message;
  const status = httpStatus(err);
  return status !== undefined ? `HTTP ${status}` : String(err);
}

/**
 * What an AWS call asked for, attached to its error by the client middleware (aws.ts) so a
 * permission failure can name the action and resource even when AWS's message does not.
 */
export interface RequestContext {
  /** IAM action, e.g. `bedrock:PutResourcePolicy`. */
  readonly action: string;
  /** The resource the action was asked on, or `*` when the action has none. */
  readonly resource: string;
}

const REQUEST_CONTEXT = Symbol.for('cdktf-bedrock-guardrails.requestContext');

/** Attaches what a failed call asked for to its error (not enumerable: it stays out of logs). */
export function attachRequestContext(err: unknown, context: RequestContext): void {
  if (err !== null && typeof err === 'object' && !(REQUEST_CONTEXT in err)) {
    Object.defineProperty(err, REQUEST_CONTEXT, { value: context, enumerable: false });
  }
}

/**
 * The action, resource and principal of a permission failure: from AWS's own message when it
 * names them ("User: P is not authorized to perform: A on resource: R ..."), else from the
 * request the middleware recorded.
 */
export function deniedRequest(err: unknown): { action?: string; resource?: string; principal?: string } {
  const message = causeMessage(err);
  const m = /User: (\S+) is not authorized to perform: (\S+)(?: on resource: (\S+))?/.exec(message);
  const recorded = (err as { [REQUEST_CONTEXT]?: RequestContext } | undefined)?.[REQUEST_CONTEXT];
  return {
    principal: m?.[1],
    action: m?.[2] ?? recorded?.action,
    resource: m?.[3] ?? recorded?.resource,
  };
}

/** How long a denied call was retried, for the failure message. */
export interface PermissionRetried {
  /** Milliseconds between the call's first attempt and its failure. */
  readonly retriedMs: number;
  /** The window that was in force (`SHIM_PERMISSION_RETRY_SECONDS`, in ms). */
  readonly windowMs: number;
}

function permissionHint(err: unknown, retried: PermissionRetried | undefined): string {
  const { action, resource, principal } = deniedRequest(err);
  const waited = !retried || retried.windowMs === 0
    ? 'Not retried (SHIM_PERMISSION_RETRY_SECONDS=0).'
    : `Still denied after ${Math.round(retried.retriedMs / 1000)} s of retries (SHIM_PERMISSION_RETRY_SECONDS=${Math.round(retried.windowMs / 1000)}).`;
  const assume = action?.toLowerCase() === 'sts:assumerole'
    ? '; for sts:AssumeRole the member role must also exist and trust the shim role\'s account'
    : '';
  return `${waited} Two possible causes: IAM has not yet propagated a policy change made just before this apply `
    + '(a new or changed shim role policy, or a member role\'s trust policy or permissions; apply again in a few minutes), '
    + `or the permission is missing: ${principal ?? 'the shim'} needs ${action ?? 'the action'} on ${resource ?? 'the resource'} `
    + `(check the shim role's inline policy and, for a member account, the member role's policies and the session policy${assume}).`;
}

/** One entry of the per-action call summary that goes into the log line. */
export interface CallRecord {
  readonly op: string;
  readonly attempts: number;
  readonly ms: number;
  readonly error?: string;
}

/** What every call of one invocation is retried with: the settings, the call log, the time left and a sleep. */
export interface RetryContext {
  readonly settings: RetrySettings;
  readonly calls: CallRecord[];
  /** Milliseconds left before the Lambda times out; no retry is started that would outlive it. */
  readonly remainingMs?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * How long AccessDenied is retried.
   * @default read from the environment (SHIM_PERMISSION_RETRY_SECONDS)
   */
  readonly permissionRetry?: PermissionRetrySettings;
  /** Clock, in ms. @default Date.now */
  readonly now?: () => number;
  /** When the invocation made its first call, in ms: set by withRetry on that call; the permission window starts there. */
  firstCallAt?: number;
}

/** A bound on AccessDenied retries besides the window (with the default backoff, 120 s take about 20). */
const MAX_PERMISSION_ATTEMPTS = 100;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Run `fn`, retrying retryable failures up to `maxAttempts`, and AccessDenied until the
 * permission window after the invocation's first call has passed; throws {@link CallFailedError}
 * otherwise.
 */
export async function withRetry<T>(ctx: RetryContext, operation: string, fn: () => Promise<T>): Promise<T> {
  const clock = ctx.now ?? Date.now;
  const started = clock();
  ctx.firstCallAt ??= started;
  const permission = ctx.permissionRetry ?? permissionRetrySettingsFromEnv();
  const sleep = ctx.sleep ?? defaultSleep;
  let transientAttempts = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await fn();
      ctx.calls.push({ op: operation, attempts: attempt, ms: clock() - started });
      return result;
    } catch (err) {
      const denied = isPermissionDenied(err);
      if (!denied) transientAttempts++;
      const delay = backoffDelay(attempt, ctx.settings);
      // Leave room for one more request and for reporting the failure before the Lambda times out.
      const budgetLeft = ctx.remainingMs ? ctx.remainingMs() - delay - ctx.settings.requestTimeoutMs - 1000 : Infinity;
      const retry = denied
        ? clock() + delay - ctx.firstCallAt < permission.windowMs && attempt < MAX_PERMISSION_ATTEMPTS
        : isRetryable(err) && transientAttempts < ctx.settings.maxAttempts;
      if (!retry || budgetLeft <= 0) {
        ctx.calls.push({ op: operation, attempts: attempt, ms: clock() - started, error: errorCode(err) });
        throw new CallFailedError(operation, err, attempt, denied ? { retriedMs: clock() - started, windowMs: permission.windowMs } : undefined);
      }
      await sleep(delay);
    }
  }
}
