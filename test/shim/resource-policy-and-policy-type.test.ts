import { GUARDRAIL_ARN, MANAGEMENT_ACCOUNT, policyDoc, policyTypeInput, resourcePolicyInput, tfEvent, useShimHarness } from './harness';

const h = useShimHarness();
const { fake } = h;

/** The same document with keys in another order, arrays reordered and different whitespace. */
function reformatted(policy: string): string {
  const doc = JSON.parse(policy);
  const st = doc.Statement[0];
  return JSON.stringify(
    {
      Statement: [{ Condition: st.Condition, Resource: st.Resource, Action: [...st.Action].reverse(), Principal: st.Principal, Effect: st.Effect, Sid: st.Sid }],
      Version: doc.Version,
    },
    null,
    4,
  );
}

describe('GuardrailResourcePolicy', () => {
  test('create puts the policy with the function’s own credentials and returns its hash; a replay does nothing', async () => {
    const input = resourcePolicyInput();
    const result = await h.invoke(tfEvent(input, 'create'));
    expect(fake.callsTo('AssumeRole')).toHaveLength(0);
    expect(JSON.parse(fake.policyOf(GUARDRAIL_ARN)!)).toEqual(JSON.parse(policyDoc()));
    expect(result).toMatchObject({
      kind: 'GuardrailResourcePolicy',
      action: 'create',
      accountId: MANAGEMENT_ACCOUNT,
      region: 'us-east-1',
      resourceArn: GUARDRAIL_ARN,
      changed: true,
      drift: false,
    });
    expect(result.policySha256).toMatch(/^[0-9a-f]{64}$/);

    // AWS hands the document back re-serialized; the replay must still recognise it.
    const replay = await h.invoke(tfEvent(input, 'create'));
    expect(replay).toMatchObject({ changed: false, policySha256: result.policySha256 });
    expect(fake.callsTo('PutResourcePolicy')).toHaveLength(1);
  });

  test('the hash is of the canonical document, so formatting does not change it', async () => {
    const a = await h.invoke(tfEvent(resourcePolicyInput(), 'create'));
    const b = await h.invoke(tfEvent(resourcePolicyInput({ policy: reformatted(policyDoc()) }), 'create'));
    expect(b.policySha256).toBe(a.policySha256);
    expect(b).toMatchObject({ changed: false });
    // A document that says something else has another hash.
    fake.reset();
    const c = await h.invoke(tfEvent(resourcePolicyInput({ policy: policyDoc('o-neworg') }), 'create'));
    expect(c.policySha256).not.toBe(a.policySha256);
  });

  test('update puts the new policy; a replay does nothing', async () => {
    const before = resourcePolicyInput();
    await h.invoke(tfEvent(before, 'create'));
    const after = resourcePolicyInput({ policy: policyDoc('o-neworg') });
    expect(await h.invoke(tfEvent(after, 'update', before))).toMatchObject({ action: 'update', changed: true, drift: false });
    expect(fake.policyOf(GUARDRAIL_ARN)).toContain('o-neworg');
    expect(await h.invoke(tfEvent(after, 'update', before))).toMatchObject({ changed: false, drift: false });
    expect(fake.callsTo('PutResourcePolicy')).toHaveLength(2);
  });

  test('update over a policy someone else changed converges and reports drift', async () => {
    const before = resourcePolicyInput();
    await h.invoke(tfEvent(before, 'create'));
    fake.setPolicy(GUARDRAIL_ARN, policyDoc('o-someoneelse'));
    const after = resourcePolicyInput({ policy: policyDoc('o-neworg') });
    expect(await h.invoke(tfEvent(after, 'update', before))).toMatchObject({ changed: true, drift: true });
    expect(fake.policyOf(GUARDRAIL_ARN)).toContain('o-neworg');
  });

  test('create refuses to replace a policy it did not write, and names the fix', async () => {
    fake.setPolicy(GUARDRAIL_ARN, policyDoc('o-someoneelse'));
    const message = await h.invokeFailing(tfEvent(resourcePolicyInput(), 'create'));
    expect(message).toContain(`GuardrailResourcePolicy "Stack/GuardrailPolicy" in account ${MANAGEMENT_ACCOUNT}, us-east-1:`);
    expect(message).toContain('already has a resource policy that this stack did not write');
    expect(message).toContain('adoptExisting: true');
    expect(fake.callsTo('PutResourcePolicy')).toHaveLength(0);
    expect(fake.policyOf(GUARDRAIL_ARN)).toContain('o-someoneelse');
  });

  test('with adoptExisting a policy it did not write is replaced', async () => {
    fake.setPolicy(GUARDRAIL_ARN, policyDoc('o-someoneelse'));
    const result = await h.invoke(tfEvent(resourcePolicyInput({ adoptExisting: true }), 'create'));
    expect(result).toMatchObject({ changed: true, adopted: true });
    expect(fake.policyOf(GUARDRAIL_ARN)).toContain('o-exampleorg');
  });

  test('delete removes the policy it wrote; a replay succeeds', async () => {
    const input = resourcePolicyInput();
    await h.invoke(tfEvent(input, 'create'));
    expect(await h.invoke(tfEvent(input, 'delete', input))).toMatchObject({ action: 'delete', changed: true });
    expect(fake.policyOf(GUARDRAIL_ARN)).toBeUndefined();
    expect(await h.invoke(tfEvent(input, 'delete', input))).toMatchObject({ changed: false });
    expect(fake.callsTo('DeleteResourcePolicy')).toHaveLength(1);
  });

  test('delete leaves a policy someone else put there', async () => {
    const input = resourcePolicyInput();
    await h.invoke(tfEvent(input, 'create'));
    fake.setPolicy(GUARDRAIL_ARN, policyDoc('o-someoneelse'));
    expect(await h.invoke(tfEvent(input, 'delete', input))).toMatchObject({ skipped: 'not owned', changed: false });
    expect(fake.policyOf(GUARDRAIL_ARN)).toContain('o-someoneelse');
    expect(fake.callsTo('DeleteResourcePolicy')).toHaveLength(0);
  });
});

