import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildDefaultApp } from '../../stacks/default-app';
import { build as buildBusinessUnits } from '../../examples/business-units/main';
import { build as buildMultiRegion } from '../../examples/multi-region/main';
import { AppModelError, readApp, referencesIn, shimObjectsOf, substitute } from '../../src/verify/app-model';
import { synthesize } from './harness';

describe('app model', () => {
  const defaultApp = synthesize(buildDefaultApp);

  test('the default app: guardrail, version, policy with its attachment, shim objects and who writes them', () => {
    const { model } = defaultApp;
    expect(model.stacks.map((s) => s.name)).toEqual(['management']);
    const [stack] = model.stacks;
    expect(stack.providers).toEqual([{ key: 'aws', region: 'us-east-1', accountId: '111111111111' }]);
    expect(stack.guardrails).toEqual([expect.objectContaining({
      address: 'aws_bedrock_guardrail.Guardrail_91D61981', name: 'org-baseline', region: 'us-east-1', accountId: '111111111111', path: 'management/Guardrail/Resource',
    })]);
    expect(stack.versions).toEqual([expect.objectContaining({
      address: 'aws_bedrock_guardrail_version.Guardrail_Version_A73BE873', guardrailAddress: 'aws_bedrock_guardrail.Guardrail_91D61981', path: 'management/Guardrail/Version',
    })]);
    const [policy] = stack.organizationPolicies;
    expect(policy).toMatchObject({ name: 'bedrock-guardrails', type: 'BEDROCK_POLICY' });
    expect(policy.attachments).toEqual([{ address: expect.stringMatching(/^aws_organizations_policy_attachment\./), targetId: 'ou-ex12-pilot001', targetType: 'ORGANIZATIONAL_UNIT' }]);
    expect(policy.configurations).toEqual([{
      region: 'us-east-1', name: 'baseline',
      identifier: '${aws_bedrock_guardrail.Guardrail_91D61981.guardrail_arn}:${aws_bedrock_guardrail_version.Guardrail_Version_A73BE873.version}',
    }]);
    const [config] = shimObjectsOf(model, 'EnforcedGuardrailConfiguration');
    expect(config).toMatchObject({
      name: 'management/Member-333333333333/Configuration',
      target: { accountId: '333333333333', region: 'us-east-1', roleArn: 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole' },
      properties: { selectiveContentGuarding: { messages: 'COMPREHENSIVE' }, adoptExisting: false },
      writer: { roleName: 'OrganizationAccountAccessRole', sessionName: 'cdktf-bedrock-guardrails' },
    });
    const [rp] = shimObjectsOf(model, 'GuardrailResourcePolicy');
    // The shim function's own role writes objects of its own account; its session name is Lambda's to choose.
    expect(rp.writer).toEqual({ roleName: 'management-GuardrailsShim' });
    expect(shimObjectsOf(model, 'OrganizationPolicyType')).toEqual([expect.objectContaining({ properties: { policyType: 'BEDROCK_POLICY', disableOnDelete: false } })]);
    expect(model.preview?.accounts.map((a) => a.account)).toEqual(['111111111111', '222222222222', '333333333333']);
    // The default app attaches its one policy in full: no stage waits.
    expect(model.previewPolicies).toEqual([{ name: 'bedrock-guardrails', stack: 'management', rolloutStage: 1, pending: [] }]);
  });

  test('an example with member-account stacks and one with an aliased regional provider', () => {
    const units = synthesize(buildBusinessUnits).model;
    expect(units.stacks.map((s) => s.name)).toEqual(['management', 'unit-health-insurance', 'unit-retail-banking']);
    const retail = units.stacks.find((s) => s.name === 'unit-retail-banking')!;
    expect(retail.guardrails[0]).toMatchObject({ name: 'retail-banking-guardrail', accountId: '555555555555', region: 'us-east-1' });
    expect(shimObjectsOf(units, 'EnforcedGuardrailConfiguration').map((o) => [o.stack, o.target.roleArn, o.writer?.roleName])).toEqual([
      ['unit-health-insurance', null, 'unit-health-insurance-GuardrailsShim'],
      ['unit-retail-banking', null, 'unit-retail-banking-GuardrailsShim'],
    ]);
    const multi = synthesize(buildMultiRegion).model.stacks[0];
    expect(multi.guardrails.map((g) => [g.name, g.region])).toEqual([['org-baseline', 'us-west-2'], ['org-baseline', 'us-east-1']]);
    expect(multi.organizationPolicies[0].configurations.map((c) => c.region)).toEqual(['us-east-1', 'us-west-2']);
  });

  test('reads organizationPolicies from the preview when present', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-model-'));
    fs.cpSync(defaultApp.outdir, dir, { recursive: true });
    const file = path.join(dir, 'enforcement-preview.json');
    const preview = JSON.parse(fs.readFileSync(file, 'utf8'));
    preview.organizationPolicies = [{
      name: 'bedrock-guardrails', stack: 'management', rolloutStage: 1,
      attached: [{ type: 'ORGANIZATIONAL_UNIT', id: 'ou-ex12-pilot001', stage: 1 }],
      pending: [{ type: 'ORGANIZATIONAL_UNIT', id: 'ou-ex12-workload1', stage: 2, accounts: ['333333333333'] }],
      configurations: [],
    }];
    fs.writeFileSync(file, JSON.stringify(preview));
    expect(readApp(dir).previewPolicies).toEqual([{
      name: 'bedrock-guardrails', stack: 'management', rolloutStage: 1,
      pending: [{ type: 'ORGANIZATIONAL_UNIT', id: 'ou-ex12-workload1', stage: 2, accounts: ['333333333333'] }],
    }]);
  });

  test('a directory that is not a synthesized app is refused with the fix', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-empty-'));
    expect(() => readApp(path.join(empty, 'missing'))).toThrow(AppModelError);
    expect(() => readApp(path.join(empty, 'missing'))).toThrow(/does not exist\. Synthesize the app first .* --app-dir/);
    expect(() => readApp(empty)).toThrow(/holds no synthesized stack/);
    fs.mkdirSync(path.join(empty, 'stacks', 'broken'), { recursive: true });
    fs.writeFileSync(path.join(empty, 'stacks', 'broken', 'cdk.tf.json'), '{ not json');
    expect(() => readApp(empty)).toThrow(/Stack broken's Terraform JSON .* is not JSON/);
  });

  test('a provider without a literal region is refused: verify must know where each resource lives', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-region-'));
    fs.mkdirSync(path.join(dir, 'stacks', 's'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stacks', 's', 'cdk.tf.json'), JSON.stringify({ provider: { aws: [{ region: '${var.region}' }] } }));
    expect(() => readApp(dir)).toThrow('Stack s: provider aws has region "${var.region}", not a literal region name');
  });

  test('references and substitution', () => {
    expect(referencesIn('${aws_bedrock_guardrail.G.guardrail_arn}:${aws_bedrock_guardrail_version.V.version}').map((r) => r.address))
      .toEqual(['aws_bedrock_guardrail.G', 'aws_bedrock_guardrail_version.V']);
    expect(referencesIn('${data.aws_caller_identity.C.account_id}')[0]).toMatchObject({ type: 'data.aws_caller_identity', attribute: 'account_id' });
    expect(referencesIn('${element(split(":", x), 4)}')[0].type).toBe('');
    const values: Record<string, string> = { '${a.b.c}': 'one', '${d.e.f}': 'two' };
    expect(substitute('${a.b.c}:${d.e.f}', (r) => values[r.text])).toBe('one:two');
    expect(substitute('${a.b.c}:${x.y.z}', (r) => values[r.text])).toBeUndefined();
  });
});
