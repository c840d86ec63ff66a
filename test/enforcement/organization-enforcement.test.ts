import { TerraformStack } from 'cdktf';
import {
  BEDROCK_POLICY_PROVIDER_CONSTRAINT, ContentFilters, ContentGuarding, EnforcementTarget, Guardrail, GuardrailPrincipal, GuardrailVersion,
  GuardrailsValidationError, ModelId, Organization, OrganizationEnforcement, OrganizationEnforcementProps,
} from '../../src';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AWS_BINDINGS_VERSION } from '../../src/private/cdktf';
import { MANAGEMENT_ACCOUNT, MEMBER_ACCOUNT, resourcesOf, snapshotSynth, synth, testStack } from '../helpers';

const PILOT = 'ou-ab12-pilot001';
const REST = 'ou-ab12-rest0001';
const ORG = new Organization({
  organizationId: 'o-abcdefghij', rootId: 'r-ab12', managementAccountId: MANAGEMENT_ACCOUNT,
  organizationalUnits: [{ id: PILOT, name: 'Pilot', accounts: [MEMBER_ACCOUNT] }, { id: REST, name: 'Rest', accounts: ['333333333333'] }],
});

function management(grant = true) {
  const { stack } = testStack();
  const guardrail = new Guardrail(stack, 'Guardrail', { name: 'baseline', contentFilters: ContentFilters.all() });
  const version = guardrail.addVersion();
  if (grant) guardrail.grantApply(GuardrailPrincipal.ofOrganization(ORG));
  return { stack, guardrail, version };
}

function enforce(stack: TerraformStack, props: Partial<OrganizationEnforcementProps> & Pick<OrganizationEnforcementProps, 'configurations'>, id = 'Org') {
  return new OrganizationEnforcement(stack, id, { organization: ORG, targets: [EnforcementTarget.organizationalUnit(PILOT)], ...props });
}

