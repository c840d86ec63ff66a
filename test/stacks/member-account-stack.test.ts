import { Testing } from 'cdktf';
import { buildDefaultApp } from '../../stacks/default-app';
import { MemberAccountStack } from '../../src';
import { ContentFilters, ContentGuarding, GuardrailsValidationError } from '../../src';
import { all, shimInputs } from '../app-helpers';

describe('MemberAccountStack', () => {
  test('a unit\'s own guardrail, enforced in its own account without assuming a role', () => {
    const app = Testing.app();
    const unit = new MemberAccountStack(app, 'unit', {
      accountId: '444444444444', region: 'eu-west-1',
      guardrail: { name: 'unit-strict', contentFilters: ContentFilters.all() },
      messageGuarding: ContentGuarding.SELECTIVE,
    });
    const json = JSON.parse(Testing.synth(unit, true));
    expect(json.provider.aws[0]).toMatchObject({ region: 'eu-west-1', allowed_account_ids: ['444444444444'] });
    expect(all(json, 'aws_bedrock_guardrail')).toHaveLength(1);
    const enforcement = shimInputs(json).find((i) => i.kind === 'EnforcedGuardrailConfiguration');
    expect(enforcement.target).toMatchObject({ accountId: '444444444444', region: 'eu-west-1', roleArn: null });
    expect(enforcement.properties.selectiveContentGuarding).toEqual({ messages: 'SELECTIVE' });
    const policy = JSON.parse(shimInputs(json).find((i) => i.kind === 'GuardrailResourcePolicy').properties.policy);
    expect(policy.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::444444444444:root' });
    expect(Object.keys(json.output).sort()).toEqual(['guardrail_arn', 'guardrail_id', 'guardrail_version']);
  });

  test('the organization\'s version by cross-stack reference: read from the management stack\'s outputs', () => {
    const app = Testing.app();
    const management = buildDefaultApp(app);
    const unit = new MemberAccountStack(app, 'unit', { accountId: '222222222222', region: 'us-east-1', sharedVersion: () => management.version });
    app.synth();
    const json = JSON.parse(Testing.synth(unit, true));
    const remote = json.data.terraform_remote_state;
    expect(Object.keys(remote)).toEqual(['cross-stack-reference-input-management']);
    const enforcement = shimInputs(json).find((i) => i.kind === 'EnforcedGuardrailConfiguration');
    expect(enforcement.properties.guardrailIdentifier).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-management\.outputs\.[\w-]+guardrail_arn\}$/);
    expect(enforcement.properties.guardrailVersion).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-management\.outputs\.[\w-]+version\}$/);
    expect(enforcement.target.roleArn).toBeNull();
    // The management stack exports what the unit reads, beside its own named outputs.
    const outputs = Object.keys(JSON.parse(Testing.synth(management)).output);
    expect(outputs.filter((o) => o.startsWith('cross-stack-output-')).length).toBeGreaterThanOrEqual(2);
  });

  test('a shared version by literal ARN and number, for separate workspaces without remote state', () => {
    const app = Testing.app();
    const unit = new MemberAccountStack(app, 'unit', {
      accountId: '222222222222', region: 'us-east-1',
      sharedVersion: MemberAccountStack.sharedVersion('arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456', '3'),
    });
    const json = JSON.parse(Testing.synth(unit, true));
    expect(json.data).toBeUndefined();
    expect(shimInputs(json).find((i) => i.kind === 'EnforcedGuardrailConfiguration').properties)
      .toMatchObject({ guardrailIdentifier: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456', guardrailVersion: '3' });
  });

  test('refuses both or neither of an own guardrail and a shared version', () => {
    expect(() => new MemberAccountStack(Testing.app(), 'unit', { accountId: '222222222222', region: 'us-east-1' }))
      .toThrow(GuardrailsValidationError);
    expect(() => new MemberAccountStack(Testing.app(), 'unit', {
      accountId: '222222222222', region: 'us-east-1', guardrail: { name: 'g', contentFilters: ContentFilters.all() },
      sharedVersion: MemberAccountStack.sharedVersion('arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456', '3'),
    })).toThrow(/`guardrail` and `sharedVersion` are both set\. Give exactly one/);
  });
});
