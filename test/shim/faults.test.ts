import { enforcement, MEMBER_ACCOUNT, MEMBER_ROLE, policyTypeInput, resourcePolicyInput, tfEvent, useShimHarness } from './harness';

const h = useShimHarness();
const { fake } = h;
const WHERE = `EnforcedGuardrailConfiguration "Stack/Enforce" in account ${MEMBER_ACCOUNT}, us-east-1`;

describe('retries', () => {
  test('throttling, then success', async () => {
    fake.inject({ operation: 'PutEnforcedGuardrailConfiguration', type: 'throttle', times: 2 });
    const result = await h.invoke(tfEvent(enforcement(), 'create'));
    expect(result).toMatchObject({ changed: true });
    const puts = fake.callsTo('PutEnforcedGuardrailConfiguration');
    expect(puts.map((c) => c.status)).toEqual([429, 429, 200]);
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')).toHaveLength(1);
    const line = h.logs.find((l) => l.msg === 'shim action done')!;
    expect(line.calls).toContainEqual(expect.objectContaining({ op: 'PutEnforcedGuardrailConfiguration', attempts: 3 }));
  });

  test('a server error, then success', async () => {
    fake.inject({ operation: 'ListEnforcedGuardrailsConfiguration', type: 'server-error' });
    await h.invoke(tfEvent(enforcement(), 'create'));
    expect(fake.callsTo('ListEnforcedGuardrailsConfiguration').map((c) => c.status)).toEqual([500, 200]);
  });

  test('persistent server errors fail the apply with a message naming object, account, region, operation and error', async () => {
    fake.inject({ operation: 'PutEnforcedGuardrailConfiguration', type: 'server-error', times: Infinity });
    const message = await h.invokeFailing(tfEvent(enforcement(), 'create'));
    expect(message).toBe(
      `${WHERE}: PutEnforcedGuardrailConfiguration failed after 4 attempts: InternalServerException: An internal server error occurred. Retry your request.`,
    );
    expect(fake.callsTo('PutEnforcedGuardrailConfiguration')).toHaveLength(4); // SHIM_MAX_ATTEMPTS
    const line = h.logs.find((l) => l.msg === 'shim action failed')!;
    expect(line).toMatchObject({ level: 'error', kind: 'EnforcedGuardrailConfiguration', accountId: MEMBER_ACCOUNT, error: message });
  });

  test('the number of attempts follows SHIM_MAX_ATTEMPTS', async () => {
    fake.inject({ operation: 'ListEnforcedGuardrailsConfiguration', type: 'throttle', times: Infinity });
    const message = await h.withEnv({ SHIM_MAX_ATTEMPTS: '2' }, () => h.invokeFailing(tfEvent(enforcement(), 'create')));
    expect(message).toContain('ListEnforcedGuardrailsConfiguration failed after 2 attempts: ThrottlingException');
    expect(fake.callsTo('ListEnforcedGuardrailsConfiguration')).toHaveLength(2);
  });

  test('a response slower than the client timeout is abandoned and the call retried', async () => {
    fake.inject({ operation: 'ListEnforcedGuardrailsConfiguration', type: 'slow', delayMs: 1500 });
    const started = Date.now();
    const result = await h.withEnv({ SHIM_REQUEST_TIMEOUT_MS: '250' }, () => h.invoke(tfEvent(enforcement(), 'create')));
    expect(result).toMatchObject({ changed: true });
    expect(fake.callsTo('ListEnforcedGuardrailsConfiguration')).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  test('a create whose response was lost is not applied twice', async () => {
    // The first Put is carried out but its response never arrives in time; the retry finds the
    // configuration already there (ConflictException), re-reads, and recognises it as its own.
    fake.inject({ operation: 'PutEnforcedGuardrailConfiguration', type: 'slow', delayMs: 1500, applyBeforeDelay: true });
    const result = await h.withEnv({ SHIM_REQUEST_TIMEOUT_MS: '250' }, () => h.invoke(tfEvent(enforcement(), 'create')));
    const configs = fake.configsIn(MEMBER_ACCOUNT, 'us-east-1');
    expect(configs).toHaveLength(1);
    expect(result).toMatchObject({ configId: configs[0].configId, drift: false });
    expect(fake.callsTo('PutEnforcedGuardrailConfiguration').map((c) => c.errorCode)).toEqual([undefined, 'ConflictException']);
  });

  test('errors that repeat unchanged are not retried (AccessDenied: with SHIM_PERMISSION_RETRY_SECONDS=0, see propagation.test.ts)', async () => {
    fake.inject({ operation: 'PutEnforcedGuardrailConfiguration', type: 'access-denied' });
    const message = await h.invokeFailing(tfEvent(enforcement(), 'create'));
    expect(message).toContain(`${WHERE}: PutEnforcedGuardrailConfiguration failed: AccessDeniedException: User is not authorized to perform this action. Not retried`);
    expect(fake.callsTo('PutEnforcedGuardrailConfiguration')).toHaveLength(1);
  });

  test('AssumeRole throttling is retried; an AssumeRole refusal names the role', async () => {
    fake.inject({ operation: 'AssumeRole', type: 'throttle' });
    await h.invoke(tfEvent(enforcement(), 'create'));
    expect(fake.callsTo('AssumeRole').map((c) => c.status)).toEqual([400, 200]);

    fake.inject({ operation: 'AssumeRole', type: 'access-denied' });
    const message = await h.invokeFailing(tfEvent(enforcement(), 'create'));
    expect(message).toContain(`${WHERE}: AssumeRole (${MEMBER_ROLE}) failed: AccessDenied: User is not authorized to perform this action. Not retried`);
  });

  test('Organizations throttling (TooManyRequestsException) and service errors are retried', async () => {
    fake.inject({ operation: 'ListRoots', type: 'throttle' });
    fake.inject({ operation: 'EnablePolicyType', type: 'server-error' });
    const result = await h.invoke(tfEvent(policyTypeInput(), 'create'));
    expect(result).toMatchObject({ status: 'ENABLED', changed: true });
    expect(fake.callsTo('ListRoots').map((c) => c.errorCode)).toEqual(['TooManyRequestsException', undefined]);
    expect(fake.callsTo('EnablePolicyType').map((c) => c.errorCode)).toEqual(['ServiceException', undefined]);
  });
});

describe('conflicts and missing objects', () => {
  test('a conflict on write re-reads the configuration and converges', async () => {
    fake.inject({ operation: 'PutEnforcedGuardrailConfiguration', type: 'conflict' });
    const result = await h.invoke(tfEvent(enforcement(), 'create'));
    expect(result).toMatchObject({ changed: true });
    expect(fake.callsTo('ListEnforcedGuardrailsConfiguration')).toHaveLength(2);
    expect(fake.callsTo('PutEnforcedGuardrailConfiguration').map((c) => c.errorCode)).toEqual(['ConflictException', undefined]);
  });

  test('a conflict that does not go away fails the apply', async () => {
    fake.inject({ operation: 'PutEnforcedGuardrailConfiguration', type: 'conflict', times: Infinity });
    const message = await h.invokeFailing(tfEvent(enforcement(), 'create'));
    expect(message).toMatch(new RegExp(`^${WHERE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the configuration kept changing`));
    expect(message).toContain('PutEnforcedGuardrailConfiguration failed: ConflictException');
  });

  test('a configuration deleted between read and write is recreated', async () => {
    const v3 = enforcement();
    await h.invoke(tfEvent(v3, 'create'));
    const original = fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')[0].configId;
    // The listing shows ours; by the time the Put arrives someone has deleted it.
    fake.inject({ operation: 'PutEnforcedGuardrailConfiguration', type: 'not-found', before: () => fake.deleteConfigs(MEMBER_ACCOUNT, 'us-east-1') });
    const result = await h.invoke(tfEvent(enforcement({ guardrailVersion: '4' }), 'update', v3));
    expect(result).toMatchObject({ changed: true, recreated: true });
    const puts = fake.callsTo('PutEnforcedGuardrailConfiguration').slice(1);
    expect(puts[0].input).toMatchObject({ configId: original });
    expect(puts[1].input).not.toHaveProperty('configId');
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')).toEqual([expect.objectContaining({ guardrailVersion: '4' })]);
  });

  test('not found on delete of the configuration is success', async () => {
    const input = enforcement();
    await h.invoke(tfEvent(input, 'create'));
    fake.inject({ operation: 'DeleteEnforcedGuardrailConfiguration', type: 'not-found' });
    const result = await h.invoke(tfEvent(input, 'delete', input));
    expect(result).toMatchObject({ action: 'delete', changed: false });
  });

  test('not found on delete of a resource policy is success', async () => {
    const input = resourcePolicyInput();
    await h.invoke(tfEvent(input, 'create'));
    fake.inject({ operation: 'DeleteResourcePolicy', type: 'not-found' });
    expect(await h.invoke(tfEvent(input, 'delete', input))).toMatchObject({ action: 'delete', changed: false });
  });

  test('a conflict writing a resource policy is retried after re-reading it', async () => {
    fake.inject({ operation: 'PutResourcePolicy', type: 'conflict' });
    expect(await h.invoke(tfEvent(resourcePolicyInput(), 'create'))).toMatchObject({ changed: true });
    expect(fake.callsTo('GetResourcePolicy')).toHaveLength(2);
  });
});
