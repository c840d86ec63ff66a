/**
 * Deploy tier, the default app (stacks/default-app.ts): apply, a re-plan without changes, a
 * guardrail content change (a new version, the organization policy and the account-level
 * configuration move to it, the old version stays), and a destroy that leaves nothing behind.
 */
import { Guardrail } from '../../src';
import { buildDefaultApp, DEFAULT_ORGANIZATION } from '../../stacks/default-app';
import { applyOrderViolations, destroyOrderViolations, leftovers } from './checks';
import { describeCall, describeDeploy } from './deploy';
import { APPLY_RACE, DESTROY_RACE, deniedCalls, identifiersIn, memberSession, useScenario } from './scenario';

const MANAGEMENT = DEFAULT_ORGANIZATION.managementAccountId;
const MEMBER = '333333333333';
const REVISED_MESSAGE = 'This request was blocked by the organization AI policy (revised).';

describeDeploy('deploy tier: the default app', () => {
  const s = useScenario('default-app', DEFAULT_ORGANIZATION);
  let guardrailArn = '';

  test('apply creates every object, in an order that never leaves a member enforced on a guardrail it cannot apply', async () => {
    s.deployment.use(s.synth(buildDefaultApp).stackDir('management'));
    await s.emulator.setLatency(APPLY_RACE);
    const { calls, hazards } = await s.phase(() => s.deployment.apply());
    await s.emulator.setLatency([]);
    const state = await s.emulator.state();

    expect(state.bedrock.guardrails).toHaveLength(1);
    const guardrail = state.bedrock.guardrails[0];
    guardrailArn = guardrail.arn;
    expect(guardrail).toMatchObject({ account: MANAGEMENT, region: 'us-east-1', name: 'org-baseline', tags: { 'managed-by': 'cdktf-bedrock-guardrails' } });
    expect(Object.keys(guardrail.versions)).toEqual(['1']);
    expect(guardrail.versions['1'].description).toBe('Baseline');

    expect(JSON.parse(state.bedrock.resourcePolicies[guardrailArn])).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'ApplyGuardrail1', Effect: 'Allow', Principal: '*', Action: ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'],
        Resource: guardrailArn, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } } }],
    });

    expect(state.organizations.enabledPolicyTypes).toContain('BEDROCK_POLICY');
    expect(state.organizations.policies).toHaveLength(1);
    const policy = state.organizations.policies[0];
    // Stored as what it is; the offline provider, which can only send TAG_POLICY, is told TAG_POLICY.
    expect(policy).toMatchObject({ name: 'bedrock-guardrails', type: 'BEDROCK_POLICY', reportedToTerraformAs: 'TAG_POLICY', targets: ['ou-ex12-pilot001'] });
    expect(identifiersIn(policy.content)).toEqual([`${guardrailArn}:1`]);

    expect(state.bedrock.enforcedConfigurations).toEqual([expect.objectContaining({
      account: MEMBER, region: 'us-east-1', guardrailArn, guardrailVersion: '1', createdBy: memberSession(MEMBER),
      selectiveContentGuarding: { system: 'COMPREHENSIVE', messages: 'COMPREHENSIVE' },
    })]);

    expect(deniedCalls(calls).map(describeCall)).toEqual([]);
    expect(applyOrderViolations(calls)).toEqual([]);
    expect(hazards).toEqual([]);
    // The handler's log reached the function's log group, written with the role's permissions.
    const invocations = await s.emulator.invocations();
    expect(invocations.length).toBe(3);
    expect(invocations.filter((i) => i.logsDropped)).toEqual([]);
    expect(state.logs.logGroups.find((g) => g.name === '/aws/lambda/management-GuardrailsShim')?.streams.length).toBe(3);

    expect(await s.deployment.outputs()).toMatchObject({ guardrail_arn: guardrailArn, guardrail_version: '1', organization_policy_id: policy.id });
  });

  test('a re-plan shows no changes', async () => {
    expect(await s.deployment.plan()).toEqual([]);
  });

  test('a content change publishes version 2; the organization policy and the member configuration move to it; version 1 stays', async () => {
    const before = await s.emulator.state();
    const configId = before.bedrock.enforcedConfigurations[0].configId;
    s.deployment.use(s.synth((app) => {
      const stack = buildDefaultApp(app);
      const guardrail = stack.node.findAll().find((c): c is Guardrail => c instanceof Guardrail)!;
      guardrail.resource.blockedInputMessaging = REVISED_MESSAGE;
    }).stackDir('management'));
    const { calls, hazards } = await s.phase(() => s.deployment.apply());
    const state = await s.emulator.state();

    const guardrail = state.bedrock.guardrails[0];
    expect(guardrail.arn).toBe(guardrailArn);
    expect(guardrail.definition.blockedInputMessaging).toBe(REVISED_MESSAGE);
    expect(Object.keys(guardrail.versions).sort()).toEqual(['1', '2']);
    expect(guardrail.versions['2'].definition.blockedInputMessaging).toBe(REVISED_MESSAGE);
    expect(guardrail.versions['1'].definition.blockedInputMessaging).not.toBe(REVISED_MESSAGE);
    expect(identifiersIn(state.organizations.policies[0].content)).toEqual([`${guardrailArn}:2`]);
    expect(state.bedrock.enforcedConfigurations).toEqual([expect.objectContaining({
      configId, guardrailVersion: '2', createdBy: memberSession(MEMBER), updatedBy: memberSession(MEMBER),
    })]);
    // The version is published once, and no version is deleted (skip_destroy).
    expect(calls.filter((c) => c.operation === 'CreateGuardrailVersion' && (c.status ?? 500) < 400)).toHaveLength(1);
    expect(calls.filter((c) => c.operation === 'DeleteGuardrail')).toEqual([]);
    expect(deniedCalls(calls).map(describeCall)).toEqual([]);
    expect(hazards).toEqual([]);
    expect(await s.deployment.outputs()).toMatchObject({ guardrail_version: '2' });
    expect(await s.deployment.plan()).toEqual([]);
  });

  test('destroy removes enforcement before what it depends on, and leaves nothing behind', async () => {
    await s.emulator.setLatency(DESTROY_RACE);
    const { calls, hazards } = await s.phase(() => s.deployment.destroy());
    const state = await s.emulator.state();
    expect(destroyOrderViolations(calls)).toEqual([]);
    expect(deniedCalls(calls).map(describeCall)).toEqual([]);
    expect(leftovers(s.baseline, state)).toEqual([]);
    // Retained on purpose: disabling the type would detach every BEDROCK_POLICY of the organization.
    expect(state.organizations.enabledPolicyTypes).toEqual(['BEDROCK_POLICY']);
    expect(hazards).toEqual([]);
    expect(s.deployment.stateAddresses()).toEqual([]);
  });
});
