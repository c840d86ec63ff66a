import { BedrockPolicyDocument } from '../../src/enforcement/policy-document';
import { ModelId } from '../../src/enforcement/settings';
import { GuardrailRule, runRules } from '../../src/rules/engine';
import {
  guardrailVersionFacts, OrganizationConfigurationFacts, OrganizationPolicyFacts, organizationPolicyFacts, OrganizationRulesInput,
  TargetFacts, TargetType,
} from '../../src/rules/facts';
import {
  ORG_DOCUMENT_SIZE, ORG_DOCUMENT_SIZE_ESTIMATE, ORG_IDENTIFIER_SHAPE, ORG_INFERENCE_PROFILE_MODELS, ORG_MANAGEMENT_OWNED,
  ORG_MODEL_IDS, ORG_MODEL_INCLUDED_AND_EXCLUDED, ORG_NO_AUTOMATED_REASONING, ORG_NUMBERED_VERSION, ORG_POLICIES_PER_TARGET,
  ORG_RESOURCE_POLICY_REACH, ORG_RESOURCE_POLICY_UNVERIFIED, ORG_UNIQUE_CONFIG_NAMES, ORG_VERSION_REGION, ORGANIZATION_RULES,
  ORG_MANAGEMENT_OWNED as OWNED,
} from '../../src/rules/organization-rules';
import {
  fakeVersion, MEMBER_A, MEMBER_B, MEMBER_C, organization, OU_PROD, OU_SANDBOX, OU_WORKLOADS, token, versionFacts,
} from './fixtures';

const ROOT: TargetFacts = { type: TargetType.ROOT, id: 'r-ab12' };
const ou = (id: string): TargetFacts => ({ type: TargetType.ORGANIZATIONAL_UNIT, id });
const account = (id: string): TargetFacts => ({ type: TargetType.ACCOUNT, id });

function config(overrides: Partial<OrganizationConfigurationFacts> = {}): OrganizationConfigurationFacts {
  return { region: 'us-east-1', name: 'baseline', version: versionFacts(), ...overrides };
}

function policy(overrides: Partial<OrganizationPolicyFacts> = {}): OrganizationPolicyFacts {
  return {
    path: 'App/Mgmt/OrgEnforcement',
    name: 'bedrock-baseline',
    configurations: [config()],
    targets: [ou(OU_WORKLOADS)],
    characterCount: { lowerBound: 300, upperBound: 300 },
    ...overrides,
  };
}

function input(policies: OrganizationPolicyFacts[], extra: Partial<OrganizationRulesInput> = {}): OrganizationRulesInput {
  return { organization: organization(), policies, ...extra };
}

function run(rule: GuardrailRule<OrganizationRulesInput>, i: OrganizationRulesInput): { errors: string[]; warnings: string[] } {
  const { errors, warnings } = runRules([rule], i);
  return { errors, warnings };
}

const CLEAN = { errors: [], warnings: [] };

