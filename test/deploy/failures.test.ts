/**
 * Deploy tier, failing applies of the default app:
 * - a member account already has an enforced guardrail configuration that someone else made (one
 *   per account and region): the apply fails with the handler's message, that configuration is
 *   untouched, and a destroy still removes everything the apply made;
 * - IAM still propagating the shim role's new policy, with the handler's AccessDenied retries turned
 *   off: the apply fails with the message naming both causes and what was denied. With retries on
 *   (the default), the same delay is met and passed in the seed-walkthrough scenario.
 */
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { buildDefaultApp, DEFAULT_ORGANIZATION } from '../../stacks/default-app';
import { describeCall, describeDeploy } from './deploy';
import type { EmulatorState } from './emulator';
import { deniedCalls, expectCleanDestroy, functionError, useScenario } from './scenario';

const MANAGEMENT = DEFAULT_ORGANIZATION.managementAccountId;
const MEMBER = '333333333333';
const SOMEONE_ELSE = `arn:aws:sts::${MEMBER}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com`;
const WRITES = ['PutEnforcedGuardrailConfiguration', 'DeleteEnforcedGuardrailConfiguration'];
const SHIM_SESSION = `arn:aws:sts::${MANAGEMENT}:assumed-role/management-GuardrailsShim/management-GuardrailsShim`;

describeDeploy('deploy tier: failing applies', () => {
  describe('a configuration someone else made in a member account', () => {
    const s = useScenario('failures-conflict', DEFAULT_ORGANIZATION);
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
      expect(result.errors.map((e) => e.address)).toEqual([`aws_lambda_invocation.Member-${MEMBER}_Configuration_810A6DEE`]);
      const failure = functionError(result.errors[0].summary);
      expect(failure.errorType).toBe('ShimFailed');
      expect(failure.errorMessage).toMatch(new RegExp(`^EnforcedGuardrailConfiguration "management/Member-${MEMBER}/Configuration" in account ${MEMBER}, us-east-1: `
        + 'an enforced guardrail configuration already exists in this account and region and was not created by this stack'));
      expect(failure.errorMessage).toContain(`configuration ${theirs.configId}`);
      expect(failure.errorMessage).toContain(`created by ${SOMEONE_ELSE}`);
      expect(failure.errorMessage).toContain('set adoptExisting: true');
      // Nothing wrote to the member's configurations; the rest of the stack was applied.
      expect(calls.filter((c) => WRITES.includes(c.operation)).map(describeCall)).toEqual([]);
      expect(deniedCalls(calls).map(describeCall)).toEqual([]);
      const state = await s.emulator.state();
      expect(state.bedrock.enforcedConfigurations).toEqual([theirs]);
      expect(state.organizations.policies).toHaveLength(1);
    });

    test('destroy still removes everything the apply made, and their configuration stays as it was', async () => {
      // Nothing beyond what was there before the apply, their configuration included.
      const { state, calls } = await expectCleanDestroy(s, { baseline: beforeApply });
      expect(state.bedrock.enforcedConfigurations).toEqual([theirs]);
      expect(calls.filter((c) => WRITES.includes(c.operation)).map(describeCall)).toEqual([]);
    });
  });

  describe('IAM still propagating the shim role\'s policy, with the handler\'s retries turned off', () => {
    const s = useScenario('failures-propagation', DEFAULT_ORGANIZATION);

    test('the apply fails, naming both causes and the action and resource denied', async () => {
      s.deployment.use(s.synth((app) => {
        buildDefaultApp(app);
        for (const fn of app.node.findAll().filter((c): c is LambdaFunction => c instanceof LambdaFunction)) {
          fn.putEnvironment({ variables: { SHIM_PERMISSION_RETRY_SECONDS: '0' } });
        }
      }).stackDir('management'));
      await s.emulator.setIamDelay(30);
      const { result, calls } = await s.phase(() => s.deployment.applyMayFail());
      await s.emulator.setIamDelay(0);

      expect(result.ok).toBe(false);
      const messages = result.errors.map((e) => functionError(e.summary).errorMessage ?? e.summary).sort();
      expect(messages).toHaveLength(2); // the resource policy and the policy type; the rest waits on them
      const guardrailArn = (await s.emulator.state()).bedrock.guardrails[0].arn;
      expect(messages[0]).toBe(`GuardrailResourcePolicy "management/Guardrail/ResourcePolicy/Guardrail" in account ${MANAGEMENT}, us-east-1: `
        + `GetResourcePolicy failed: AccessDeniedException: User: ${SHIM_SESSION} is not authorized to perform: bedrock:GetResourcePolicy `
        + `on resource: ${guardrailArn} because no identity-based policy allows the bedrock:GetResourcePolicy action. `
        + 'Not retried (SHIM_PERMISSION_RETRY_SECONDS=0). Two possible causes: IAM has not yet propagated a policy change made just before '
        + 'this apply (a new or changed shim role policy, or a member role\'s trust policy or permissions; apply again in a few minutes), '
        + `or the permission is missing: ${SHIM_SESSION} needs bedrock:GetResourcePolicy on ${guardrailArn} (check the shim role's inline `
        + 'policy and, for a member account, the member role\'s policies and the session policy).');
      expect(messages[1]).toMatch(/^OrganizationPolicyType "management\/BedrockPolicyType\/Enable" .*: ListRoots failed: AccessDeniedException: .* organizations:ListRoots .*Two possible causes/);
      // Exactly the two denials the messages name (retries are off: one call each), both while the policy was still propagating.
      const denied = deniedCalls(calls);
      expect(denied).toHaveLength(2);
      expect(denied.map((c) => `${c.authorization!.action} on ${c.authorization!.resource}`).sort())
        .toEqual([`bedrock:GetResourcePolicy on ${guardrailArn}`, 'organizations:ListRoots on *']);
      expect(denied.every((c) => c.authorization!.propagating)).toBe(true);
    });

    test('destroy removes what the apply made', async () => {
      await expectCleanDestroy(s);
    });
  });
});
