/**
 * Unit tests of the handler's pure parts (imported from source), alongside the bundled-handler
 * tests that exercise them end to end.
 */
import { principalMatch } from '../../src/shim/handler/aws';
import { canonicalPolicy, samePolicy } from '../../src/shim/handler/canonical';
import { SHIM_ACTIONS, sessionPolicy } from '../../src/model/shim-contract';
import { backoffDelay, isRetryable, retrySettingsFromEnv, withRetry, CallFailedError, RetryContext } from '../../src/shim/handler/retry';

const sdkError = (name: string, status?: number) => Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

describe('backoff', () => {
  const settings = { baseDelayMs: 100, maxDelayMs: 1000 };

  test('full jitter: a uniform draw below an exponentially growing, capped ceiling', () => {
    expect(backoffDelay(1, settings, () => 0)).toBe(0);
    expect(backoffDelay(1, settings, () => 0.999)).toBe(99);
    expect(backoffDelay(2, settings, () => 0.999)).toBe(199);
    expect(backoffDelay(3, settings, () => 0.5)).toBe(200);
    expect(backoffDelay(10, settings, () => 0.999)).toBe(999);
  });

  test('delays are spread over the whole range', () => {
    const draws = Array.from({ length: 2000 }, () => backoffDelay(4, settings));
    expect(Math.min(...draws)).toBeLessThan(80);
    expect(Math.max(...draws)).toBeGreaterThan(720);
    expect(Math.max(...draws)).toBeLessThan(800);
  });

  test('settings come from the environment, with defaults, and bad values are refused', () => {
    expect(retrySettingsFromEnv({})).toEqual({ maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 10000, requestTimeoutMs: 15000, connectTimeoutMs: 5000 });
    expect(retrySettingsFromEnv({ SHIM_MAX_ATTEMPTS: '2', SHIM_RETRY_BASE_MS: '5' })).toMatchObject({ maxAttempts: 2, baseDelayMs: 5 });
    expect(() => retrySettingsFromEnv({ SHIM_MAX_ATTEMPTS: '0' })).toThrow(/SHIM_MAX_ATTEMPTS must be an integer >= 1/);
    expect(() => retrySettingsFromEnv({ SHIM_RETRY_BASE_MS: 'fast' })).toThrow(/SHIM_RETRY_BASE_MS/);
  });
});

describe('retry classification', () => {
  test.each([
    ['ThrottlingException', 429, true],
    ['TooManyRequestsException', 400, true],
    ['Throttling', 400, true],
    ['InternalServerException', 500, true],
    ['ServiceUnavailableException', 503, true],
    ['SomethingNew', 502, true],
    ['TimeoutError', undefined, true],
    ['ConcurrentModificationException', 400, true],
    ['ValidationException', 400, false],
    ['AccessDeniedException', 403, false],
    ['ConflictException', 400, false],
    ['ResourceNotFoundException', 404, false],
  ])('%s (%s) retryable: %s', (name, status, expected) => {
    expect(isRetryable(sdkError(name, status))).toBe(expected);
  });

  test('network errors are retryable', () => {
    expect(isRetryable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
  });

  test('no retry would outlive the Lambda', async () => {
    const ctx: RetryContext = {
      settings: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 1, requestTimeoutMs: 5000, connectTimeoutMs: 1000 },
      calls: [],
      remainingMs: () => 3000,
      sleep: async () => undefined,
    };
    let attempts = 0;
    const failing = withRetry(ctx, 'ListRoots', async () => {
      attempts++;
      throw sdkError('ThrottlingException', 429);
    });
    await expect(failing).rejects.toBeInstanceOf(CallFailedError);
    expect(attempts).toBe(1);
  });
});

describe('ownership', () => {
  const caller = 'arn:aws:sts::111122223333:assumed-role/OrganizationAccountAccessRole/cdktf-bedrock-guardrails';
  test.each([
    [caller, 'session'],
    ['arn:aws:iam::111122223333:role/OrganizationAccountAccessRole', 'role'],
    ['arn:aws:iam::111122223333:role/some/path/OrganizationAccountAccessRole', 'role'],
    ['arn:aws:sts::111122223333:assumed-role/OrganizationAccountAccessRole/alice', 'none'],
    ['arn:aws:iam::111122223333:role/Admin', 'none'],
    ['arn:aws:iam::444455556666:role/OrganizationAccountAccessRole', 'none'],
    ['arn:aws:iam::111122223333:user/bob', 'none'],
    [undefined, 'none'],
  ])('%s -> %s', (recorded, expected) => {
    expect(principalMatch(recorded, caller)).toBe(expected);
  });
});

describe('policy comparison', () => {
  test('key order, array order, whitespace and one-element arrays do not matter', () => {
    const a = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock:GetGuardrail","bedrock:ApplyGuardrail"],"Principal":"*","Resource":"r"}]}';
    const b = '{ "Statement": { "Resource": ["r"], "Principal": "*", "Action": ["bedrock:ApplyGuardrail", "bedrock:GetGuardrail"], "Effect": "Allow" }, "Version": "2012-10-17" }';
    expect(samePolicy(a, b)).toBe(true);
    expect(canonicalPolicy(a)).toBe(canonicalPolicy(b));
    expect(samePolicy(a, a.replace('GetGuardrail', 'ListGuardrails'))).toBe(false);
    expect(samePolicy(a, undefined)).toBe(false);
    expect(samePolicy('not json', 'not json')).toBe(true);
    expect(samePolicy('not json', a)).toBe(false);
  });
});

describe('session policies', () => {
  test('each kind gets exactly its own actions', () => {
    for (const kind of Object.keys(SHIM_ACTIONS) as Array<keyof typeof SHIM_ACTIONS>) {
      const doc = JSON.parse(sessionPolicy(kind));
      expect(doc.Statement).toHaveLength(1);
      expect(doc.Statement[0]).toMatchObject({ Effect: 'Allow', Resource: '*', Action: [...SHIM_ACTIONS[kind]] });
    }
  });
});