describe('OrganizationEnforcement', () => {
  test('a BEDROCK_POLICY attached to one OU, after enabling the policy type (snapshot)', () => {
    const { stack, version } = management();
    const org = enforce(stack, { configurations: [{ name: 'baseline', version, systemPromptGuarding: ContentGuarding.SELECTIVE }] });
    const json = synth(stack);
    const policy: any = Object.values(resourcesOf(json, 'aws_organizations_policy'))[0];
    expect(policy.type).toBe('BEDROCK_POLICY');
    // The default name is the construct path, unique in the app (GR-ORG-015).
    expect(policy.name).toBe('test-Org');
    expect(JSON.parse(policy.content)).toEqual({
      bedrock: { guardrail_inference: { 'us-east-1': { baseline: {
        identifier: { '@@assign': expect.stringMatching(/^\$\{aws_bedrock_guardrail\.\w+\.guardrail_arn\}:\$\{aws_bedrock_guardrail_version\.\w+\.version\}$/) },
        selective_content_guarding: { system: { '@@assign': 'selective' } },
      } } } },
    });
    const attachments = Object.values(resourcesOf(json, 'aws_organizations_policy_attachment')) as any[];
    expect(attachments.map((a) => a.target_id)).toEqual([PILOT]);
    expect(attachments[0].policy_id).toMatch(/^\$\{aws_organizations_policy\.\w+\.id\}$/);
    const enabler = Object.entries(resourcesOf(json, 'aws_lambda_invocation')).find(([, r]: any) => JSON.parse(r.input).kind === 'OrganizationPolicyType')!;
    expect(JSON.parse((enabler[1] as any).input)).toMatchObject({
      target: { accountId: MANAGEMENT_ACCOUNT, region: 'us-east-1', roleArn: null },
      properties: { policyType: 'BEDROCK_POLICY', disableOnDelete: false },
    });
    const grant = Object.entries(resourcesOf(json, 'aws_lambda_invocation')).find(([, r]: any) => JSON.parse(r.input).kind === 'GuardrailResourcePolicy')!;
    // The policy type first, then the grant: members must be able to apply the guardrail before anything enforces it.
    expect(policy.depends_on).toEqual([`aws_lambda_invocation.${enabler[0]}`, `aws_lambda_invocation.${grant[0]}`]);
    expect(attachments[0].depends_on).toEqual([`aws_lambda_invocation.${grant[0]}`]);
    expect(json.terraform.required_version).toBe('>= 1.4.0');
    expect(json.terraform.required_providers.aws.version).toBe(BEDROCK_POLICY_PROVIDER_CONSTRAINT);
    expect(org.pendingTargets).toEqual([]);
    expect(snapshotSynth(stack)).toMatchSnapshot();
  });

  test('two policies in one stack share one policy-type invocation', () => {
    const { stack, version } = management();
    enforce(stack, { configurations: [{ name: 'baseline', version }] }, 'A');
    enforce(stack, { configurations: [{ name: 'extra', version }], targets: [EnforcementTarget.organizationalUnit(REST)] }, 'B');
    const kinds = Object.values(resourcesOf(synth(stack), 'aws_lambda_invocation')).map((r: any) => JSON.parse(r.input).kind);
    expect(kinds.filter((k) => k === 'OrganizationPolicyType')).toHaveLength(1);
  });

  test('every policy sharing the invocation is checked, whichever is declared first', () => {
    // A second enforcement through a provider in a member account is refused like the first would be.
    const a = management();
    enforce(a.stack, { configurations: [{ name: 'baseline', version: a.version }] }, 'A');
    const member = new AwsProvider(a.stack, 'member', { alias: 'member', region: 'us-east-1', allowedAccountIds: [MEMBER_ACCOUNT] });
    expect(() => enforce(a.stack, { configurations: [{ name: 'extra', version: a.version }], targets: [EnforcementTarget.organizationalUnit(REST)], provider: member }, 'B'))
      .toThrow(/OrganizationEnforcement\(test\/B\): `provider` deploys to account 222222222222, not the management account 111111111111/);
    // A second enforcement asking another disablePolicyTypeOnDestroy is refused, naming the first.
    const b = management();
    enforce(b.stack, { configurations: [{ name: 'baseline', version: b.version }] }, 'A');
    expect(() => enforce(b.stack, { configurations: [{ name: 'extra', version: b.version }], targets: [EnforcementTarget.organizationalUnit(REST)], disablePolicyTypeOnDestroy: true }, 'B'))
      .toThrow('OrganizationEnforcement(test/B): `disablePolicyTypeOnDestroy` is true, but OrganizationEnforcement(test/A) in the same stack sets false '
        + 'and the stack has one invocation enabling the policy type. Give both the same value, or set `enablePolicyType: false` on this one.');
    // The same value, given explicitly on one and by default on the other, is one invocation.
    const c = management();
    enforce(c.stack, { configurations: [{ name: 'baseline', version: c.version }], disablePolicyTypeOnDestroy: false }, 'A');
    enforce(c.stack, { configurations: [{ name: 'extra', version: c.version }], targets: [EnforcementTarget.organizationalUnit(REST)] }, 'B');
    const enablers = Object.values(resourcesOf(synth(c.stack), 'aws_lambda_invocation')).map((r: any) => JSON.parse(r.input)).filter((i) => i.kind === 'OrganizationPolicyType');
    expect(enablers.map((i) => i.properties.disableOnDelete)).toEqual([false]);
  });

  test('enablePolicyType: false leaves the policy type alone; disablePolicyTypeOnDestroy is passed on', () => {
    const a = management();
    enforce(a.stack, { configurations: [{ name: 'baseline', version: a.version }], enablePolicyType: false });
    const json = synth(a.stack);
    expect(Object.values(resourcesOf(json, 'aws_lambda_invocation')).map((r: any) => JSON.parse(r.input).kind)).not.toContain('OrganizationPolicyType');
    const grant = Object.keys(resourcesOf(json, 'aws_lambda_invocation')).find((k) => JSON.parse(resourcesOf(json, 'aws_lambda_invocation')[k].input).kind === 'GuardrailResourcePolicy');
    expect((Object.values(resourcesOf(json, 'aws_organizations_policy'))[0] as any).depends_on).toEqual([`aws_lambda_invocation.${grant}`]);
    const b = management();
    enforce(b.stack, { configurations: [{ name: 'baseline', version: b.version }], disablePolicyTypeOnDestroy: true });
    const enabler = Object.values(resourcesOf(synth(b.stack), 'aws_lambda_invocation')).map((r: any) => JSON.parse(r.input)).find((i) => i.kind === 'OrganizationPolicyType');
    expect(enabler.properties.disableOnDelete).toBe(true);
  });

  test('staged rollout: stage 1 attaches the pilot, stage 2 everything', () => {
    const targets = [EnforcementTarget.organizationalUnit(PILOT), EnforcementTarget.organizationalUnit(REST, { stage: 2 })];
    const attached = (rolloutStage?: number) => {
      const { stack, version } = management();
      const org = enforce(stack, { configurations: [{ name: 'baseline', version }], targets, rolloutStage });
      const ids = (Object.values(resourcesOf(synth(stack), 'aws_organizations_policy_attachment')) as any[]).map((a) => a.target_id);
      return { ids, pending: org.pendingTargets.map((t) => t.idIn(ORG)) };
    };
    expect(attached(1)).toEqual({ ids: [PILOT], pending: [REST] });
    expect(attached(2)).toEqual({ ids: [PILOT, REST], pending: [] });
    expect(attached()).toEqual({ ids: [PILOT, REST], pending: [] });
  });

  test('the root and single accounts can be targets; the root only with the opt-in', () => {
    const { stack, version } = management();
    enforce(stack, {
      configurations: [{ name: 'baseline', version }],
      targets: [EnforcementTarget.organizationRoot(), EnforcementTarget.account(MEMBER_ACCOUNT)],
      allowRootAttachment: true,
    });
    expect((Object.values(resourcesOf(synth(stack), 'aws_organizations_policy_attachment')) as any[]).map((a) => a.target_id).sort()).toEqual([MEMBER_ACCOUNT, 'r-ab12']);
  });

  test('model enforcement renders both lists, sorted', () => {
    const { stack, version } = management();
    enforce(stack, { configurations: [{ name: 'baseline', version, excludedModels: [ModelId.COHERE_EMBED_ENGLISH_V3, ModelId.AMAZON_TITAN_EMBED_TEXT_V2] }] });
    const content = JSON.parse((Object.values(resourcesOf(synth(stack), 'aws_organizations_policy'))[0] as any).content);
    expect(content.bedrock.guardrail_inference['us-east-1'].baseline.model_enforcement).toEqual({
      included_models: { '@@assign': ['ALL'] },
      excluded_models: { '@@assign': ['amazon.titan-embed-text-v2:0', 'cohere.embed-english-v3'] },
    });
  });
});

