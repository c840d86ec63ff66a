import { HOST_SECRET_KEY, HOST_SESSION_TOKEN } from './fake-aws';
import { enforcement, GUARDRAIL_ARN, MEMBER_ACCOUNT, MEMBER_ROLE, policyTypeInput, resourcePolicyInput, tfEvent, useShimHarness } from './harness';

const h = useShimHarness();
const { fake } = h;

describe('malformed events are refused before any AWS call', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['not an object', 42, /^Invalid shim event: expected a JSON object, got number 42$/],
    ['a string that is not JSON', 'hello', /payload is a string that is not JSON/],
    ['no tf key', { ...enforcement() }, /tf \(added by aws_lambda_invocation with lifecycle_scope = "CRUD" and terraform_key = "tf"\) must be an object/],
    ['unknown action', tfEvent(enforcement(), 'read' as never), /tf\.action must be one of create, update, delete, got "read"/],
    ['unknown kind', tfEvent({ ...enforcement(), kind: 'Guardrail' }, 'create'), /kind must be one of EnforcedGuardrailConfiguration, GuardrailResourcePolicy, OrganizationPolicyType, got "Guardrail"/],
    ['no name', tfEvent({ ...enforcement(), name: '' }, 'create'), /name must be a non-empty string/],
    ['bad account', tfEvent(enforcement({}, { accountId: '1234', region: 'us-east-1', roleArn: null }), 'create'), /target\.accountId must match a 12-digit account ID, got "1234"/],
    ['bad region', tfEvent(enforcement({}, { accountId: MEMBER_ACCOUNT, region: 'US East', roleArn: MEMBER_ROLE }), 'create'), /target\.region must match a region name/],
    [
      'role in another account',
      tfEvent(enforcement({}, { accountId: '444455556666', region: 'us-east-1', roleArn: MEMBER_ROLE }), 'create'),
      /target\.roleArn is in account 111122223333 but target\.accountId is 444455556666/,
    ],
    ['DRAFT version', tfEvent(enforcement({ guardrailVersion: 'DRAFT' }), 'create'), /properties\.guardrailVersion must match a numbered version .*DRAFT is not accepted.*got "DRAFT"/],
    ['guardrail in another region', tfEvent(enforcement({ guardrailIdentifier: GUARDRAIL_ARN }, { accountId: MEMBER_ACCOUNT, region: 'eu-west-1', roleArn: MEMBER_ROLE }), 'create'), /names a guardrail in us-east-1 but the enforcement is in eu-west-1/],
    ['bad guarding mode', tfEvent(enforcement({ selectiveContentGuarding: { system: 'selective' } }), 'create'), /selectiveContentGuarding\.system must be SELECTIVE or COMPREHENSIVE, got "selective"/],
    ['empty included models', tfEvent(enforcement({ modelEnforcement: { includedModels: [], excludedModels: [] } }), 'create'), /includedModels must have at least 1 item/],
    ['adoptExisting not boolean', tfEvent(enforcement({ adoptExisting: 'yes' }), 'create'), /adoptExisting must be a boolean/],
    ['policy not JSON', tfEvent(resourcePolicyInput({ policy: '{"Version":' }), 'create'), /properties\.policy must be a JSON policy document/],
    ['policy for a resource elsewhere', tfEvent(resourcePolicyInput({ resourceArn: GUARDRAIL_ARN.replace('us-east-1', 'us-west-2') }), 'create'), /a resource policy is set in the resource's own account and region/],
    ['bad policy type', tfEvent(policyTypeInput({ policyType: 'bedrock' }), 'create'), /properties\.policyType must match an Organizations policy type/],
  ];

  test.each(cases)('%s', async (_label, event, expected) => {
    const message = await h.invokeFailing(event);
    expect(message).toMatch(expected);
    expect(fake.calls).toHaveLength(0);
    expect(h.logs).toEqual([expect.objectContaining({ level: 'error', msg: 'shim event rejected', error: message })]);
  });

  test('messages name the kind and object', async () => {
    const message = await h.invokeFailing(tfEvent(enforcement({ guardrailVersion: '0' }), 'create'));
    expect(message.startsWith('Invalid shim event EnforcedGuardrailConfiguration "Stack/Enforce": properties.guardrailVersion')).toBe(true);
  });

  test('an unreadable previous input does not block the action', async () => {
    const event = { ...tfEvent(enforcement(), 'update'), tf: { action: 'update', prev_input: { kind: 'EnforcedGuardrailConfiguration', garbage: true } } };
    expect(await h.invoke(event)).toMatchObject({ action: 'update', changed: true });
  });

  test('a JSON string payload is accepted', async () => {
    expect(await h.invoke(JSON.stringify(tfEvent(policyTypeInput(), 'create')))).toMatchObject({ status: 'ENABLED' });
  });
});

describe('logging', () => {
  test('one structured line per action, with the call summary and no secrets', async () => {
    const input = enforcement();
    await h.invoke(tfEvent(input, 'create'));
    expect(h.rawLogs).toHaveLength(1);
    expect(h.logs[0]).toMatchObject({
      level: 'info',
      msg: 'shim action done',
      kind: 'EnforcedGuardrailConfiguration',
      name: 'Stack/Enforce',
      action: 'create',
      accountId: MEMBER_ACCOUNT,
      region: 'us-east-1',
      roleArn: MEMBER_ROLE,
      result: expect.objectContaining({ changed: true }),
    });
    expect((h.logs[0].calls as Array<{ op: string }>).map((c) => c.op)).toEqual([
      `AssumeRole (${MEMBER_ROLE})`,
      'GetCallerIdentity',
      'ListEnforcedGuardrailsConfiguration',
      'PutEnforcedGuardrailConfiguration',
    ]);

    fake.inject({ operation: 'PutEnforcedGuardrailConfiguration', type: 'access-denied' });
    await h.invokeFailing(tfEvent(enforcement({ guardrailVersion: '5' }), 'update', input));
    expect(h.rawLogs).toHaveLength(2);
    expect(h.logs[1]).toMatchObject({ level: 'error', msg: 'shim action failed' });

    const all = h.rawLogs.join('\n');
    for (const secret of [HOST_SECRET_KEY, HOST_SESSION_TOKEN, 'SecretAccessKey', 'SessionToken', 'ASIAFAKE']) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('released objects (implementation: native)', () => {
  test('every action is a no-op once the native resource manages the object', async () => {
    for (const action of ['create', 'update', 'delete'] as const) {
      const result = await h.invoke(tfEvent(enforcement({ release: true }), action));
      expect(result).toMatchObject({ kind: 'EnforcedGuardrailConfiguration', action, released: true });
    }
    expect(await h.invoke(tfEvent(resourcePolicyInput({ release: true }), 'delete'))).toMatchObject({ released: true });
    expect(fake.calls).toHaveLength(0);
  });

  test('switching back to the shim manages the object again', async () => {
    const released = enforcement({ release: true });
    const result = await h.invoke(tfEvent(enforcement(), 'update', released));
    expect(result).toMatchObject({ action: 'update' });
    expect(result.released).toBeUndefined();
    expect(fake.calls.length).toBeGreaterThan(0);
  });
});