describe('OrganizationPolicyType', () => {
  test('create enables the policy type on the root; a replay makes no change', async () => {
    const result = await h.invoke(tfEvent(policyTypeInput(), 'create'));
    expect(result).toMatchObject({ kind: 'OrganizationPolicyType', rootId: 'r-ab12', policyType: 'BEDROCK_POLICY', status: 'ENABLED', changed: true });
    expect(fake.policyTypeStatus(MANAGEMENT_ACCOUNT, 'BEDROCK_POLICY')).toBe('ENABLED');
    expect(fake.callsTo('EnablePolicyType')[0].input).toEqual({ RootId: 'r-ab12', PolicyType: 'BEDROCK_POLICY' });

    expect(await h.invoke(tfEvent(policyTypeInput(), 'create'))).toMatchObject({ status: 'ENABLED', changed: false });
    expect(fake.callsTo('EnablePolicyType')).toHaveLength(1);
  });

  test('already enabled: nothing to do', async () => {
    fake.setPolicyType(MANAGEMENT_ACCOUNT, 'BEDROCK_POLICY', 'ENABLED');
    expect(await h.invoke(tfEvent(policyTypeInput(), 'create'))).toMatchObject({ status: 'ENABLED', changed: false });
    expect(fake.callsTo('EnablePolicyType')).toHaveLength(0);
  });

  test('enabled by someone else between the read and the write: PolicyTypeAlreadyEnabledException is success', async () => {
    fake.inject({ operation: 'EnablePolicyType', type: 'custom', status: 400, code: 'PolicyTypeAlreadyEnabledException' });
    expect(await h.invoke(tfEvent(policyTypeInput(), 'create'))).toMatchObject({ status: 'ENABLED', changed: false });
  });

  test('update converges like create', async () => {
    const before = policyTypeInput();
    const after = policyTypeInput({ disableOnDelete: true });
    expect(await h.invoke(tfEvent(after, 'update', before))).toMatchObject({ action: 'update', status: 'ENABLED', changed: true });
  });

  test('delete keeps the policy type enabled unless disableOnDelete is set', async () => {
    const input = policyTypeInput();
    await h.invoke(tfEvent(input, 'create'));
    expect(await h.invoke(tfEvent(input, 'delete', input))).toMatchObject({ status: 'RETAINED', changed: false, skipped: 'disableOnDelete is false' });
    expect(fake.policyTypeStatus(MANAGEMENT_ACCOUNT, 'BEDROCK_POLICY')).toBe('ENABLED');
    expect(fake.calls.filter((c) => c.service === 'organizations').map((c) => c.operation)).toEqual(['ListRoots', 'EnablePolicyType']);
  });

  test('delete with disableOnDelete disables it; a replay succeeds', async () => {
    const input = policyTypeInput({ disableOnDelete: true });
    await h.invoke(tfEvent(input, 'create'));
    expect(await h.invoke(tfEvent(input, 'delete', input))).toMatchObject({ status: 'DISABLED', changed: true });
    expect(fake.policyTypeStatus(MANAGEMENT_ACCOUNT, 'BEDROCK_POLICY')).toBeUndefined();
    expect(fake.policyTypeStatus(MANAGEMENT_ACCOUNT, 'SERVICE_CONTROL_POLICY')).toBe('ENABLED');
    expect(await h.invoke(tfEvent(input, 'delete', input))).toMatchObject({ status: 'DISABLED', changed: false });
    expect(fake.callsTo('DisablePolicyType')).toHaveLength(1);
  });

  test('disabled by someone else between the read and the write: PolicyTypeNotEnabledException is success', async () => {
    const input = policyTypeInput({ disableOnDelete: true });
    await h.invoke(tfEvent(input, 'create'));
    fake.inject({ operation: 'DisablePolicyType', type: 'custom', status: 400, code: 'PolicyTypeNotEnabledException' });
    expect(await h.invoke(tfEvent(input, 'delete', input))).toMatchObject({ status: 'DISABLED', changed: false });
  });
});
