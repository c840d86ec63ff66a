/**
 * Deploy tier, a failing apply: a member account already has an enforced guardrail configuration
 * that someone else made (one per account and region). The default app's apply must fail with
 * the handler's message, leave that configuration untouched, and a destroy must still remove
 * everything the apply made.
 */
import { buildDefaultApp, DEFAULT_ORGANIZATION } from '../../stacks/default-app';
import { leftovers } from './checks';
import { describeCall, describeDeploy } from './deploy';
import type { EmulatorState } from './emulator';
import { deniedCalls, useScenario } from './scenario';

const MEMBER = '333333333333';
const SOMEONE_ELSE = `arn:aws:sts::${MEMBER}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com`;
const WRITES = ['PutEnforcedGuardrailConfiguration', 'DeleteEnforcedGuardrailConfiguration'];

describeDeploy('deploy tier: a configuration someone else made in a member account', () => {
  const s = useScenario('failures', DEFAULT_ORGANIZATION);
  let theirs: EmulatorState['bedrock']['enforcedConfigurations'][number];
  let beforeApply: EmulatorState;

  test('the apply fails with the handler\'s message, which names their configuration and the fix', async () => {
    await s.emulator.injectConfiguration({
      account: MEMBER, region: 'us-east-1', createdBy: SOMEONE_ELSE,
      guardrailArn: `arn:aws:bedrock:us-east-1:${MEMBER}:guardrail/theirs000001`, guardrailVersion: '4',
    });
    beforeApply = await s.emulator.state();
    theirs = beforeApply.bedrock.enforcedConfigurations[0];
    expect(theirs).toMatchObject({ account: MEMBER, createdBy: SOMEONE_ELSE });
    s.deployment.use(s.synth(buildDefaultApp).stackDir('management'));
    const { result, calls } = await s.phase(() => s.deployment.applyMayFail());

    expect(result.ok).toBe(false);
    // The provider reports the function error's payload: {"errorType", "errorMessage", "trace"}.
    const failed = result.errors.find((e) => e.address === `aws_lambda_invocation.Member-${MEMBER}_Configuration_810A6DEE`);
    expect(failed).toBeDefined();
    const payload = JSON.parse(/\((management-GuardrailsShim)\): (\{.*\})\s*$/s.exec(failed!.summary)?.[2] ?? '{}');
    expect(payload.errorType).toBe('ShimFailed');
    const message: string = payload.errorMessage;
    expect(message).toMatch(new RegExp(`^EnforcedGuardrailConfiguration "management/Member-${MEMBER}/Configuration" in account ${MEMBER}, us-east-1: `
      + 'an enforced guardrail configuration already exists in this account and region and was not created by this stack'));
    expect(message).toContain(`configuration ${theirs.configId}`);
    expect(message).toContain(`created by ${SOMEONE_ELSE}`);
    expect(message).toContain('set adoptExisting: true');
    expect(result.errors).toHaveLength(1);
    // Nothing wrote to the member's configurations; the rest of the stack was applied.
    expect(calls.filter((c) => WRITES.includes(c.operation)).map(describeCall)).toEqual([]);
    expect(deniedCalls(calls).map(describeCall)).toEqual([]);
    const state = await s.emulator.state();
    expect(state.bedrock.enforcedConfigurations).toEqual([theirs]);
    expect(state.organizations.policies).toHaveLength(1);
  });

  test('destroy still removes everything the apply made, and their configuration stays as it was', async () => {
    const { calls } = await s.phase(() => s.deployment.destroy());
    const state = await s.emulator.state();
    expect(leftovers(beforeApply, state)).toEqual([]);
    expect(state.bedrock.enforcedConfigurations).toEqual([theirs]);
    expect(calls.filter((c) => WRITES.includes(c.operation)).map(describeCall)).toEqual([]);
    expect(s.deployment.stateAddresses()).toEqual([]);
  });
});
