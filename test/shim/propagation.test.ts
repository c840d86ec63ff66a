/**
 * IAM propagation (issue 9, item 2): the shim runs right after its role's policy is created or
 * changed, and IAM may deny for a while after such a change. AccessDenied is retried for a bounded
 * window after the invocation's first call, within the Lambda's remaining time; a call still
 * denied then fails with a message naming both causes and what was denied.
 *
 * The bundled handler runs against the fake (harness.ts), with denials that last a given time;
 * the window arithmetic is unit-tested with a fake clock.
 */
import {
  CallFailedError, DEFAULT_PERMISSION_RETRY_SECONDS, deniedRequest, isPermissionDenied, permissionRetrySettingsFromEnv, RetryContext, withRetry,
} from '../../src/shim/handler/retry';
import { GUARDRAIL_ARN, MANAGEMENT_ACCOUNT, MEMBER_ACCOUNT, MEMBER_ROLE, enforcement, policyTypeInput, resourcePolicyInput, tfEvent, useShimHarness } from './harness';

const h = useShimHarness();
const { fake } = h;

/** Fast backoff so a few seconds of denial take a few dozen attempts, not minutes. */
const QUICK = { SHIM_RETRY_BASE_MS: '20', SHIM_RETRY_MAX_DELAY_MS: '150' };

