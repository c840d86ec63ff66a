import { sessionPolicyAllows } from './fake-aws';
import {
  enforcement,
  GUARDRAIL_ARN,
  managementTarget,
  MANAGEMENT_ACCOUNT,
  MEMBER_ACCOUNT,
  MEMBER_ROLE,
  MEMBER_SESSION_PRINCIPAL,
  memberTarget,
  OTHER_GUARDRAIL_ARN,
  SESSION_NAME,
  SOMEONE_ELSE,
  tfEvent,
  useShimHarness,
} from './harness';

const h = useShimHarness();
const { fake } = h;

describe('EnforcedGuardrailConfiguration through an assumed member role', () => {
  test('create assumes the member role with a session policy that allows only the enforced-configuration actions', async () => {
    const result = await h.invoke(tfEvent(enforcement(), 'create'));

    const configs = fake.configsIn(MEMBER_ACCOUNT, 'us-east-1');
    expect(configs).toHaveLength(1);
    expect(configs[0]).toMatchObject({
      guardrailArn: GUARDRAIL_ARN,
      guardrailVersion: '3',
      selectiveContentGuarding: { system: 'SELECTIVE', messages: 'COMPREHENSIVE' },
      createdBy: MEMBER_SESSION_PRINCIPAL,
    });
    expect(result).toMatchObject({
      kind: 'EnforcedGuardrailConfiguration',
      action: 'create',
      accountId: MEMBER_ACCOUNT,
      region: 'us-east-1',
      configId: configs[0].configId,
      guardrailArn: GUARDRAIL_ARN,
      guardrailVersion: '3',
      changed: true,
      drift: false,
    });

    // The session the fake handed out, and the policy it received.
    expect(fake.sessions).toHaveLength(1);
    const session = fake.sessions[0];
    expect(session.roleArn).toBe(MEMBER_ROLE);
    expect(session.sessionName).toBe(SESSION_NAME);
    expect(session.durationSeconds).toBe(900);
    const policy = JSON.parse(session.policy!);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Effect).toBe('Allow');
    expect([...policy.Statement[0].Action].sort()).toEqual([
      'bedrock:DeleteEnforcedGuardrailConfiguration',
      'bedrock:ListEnforcedGuardrailsConfiguration',
      'bedrock:PutEnforcedGuardrailConfiguration',
    ]);
    for (const denied of ['bedrock:PutResourcePolicy', 'bedrock:InvokeModel', 'organizations:ListRoots', 'iam:PassRole', 'bedrock:CreateGuardrail']) {
      expect(sessionPolicyAllows(session.policy!, denied)).toBe(false);
    }

    // Every Bedrock call ran in the member session, in the target region.
    const bedrockCalls = fake.calls.filter((c) => c.service === 'bedrock');
    expect(bedrockCalls.map((c) => c.operation)).toEqual(['ListEnforcedGuardrailsConfiguration', 'PutEnforcedGuardrailConfiguration']);
    for (const c of bedrockCalls) {
      expect(c.principal).toBe(MEMBER_SESSION_PRINCIPAL);
      expect(c.region).toBe('us-east-1');
    }
    // A create sends no configId.
    expect(fake.callsTo('PutEnforcedGuardrailConfiguration')[0].input).not.toHaveProperty('configId');
    // GetCallerIdentity ran with the assumed credentials.
    expect(fake.callsTo('GetCallerIdentity')[0].principal).toBe(MEMBER_SESSION_PRINCIPAL);
  });

  test('replaying create changes nothing', async () => {
    const event = tfEvent(enforcement(), 'create');
    const first = await h.invoke(event);
    const second = await h.invoke(event);
    const third = await h.invoke(event);
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')).toHaveLength(1);
    expect(fake.callsTo('PutEnforcedGuardrailConfiguration')).toHaveLength(1);
    expect(second).toMatchObject({ configId: first.configId, changed: false, drift: false });
    expect(third).toMatchObject({ configId: first.configId, changed: false });
  });

  test('update writes the new settings to the same configuration, and a replay does nothing', async () => {
    const v3 = enforcement();
    const created = await h.invoke(tfEvent(v3, 'create'));
    const v4 = enforcement({ guardrailVersion: '4', modelEnforcement: { includedModels: ['ALL'], excludedModels: ['amazon.titan-embed-text-v2:0'] } });

    const updated = await h.invoke(tfEvent(v4, 'update', v3));
    expect(updated).toMatchObject({ action: 'update', configId: created.configId, guardrailVersion: '4', changed: true, drift: false });
    const put = fake.callsTo('PutEnforcedGuardrailConfiguration')[1];
    expect(put.input).toMatchObject({
      configId: created.configId,
      guardrailInferenceConfig: {
        guardrailIdentifier: GUARDRAIL_ARN,
        guardrailVersion: '4',
        modelEnforcement: { includedModels: ['ALL'], excludedModels: ['amazon.titan-embed-text-v2:0'] },
      },
    });
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')[0]).toMatchObject({ guardrailVersion: '4' });

    const replay = await h.invoke(tfEvent(v4, 'update', v3));
    expect(replay).toMatchObject({ changed: false, drift: false });
    expect(fake.callsTo('PutEnforcedGuardrailConfiguration')).toHaveLength(2);
  });

  test('update that removes settings writes them even when AWS reads back the same values', async () => {
    const before = enforcement({ selectiveContentGuarding: { system: 'COMPREHENSIVE', messages: 'COMPREHENSIVE' } });
    await h.invoke(tfEvent(before, 'create'));
    const after = enforcement({ selectiveContentGuarding: undefined });
    const result = await h.invoke(tfEvent(after, 'update', before));
    expect(result).toMatchObject({ changed: true, drift: false });
    expect(fake.callsTo('PutEnforcedGuardrailConfiguration')[1].input.guardrailInferenceConfig).not.toHaveProperty('selectiveContentGuarding');
  });

  test('delete removes our configuration; replaying it succeeds without calling Delete again', async () => {
    const input = enforcement();
    await h.invoke(tfEvent(input, 'create'));
    const deleted = await h.invoke(tfEvent(input, 'delete', input));
    expect(deleted).toMatchObject({ action: 'delete', changed: true });
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')).toHaveLength(0);

    const again = await h.invoke(tfEvent(input, 'delete', input));
    expect(again).toMatchObject({ action: 'delete', changed: false, configId: null });
    expect(fake.callsTo('DeleteEnforcedGuardrailConfiguration')).toHaveLength(1);
  });

  test('one function serves every region: clients are built per region', async () => {
    await h.invoke(tfEvent(enforcement({}, memberTarget('us-east-1')), 'create'));
    await h.invoke(tfEvent(enforcement({}, memberTarget('eu-west-1')), 'create'));
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')).toHaveLength(1);
    expect(fake.configsIn(MEMBER_ACCOUNT, 'eu-west-1')).toHaveLength(1);
    expect(fake.configsIn(MEMBER_ACCOUNT, 'eu-west-1')[0].guardrailArn).toBe(GUARDRAIL_ARN.replace('us-east-1', 'eu-west-1'));
    expect(new Set(fake.calls.filter((c) => c.service === 'bedrock').map((c) => c.region))).toEqual(new Set(['us-east-1', 'eu-west-1']));
  });

  test('an update that moves the object to another region releases the old configuration', async () => {
    const east = enforcement({}, memberTarget('us-east-1'));
    await h.invoke(tfEvent(east, 'create'));
    const west = enforcement({}, memberTarget('us-west-2'));
    const result = await h.invoke(tfEvent(west, 'update', east));
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')).toHaveLength(0);
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-west-2')).toHaveLength(1);
    expect(result).toMatchObject({ region: 'us-west-2', changed: true, released: { region: 'us-east-1', changed: true } });
  });

  test('paginated listing is followed to the end', async () => {
    await h.invoke(tfEvent(enforcement(), 'create'));
    fake.emptyFirstListPage = true;
    const replay = await h.invoke(tfEvent(enforcement(), 'create'));
    expect(replay).toMatchObject({ changed: false });
    const lists = fake.callsTo('ListEnforcedGuardrailsConfiguration');
    expect(lists[lists.length - 1].input).toEqual({ nextToken: 'page2' });
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')).toHaveLength(1);
  });
});

