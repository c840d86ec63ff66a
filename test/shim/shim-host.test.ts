import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AccountEnforcement, ContentFilters, Guardrail, GuardrailPrincipal, ShimHost } from '../../src';
import { memberRoleArn } from '../../src/shim/shim-host';
import { resourcesOf, synth, testStack } from '../helpers';

function one(json: any, type: string): any {
  const all = Object.values(resourcesOf(json, type));
  expect(all).toHaveLength(1);
  return all[0];
}

describe('ShimHost', () => {
  test('defaults: nodejs22.x on arm64, 300 s timeout, logs kept 90 days in the function\'s own group', () => {
    const { stack } = testStack();
    new Guardrail(stack, 'G', { name: 'g', contentFilters: ContentFilters.all() }).grantApply(GuardrailPrincipal.owningAccount());
    const json = synth(stack);
    const fn = one(json, 'aws_lambda_function');
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], handler: 'index.handler', timeout: 300, memory_size: 256, function_name: 'test-GuardrailsShim' });
    expect(fn.source_code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(fn.filename).toMatch(/^assets\/GuardrailsShim_Code_\w+\/[0-9A-F]{32}\/archive\.zip$/);
    expect(one(json, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/lambda/test-GuardrailsShim', retention_in_days: 90 });
    const role = one(json, 'aws_iam_role');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    const policy = JSON.parse(one(json, 'aws_iam_role_policy').policy);
    expect(policy.Statement[0]).toEqual({ Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.\w+\.arn\}:\*$/) });
  });

  test('options set retention and timeout; out-of-range values are refused', () => {
    const { stack } = testStack();
    const host = ShimHost.of(stack, undefined, { logRetentionDays: 30, timeoutSeconds: 120 });
    expect(ShimHost.of(stack)).toBe(host);
    const json = synth(stack);
    expect(one(json, 'aws_cloudwatch_log_group').retention_in_days).toBe(30);
    expect(one(json, 'aws_lambda_function').timeout).toBe(120);
    expect(() => ShimHost.of(testStack().stack, undefined, { timeoutSeconds: 5 })).toThrow(/`timeoutSeconds` must be between 30 and 900, got 5/);
  });

  test('one host per provider: an aliased provider in another account gets its own', () => {
    const { stack } = testStack();
    const other = new AwsProvider(stack, 'other', { region: 'eu-west-1', alias: 'other', allowedAccountIds: ['999999999999'] });
    const a = ShimHost.of(stack);
    const b = ShimHost.of(stack, other);
    expect(b).not.toBe(a);
    expect(b.region).toBe('eu-west-1');
    expect(b.account).toBe('999999999999');
    expect(Object.keys(resourcesOf(synth(stack), 'aws_lambda_function'))).toHaveLength(2);
  });

  test('member role ARNs: default path, nested path, refused names', () => {
    expect(memberRoleArn('222222222222', 'OrganizationAccountAccessRole')).toBe('arn:aws:iam::222222222222:role/OrganizationAccountAccessRole');
    expect(memberRoleArn('222222222222', '/platform/Guardrails')).toBe('arn:aws:iam::222222222222:role/platform/Guardrails');
    expect(() => memberRoleArn('222222222222', 'bad role')).toThrow(/must be an IAM role name or path\/name, got "bad role"/);
  });
});

describe('ShimHost role policy size', () => {
  test('a host assuming too many member roles fails synth with the fix', () => {
    const { stack } = testStack();
    const g = new Guardrail(stack, 'G', { name: 'g', contentFilters: ContentFilters.all() });
    const version = g.addVersion();
    g.grantApply(GuardrailPrincipal.organization('o-abcdefghij'));
    for (let i = 0; i < 200; i++) {
      new AccountEnforcement(stack, `Member-${i}`, { version, account: String(200000000000 + i) });
    }
    expect(() => synth(stack)).toThrow(/\[GR-SHIM-001\].*the shim role's policy is about \d+ characters \(it names 200 member roles .* over IAM's 10240 .*splitAccountEnforcement/);
  });

  test('a hundred member roles fit', () => {
    const { stack } = testStack();
    const g = new Guardrail(stack, 'G', { name: 'g', contentFilters: ContentFilters.all() });
    const version = g.addVersion();
    g.grantApply(GuardrailPrincipal.organization('o-abcdefghij'));
    for (let i = 0; i < 100; i++) new AccountEnforcement(stack, `Member-${i}`, { version, account: String(200000000000 + i) });
    expect(() => synth(stack)).not.toThrow();
  });
});