describe('OrganizationEnforcement refusals', () => {
  type Ctx = ReturnType<typeof management>;
  function failing(make: (ctx: Ctx) => void, grant = true): string {
    const ctx = management(grant);
    try {
      make(ctx);
      synth(ctx.stack);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected a refusal');
  }
  const imported = (ctx: Ctx, arn: string, version: string, ar = false) => GuardrailVersion.fromVersionAttributes(ctx.stack, `V${version}${arn.length}`, {
    guardrail: Guardrail.fromGuardrailAttributes(ctx.stack, `G${version}${arn.length}`, { guardrailArn: arn, hasAutomatedReasoningPolicy: ar }),
    version,
  });
  const own = `arn:aws:bedrock:us-east-1:${MANAGEMENT_ACCOUNT}:guardrail/abc123def456`;

  const cases: Array<[string, (ctx: Ctx) => void, RegExp, boolean?]> = [
    ['the root without the opt-in', ({ stack, version }) => enforce(stack, { configurations: [{ name: 'b', version }], targets: [EnforcementTarget.organizationRoot()] }),
      /`targets\[0\]` attaches the policy to the organization root \(r-ab12\), which enforces it in every account\. Start with a few OUs/],
    ['no configuration', ({ stack }) => enforce(stack, { configurations: [] }), /`configurations` is empty, so the policy would enforce nothing/],
    ['no target', ({ stack, version }) => enforce(stack, { configurations: [{ name: 'b', version }], targets: [] }), /`targets` is empty/],
    ['a repeated target', ({ stack, version }) => enforce(stack, { configurations: [{ name: 'b', version }], targets: [EnforcementTarget.organizationalUnit(PILOT), EnforcementTarget.organizationalUnit(PILOT)] }),
      /`targets\[1\]` repeats target ou-ab12-pilot001/],
    ['an undeclared OU', ({ stack, version }) => enforce(stack, { configurations: [{ name: 'b', version }], targets: [EnforcementTarget.organizationalUnit('ou-ab12-unknown1')] }),
      /names OU ou-ab12-unknown1, which the Organization does not declare/],
    ['a malformed OU ID', () => EnforcementTarget.organizationalUnit('pilot'), /`ouId` must be an OU ID like "ou-a1b2-c3d4e5f6", got "pilot"/],
    ['a rollout stage before every target', ({ stack, version }) => enforce(stack, { configurations: [{ name: 'b', version }], targets: [EnforcementTarget.organizationalUnit(PILOT, { stage: 2 })], rolloutStage: 1 }),
      /`rolloutStage` is 1, before the first target's stage \(2\), so nothing is attached/],
    ['a policy name over 128 characters', ({ stack, version }) => enforce(stack, { configurations: [{ name: 'b', version }], policyName: 'p'.repeat(129) }),
      /`policyName` must be 1-128 characters, got 129/],
    ['a management provider in another account', () => {
      const { stack } = testStack('us-east-1', MEMBER_ACCOUNT);
      const g = Guardrail.fromGuardrailAttributes(stack, 'G', { guardrailArn: own });
      enforce(stack, { configurations: [{ name: 'b', version: GuardrailVersion.fromVersionAttributes(stack, 'V', { guardrail: g, version: '1' }) }] });
    }, /`provider` deploys to account 222222222222, not the management account 111111111111/],
    ['a DRAFT version (GR-ORG-001)', (ctx) => enforce(ctx.stack, { configurations: [{ name: 'b', version: imported(ctx, own, 'DRAFT') }] }), /\[GR-ORG-001\] test\/Org: /],
    ['a region key other than the version\'s (GR-ORG-002)', ({ stack, version }) => enforce(stack, { configurations: [{ name: 'b', version, region: 'us-west-2' }] }),
      /\[GR-ORG-002\] test\/Org: /],
    ['a guardrail of another account (GR-ORG-003)', (ctx) => enforce(ctx.stack, { configurations: [{ name: 'b', version: imported(ctx, `arn:aws:bedrock:us-east-1:${MEMBER_ACCOUNT}:guardrail/zzz999`, '3') }] }),
      /\[GR-ORG-003\] test\/Org: .*owned by account 222222222222, not the management account 111111111111/],
    ['a guardrail with an automated reasoning policy (GR-ORG-004)', (ctx) => enforce(ctx.stack, { configurations: [{ name: 'b', version: imported(ctx, own, '2', true) }] }),
      /\[GR-ORG-004\] test\/Org: /],
    ['a guardrail without a resource policy (GR-ORG-005)', ({ stack, version }) => enforce(stack, { configurations: [{ name: 'b', version }] }),
      /\[GR-ORG-005\] test\/Org: .*cannot be applied there/, false],
    ['a resource policy granting another OU (GR-ORG-005)', ({ stack, guardrail, version }) => {
      guardrail.grantApply(GuardrailPrincipal.organizationalUnits(ORG.organizationId, [REST]));
      enforce(stack, { configurations: [{ name: 'b', version }] });
    }, /\[GR-ORG-005\] test\/Org: /, false],
    ['a repeated configuration name (GR-ORG-006)', ({ stack, version }) => enforce(stack, { configurations: [{ name: 'b', version }, { name: 'b', version }] }),
      /\[GR-ORG-006\] test\/Org: /],
    ['a document over 10,000 characters (GR-ORG-007)', ({ stack, version }) => enforce(stack, {
      configurations: Array.from({ length: 90 }, (_, i) => ({ name: `configuration_number_${i}`, version, excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2] })),
    }), /\[GR-ORG-007\] test\/Org: /],
    ['an 11th policy on a target (GR-ORG-009)', ({ stack, version }) => enforce(stack, { configurations: [{ name: 'b', version }], existingPoliciesPerTarget: { [PILOT]: 10 } }),
      /\[GR-ORG-009\] test\/Org: /],
    ['a model both included and excluded (GR-ORG-011)', ({ stack, version }) => enforce(stack, { configurations: [{ name: 'b', version, includedModels: [ModelId.AMAZON_NOVA_PRO_V1], excludedModels: [ModelId.AMAZON_NOVA_PRO_V1] }] }),
      /\[GR-ORG-011\] test\/Org: /],
  ];

  // Every row gets its fourth value, so jest never mistakes it for a `done` callback.
  test.each(cases.map(([label, make, message, grant]) => [label, make, message, grant ?? true] as const))('refuses %s', (_label, make, message, grant) => {
    expect(failing(make, grant)).toMatch(message);
  });

  test('single-property refusals are GuardrailsValidationErrors and nothing is half-made', () => {
    const { stack } = management();
    expect(() => enforce(stack, { configurations: [] })).toThrow(GuardrailsValidationError);
    expect(() => EnforcementTarget.account('12')).toThrow(GuardrailsValidationError);
    const json = synth(stack);
    expect(resourcesOf(json, 'aws_organizations_policy')).toEqual({});
    expect(resourcesOf(json, 'aws_organizations_policy_attachment')).toEqual({});
    expect(Object.values(resourcesOf(json, 'aws_lambda_invocation')).map((r: any) => JSON.parse(r.input).kind)).not.toContain('OrganizationPolicyType');
    // No organization enforcement was made: the bindings' own pin stays.
    expect(json.terraform.required_providers.aws.version).toBe(AWS_BINDINGS_VERSION);
  });
});