describe('EnforcedGuardrailConfiguration with the function’s own credentials', () => {
  test('no role is assumed and the configuration is created by the host identity', async () => {
    const input = enforcement({}, managementTarget());
    const result = await h.invoke(tfEvent(input, 'create'));
    expect(fake.callsTo('AssumeRole')).toHaveLength(0);
    const configs = fake.configsIn(MANAGEMENT_ACCOUNT, 'us-east-1');
    expect(configs).toHaveLength(1);
    expect(result).toMatchObject({ accountId: MANAGEMENT_ACCOUNT, configId: configs[0].configId, changed: true });
    await h.invoke(tfEvent(input, 'delete', input));
    expect(fake.configsIn(MANAGEMENT_ACCOUNT, 'us-east-1')).toHaveLength(0);
  });
});

describe('EnforcedGuardrailConfiguration owned by someone else', () => {
  test('create refuses to overwrite it and says who created it and how to adopt it', async () => {
    const theirs = fake.seedConfig(MEMBER_ACCOUNT, 'us-east-1', SOMEONE_ELSE, OTHER_GUARDRAIL_ARN, '7');
    const message = await h.invokeFailing(tfEvent(enforcement(), 'create'));
    expect(message).toContain(`EnforcedGuardrailConfiguration "Stack/Enforce" in account ${MEMBER_ACCOUNT}, us-east-1:`);
    expect(message).toContain(SOMEONE_ELSE);
    expect(message).toContain(theirs.configId);
    expect(message).toContain('adoptExisting: true');
    expect(fake.callsTo('PutEnforcedGuardrailConfiguration')).toHaveLength(0);
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')[0]).toMatchObject({ guardrailArn: OTHER_GUARDRAIL_ARN, guardrailVersion: '7' });
  });

  test('with adoptExisting it is taken over in place, and deleted on destroy', async () => {
    const theirs = fake.seedConfig(MEMBER_ACCOUNT, 'us-east-1', SOMEONE_ELSE, OTHER_GUARDRAIL_ARN, '7');
    const input = enforcement({ adoptExisting: true });
    const result = await h.invoke(tfEvent(input, 'create'));
    expect(result).toMatchObject({ configId: theirs.configId, changed: true, drift: false, adopted: true, createdBy: SOMEONE_ELSE });
    expect(fake.callsTo('PutEnforcedGuardrailConfiguration')[0].input).toMatchObject({ configId: theirs.configId });
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')).toEqual([
      expect.objectContaining({ configId: theirs.configId, guardrailArn: GUARDRAIL_ARN, guardrailVersion: '3', updatedBy: MEMBER_SESSION_PRINCIPAL }),
    ]);

    // Replaying the adopting create is harmless.
    expect(await h.invoke(tfEvent(input, 'create'))).toMatchObject({ changed: false, adopted: true });

    await h.invoke(tfEvent(input, 'delete', input));
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')).toHaveLength(0);
  });

  test('an adopted configuration stays managed when a later update drops adoptExisting', async () => {
    fake.seedConfig(MEMBER_ACCOUNT, 'us-east-1', SOMEONE_ELSE, OTHER_GUARDRAIL_ARN, '7');
    const adopting = enforcement({ adoptExisting: true });
    await h.invoke(tfEvent(adopting, 'create'));
    const result = await h.invoke(tfEvent(enforcement({ guardrailVersion: '4' }), 'update', adopting));
    expect(result).toMatchObject({ changed: true, adopted: true, guardrailVersion: '4' });
  });

  test('delete leaves it in place and reports it', async () => {
    fake.seedConfig(MEMBER_ACCOUNT, 'us-east-1', SOMEONE_ELSE, OTHER_GUARDRAIL_ARN, '7');
    const input = enforcement();
    const result = await h.invoke(tfEvent(input, 'delete', input));
    expect(result).toMatchObject({ skipped: 'not owned', createdBy: SOMEONE_ELSE, changed: false });
    expect(fake.callsTo('DeleteEnforcedGuardrailConfiguration')).toHaveLength(0);
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')).toHaveLength(1);
  });

  test('when ours was deleted and replaced by someone else’s, update refuses to take theirs', async () => {
    const input = enforcement();
    await h.invoke(tfEvent(input, 'create'));
    fake.deleteConfigs(MEMBER_ACCOUNT, 'us-east-1');
    fake.seedConfig(MEMBER_ACCOUNT, 'us-east-1', SOMEONE_ELSE, OTHER_GUARDRAIL_ARN, '7');
    const message = await h.invokeFailing(tfEvent(enforcement({ guardrailVersion: '4' }), 'update', input));
    expect(message).toContain('was not created by this stack');
    expect(message).toContain(SOMEONE_ELSE);
  });
});

