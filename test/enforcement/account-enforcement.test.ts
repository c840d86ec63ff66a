import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  AccountEnforcement, ContentFilters, ContentGuarding, Guardrail, GuardrailPrincipal, GuardrailVersion, GuardrailsValidationError,
  Implementation, IGuardrailVersion, ModelId, Organization, acknowledgeWarning,
} from '../../src';
import { MANAGEMENT_ACCOUNT, MEMBER_ACCOUNT, resourcesOf, snapshotSynth, synth, testStack } from '../helpers';

const ORG = new Organization({
  organizationId: 'o-abcdefghij', rootId: 'r-ab12', managementAccountId: MANAGEMENT_ACCOUNT,
  organizationalUnits: [
    { id: 'ou-ab12-pilot001', accounts: [MEMBER_ACCOUNT] },
    { id: 'ou-ab12-other001', accounts: ['333333333333'] },
  ],
});

function management() {
  const { app, stack } = testStack();
  const guardrail = new Guardrail(stack, 'Guardrail', { name: 'baseline', contentFilters: ContentFilters.all() });
  const version = guardrail.addVersion();
  return { app, stack, guardrail, version };
}

function enforcementInputs(json: any): any[] {
  return Object.values(resourcesOf(json, 'aws_lambda_invocation')).map((r: any) => ({ ...JSON.parse(r.input), depends_on: r.depends_on }))
    .filter((i) => i.kind === 'EnforcedGuardrailConfiguration');
}

