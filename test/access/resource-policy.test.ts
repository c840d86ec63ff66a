import { Testing } from 'cdktf';
import {
  ContentFilters, Guardrail, GuardrailPrincipal, GuardrailProfile, GuardrailResourcePolicy, GuardrailsValidationError, Implementation,
  NativeGuardrailResourcePolicy, Organization,
} from '../../src';
import { MANAGEMENT_ACCOUNT, MEMBER_ACCOUNT, resourcesOf, snapshotSynth, synth, testStack } from '../helpers';

const ORG = 'o-abcdefghij';
const OU = 'ou-ab12-cdefgh12';

function setup(crossRegion = false) {
  const { stack } = testStack();
  const guardrail = new Guardrail(stack, 'Guardrail', {
    name: 'org-default', contentFilters: ContentFilters.all(), ...(crossRegion ? { crossRegionProfile: GuardrailProfile.US } : {}),
  });
  return { stack, guardrail };
}

/** The handler input of every resource-policy invocation, parsed, with its policy parsed too. */
function policyInputs(json: any): any[] {
  return Object.values(resourcesOf(json, 'aws_lambda_invocation'))
    .map((r: any) => JSON.parse(r.input))
    .filter((i) => i.kind === 'GuardrailResourcePolicy')
    .map((i) => ({ ...i, policy: JSON.parse(i.properties.policy) }));
}