describe('EnforcedGuardrailConfiguration changed behind the stack’s back', () => {
  test('update converges it and reports drift with who changed it', async () => {
    const v3 = enforcement();
    const created = await h.invoke(tfEvent(v3, 'create'));
    fake.changeConfig(MEMBER_ACCOUNT, 'us-east-1', SOMEONE_ELSE, { guardrailVersion: '9' });

    const v4 = enforcement({ guardrailVersion: '4' });
    const result = await h.invoke(tfEvent(v4, 'update', v3));
    expect(result).toMatchObject({ configId: created.configId, changed: true, drift: true, changedBy: SOMEONE_ELSE });
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')[0]).toMatchObject({ guardrailVersion: '4', updatedBy: MEMBER_SESSION_PRINCIPAL });
  });

  test('a replayed create also converges it and reports drift', async () => {
    const input = enforcement();
    await h.invoke(tfEvent(input, 'create'));
    fake.changeConfig(MEMBER_ACCOUNT, 'us-east-1', SOMEONE_ELSE, { selectiveContentGuarding: { system: 'COMPREHENSIVE', messages: 'SELECTIVE' } });
    const result = await h.invoke(tfEvent(input, 'create'));
    expect(result).toMatchObject({ changed: true, drift: true });
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')[0].selectiveContentGuarding).toEqual({ system: 'SELECTIVE', messages: 'COMPREHENSIVE' });
  });

  test('a configuration that vanished is recreated on update', async () => {
    const v3 = enforcement();
    await h.invoke(tfEvent(v3, 'create'));
    fake.deleteConfigs(MEMBER_ACCOUNT, 'us-east-1');
    const result = await h.invoke(tfEvent(enforcement({ guardrailVersion: '4' }), 'update', v3));
    expect(result).toMatchObject({ changed: true, drift: true, recreated: true });
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')).toEqual([expect.objectContaining({ guardrailVersion: '4', createdBy: MEMBER_SESSION_PRINCIPAL })]);
  });

  test('ownership also holds when AWS records only the role ARN of the writer', async () => {
    fake.recordWriterAs = 'role';
    const input = enforcement();
    await h.invoke(tfEvent(input, 'create'));
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')[0].createdBy).toBe(MEMBER_ROLE);
    expect(await h.invoke(tfEvent(input, 'create'))).toMatchObject({ changed: false, ownership: 'role' });
    await h.invoke(tfEvent(input, 'delete', input));
    expect(fake.configsIn(MEMBER_ACCOUNT, 'us-east-1')).toHaveLength(0);
  });
});