describe('AccountEnforcement', () => {
  test('in the stack\'s own account: one CRUD invocation, no role assumed (snapshot)', () => {
    const { stack, version } = management();
    const e = new AccountEnforcement(stack, 'Enforce', { version });
    const json = synth(stack);
    const [input] = enforcementInputs(json);
    expect(input.target).toEqual({ accountId: MANAGEMENT_ACCOUNT, region: 'us-east-1', roleArn: null, sessionName: 'cdktf-bedrock-guardrails' });
    expect(input.properties).toEqual({
      guardrailIdentifier: expect.stringMatching(/guardrail_arn\}$/),
      guardrailVersion: expect.stringMatching(/^\$\{aws_bedrock_guardrail_version\.\w+\.version\}$/),
      adoptExisting: false,
    });
    expect(e.account).toBe(MANAGEMENT_ACCOUNT);
    expect(e.region).toBe('us-east-1');
    const role = JSON.parse((Object.values(resourcesOf(json, 'aws_iam_role_policy'))[0] as any).policy);
    const statement = role.Statement.find((s: any) => s.Sid === 'EnforcedGuardrailConfiguration');
    expect(statement.Action).toEqual(['bedrock:ListEnforcedGuardrailsConfiguration', 'bedrock:PutEnforcedGuardrailConfiguration', 'bedrock:DeleteEnforcedGuardrailConfiguration']);
    expect(snapshotSynth(stack)).toMatchSnapshot();
  });

  test('defaults: the version\'s region, AWS defaults for guarding and models (nothing sent), no adoption', () => {
    const { stack, version } = management();
    new AccountEnforcement(stack, 'Enforce', { version });
    const [input] = enforcementInputs(synth(stack));
    expect(input.properties.selectiveContentGuarding).toBeUndefined();
    expect(input.properties.modelEnforcement).toBeUndefined();
    expect(input.properties.adoptExisting).toBe(false);
    expect(input.properties.release).toBeUndefined();
  });

  test('in a member account: assumes OrganizationAccountAccessRole, and the host may assume exactly that role', () => {
    const { stack, guardrail, version } = management();
    guardrail.grantApply(GuardrailPrincipal.ofOrganization(ORG));
    new AccountEnforcement(stack, 'Member', { version, account: MEMBER_ACCOUNT, organization: ORG });
    new AccountEnforcement(stack, 'Other', { version, account: '333333333333', memberRoleName: 'platform/GuardrailsAdmin', organization: ORG });
    const json = synth(stack);
    const inputs = enforcementInputs(json);
    expect(inputs.map((i) => i.target.roleArn)).toEqual([
      `arn:aws:iam::${MEMBER_ACCOUNT}:role/OrganizationAccountAccessRole`,
      'arn:aws:iam::333333333333:role/platform/GuardrailsAdmin',
    ]);
    const role = JSON.parse((Object.values(resourcesOf(json, 'aws_iam_role_policy'))[0] as any).policy);
    expect(role.Statement.find((s: any) => s.Sid === 'AssumeMemberRoles').Resource).toEqual(inputs.map((i) => i.target.roleArn).sort());
    // Enforcement in member accounts needs no Bedrock permission on the host role itself.
    expect(role.Statement.some((s: any) => s.Sid === 'EnforcedGuardrailConfiguration')).toBe(false);
    // The resource policy is put before enforcement starts.
    for (const i of inputs) expect(i.depends_on.some((d: string) => d.startsWith('aws_lambda_invocation.Guardrail_ResourcePolicy_Guardrail'))).toBe(true);
  });

  test('a resource policy declared after the enforcement is still put first', () => {
    const { stack, guardrail, version } = management();
    new AccountEnforcement(stack, 'Member', { version, account: MEMBER_ACCOUNT, organization: ORG });
    guardrail.grantApply(GuardrailPrincipal.ofOrganization(ORG));
    const [input] = enforcementInputs(synth(stack));
    expect(input.depends_on.some((d: string) => d.startsWith('aws_lambda_invocation.Guardrail_ResourcePolicy_Guardrail'))).toBe(true);
  });

  test('selective guarding and model lists in the account API\'s shape', () => {
    const { stack, version } = management();
    new AccountEnforcement(stack, 'Enforce', {
      version,
      systemPromptGuarding: ContentGuarding.SELECTIVE,
      messageGuarding: ContentGuarding.COMPREHENSIVE,
      excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2, ModelId.COHERE_EMBED_ENGLISH_V3],
      adoptExisting: true,
    });
    const [input] = enforcementInputs(synth(stack));
    expect(input.properties.selectiveContentGuarding).toEqual({ system: 'SELECTIVE', messages: 'COMPREHENSIVE' });
    expect(input.properties.modelEnforcement).toEqual({ includedModels: ['ALL'], excludedModels: ['amazon.titan-embed-text-v2:0', 'cohere.embed-english-v3'] });
    expect(input.properties.adoptExisting).toBe(true);
  });

  test('native: the provider resource through a member-account provider alias, an import block by region, a released invocation', () => {
    const { stack, guardrail, version } = management();
    guardrail.grantApply(GuardrailPrincipal.ofOrganization(ORG));
    new AccountEnforcement(stack, 'Member', { version, account: MEMBER_ACCOUNT, organization: ORG, implementation: Implementation.NATIVE, messageGuarding: ContentGuarding.SELECTIVE });
    const json = JSON.parse(Testing.synth(stack));
    const native: any = Object.values(resourcesOf(json, 'aws_bedrock_enforced_guardrail_configuration'))[0];
    expect(native.provider).toBe(`aws.member-${MEMBER_ACCOUNT}-us-east-1`);
    // Both modes, always: the upstream schema does not compute an omitted one, so it would show as a diff.
    expect(native.selective_content_guarding).toEqual({ system: 'COMPREHENSIVE', messages: 'SELECTIVE' });
    const alias = json.provider.aws.find((p: any) => p.alias === `member-${MEMBER_ACCOUNT}-us-east-1`);
    expect(alias.assume_role).toEqual([{ role_arn: `arn:aws:iam::${MEMBER_ACCOUNT}:role/OrganizationAccountAccessRole`, session_name: 'cdktf-bedrock-guardrails' }]);
    expect(json.import).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'us-east-1', provider: `aws.member-${MEMBER_ACCOUNT}-us-east-1` })]));
    expect(enforcementInputs(json)[0].properties.release).toBe(true);
  });

  test('a business unit enforcing the organization\'s guardrail from its own account', () => {
    const { stack } = testStack('us-east-1', MEMBER_ACCOUNT);
    const shared = Guardrail.fromGuardrailAttributes(stack, 'Shared', { guardrailArn: `arn:aws:bedrock:us-east-1:${MANAGEMENT_ACCOUNT}:guardrail/abc123def456` });
    const version = GuardrailVersion.fromVersionAttributes(stack, 'SharedV', { guardrail: shared, version: '4' });
    new AccountEnforcement(stack, 'Enforce', { version });
    const [input] = enforcementInputs(synth(stack));
    expect(input.target).toMatchObject({ accountId: MEMBER_ACCOUNT, roleArn: null });
    expect(input.properties.guardrailVersion).toBe('4');
  });
});

