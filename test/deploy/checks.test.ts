/**
 * The order and leftover checks on recorded calls and state dumps: a compliant and a
 * non-compliant case each, so a scenario that passes them has really been checked.
 */
import { applyOrderViolations, destroyOrderViolations, leftovers } from './checks';
import type { EmulatorState, RecordedCall } from './emulator';

let seq = 0;
/** A call that starts now and ends `spanning` calls later (so calls can overlap). */
function call(service: string, operation: string, keys: Record<string, string> = {}, status = 200): RecordedCall {
  const start = (seq += 10);
  return { seq: start, endSeq: start + 5, startMs: start, endMs: start + 5, service, operation, account: '111111111111', region: 'us-east-1',
    caller: { kind: 'terraform', arn: 'arn:aws:sts::111111111111:user/moto' }, keys, status };
}
/** `later` starts while `first` is still running. */
function overlapping(first: RecordedCall, later: RecordedCall): RecordedCall[] {
  return [{ ...first, endSeq: later.seq + 1 }, later];
}

const enable = () => call('organizations', 'EnablePolicyType', { PolicyType: 'BEDROCK_POLICY', RootId: 'r-ex12' });
const put = () => call('bedrock', 'PutResourcePolicy', { resourceArn: 'arn:g' });
const create = () => call('organizations', 'CreatePolicy', { Name: 'p' });
const attach = () => call('organizations', 'AttachPolicy', { PolicyId: 'p-1', TargetId: 'ou-1' });

describe('apply order', () => {
  test('policy type, resource policy, then policy and attachment: no violation', () => {
    expect(applyOrderViolations([enable(), put(), create(), attach()])).toEqual([]);
  });

  test('an attachment that starts before the resource policy is in place is a violation', () => {
    const violations = applyOrderViolations([enable(), create(), ...overlapping(put(), attach())]);
    expect(violations).toEqual([expect.stringMatching(/^AttachPolicy #\d+ \(p-1, ou-1\) started before PutResourcePolicy #\d+ \(arn:g\) finished/)]);
  });

  test('failed calls do not count', () => {
    expect(applyOrderViolations([enable(), create(), attach(), call('bedrock', 'PutResourcePolicy', {}, 400)])).toEqual([]);
  });

  test('creating or attaching before the policy type is enabled is a violation, unless it was enabled before', () => {
    expect(applyOrderViolations([put(), create(), enable(), attach()])).toEqual([expect.stringMatching(/^CreatePolicy #\d+ .* before BEDROCK_POLICY was enabled/)]);
    expect(applyOrderViolations([put(), create(), attach()])).toContain('no EnablePolicyType BEDROCK_POLICY before the organization policy was created or attached');
    expect(applyOrderViolations([put(), create(), attach()], true)).toEqual([]);
  });
});

describe('destroy order', () => {
  const detach = () => call('organizations', 'DetachPolicy', { PolicyId: 'p-1', TargetId: 'ou-1' });
  const deletePolicy = () => call('bedrock', 'DeleteResourcePolicy', { resourceArn: 'arn:g' });
  const deleteConfig = () => call('bedrock', 'DeleteEnforcedGuardrailConfiguration', { configId: 'c1' });
  const deleteGuardrail = () => call('bedrock', 'DeleteGuardrail', { guardrailIdentifier: 'g' });

  test('enforcement first, then the resource policy, then the guardrail: no violation', () => {
    expect(destroyOrderViolations([detach(), deleteConfig(), deletePolicy(), deleteGuardrail()])).toEqual([]);
  });

  test('a resource policy deleted while the organization policy is still attached is a violation', () => {
    expect(destroyOrderViolations([deleteConfig(), deletePolicy(), detach(), deleteGuardrail()]))
      .toEqual([expect.stringMatching(/^DeleteResourcePolicy .* started before DetachPolicy .* finished/)]);
  });

  test('a guardrail deleted while an account-level configuration still uses it is a violation', () => {
    expect(destroyOrderViolations([detach(), deletePolicy(), deleteGuardrail(), deleteConfig()]))
      .toEqual([expect.stringMatching(/^DeleteGuardrail .* started before DeleteEnforcedGuardrailConfiguration .* finished/)]);
  });

  test('deleting a version is not deleting the guardrail', () => {
    expect(destroyOrderViolations([call('bedrock', 'DeleteGuardrail', { guardrailIdentifier: 'g', guardrailVersion: '1' }), deleteConfig()])).toEqual([]);
  });
});

describe('leftovers', () => {
  const empty = (): EmulatorState => ({
    iam: { '333333333333': { roles: [{ name: 'OrganizationAccountAccessRole', arn: 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole', inlinePolicies: { a: 1 }, attachedPolicies: [] }] } },
    lambda: { functions: [] },
    logs: { logGroups: [] },
    organizations: { enabledPolicyTypes: [], policies: [] },
    bedrock: { guardrails: [], resourcePolicies: {}, enforcedConfigurations: [] },
    hazards: [],
  });

  test('nothing new, and a retained policy type: nothing left', () => {
    const after = empty();
    after.organizations.enabledPolicyTypes.push('BEDROCK_POLICY');
    expect(leftovers(empty(), after)).toEqual([]);
  });

  test('everything new is named', () => {
    const after = empty();
    after.iam['111111111111'] = { roles: [{ name: 'shim', arn: 'arn:aws:iam::111111111111:role/shim', inlinePolicies: {}, attachedPolicies: [] }] };
    after.iam['333333333333'].roles[0].inlinePolicies = { a: 2 };
    after.lambda.functions.push({ account: '111111111111', region: 'us-east-1', name: 'f', arn: 'arn:f' });
    after.logs.logGroups.push({ account: '111111111111', region: 'us-east-1', name: '/aws/lambda/f', streams: [] });
    after.organizations.policies.push({ id: 'p-1', name: 'p', type: 'BEDROCK_POLICY', reportedToTerraformAs: 'TAG_POLICY', content: '{}', targets: ['ou-1'] });
    after.organizations.enabledPolicyTypes.push('TAG_POLICY');
    after.bedrock.guardrails.push({ arn: 'arn:g', id: 'g', account: '111111111111', region: 'us-east-1', name: 'n', definition: {}, tags: {}, versions: { 1: { description: null, definition: {} } } });
    after.bedrock.resourcePolicies['arn:g'] = '{}';
    after.bedrock.enforcedConfigurations.push({ account: '333333333333', region: 'us-east-1', configId: 'c1', guardrailArn: 'arn:g', guardrailVersion: '1',
      createdBy: 'x', updatedBy: 'x', selectiveContentGuarding: {} });
    expect(leftovers(empty(), after)).toEqual([
      'IAM role arn:aws:iam::333333333333:role/OrganizationAccountAccessRole: inline policies changed',
      'IAM role arn:aws:iam::111111111111:role/shim',
      'Lambda function arn:f',
      'log group /aws/lambda/f in 111111111111 us-east-1',
      'organization policy p-1 (p, BEDROCK_POLICY) attached to [ou-1]',
      'policy type TAG_POLICY enabled on the root',
      'guardrail arn:g with versions [1]',
      'resource policy on arn:g',
      'enforced configuration c1 in 333333333333 us-east-1 (arn:g:1)',
    ]);
  });
});
