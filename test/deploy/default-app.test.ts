/**
 * Deploy tier, the default app (stacks/default-app.ts): apply; `verify` against what was deployed,
 * then again after changes made behind Terraform's back (each reported with its fix, then undone);
 * a re-plan without changes; a guardrail content change (a new version, the organization policy
 * and the account-level configuration move to it, the old version stays, verify agrees); and a
 * destroy that leaves nothing behind.
 */
import { BedrockClient, PutResourcePolicyCommand } from '@aws-sdk/client-bedrock';
import { AttachPolicyCommand, DetachPolicyCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { Guardrail } from '../../src';
import { buildDefaultApp, DEFAULT_ORGANIZATION } from '../../stacks/default-app';
import { SynthesizedApp } from '../app-helpers';
import { applyOrderViolations } from './checks';
import { describeCall, describeDeploy } from './deploy';
import { OperatorSession, RecordedCall } from './emulator';
import { APPLY_RACE, deniedCalls, identifiersIn, memberSession, useScenario, expectCleanDestroy } from './scenario';
import { okRows, problems, rows, runVerify } from './verify';

const MANAGEMENT = DEFAULT_ORGANIZATION.managementAccountId;
const PILOT = '222222222222';
const MEMBER = '333333333333';
const PILOT_OU = 'ou-ex12-pilot001';
const REVISED_MESSAGE = 'This request was blocked by the organization AI policy (revised).';

/** Every row verify reports for the default app, in its order; `--probe` adds the probe rows. */
const VERIFY_ROWS = [
  'organization - caller', 'organization - policy type', 'organization - organization policy', 'organization - invalid effective policies',
  `${MANAGEMENT} - location`, `${MANAGEMENT} - effective policy`, `${MANAGEMENT} us-east-1 guardrail version`, `${MANAGEMENT} us-east-1 resource policy`,
  `${PILOT} - location`, `${PILOT} us-east-1 guardrail access`, `${PILOT} us-east-1 effective policy`, `${PILOT} us-east-1 probe`,
  `${MEMBER} - location`, `${MEMBER} - effective policy`, `${MEMBER} us-east-1 guardrail access`, `${MEMBER} us-east-1 account-level configuration`, `${MEMBER} us-east-1 probe`,
];

/** The calls verify made: its own (the operator's) and those of the member sessions it assumed. */
const verifyCalls = (calls: readonly RecordedCall[], operator: OperatorSession) =>
  calls.filter((c) => c.caller.arn === operator.arn || (c.caller.kind === 'member' && c.caller.arn.endsWith('/cdktf-bedrock-guardrails-verify')));

describeDeploy('deploy tier: the default app', () => {
  const s = useScenario('default-app', DEFAULT_ORGANIZATION);
  let guardrailArn = '';
  let app: SynthesizedApp;
  // An administrator of the management account: who runs verify, and who changes things behind Terraform's back.
  let operator: OperatorSession;
  const verify = (...args: string[]) => runVerify(s.emulator.url, operator, ['--app-dir', app.outdir, ...args]);
  const clientConfig = () => ({ region: 'us-east-1', endpoint: s.emulator.url, credentials: operator, maxAttempts: 1 });

  test('apply creates every object, in an order that never leaves a member enforced on a guardrail it cannot apply', async () => {
    app = s.synth(buildDefaultApp);
    s.deployment.use(app.stackDir('management'));
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

  test('verify, run by an administrator of the management account, finds everything as the app wants, ApplyGuardrail from the members included', async () => {
    operator = await s.emulator.operatorSession('platform-admin');
    const { result: r, calls } = await s.phase(() => verify('--probe'));
    expect(okRows(r)).toEqual(VERIFY_ROWS.map((row) => `${row}: ok`));
    expect(r.report).toMatchObject({ caller: operator.arn, organizationId: DEFAULT_ORGANIZATION.organizationId, managementAccountId: MANAGEMENT });
    const find = (account: string, check: string) => r.report.findings.find((f) => f.account === account && f.check === check)!;
    expect(find(PILOT, 'effective policy').summary).toBe(
      `as the preview predicts: baseline ${guardrailArn}:1, system selective, messages comprehensive, models ALL except amazon.titan-embed-text-v2:0`);
    expect(find(PILOT, 'probe').summary).toMatch(/^ApplyGuardrail on "org-baseline" version 1 from 222222222222 as arn:aws:iam::222222222222:role\/OrganizationAccountAccessRole .*: NONE$/);
    expect(r.report.resolved.map((x) => `${x.reference} = ${x.value}`)).toEqual(expect.arrayContaining([
      expect.stringMatching(/\.guardrail_arn\} = arn:aws:bedrock:us-east-1:111111111111:guardrail\//), expect.stringMatching(/_version\.\S+\.version\} = 1$/),
    ]));

    // Verify only read, and in member accounts only listed configurations and applied the guardrail,
    // through sessions narrowed to that (the emulator checks each call against the session policy).
    const own = verifyCalls(calls, operator);
    expect(own.length).toBe(calls.length);
    expect(deniedCalls(own).map(describeCall)).toEqual([]);
    expect(own.filter((c) => !/^(Get|List|Describe)/.test(c.operation) && !['AssumeRole', 'ApplyGuardrail'].includes(c.operation)).map(describeCall)).toEqual([]);
    const memberActions = new Set(own.filter((c) => c.caller.kind === 'member').map((c) => c.authorization!.action));
    expect([...memberActions].sort()).toEqual(['bedrock:ApplyGuardrail', 'bedrock:ListEnforcedGuardrailsConfiguration']);
    expect(own.filter((c) => c.operation === 'ApplyGuardrail' && c.status === 200).map((c) => c.account).sort()).toEqual([PILOT, MEMBER]);
  });

  test('verify reports a resource policy replaced behind Terraform\'s back: the pilot OU no longer granted, ApplyGuardrail denied there', async () => {
    const original = (await s.emulator.state()).bedrock.resourcePolicies[guardrailArn];
    const doc = JSON.parse(original);
    // Someone narrows the grant to the workloads OU, forgetting the pilot OU the organization policy enforces in.
    doc.Statement[0].Condition['ForAnyValue:StringLike'] = { 'aws:PrincipalOrgPaths': [`${DEFAULT_ORGANIZATION.organizationId}/*/ou-ex12-workload1/*`] };
    const bedrock = new BedrockClient(clientConfig());
    const put = (policy: string) => bedrock.send(new PutResourcePolicyCommand({ resourceArn: guardrailArn, resourcePolicy: policy }));
    const { hazards } = await s.phase(() => put(JSON.stringify(doc)));
    expect(hazards.map((h) => `${h.kind} ${h.account}`)).toEqual([`enforced-but-not-applicable ${PILOT}`]);
    try {
      const { result: r, calls } = await s.phase(() => verify('--probe'));
      expect(r.code).toBe(1);
      expect(problems(r.report).map((f) => `${f.account} ${f.region} ${f.check}`)).toEqual([
        `${MANAGEMENT} us-east-1 resource policy`, `${PILOT} us-east-1 guardrail access`, `${PILOT} us-east-1 probe`,
      ]);
      // A denial is an answer: asked once, not retried as if IAM were still propagating.
      expect(calls.filter((c) => c.operation === 'ApplyGuardrail' && c.account === PILOT).map((c) => c.error?.code)).toEqual(['AccessDeniedException']);
      const [policy, access, probe] = problems(r.report);
      expect(policy.summary).toBe(`the resource policy of "org-baseline" (${guardrailArn}) differs from the app's (management/Guardrail/ResourcePolicy/Guardrail)`);
      expect(policy.fix).toMatch(/^Deploy stack management to restore it/);
      expect(access.summary).toContain(`${PILOT} (o-exampleorg1/r-ex12/${PILOT_OU}/) may not apply "org-baseline" version 1`);
      expect(access.fix).toMatch(new RegExp(`^Grant the account's OU \\(${PILOT_OU}\\)`));
      expect(probe.summary).toBe(`ApplyGuardrail on "org-baseline" version 1 from ${PILOT} failed: AccessDeniedException: User: `
        + `arn:aws:sts::${PILOT}:assumed-role/OrganizationAccountAccessRole/cdktf-bedrock-guardrails-verify is not authorized to perform: `
        + `bedrock:ApplyGuardrail on resource: ${guardrailArn} because no resource-based policy allows the bedrock:ApplyGuardrail action`);
      expect(probe.fix).toMatch(/^Principals of 222222222222 cannot apply the guardrail/);
      // The workloads account is still granted, and says so.
      expect(rows(r.report).filter((row) => row.startsWith(MEMBER))).toEqual(VERIFY_ROWS.filter((row) => row.startsWith(MEMBER)).map((row) => `${row}: ok`));
    } finally {
      await put(original);
      bedrock.destroy();
    }
  });

  test('verify reports the organization policy detached behind Terraform\'s back: the attachment, and the pilot account\'s effective policy', async () => {
    const policyId = (await s.emulator.state()).organizations.policies[0].id;
    const org = new OrganizationsClient(clientConfig());
    await org.send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: PILOT_OU }));
    try {
      const r = await verify();
      expect(r.code).toBe(1);
      expect(problems(r.report).map((f) => `${f.account} ${f.region} ${f.check}`)).toEqual([
        'organization - organization policy', `${PILOT} us-east-1 effective policy`,
      ]);
      const [policy, effective] = problems(r.report);
      expect(policy.details).toEqual([`not attached to ${PILOT_OU}, which the app attaches`]);
      expect(policy.fix).toMatch(/^Deploy stack management to restore content and attachments/);
      expect(effective.details).toEqual([`baseline: preview enforced (${guardrailArn}:1), live absent`]);
    } finally {
      await org.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: PILOT_OU }));
      org.destroy();
    }
  });

  test('a re-plan shows no changes', async () => {
    expect(await s.deployment.plan()).toEqual([]);
  });

  test('a content change publishes version 2; the organization policy and the member configuration move to it; version 1 stays', async () => {
    const before = await s.emulator.state();
    const configId = before.bedrock.enforcedConfigurations[0].configId;
    const updated = s.synth((revised) => {
      const stack = buildDefaultApp(revised);
      const guardrail = stack.node.findAll().find((c): c is Guardrail => c instanceof Guardrail)!;
      guardrail.resource.blockedInputMessaging = REVISED_MESSAGE;
    });
    s.deployment.use(updated.stackDir('management'));
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

    // Verify, on the updated app, finds version 2 enforced everywhere (and the changes above undone).
    const r = await runVerify(s.emulator.url, operator, ['--app-dir', updated.outdir]);
    expect(okRows(r)).toEqual(VERIFY_ROWS.filter((row) => !row.endsWith(' probe')).map((row) => `${row}: ok`));
    expect(r.report.findings.find((f) => f.account === MEMBER && f.check === 'account-level configuration')!.summary).toMatch(/"org-baseline" version 2, as the app wants/);
  });

  test('destroy removes enforcement before what it depends on, and leaves nothing behind', async () => {
    const { state } = await expectCleanDestroy(s);
    // Retained on purpose: disabling the type would detach every BEDROCK_POLICY of the organization.
    expect(state.organizations.enabledPolicyTypes).toEqual(['BEDROCK_POLICY']);
  });
});