describe('GuardrailResourcePolicy', () => {
  test('grantApply to the organization: one CRUD invocation with the organization pattern (snapshot)', () => {
    const { stack, guardrail } = setup();
    guardrail.grantApply(GuardrailPrincipal.organization(ORG));
    const json = synth(stack);
    const [input] = policyInputs(json);
    expect(input.target).toEqual({ accountId: MANAGEMENT_ACCOUNT, region: 'us-east-1', roleArn: null, sessionName: 'cdktf-bedrock-guardrails' });
    expect(input.properties.resourceArn).toMatch(/^\$\{aws_bedrock_guardrail\.Guardrail_[0-9A-F]{8}\.guardrail_arn\}$/);
    expect(input.properties.adoptExisting).toBe(false);
    expect(input.policy).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'ApplyGuardrail1', Effect: 'Allow', Principal: '*',
        Action: ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'],
        Resource: input.properties.resourceArn,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
      }],
    });
    const invocation: any = Object.values(resourcesOf(json, 'aws_lambda_invocation'))[0];
    expect(invocation.lifecycle_scope).toBe('CRUD');
    expect(invocation.terraform_key).toBe('tf');
    expect(snapshotSynth(stack)).toMatchSnapshot();
  });

  test('OU principals use PrincipalOrgPaths beside the organization condition', () => {
    const { stack, guardrail } = setup();
    guardrail.grantApply(GuardrailPrincipal.organizationalUnits(ORG, [OU, 'ou-ab12-zzzzzzzz']));
    const [input] = policyInputs(synth(stack));
    expect(input.policy.Statement[0].Condition).toEqual({
      'StringEquals': { 'aws:PrincipalOrgID': ORG },
      'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${ORG}/*/${OU}/*`, `${ORG}/*/ou-ab12-zzzzzzzz/*`] },
    });
  });

  test('the owning account pattern names the owner root', () => {
    const { stack, guardrail } = setup();
    guardrail.grantApply(GuardrailPrincipal.owningAccount());
    const [input] = policyInputs(synth(stack));
    expect(input.policy.Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:root` });
    expect(input.policy.Statement[0].Condition).toBeUndefined();
  });

  test('a profile given with its own routing table is granted in the table\'s destination regions', () => {
    const { stack } = testStack('eu-west-1');
    const eu = GuardrailProfile.of('eu.guardrail.v1:0', { 'eu-west-1': ['eu-central-1', 'eu-west-1', 'eu-west-3'] });
    const guardrail = new Guardrail(stack, 'Guardrail', { name: 'eu', contentFilters: ContentFilters.all(), crossRegionProfile: eu });
    guardrail.grantApply(GuardrailPrincipal.organization(ORG));
    const profiles = policyInputs(synth(stack)).filter((i) => i.properties.resourceArn.includes('guardrail-profile'));
    expect(profiles.map((i) => i.target.region)).toEqual(['eu-central-1', 'eu-west-1', 'eu-west-3']);
    expect(guardrail.crossRegionProfile).toBe(eu);
    expect(guardrail.crossRegionProfileId).toBe('eu.guardrail.v1:0');
    // Without a table, a known ID gives the library's constant and its table.
    expect(GuardrailProfile.of('us.guardrail.v1:0')).toBe(GuardrailProfile.US);
    expect(GuardrailProfile.of('us.guardrail.v1:0', {}).destinationRegions('us-east-1')).toEqual(['us-east-1']);
  });

  test('a cross-region guardrail also grants ApplyGuardrail on its profile in every destination region', () => {
    const { stack, guardrail } = setup(true);
    guardrail.grantApply(GuardrailPrincipal.organization(ORG));
    const inputs = policyInputs(synth(stack));
    const profiles = inputs.filter((i) => i.properties.resourceArn.includes('guardrail-profile'));
    expect(profiles.map((i) => i.target.region)).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
    for (const p of profiles) {
      expect(p.properties.resourceArn).toBe(`arn:aws:bedrock:${p.target.region}:${MANAGEMENT_ACCOUNT}:guardrail-profile/us.guardrail.v1:0`);
      expect(p.policy.Statement[0].Action).toBe('bedrock:ApplyGuardrail');
      expect(p.policy.Statement[0].Resource).toBe(p.properties.resourceArn);
    }
  });

  test('grantApply twice extends one policy', () => {
    const { stack, guardrail } = setup();
    const a = guardrail.grantApply(GuardrailPrincipal.organization(ORG));
    const b = guardrail.grantApply(GuardrailPrincipal.owningAccount(), GuardrailPrincipal.organization(ORG));
    expect(b).toBe(a);
    expect(GuardrailResourcePolicy.of(guardrail)).toBe(a);
    expect(policyInputs(synth(stack))[0].policy.Statement).toHaveLength(2);
  });

  test('the host role may act only on the managed guardrail and profiles', () => {
    const { stack, guardrail } = setup(true);
    guardrail.grantApply(GuardrailPrincipal.organization(ORG));
    const json = synth(stack);
    const policy = JSON.parse((Object.values(resourcesOf(json, 'aws_iam_role_policy'))[0] as any).policy);
    const rp = policy.Statement.find((s: any) => s.Sid === 'GuardrailResourcePolicy');
    expect(rp.Action).toEqual(['bedrock:GetResourcePolicy', 'bedrock:PutResourcePolicy', 'bedrock:DeleteResourcePolicy']);
    expect(rp.Resource).toHaveLength(4);
    for (const s of policy.Statement) for (const a of [].concat(s.Action)) expect(a).not.toContain('*');
    expect(policy.Statement.some((s: any) => s.Action === 'sts:AssumeRole')).toBe(false);
  });

  test('statements copied from the console are read into principals', () => {
    const { stack, guardrail } = setup();
    new GuardrailResourcePolicy(stack, 'Policy', {
      guardrail,
      statements: [{
        Effect: 'Allow', Principal: '*', Action: ['bedrock:ApplyGuardrail'], Resource: '*',
        Condition: { 'StringEquals': { 'aws:PrincipalOrgID': ORG }, 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${ORG}/*/${OU}/*`] } },
      }],
    });
    expect(GuardrailResourcePolicy.of(guardrail)!.principals.map((p) => p.describe())).toEqual([`OUs ${OU} of ${ORG}`]);
  });

  test('reach: organization-wide reaches any member; OUs reach accounts declared under them', () => {
    const org = new Organization({
      organizationId: ORG, rootId: 'r-ab12', managementAccountId: MANAGEMENT_ACCOUNT,
      organizationalUnits: [{ id: OU, accounts: [MEMBER_ACCOUNT] }, { id: 'ou-ab12-child001', parentId: OU, accounts: ['333333333333'] }, { id: 'ou-ab12-other001', accounts: ['444444444444'] }],
    });
    const { guardrail } = setup();
    const p = new GuardrailResourcePolicy(guardrail, 'P', { guardrail, principals: [GuardrailPrincipal.organizationalUnits(ORG, [OU])], organization: org });
    expect(p.reaches(MEMBER_ACCOUNT)).toBe(true);
    expect(p.reaches('333333333333')).toBe(true);
    expect(p.reaches('444444444444')).toBe(false);
    expect(p.reaches('555555555555')).toBeUndefined();
    p.addPrincipal(GuardrailPrincipal.ofOrganization(org));
    expect(p.reaches('444444444444')).toBe(true);
  });

  test('native implementation emits the provider resource with an import block and a released shim invocation', () => {
    const { stack, guardrail } = setup();
    new GuardrailResourcePolicy(stack, 'Policy', { guardrail, principals: [GuardrailPrincipal.organization(ORG)], implementation: Implementation.NATIVE });
    const json = JSON.parse(Testing.synth(stack));
    const native: any = Object.values(resourcesOf(json, 'aws_bedrock_guardrail_resource_policy'))[0];
    expect(native.resource_arn).toMatch(/guardrail_arn\}$/);
    expect(JSON.parse(native.policy).Statement[0].Condition.StringEquals['aws:PrincipalOrgID']).toBe(ORG);
    expect(json.import).toEqual([expect.objectContaining({ id: native.resource_arn, to: expect.stringMatching(/^aws_bedrock_guardrail_resource_policy\./) })]);
    expect(policyInputs(json)[0].properties.release).toBe(true);
  });

  test('native implementation puts a guardrail profile\'s policy in the profile\'s own region', () => {
    const { stack, guardrail } = setup(true);
    new GuardrailResourcePolicy(stack, 'Policy', { guardrail, principals: [GuardrailPrincipal.organization(ORG)], implementation: Implementation.NATIVE });
    const json = JSON.parse(Testing.synth(stack));
    const natives = Object.values<any>(resourcesOf(json, 'aws_bedrock_guardrail_resource_policy'));
    // The guardrail in us-east-1 (the provider's region), the US profile in each destination region.
    const byArn = new Map(natives.map((n) => [n.resource_arn, n]));
    expect(natives).toHaveLength(1 + 3);
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) {
      const profile = natives.find((n) => String(n.resource_arn).startsWith(`arn:aws:bedrock:${region}:`) && String(n.resource_arn).includes(':guardrail-profile/'));
      expect(profile).toBeDefined();
      // The provider deploys to us-east-1: a profile elsewhere names its region, the local one needs none.
      expect(profile.region).toBe(region === 'us-east-1' ? undefined : region);
    }
    expect([...byArn.keys()].filter((a) => String(a).endsWith('guardrail_arn}'))).toHaveLength(1);
    expect(json.import).toHaveLength(4);
  });
});