describe('organization rules', () => {
  test('ids are unique and every rule explains itself', () => {
    expect(new Set(ORGANIZATION_RULES.map((r) => r.id)).size).toBe(ORGANIZATION_RULES.length);
    for (const r of ORGANIZATION_RULES) {
      expect(r.id).toMatch(/^GR-ORG-\d{3}$/);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.rationale.length).toBeGreaterThan(30);
    }
  });

  test('a compliant policy passes every rule', () => {
    expect(runRules(ORGANIZATION_RULES, input([policy()]))).toEqual({ errors: [], warnings: [], acknowledged: [] });
  });

  describe('GR-ORG-001 numbered version', () => {
    test('passes a numbered version', () => expect(run(ORG_NUMBERED_VERSION, input([policy()]))).toEqual(CLEAN));
    test('fails DRAFT, naming the config, version and fix', () => {
      const v = versionFacts({ version: 'DRAFT', identifier: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/hu1dlsv9wy1d:DRAFT' });
      const { errors } = run(ORG_NUMBERED_VERSION, input([policy({ configurations: [config({ version: v })] })]));
      expect(errors).toEqual([expect.stringMatching(/^\[GR-ORG-001\] App\/Mgmt\/OrgEnforcement: configuration "us-east-1\/baseline" names .* "DRAFT".*Fix: Publish a numbered/)]);
    });
    test('fails a version that is not a number', () => {
      const v = versionFacts({ version: '0' });
      expect(run(ORG_NUMBERED_VERSION, input([policy({ configurations: [config({ version: v })] })])).errors).toHaveLength(1);
    });
    test('stays silent on a token version', () => {
      const v = versionFacts({ version: token('DRAFT'), identifier: token() });
      expect(run(ORG_NUMBERED_VERSION, input([policy({ configurations: [config({ version: v })] })]))).toEqual(CLEAN);
    });
  });

  describe('GR-ORG-002 version region', () => {
    test('passes a matching region', () => expect(run(ORG_VERSION_REGION, input([policy()]))).toEqual(CLEAN));
    test('fails a version from another region', () => {
      const { errors } = run(ORG_VERSION_REGION, input([policy({ configurations: [config({ region: 'eu-west-1' })] })]));
      expect(errors).toEqual([expect.stringMatching(/region key eu-west-1, but the version lives in us-east-1/)]);
    });
    test('fails an identifier naming another region', () => {
      const v = versionFacts({ region: 'eu-west-1' });
      const { errors } = run(ORG_VERSION_REGION, input([policy({ configurations: [config({ region: 'eu-west-1', version: v })] })]));
      expect(errors).toEqual([expect.stringMatching(/identifier names region us-east-1/)]);
    });
    test('stays silent on a token identifier', () => {
      const v = versionFacts({ identifier: token() });
      expect(run(ORG_VERSION_REGION, input([policy({ configurations: [config({ version: v })] })]))).toEqual(CLEAN);
    });
  });

  describe('GR-ORG-003 owned by the management account', () => {
    test('passes a management-account guardrail', () => expect(run(OWNED, input([policy()]))).toEqual(CLEAN));
    test('fails a member-account guardrail', () => {
      const v = versionFacts({ ownerAccount: MEMBER_A, identifier: `arn:aws:bedrock:us-east-1:${MEMBER_A}:guardrail/abc:1` });
      const { errors } = run(ORG_MANAGEMENT_OWNED, input([policy({ configurations: [config({ version: v })] })]));
      expect(errors).toEqual([expect.stringMatching(/owned by account 222222222222, not the management account 111111111111/)]);
    });
    test('reads the owner from a literal identifier', () => {
      const v = versionFacts({ ownerAccount: undefined, identifier: `arn:aws:bedrock:us-east-1:${MEMBER_B}:guardrail/abc:1` });
      expect(run(OWNED, input([policy({ configurations: [config({ version: v })] })])).errors).toHaveLength(1);
    });
    test('stays silent when the owner is unknown (token identifier)', () => {
      const v = versionFacts({ ownerAccount: undefined, identifier: token() });
      expect(run(OWNED, input([policy({ configurations: [config({ version: v })] })]))).toEqual(CLEAN);
    });
  });

  describe('GR-ORG-004 automated reasoning', () => {
    test('passes a guardrail without one', () => expect(run(ORG_NO_AUTOMATED_REASONING, input([policy()]))).toEqual(CLEAN));
    test('fails a guardrail with one', () => {
      const v = versionFacts({ hasAutomatedReasoningPolicy: true });
      expect(run(ORG_NO_AUTOMATED_REASONING, input([policy({ configurations: [config({ version: v })] })])).errors)
        .toEqual([expect.stringMatching(/^\[GR-ORG-004\].*automated reasoning policy/)]);
    });
  });

  describe('GR-ORG-005 resource policy reaches the targets', () => {
    const ouGrant = (...ids: string[]) => versionFacts({ resourcePolicy: { organizationalUnitIds: ids } });
    const withGrant = (v: ReturnType<typeof versionFacts>, targets: TargetFacts[]) => input([policy({ configurations: [config({ version: v })], targets })]);

    test('passes an organization-wide grant for a root attachment', () => {
      expect(run(ORG_RESOURCE_POLICY_REACH, input([policy({ targets: [ROOT] })]))).toEqual(CLEAN);
    });
    test('passes a granted OU for the OU, its child OU and an account in the subtree', () => {
      expect(run(ORG_RESOURCE_POLICY_REACH, withGrant(ouGrant(OU_WORKLOADS), [ou(OU_WORKLOADS), ou(OU_PROD), account(MEMBER_A), account(MEMBER_B)]))).toEqual(CLEAN);
    });
    test('fails a root attachment with only OU grants', () => {
      const { errors } = run(ORG_RESOURCE_POLICY_REACH, withGrant(ouGrant(OU_WORKLOADS), [ROOT]));
      expect(errors).toEqual([expect.stringMatching(/attached to the root r-ab12: .* grants only OUs ou-ab12-workload1.*Fix: Grant the organization/)]);
    });
    test('fails an OU outside the granted subtree, and a parent of the granted OU', () => {
      const { errors } = run(ORG_RESOURCE_POLICY_REACH, withGrant(ouGrant(OU_PROD), [ou(OU_SANDBOX), ou(OU_WORKLOADS)]));
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatch(/OU ou-ab12-/);
    });
    test('fails an account outside the granted OUs, naming where it sits and that accounts are not a principal', () => {
      const { errors } = run(ORG_RESOURCE_POLICY_REACH, withGrant(ouGrant(OU_PROD), [account(MEMBER_C)]));
      expect(errors).toEqual([expect.stringMatching(/account 444444444444 sits under ou-ab12-sandbox11.*Single member accounts are not a supported principal/)]);
    });
    test('fails a guardrail with no resource policy', () => {
      const { errors } = run(ORG_RESOURCE_POLICY_REACH, withGrant(versionFacts({ resourcePolicy: undefined }), [ou(OU_WORKLOADS)]));
      expect(errors).toEqual([expect.stringMatching(/no resource policy in this app/)]);
    });
    test('fails a grant to another organization', () => {
      const v = versionFacts({ resourcePolicy: { organizationWide: true, organizationId: 'o-zzzzzzzzzz' } });
      expect(run(ORG_RESOURCE_POLICY_REACH, withGrant(v, [ROOT])).errors).toEqual([expect.stringMatching(/grants organization o-zzzzzzzzzz, not o-abcdef1234/)]);
    });
    test('stays silent (and GR-ORG-013 warns) when it cannot decide', () => {
      const unmanaged = versionFacts({ resourcePolicy: undefined, resourcePolicyUnmanaged: true });
      expect(run(ORG_RESOURCE_POLICY_REACH, withGrant(unmanaged, [ROOT]))).toEqual(CLEAN);
      const undeclared = withGrant(ouGrant(OU_PROD), [account('999999999999')]);
      expect(run(ORG_RESOURCE_POLICY_REACH, undeclared)).toEqual(CLEAN);
      expect(run(ORG_RESOURCE_POLICY_UNVERIFIED, undeclared).warnings).toEqual([expect.stringMatching(/^\[GR-ORG-013\].*999999999999 is not declared/)]);
    });
  });

  describe('GR-ORG-006 unique configuration names', () => {
    test('passes the same name in two regions', () => {
      const v = versionFacts({ region: 'eu-west-1' });
      expect(run(ORG_UNIQUE_CONFIG_NAMES, input([policy({ configurations: [config(), config({ region: 'eu-west-1', version: v })] })]))).toEqual(CLEAN);
    });
    test('fails a repeated name in one region (case-insensitively)', () => {
      const { errors } = run(ORG_UNIQUE_CONFIG_NAMES, input([policy({ configurations: [config(), config({ name: 'Baseline' })] })]));
      expect(errors).toEqual([expect.stringMatching(/region us-east-1 has two configurations named "Baseline"/)]);
    });
    test('is reported from a document that cannot render', () => {
      const doc = new BedrockPolicyDocument()
        .addConfiguration({ name: 'baseline', version: fakeVersion() })
        .addConfiguration({ name: 'baseline', version: fakeVersion({ id: 'second123456' }) });
      const facts = organizationPolicyFacts({ path: 'App/Mgmt/P', name: 'p', document: doc, targets: [ROOT] });
      expect(facts.characterCount).toBeUndefined();
      expect(run(ORG_UNIQUE_CONFIG_NAMES, input([facts])).errors).toHaveLength(1);
    });
  });

  describe('GR-ORG-007/008 document size', () => {
    test('passes a small document', () => {
      expect(run(ORG_DOCUMENT_SIZE, input([policy()]))).toEqual(CLEAN);
      expect(run(ORG_DOCUMENT_SIZE_ESTIMATE, input([policy()]))).toEqual(CLEAN);
    });
    test('fails a document certainly over 10,000 characters', () => {
      const { errors } = run(ORG_DOCUMENT_SIZE, input([policy({ characterCount: { lowerBound: 10_001, upperBound: 10_001 } })]));
      expect(errors).toEqual([expect.stringMatching(/at least 10001 characters \(limit 10000\).*Fix: Split/)]);
    });
    test('only warns when tokens may push it over', () => {
      const p = policy({ characterCount: { lowerBound: 9_000, upperBound: 10_500 } });
      expect(run(ORG_DOCUMENT_SIZE, input([p]))).toEqual(CLEAN);
      expect(run(ORG_DOCUMENT_SIZE_ESTIMATE, input([p])).warnings).toEqual([expect.stringMatching(/between 9000 and 10500 characters/)]);
    });
    test('measures a real document with token identifiers', () => {
      const doc = new BedrockPolicyDocument();
      for (let i = 0; i < 60; i++) doc.addConfiguration({ name: `config_${i}`, version: fakeVersion({ tokens: true }) });
      const facts = organizationPolicyFacts({ path: 'App/Mgmt/P', name: 'big', document: doc, targets: [ROOT] });
      expect(facts.characterCount!.upperBound).toBeGreaterThan(10_000);
      const report = runRules([ORG_DOCUMENT_SIZE, ORG_DOCUMENT_SIZE_ESTIMATE], input([facts]));
      expect(report.errors.length + report.warnings.length).toBe(1);
    });
  });

  describe('GR-ORG-009 policies per target', () => {
    const many = (n: number, target: TargetFacts) => Array.from({ length: n }, (_, i) => policy({ path: `App/Mgmt/P${String(i).padStart(2, '0')}`, name: `p${i}`, targets: [target] }));
    test('passes 10 policies on one target', () => expect(run(ORG_POLICIES_PER_TARGET, input(many(10, ou(OU_PROD))))).toEqual(CLEAN));
    test('fails 11 policies on one target', () => {
      const { errors } = run(ORG_POLICIES_PER_TARGET, input(many(11, ou(OU_PROD))));
      expect(errors).toEqual([expect.stringMatching(/^\[GR-ORG-009\] App\/Mgmt\/P00: OU ou-ab12-prodprod1 would have 11 Bedrock policies/)]);
    });
    test('counts policies attached outside the app', () => {
      const { errors } = run(ORG_POLICIES_PER_TARGET, input(many(3, ROOT), { existingAttachments: [{ targetId: 'r-ab12', count: 8 }] }));
      expect(errors).toEqual([expect.stringMatching(/11 Bedrock policies .*8 already attached outside it/)]);
    });
    test('counts a policy attached twice to one target once', () => {
      expect(run(ORG_POLICIES_PER_TARGET, input([policy({ targets: [ROOT, ROOT] })], { existingAttachments: [{ targetId: 'r-ab12', count: 9 }] }))).toEqual(CLEAN);
    });
  });

  describe('GR-ORG-010 model IDs', () => {
    test('passes well-formed lists', () => {
      expect(run(ORG_MODEL_IDS, input([policy({ configurations: [config({ includedModels: ['ALL'], excludedModels: ['cohere.embed-english-v3'] })] })]))).toEqual(CLEAN);
    });
    test('fails malformed IDs and ALL in the exclude list', () => {
      const { errors } = run(ORG_MODEL_IDS, input([policy({ configurations: [config({ includedModels: ['Claude'], excludedModels: ['ALL'] })] })]));
      expect(errors).toEqual([
        expect.stringMatching(/`excludedModels\[0\]` "ALL" is only valid in the include list/),
        expect.stringMatching(/`includedModels\[0\]` "Claude" is not a model ID/),
      ]);
    });
    test('stays silent on token model IDs', () => {
      expect(run(ORG_MODEL_IDS, input([policy({ configurations: [config({ includedModels: [token()] })] })]))).toEqual(CLEAN);
    });
  });

  describe('GR-ORG-011 model included and excluded', () => {
    test('passes ALL minus a model', () => {
      expect(run(ORG_MODEL_INCLUDED_AND_EXCLUDED, input([policy({ configurations: [config({ includedModels: ['ALL'], excludedModels: ['amazon.nova-pro-v1:0'] })] })]))).toEqual(CLEAN);
    });
    test('fails a model in both lists', () => {
      const { errors } = run(ORG_MODEL_INCLUDED_AND_EXCLUDED,
        input([policy({ configurations: [config({ includedModels: ['amazon.nova-pro-v1:0'], excludedModels: ['amazon.nova-pro-v1:0'] })] })]));
      expect(errors).toEqual([expect.stringMatching(/lists amazon.nova-pro-v1:0 in both .* AWS would exclude it/)]);
    });
  });

  describe('GR-ORG-012 identifier shape', () => {
    test('passes an ARN with a version, and a token', () => {
      expect(run(ORG_IDENTIFIER_SHAPE, input([policy()]))).toEqual(CLEAN);
      expect(run(ORG_IDENTIFIER_SHAPE, input([policy({ configurations: [config({ version: versionFacts({ identifier: token() }) })] })]))).toEqual(CLEAN);
    });
    test('fails an identifier without a version or with a bare ID', () => {
      for (const identifier of ['arn:aws:bedrock:us-east-1:111111111111:guardrail/abc', 'abc123:1']) {
        expect(run(ORG_IDENTIFIER_SHAPE, input([policy({ configurations: [config({ version: versionFacts({ identifier }) })] })])).errors)
          .toEqual([expect.stringMatching(/^\[GR-ORG-012\]/)]);
      }
    });
  });

  describe('GR-ORG-013 reach not verifiable', () => {
    test('is silent when reach is decided', () => expect(run(ORG_RESOURCE_POLICY_UNVERIFIED, input([policy()]))).toEqual(CLEAN));
    test('warns for a resource policy managed elsewhere', () => {
      const v = versionFacts({ resourcePolicy: undefined, resourcePolicyUnmanaged: true });
      expect(run(ORG_RESOURCE_POLICY_UNVERIFIED, input([policy({ configurations: [config({ version: v })] })])).warnings)
        .toEqual([expect.stringMatching(/managed outside this app/)]);
    });
    test('warns for OU grants without an Organization', () => {
      const v = versionFacts({ resourcePolicy: { organizationalUnitIds: [OU_WORKLOADS] } });
      expect(run(ORG_RESOURCE_POLICY_UNVERIFIED, { policies: [policy({ configurations: [config({ version: v })], targets: [account(MEMBER_A)] })] }).warnings)
        .toHaveLength(1);
    });
  });

  describe('GR-ORG-014 inference profile IDs', () => {
    test('is silent for model IDs', () => expect(run(ORG_INFERENCE_PROFILE_MODELS, input([policy()]))).toEqual(CLEAN));
    test('warns for an inference profile ID', () => {
      const { warnings } = run(ORG_INFERENCE_PROFILE_MODELS, input([policy({ configurations: [config({ excludedModels: ['us.anthropic.claude-sonnet-4-5-20250929-v1:0'] })] })]));
      expect(warnings).toEqual([expect.stringMatching(/inference profile ID us.anthropic/)]);
    });
  });

  test('facts built from a document and a version construct pass the rules', () => {
    const version = fakeVersion();
    const doc = new BedrockPolicyDocument().addConfiguration({
      name: 'baseline', version, excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
    });
    const facts = organizationPolicyFacts({
      path: 'App/Mgmt/OrgEnforcement', name: 'baseline', document: doc, targets: [ou(OU_WORKLOADS)],
      versionFacts: (v) => guardrailVersionFacts(v, { resourcePolicy: { organizationWide: true } }),
    });
    expect(facts.configurations[0]).toMatchObject({ region: 'us-east-1', name: 'baseline', excludedModels: ['amazon.titan-embed-text-v2:0'] });
    expect(runRules(ORGANIZATION_RULES, input([facts])).errors).toEqual([]);
  });
});
