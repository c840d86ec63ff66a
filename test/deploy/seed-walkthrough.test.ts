/**
 * Deploy tier, examples/seed-walkthrough: the share phase, then the enforce phase on the same
 * state, then destroy. Both applies run while IAM propagates: the emulator keeps a new or changed
 * inline role policy from taking effect for a few seconds, as IAM may (issue 9, item 2). The
 * share phase creates the shim role's policy; the enforce phase changes it (a member role to
 * assume, the policy-type permissions) right before the invocations that need it. After the
 * enforce phase, verify finds what it deployed as the app wants.
 */
import * as seedWalkthrough from '../../examples/seed-walkthrough/main';
import { ACCOUNTS, EXAMPLE_ORGANIZATION, OUS } from '../../examples/shared/organization';
import { SynthesizedApp } from '../app-helpers';
import { applyOrderViolations } from './checks';
import { describeCall, describeDeploy } from './deploy';
import type { RecordedCall } from './emulator';
import { APPLY_RACE, deniedCalls, memberSession, useScenario, expectCleanDestroy } from './scenario';
import { okRows, runVerify } from './verify';

/**
 * Seconds a new or changed inline role policy denies in this scenario: longer than the few
 * seconds Terraform takes from PutRolePolicy to the first invocation (about 5 s measured here),
 * so the handler meets the denial.
 */
const IAM_DELAY_SECONDS = 12;
const TITAN_EMBED = 'amazon.titan-embed-text-v2:0';

/**
 * Every call the IAM delay refused was refused only because the policy was still propagating,
 * and the same action on the same resource later succeeded for the same caller.
 */
function propagationRetried(calls: readonly RecordedCall[]): { denied: RecordedCall[]; unresolved: string[] } {
  const denied = deniedCalls(calls);
  const unresolved = denied.filter((d) => !d.authorization!.propagating || !calls.some((c) => c.seq > d.seq
    && c.authorization?.allowed && c.authorization.action === d.authorization!.action && c.authorization.resource === d.authorization!.resource
    && (c.status ?? 500) < 500)).map(describeCall);
  return { denied, unresolved };
}

describeDeploy('deploy tier: examples/seed-walkthrough (share, then enforce, then destroy)', () => {
  const s = useScenario('seed-walkthrough', EXAMPLE_ORGANIZATION);
  let guardrailArn = '';
  let enforce: SynthesizedApp;

  test(`share: the guardrail, version 1 and its resource policy, while the new shim policy takes ${IAM_DELAY_SECONDS} s to propagate; nothing enforced`, async () => {
    s.deployment.use(s.synth((app) => seedWalkthrough.build(app, { phase: 'share' })).stackDir('management'));
    await s.emulator.setIamDelay(IAM_DELAY_SECONDS);
    const { calls, hazards } = await s.phase(() => s.deployment.apply());
    const state = await s.emulator.state();

    expect(state.bedrock.guardrails).toHaveLength(1);
    guardrailArn = state.bedrock.guardrails[0].arn;
    expect(state.bedrock.guardrails[0].versions['1'].description).toBe('Seed baseline');
    expect(Object.keys(state.bedrock.resourcePolicies)).toEqual([guardrailArn]);
    expect(state.organizations.policies).toEqual([]);
    expect(state.organizations.enabledPolicyTypes).toEqual([]);
    expect(state.bedrock.enforcedConfigurations).toEqual([]);

    // The handler was refused while the policy propagated, and retried until it was not.
    const { denied, unresolved } = propagationRetried(calls);
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((c) => c.caller.kind === 'lambda')).toBe(true);
    expect(unresolved).toEqual([]);
    expect((await s.emulator.invocations()).map((i) => i.ok)).toEqual([true]);
    expect(hazards).toEqual([]);
  });

  test('share: a re-plan shows no changes', async () => {
    expect(await s.deployment.plan()).toEqual([]);
  });

  test('enforce: the BEDROCK_POLICY on the pilot OU and account-level enforcement in the workloads account, while the changed policy propagates', async () => {
    enforce = s.synth((app) => seedWalkthrough.build(app, { phase: 'enforce' }));
    s.deployment.use(enforce.stackDir('management'));
    await s.emulator.setLatency(APPLY_RACE);
    const { calls, hazards } = await s.phase(() => s.deployment.apply());
    await s.emulator.setIamDelay(0);
    await s.emulator.setLatency([]);
    const state = await s.emulator.state();

    expect(state.organizations.enabledPolicyTypes).toEqual(['BEDROCK_POLICY']);
    expect(state.organizations.policies).toHaveLength(1);
    const policy = state.organizations.policies[0];
    expect(policy).toMatchObject({ name: 'bedrock-guardrails-baseline', type: 'BEDROCK_POLICY', targets: [OUS.pilot] });
    expect(JSON.parse(policy.content)).toEqual({
      bedrock: { guardrail_inference: { 'us-east-1': { baseline: {
        identifier: { '@@assign': `${guardrailArn}:1` },
        selective_content_guarding: { system: { '@@assign': 'selective' }, messages: { '@@assign': 'selective' } },
        model_enforcement: { included_models: { '@@assign': ['ALL'] }, excluded_models: { '@@assign': [TITAN_EMBED] } },
      } } } },
    });
    expect(state.bedrock.enforcedConfigurations).toEqual([expect.objectContaining({
      account: ACCOUNTS.workloads, region: 'us-east-1', guardrailArn, guardrailVersion: '1', createdBy: memberSession(ACCOUNTS.workloads),
      selectiveContentGuarding: { system: 'SELECTIVE', messages: 'COMPREHENSIVE' },
      modelEnforcement: { includedModels: ['ALL'], excludedModels: [TITAN_EMBED] },
    })]);

    expect(applyOrderViolations(calls)).toEqual([]);
    expect(hazards).toEqual([]);
    // The member role could not be assumed until the shim role's changed policy took effect.
    const { denied, unresolved } = propagationRetried(calls);
    expect(denied.map((c) => c.authorization!.action)).toContain('sts:AssumeRole');
    expect(unresolved).toEqual([]);
  });

  test('enforce: verify finds the policy, the effective policy, the member configuration (models and guarding modes) as the app wants', async () => {
    const operator = await s.emulator.operatorSession('platform-admin');
    const found = okRows(await runVerify(s.emulator.url, operator, ['--app-dir', enforce.outdir, '--probe']));
    expect(found).toEqual(expect.arrayContaining([
      'organization - organization policy: ok', `${ACCOUNTS.pilot} us-east-1 effective policy: ok`, `${ACCOUNTS.pilot} us-east-1 probe: ok`,
      `${ACCOUNTS.workloads} us-east-1 account-level configuration: ok`, `${ACCOUNTS.workloads} us-east-1 probe: ok`,
    ]));
  });

  test('enforce: a re-plan shows no changes', async () => {
    expect(await s.deployment.plan()).toEqual([]);
  });

  test('destroy removes enforcement before what it depends on, and leaves nothing behind', async () => {
    await expectCleanDestroy(s);
  });
});