const IAM_MESSAGE = (action: string, resource: string) =>
  `User: arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/management-GuardrailsShim/management-GuardrailsShim is not authorized to perform: ` +
  `${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

describe('through the bundled handler', () => {
  test('a denial that ends while the window is open is retried until it passes', async () => {
    fake.inject({ operation: 'GetResourcePolicy', type: 'access-denied', activeForMs: 1200 });
    const started = Date.now();
    const result = await h.withEnv({ ...QUICK, SHIM_PERMISSION_RETRY_SECONDS: '30' }, () => h.invoke(tfEvent(resourcePolicyInput(), 'create')));
    expect(result).toMatchObject({ kind: 'GuardrailResourcePolicy', changed: true });
    const statuses = fake.callsTo('GetResourcePolicy').map((c) => c.status);
    expect(statuses.slice(0, -1).every((s) => s === 403)).toBe(true);
    expect(statuses.length).toBeGreaterThan(2);
    expect(statuses[statuses.length - 1]).toBe(404); // no policy yet: then it is put
    expect(Date.now() - started).toBeGreaterThanOrEqual(1200);
    expect(fake.policyOf(GUARDRAIL_ARN)).toBeDefined();
    const line = h.logs.find((l) => l.msg === 'shim action done')!;
    expect(line.calls).toContainEqual(expect.objectContaining({ op: 'GetResourcePolicy', attempts: statuses.length }));
  });

  test('AssumeRole into a member role is retried while it is denied (trust or permission still propagating)', async () => {
    fake.inject({ operation: 'AssumeRole', type: 'access-denied', activeForMs: 800 });
    await h.withEnv({ ...QUICK, SHIM_PERMISSION_RETRY_SECONDS: '30' }, () => h.invoke(tfEvent(enforcement(), 'create')));
    const assumes = fake.callsTo('AssumeRole');
    expect(assumes.length).toBeGreaterThan(1);
    expect(assumes[assumes.length - 1].status).toBe(200);
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')).toHaveLength(1);
  });

  test('a permission still denied when the window closes fails, naming both causes and what was denied', async () => {
    const resource = GUARDRAIL_ARN;
    fake.inject({ operation: 'PutResourcePolicy', type: 'access-denied', times: Infinity, message: IAM_MESSAGE('bedrock:PutResourcePolicy', resource) });
    const started = Date.now();
    const message = await h.withEnv({ ...QUICK, SHIM_PERMISSION_RETRY_SECONDS: '1' }, () => h.invokeFailing(tfEvent(resourcePolicyInput(), 'create')));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(800);
    expect(elapsed).toBeLessThan(5000);
    expect(fake.callsTo('PutResourcePolicy').length).toBeGreaterThan(2);
    expect(message).toMatch(/^GuardrailResourcePolicy "Stack\/GuardrailPolicy" in account \d{12}, us-east-1: PutResourcePolicy failed after \d+ attempts: AccessDeniedException: User: /);
    expect(message).toMatch(/Still denied after 1 s of retries \(SHIM_PERMISSION_RETRY_SECONDS=1\)\./);
    expect(message).toContain('IAM has not yet propagated a policy change made just before this apply');
    expect(message).toContain(
      `the permission is missing: arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/management-GuardrailsShim/management-GuardrailsShim needs bedrock:PutResourcePolicy on ${resource}`,
    );
  });

  test('when AWS does not name the action, the message takes it and the resource from the request', async () => {
    fake.inject({ operation: 'EnablePolicyType', type: 'access-denied', times: Infinity });
    const message = await h.withEnv({ ...QUICK, SHIM_PERMISSION_RETRY_SECONDS: '1' }, () => h.invokeFailing(tfEvent(policyTypeInput(), 'create')));
    expect(message).toContain('EnablePolicyType failed after');
    expect(message).toContain('the shim needs organizations:EnablePolicyType on the organization root r-ab12');
  });

  test('for AssumeRole the message also names the member role and its trust', async () => {
    fake.inject({ operation: 'AssumeRole', type: 'access-denied', times: Infinity });
    const message = await h.withEnv({ ...QUICK, SHIM_PERMISSION_RETRY_SECONDS: '1' }, () => h.invokeFailing(tfEvent(enforcement(), 'create')));
    expect(message).toContain(`AssumeRole (${MEMBER_ROLE}) failed after`);
    expect(message).toContain(`needs sts:AssumeRole on ${MEMBER_ROLE}`);
    expect(message).toContain('the member role must also exist and trust the shim role\'s account');
  });

  test('other client errors are still not retried while the window is open', async () => {
    fake.inject({ operation: 'PutEnforcedGuardrailConfiguration', type: 'custom', status: 400, code: 'ValidationException' });
    const message = await h.withEnv({ ...QUICK, SHIM_PERMISSION_RETRY_SECONDS: '30' }, () => h.invokeFailing(tfEvent(enforcement(), 'create')));
    expect(message).toContain('PutEnforcedGuardrailConfiguration failed: ValidationException');
    expect(fake.callsTo('PutEnforcedGuardrailConfiguration')).toHaveLength(1);
  });
});

describe('the window', () => {
  const denied = (message = 'User is not authorized to perform this action.') =>
    Object.assign(new Error(message), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });

  /** A context whose clock only moves when the retry loop sleeps. */
  function fakeClock(windowSeconds: number, extra: Partial<RetryContext> = {}): RetryContext & { time: () => number } {
    let t = 1_000_000;
    return {
      settings: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 8000, requestTimeoutMs: 1000, connectTimeoutMs: 1000 },
      calls: [],
      permissionRetry: { windowMs: windowSeconds * 1000 },
      now: () => t,
      sleep: async (ms) => {
        t += Math.max(ms, 1);
      },
      time: () => t,
      ...extra,
    };
  }

  test('SHIM_PERMISSION_RETRY_SECONDS: default 120 s, 0 allowed, anything else refused', () => {
    expect(DEFAULT_PERMISSION_RETRY_SECONDS).toBe(120);
    expect(permissionRetrySettingsFromEnv({})).toEqual({ windowMs: 120_000 });
    expect(permissionRetrySettingsFromEnv({ SHIM_PERMISSION_RETRY_SECONDS: '0' })).toEqual({ windowMs: 0 });
    expect(() => permissionRetrySettingsFromEnv({ SHIM_PERMISSION_RETRY_SECONDS: '-1' })).toThrow(/SHIM_PERMISSION_RETRY_SECONDS must be an integer >= 0/);
    expect(() => permissionRetrySettingsFromEnv({ SHIM_PERMISSION_RETRY_SECONDS: 'soon' })).toThrow(/SHIM_PERMISSION_RETRY_SECONDS/);
  });

  test('AccessDenied is retried past maxAttempts until the window closes, and no further', async () => {
    const ctx = fakeClock(60);
    const start = ctx.time();
    let attempts = 0;
    const failing = withRetry(ctx, 'PutResourcePolicy', async () => {
      attempts++;
      throw denied();
    });
    await expect(failing).rejects.toBeInstanceOf(CallFailedError);
    expect(attempts).toBeGreaterThan(ctx.settings.maxAttempts);
    expect(ctx.time() - start).toBeLessThan(60_000);
    expect(ctx.time() - start).toBeGreaterThan(60_000 - 8_000 - 1);
  });

  test('the window counts from the invocation\'s first call, not from each call', async () => {
    const ctx = fakeClock(30);
    await withRetry(ctx, 'ListRoots', async () => 'ok');
    const sleep = ctx.sleep!;
    await sleep(25_000);
    let attempts = 0;
    await expect(withRetry(ctx, 'EnablePolicyType', async () => {
      attempts++;
      throw denied();
    })).rejects.toBeInstanceOf(CallFailedError);
    // Only the 5 s left of the invocation's window were spent on this call.
    expect(ctx.time() - 1_000_000).toBeLessThan(30_000);
    expect(attempts).toBeLessThan(6);
  });

  test('no retry is started that would outlive the Lambda', async () => {
    let remaining = 12_000;
    const ctx = fakeClock(120, {
      remainingMs: () => remaining,
      sleep: async (ms) => {
        remaining -= ms;
      },
    });
    let attempts = 0;
    await expect(withRetry(ctx, 'PutResourcePolicy', async () => {
      attempts++;
      throw denied();
    })).rejects.toBeInstanceOf(CallFailedError);
    expect(remaining).toBeGreaterThan(0);
    expect(attempts).toBeLessThan(10);
  });

  test('transient errors keep their attempt limit inside the window', async () => {
    const ctx = fakeClock(120);
    let attempts = 0;
    await expect(withRetry(ctx, 'ListRoots', async () => {
      attempts++;
      throw Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } });
    })).rejects.toBeInstanceOf(CallFailedError);
    expect(attempts).toBe(3);
  });

  test('AccessDenied and AccessDeniedException are permission errors; other 403s are not', () => {
    expect(isPermissionDenied(denied())).toBe(true);
    expect(isPermissionDenied(Object.assign(new Error('x'), { name: 'AccessDenied' }))).toBe(true);
    expect(isPermissionDenied(Object.assign(new Error('x'), { name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } }))).toBe(false);
  });

  test('the denied action, resource and principal are read from IAM\'s message', () => {
    expect(deniedRequest(denied(IAM_MESSAGE('bedrock:GetResourcePolicy', GUARDRAIL_ARN)))).toEqual({
      principal: `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/management-GuardrailsShim/management-GuardrailsShim`,
      action: 'bedrock:GetResourcePolicy',
      resource: GUARDRAIL_ARN,
    });
    expect(deniedRequest(denied())).toEqual({ principal: undefined, action: undefined, resource: undefined });
  });
});
