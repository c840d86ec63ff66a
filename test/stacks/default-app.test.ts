import * as fs from 'fs';
import * as path from 'path';
import { buildDefaultApp } from '../../stacks/default-app';
import { BEDROCK_POLICY_PROVIDER_CONSTRAINT } from '../../src';
import { all, shimInputs, synthApp } from '../app-helpers';
import { checkWithTerraform, describeTerraform, TerraformCheckResult } from '../terraform/harness';

const synthesized = synthApp(buildDefaultApp);
const management = synthesized.stacks.management;

describe('the default app', () => {
  test('is one management stack: the guardrail, its version, the shim and the organization policy', () => {
    expect(Object.keys(synthesized.stacks)).toEqual(['management']);
    expect(Object.keys(management.resource).sort()).toEqual([
      'aws_bedrock_guardrail', 'aws_bedrock_guardrail_version', 'aws_cloudwatch_log_group', 'aws_iam_role', 'aws_iam_role_policy',
      'aws_lambda_function', 'aws_lambda_invocation', 'aws_organizations_policy', 'aws_organizations_policy_attachment', 'terraform_data',
    ]);
    expect(Object.keys(management.output).sort()).toEqual(['guardrail_arn', 'guardrail_id', 'guardrail_version', 'organization_policy_id']);
  });

  test('publishes one version of the guardrail, retained on replacement', () => {
    expect(all(management, 'aws_bedrock_guardrail')).toHaveLength(1);
    const [version] = all(management, 'aws_bedrock_guardrail_version');
    expect(version.skip_destroy).toBe(true);
    expect(version.description).toBe('Baseline');
    expect(management.output.guardrail_version.value).toMatch(/^\$\{aws_bedrock_guardrail_version\.[\w]+\.version\}$/);
  });

  test('grants the organization, enables the policy type, and enforces in one member account', () => {
    const inputs = shimInputs(management);
    expect(inputs.map((i) => i.kind).sort()).toEqual(['EnforcedGuardrailConfiguration', 'GuardrailResourcePolicy', 'OrganizationPolicyType']);
    const policy = JSON.parse(inputs.find((i) => i.kind === 'GuardrailResourcePolicy').properties.policy);
    expect(policy.Statement[0].Condition.StringEquals['aws:PrincipalOrgID']).toBe('o-exampleorg1');
    const member = inputs.find((i) => i.kind === 'EnforcedGuardrailConfiguration');
    expect(member.target).toEqual({ accountId: '333333333333', region: 'us-east-1', roleArn: 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole', sessionName: 'cdktf-bedrock-guardrails' });
    expect(member.properties.selectiveContentGuarding).toEqual({ messages: 'COMPREHENSIVE' });
  });

  test('attaches the BEDROCK_POLICY to the pilot OU only', () => {
    const [policy] = all(management, 'aws_organizations_policy');
    expect(policy.type).toBe('BEDROCK_POLICY');
    const content = JSON.parse(policy.content);
    const baseline = content.bedrock.guardrail_inference['us-east-1'].baseline;
    expect(baseline.identifier['@@assign']).toMatch(/^\$\{aws_bedrock_guardrail\.\w+\.guardrail_arn\}:\$\{aws_bedrock_guardrail_version\.\w+\.version\}$/);
    expect(baseline.selective_content_guarding).toEqual({ system: { '@@assign': 'selective' }, messages: { '@@assign': 'comprehensive' } });
    expect(all(management, 'aws_organizations_policy_attachment').map((a) => a.target_id)).toEqual(['ou-ex12-pilot001']);
    expect(management.terraform.required_providers.aws.version).toBe(BEDROCK_POLICY_PROVIDER_CONSTRAINT);
  });

  test('writes the effective-enforcement preview beside the stack and summarizes it', () => {
    const dir = synthesized.stackDir('management');
    const preview = JSON.parse(fs.readFileSync(path.join(dir, 'enforcement-preview.json'), 'utf8'));
    const pilot = preview.accounts.find((a: any) => a.account === '222222222222');
    expect(JSON.stringify(pilot)).toContain('bedrock-guardrails');
    const markdown = fs.readFileSync(path.join(dir, 'enforcement-preview.md'), 'utf8');
    // The stack's own preview says where the app-wide one is and which accounts it leaves to others.
    expect(markdown).toContain("This is stack **management**'s part of the app's preview");
    expect(markdown).toContain('[../../enforcement-preview.md](../../enforcement-preview.md)');
    expect(markdown).toContain('This stack enforces nothing in 111111111111');
    expect(markdown).toMatch(/\n\| Account \| Region \|/);
    expect(preview.scope).toEqual({ stack: 'management', appPreview: '../../enforcement-preview.md', accountsNotEnforcedHere: ['111111111111'], unguardedInApp: 1 });
    // The printed summary names the unguarded account and where the preview is.
    expect(synthesized.summary).toMatch(/1 guarded by organization policy only, 1 by account-level enforcement only/);
    expect(synthesized.summary).toMatch(/Unguarded: 111111111111 in us-east-1\. Preview: .*enforcement-preview\.md$/);
    // The app-wide preview sits at the top of the output and shows the unguarded account too;
    // beside the stack, only the accounts the stack reaches.
    const whole = JSON.parse(fs.readFileSync(path.join(synthesized.outdir, 'enforcement-preview.json'), 'utf8'));
    expect(whole.accounts.map((a: any) => a.account)).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(whole.summary).toMatchObject({ organizationOnly: 1, accountOnly: 1, unguarded: 1 });
    expect(preview.accounts.map((a: any) => a.account)).toEqual(['222222222222', '333333333333']);
    expect(preview.summary).toMatchObject({ organizationOnly: 1, accountOnly: 1, unguarded: 0 });
  });
});

describeTerraform('the default app under terraform', () => {
  const checks: Record<string, Promise<TerraformCheckResult>> = {};
  beforeAll(() => {
    for (const name of Object.keys(synthesized.stacks)) {
      checks[name] = checkWithTerraform(synthesized.stackDir(name), { validate: true });
      checks[name].catch(() => undefined);
    }
  });

  test('every stack validates and plans offline', async () => {
    for (const check of Object.values(checks)) {
      const result = await check;
      expect(result.resourceChanges.length).toBeGreaterThan(0);
      expect(result.resourceChanges.filter((c) => c.action !== 'create')).toEqual([]);
    }
    const management = await checks.management;
    const types = new Set(management.resourceChanges.map((c) => c.type));
    for (const t of ['aws_bedrock_guardrail', 'aws_bedrock_guardrail_version', 'aws_lambda_invocation', 'aws_organizations_policy', 'aws_organizations_policy_attachment', 'terraform_data']) {
      expect(types).toContain(t);
    }
  });
});