describe('GuardrailResourcePolicy refusals', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['a specific member account', () => GuardrailPrincipal.account(MEMBER_ACCOUNT),
      /not a principal Bedrock accepts .* Grant the OU the account is in with GuardrailPrincipal.organizationalUnits/],
    ['a bare "*"', () => GuardrailPrincipal.anyone(), /a "\*" principal needs an aws:PrincipalOrgID condition/],
    ['a malformed organization ID', () => GuardrailPrincipal.organization('org-123'), /`organizationId` must be an organization ID like "o-a1b2c3d4e5", got "org-123"/],
    ['a malformed OU ID', () => GuardrailPrincipal.organizationalUnits(ORG, ['ou-1']), /`ouIds\[0\]` must be an OU ID like "ou-a1b2-c3d4e5f6", got "ou-1"/],
    ['an empty OU list', () => GuardrailPrincipal.organizationalUnits(ORG, []), /`ouIds` is empty, so the statement would grant nobody/],
    ['a statement with bedrock:InvokeGuardrail', () => withStatement({ Effect: 'Allow', Principal: '*', Action: 'bedrock:InvokeGuardrail', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }),
      /"bedrock:InvokeGuardrail", an action that does not exist, so the statement grants nothing. Use "bedrock:ApplyGuardrail"/],
    ['a statement with another action', () => withStatement({ Effect: 'Allow', Principal: '*', Action: ['bedrock:ApplyGuardrail', 'bedrock:DeleteGuardrail'], Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }),
      /grants "bedrock:DeleteGuardrail"; a guardrail policy may grant only/],
    ['a statement with "*" and no organization condition', () => withStatement({ Effect: 'Allow', Principal: '*', Action: 'bedrock:ApplyGuardrail' }),
      /Principal "\*" without an aws:PrincipalOrgID condition/],
    ['a statement naming a member account', () => withStatement({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MEMBER_ACCOUNT}:root` }, Action: 'bedrock:ApplyGuardrail' }),
      /names account 222222222222, but a guardrail policy may name only the owning account \(111111111111\)/],
    ['a statement naming an outside principal', () => withStatement({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:role/x' }, Action: 'bedrock:ApplyGuardrail' }),
      /has Principal .* which Bedrock does not accept/],
    ['a Deny statement', () => withStatement({ Effect: 'Deny', Principal: '*', Action: 'bedrock:ApplyGuardrail', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }),
      /has Effect "Deny"/],
    ['an unsupported condition', () => withStatement({ Effect: 'Allow', Principal: '*', Action: 'bedrock:ApplyGuardrail', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG, 'aws:SourceVpc': 'vpc-1' } } }),
      /Bedrock accepts only aws:PrincipalOrgID and aws:PrincipalOrgPaths/],
    ['an org path of another form', () => withStatement({ Effect: 'Allow', Principal: '*', Action: 'bedrock:ApplyGuardrail', Condition: { 'StringEquals': { 'aws:PrincipalOrgID': ORG }, 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${ORG}/r-ab12/${OU}/`] } } }),
      /the supported form is "<org id>\/\*\/<ou id>\/\*"/],
    ['a statement without ApplyGuardrail', () => withStatement({ Effect: 'Allow', Principal: '*', Action: 'bedrock:GetGuardrail', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }),
      /does not grant bedrock:ApplyGuardrail/],
    ['a second policy on one guardrail', () => {
      const { stack, guardrail } = setup();
      guardrail.grantApply(GuardrailPrincipal.organization(ORG));
      new GuardrailResourcePolicy(stack, 'Second', { guardrail, principals: [GuardrailPrincipal.owningAccount()] });
    }, /already has a resource policy .* a guardrail has exactly one/],
    ['profile regions on a guardrail without a profile', () => {
      const { stack, guardrail } = setup();
      new GuardrailResourcePolicy(stack, 'P', { guardrail, principals: [GuardrailPrincipal.organization(ORG)], profileRegions: ['us-west-2'] });
    }, /`profileRegions` is set .* but the guardrail uses no cross-region profile/],
  ];

  function withStatement(statement: Record<string, unknown>) {
    const { stack, guardrail } = setup();
    return new GuardrailResourcePolicy(stack, 'Policy', { guardrail, statements: [statement] });
  }

  test.each(cases)('refuses %s', (_label, make, message) => {
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GuardrailsValidationError);
    expect((error as Error).message).toMatch(message);
  });

  test('a policy with no principal fails synth', () => {
    const { stack, guardrail } = setup();
    new GuardrailResourcePolicy(stack, 'Empty', { guardrail });
    expect(() => synth(stack)).toThrow(/`principals` and `statements` are empty, so the policy grants nobody/);
  });
});

describe('native bindings', () => {
  test('carry every meta-argument given, not only the provider', () => {
    const { stack, guardrail } = setup();
    new NativeGuardrailResourcePolicy(stack, 'Raw', {
      resourceArn: guardrail.guardrailArn, policy: '{}', count: 2, lifecycle: { preventDestroy: true }, dependsOn: [guardrail.resource],
    });
    const raw: any = Object.values(resourcesOf(JSON.parse(Testing.synth(stack)), 'aws_bedrock_guardrail_resource_policy'))[0];
    expect(raw).toMatchObject({ count: 2, lifecycle: { prevent_destroy: true }, policy: '{}' });
    expect(raw.depends_on).toEqual([expect.stringMatching(/^aws_bedrock_guardrail\./)]);
  });
});