describe('AccountEnforcement refusals', () => {
  function failing(make: (ctx: ReturnType<typeof management>) => void): string {
    const ctx = management();
    try {
      make(ctx);
      synth(ctx.stack);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected a refusal');
  }

  const draftOf = (ctx: ReturnType<typeof management>): IGuardrailVersion =>
    GuardrailVersion.fromVersionAttributes(ctx.stack, 'Draft', { guardrail: ctx.guardrail, version: 'DRAFT' });

  const cases: Array<[string, (ctx: ReturnType<typeof management>) => void, RegExp]> = [
    ['a malformed account ID', ({ stack, version }) => new AccountEnforcement(stack, 'E', { version, account: '12345' }),
      /`account` must be a 12-digit account ID, got "12345"/],
    ['a member role for the own account', ({ stack, version }) => new AccountEnforcement(stack, 'E', { version, memberRoleName: 'Admin' }),
      /`memberRoleName` is set, but the enforcement is in the stack's own account/],
    ['ALL in the exclude list', ({ stack, version }) => new AccountEnforcement(stack, 'E', { version, excludedModels: [ModelId.ALL] }),
      /`excludedModels\[0\]` is ModelId.ALL, which is only valid in an include list/],
    ['ALL mixed with a model', ({ stack, version }) => new AccountEnforcement(stack, 'E', { version, includedModels: [ModelId.ALL, ModelId.AMAZON_NOVA_PRO_V1] }),
      /`includedModels` mixes ModelId.ALL with other models/],
    ['an empty include list', ({ stack, version }) => new AccountEnforcement(stack, 'E', { version, includedModels: [] }), /`includedModels` is empty/],
    ['a DRAFT version', (ctx) => new AccountEnforcement(ctx.stack, 'E', { version: draftOf(ctx) }), /\[GR-ACC-002\] test\/E: .*DRAFT/],
    ['a region other than the version\'s', ({ stack, version }) => new AccountEnforcement(stack, 'E', { version, region: 'us-west-2' }), /\[GR-ACC-003\] test\/E: /],
    ['two configurations for one account and region', ({ stack, version }) => {
      new AccountEnforcement(stack, 'A', { version });
      new AccountEnforcement(stack, 'B', { version });
    }, /\[GR-ACC-001\] test\/B: account 111111111111 in us-east-1 is configured 2 times/],
    ['a model both included and excluded', ({ stack, version }) => new AccountEnforcement(stack, 'E', {
      version, includedModels: [ModelId.AMAZON_NOVA_PRO_V1], excludedModels: [ModelId.AMAZON_NOVA_PRO_V1],
    }), /\[GR-ACC-006\] test\/E: /],
    ['a guardrail with an automated reasoning policy', ({ stack }) => {
      const g = Guardrail.fromGuardrailAttributes(stack, 'AR', { guardrailArn: `arn:aws:bedrock:us-east-1:${MANAGEMENT_ACCOUNT}:guardrail/ar1234`, hasAutomatedReasoningPolicy: true });
      new AccountEnforcement(stack, 'E', { version: GuardrailVersion.fromVersionAttributes(stack, 'V', { guardrail: g, version: '1' }) });
    }, /\[GR-ACC-007\] test\/E: /],
    ['a member account the resource policy does not reach', ({ stack, guardrail, version }) => {
      guardrail.grantApply(GuardrailPrincipal.organizationalUnits(ORG.organizationId, ['ou-ab12-other001']));
      new AccountEnforcement(stack, 'E', { version, account: MEMBER_ACCOUNT, organization: ORG });
    }, /\[GR-ACC-004\] test\/E: .*OU/],
    ['a member account and no resource policy at all', ({ stack, version }) => new AccountEnforcement(stack, 'E', { version, account: MEMBER_ACCOUNT, organization: ORG }),
      /\[GR-ACC-004\] test\/E: /],
    ['an unknown stack account with a member account', () => {
      const app = Testing.app();
      const stack = new TerraformStack(app, 'test');
      new AwsProvider(stack, 'aws', { region: 'us-east-1' });
      const g = new Guardrail(stack, 'G', { name: 'g', contentFilters: ContentFilters.all() });
      new AccountEnforcement(stack, 'E', { version: g.addVersion(), account: MEMBER_ACCOUNT });
    }, /`account` is 222222222222, but the stack.s account is unknown at synth, so it cannot tell whether a role must be assumed. Pin the provider to its account with `allowedAccountIds/],
    ['a malformed model ID', () => ModelId.of('gpt 4'), /ModelId/],
  ];

  test.each(cases)('refuses %s', (_label, make, message) => {
    expect(failing(make)).toMatch(message);
  });

  test('class of single-prop refusals', () => {
    const ctx = management();
    expect(() => new AccountEnforcement(ctx.stack, 'E', { version: ctx.version, account: 'x' })).toThrow(GuardrailsValidationError);
  });
});

describe('AccountEnforcement warnings', () => {
  function warningsOf(stack: TerraformStack): string[] {
    synth(stack);
    return stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
  }

  test('an imported guardrail\'s reach cannot be verified: a warning, which can be acknowledged', () => {
    const build = (ack: boolean) => {
      const { stack } = testStack('us-east-1', MEMBER_ACCOUNT);
      const shared = Guardrail.fromGuardrailAttributes(stack, 'Shared', { guardrailArn: `arn:aws:bedrock:us-east-1:${MANAGEMENT_ACCOUNT}:guardrail/abc123def456` });
      const e = new AccountEnforcement(stack, 'Enforce', { version: GuardrailVersion.fromVersionAttributes(stack, 'V', { guardrail: shared, version: '2' }) });
      if (ack) acknowledgeWarning(e, 'GR-ACC-008', 'The platform team grants the organization on the shared guardrail.');
      return stack;
    };
    expect(warningsOf(build(false))).toEqual([expect.stringMatching(/^\[GR-ACC-008\] test\/Enforce: /)]);
    expect(warningsOf(build(true))).toEqual([]);
  });

  test('an error cannot be acknowledged', () => {
    const ctx = management();
    const e = new AccountEnforcement(ctx.stack, 'E', { version: ctx.version, region: 'us-west-2' });
    acknowledgeWarning(e, 'GR-ACC-003', 'I know better');
    expect(() => synth(ctx.stack)).toThrow(/\[GR-ACC-003\]/);
  });
});
