import { BedrockPolicyDocument } from '../../../src/enforcement/policy-document';
import { versionFacts as versionFactsOf } from '../../../src/guardrail/guardrail-version';
import { ContentGuarding } from '../../../src/model/enforcement-settings';
import { ModelId } from '../../../src/model/model-id';
import { Organization } from '../../../src/model/organization';
import { EnforcedConfigurationFacts } from '../../../src/validation/facts';
import {
  ORG_INFERENCE_PROFILE_MODELS, ORG_MODEL_IDS, ORG_MODEL_INCLUDED_AND_EXCLUDED, ORG_NO_AUTOMATED_REASONING, ORG_NUMBERED_VERSION,
  ORG_RESOURCE_POLICY_REACH, ORG_RESOURCE_POLICY_UNVERIFIED, ORG_VERSION_REGION,
} from '../../../src/validation/rules/configuration-rules';
import { Acknowledgements, runRules } from '../../../src/validation/rules/engine';
import {
  ORG_DOCUMENT_SIZE, ORG_DOCUMENT_SIZE_ESTIMATE, ORG_IDENTIFIER_SHAPE, ORG_INHERITED_OVERRIDE, ORG_MANAGEMENT_OWNED, ORG_POLICIES_PER_TARGET,
  ORG_SAME_NODE_CONFLICT, ORG_UNIQUE_CONFIG_NAMES, ORG_UNIQUE_POLICY_NAMES, ORGANIZATION_RULES,
} from '../../../src/validation/rules/organization-rules';
import {
  accountTarget, appFacts, check, CLEAN, fakeVersion, GUARDRAIL_PATH, IDENTIFIER_1, MEMBER_A, MEMBER_B, MEMBER_C, MGMT, orgConfig, orgGrant,
  orgPolicy, OrgPolicyOptions, otherVersion, OU_PROD, OU_SANDBOX, OU_WORKLOADS, ou, ouGrant, resourcePolicy, ROOT, token, versionFacts,
} from './fixtures';

/** Facts of one policy holding the given configurations. */
const withConfigs = (...configurations: EnforcedConfigurationFacts[]) => appFacts({ organizationPolicies: [orgPolicy({ configurations })] });
/** Facts of policies built from options. */
const withPolicies = (...options: OrgPolicyOptions[]) => appFacts({ organizationPolicies: options.map((o) => orgPolicy(o)) });

describe('organization rules', () => {
  test('ids are GR-ORG-<n>, unique, in id order, and every rule explains itself', () => {
    const ids = ORGANIZATION_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(Array.from({ length: 17 }, (_, i) => `GR-ORG-${String(i + 1).padStart(3, '0')}`));
    for (const r of ORGANIZATION_RULES) {
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.rationale.length).toBeGreaterThan(30);
    }
  });

  test('a compliant policy passes every rule', () => {
    expect(runRules(ORGANIZATION_RULES, withPolicies({}))).toEqual({ findings: [], errors: [], warnings: [], acknowledged: [] });
  });

  describe('GR-ORG-001 numbered version', () => {
    test('passes a numbered version', () => expect(check(ORG_NUMBERED_VERSION, withPolicies({}))).toEqual(CLEAN));
    test('fails DRAFT, naming the configuration, version and fix', () => {
      const v = versionFacts({ version: 'DRAFT', identifier: `arn:aws:bedrock:us-east-1:${MGMT}:guardrail/hu1dlsv9wy1d:DRAFT` });
      expect(check(ORG_NUMBERED_VERSION, withConfigs(orgConfig({ version: v }))).errors).toEqual([
        '[GR-ORG-001] App/Mgmt/OrgEnforcement: configuration "us-east-1/baseline" names baseline version 1, and its version is "DRAFT". '
        + 'Fix: Publish a numbered GuardrailVersion and pass it as `version`; never enforce the working draft.',
      ]);
    });
    test('fails a version that is not a number from 1', () => {
      expect(check(ORG_NUMBERED_VERSION, withConfigs(orgConfig({ version: versionFacts({ version: '0' }) }))).errors)
        .toEqual([expect.stringContaining('its version "0" is not a number from 1 to 99999999')]);
    });
    test('fails a DRAFT identifier behind a numbered version', () => {
      const v = versionFacts({ identifier: `arn:aws:bedrock:us-east-1:${MGMT}:guardrail/hu1dlsv9wy1d:DRAFT` });
      expect(check(ORG_NUMBERED_VERSION, withConfigs(orgConfig({ version: v }))).errors)
        .toEqual([expect.stringContaining('its identifier version is "DRAFT"')]);
    });
    test('stays silent on a token version', () => {
      const v = versionFacts({ version: token('DRAFT'), identifier: token() });
      expect(check(ORG_NUMBERED_VERSION, withConfigs(orgConfig({ version: v })))).toEqual(CLEAN);
    });
  });

  describe('GR-ORG-002 version region', () => {
    test('passes a matching region', () => expect(check(ORG_VERSION_REGION, withPolicies({}))).toEqual(CLEAN));
    test('fails a version from another region, with the fix', () => {
      expect(check(ORG_VERSION_REGION, withConfigs(orgConfig({ region: 'eu-west-1' }))).errors).toEqual([
        '[GR-ORG-002] App/Mgmt/OrgEnforcement: configuration "eu-west-1/baseline" is under region key eu-west-1, but the version lives in us-east-1 '
        + '(baseline version 1). Fix: Create a guardrail and version in eu-west-1 and name that version, or drop `region` so the key follows the version.',
      ]);
    });
    test('fails an identifier naming another region', () => {
      const v = versionFacts({ region: 'eu-west-1' });
      expect(check(ORG_VERSION_REGION, withConfigs(orgConfig({ region: 'eu-west-1', version: v }))).errors)
        .toEqual([expect.stringMatching(/but its identifier names region us-east-1/)]);
    });
    test('stays silent on a token identifier or region key', () => {
      expect(check(ORG_VERSION_REGION, withConfigs(orgConfig({ version: versionFacts({ identifier: token() }) })))).toEqual(CLEAN);
      expect(check(ORG_VERSION_REGION, withConfigs(orgConfig({ region: token('eu-west-1') })))).toEqual(CLEAN);
    });
  });

  describe('GR-ORG-003 owned by the management account', () => {
    test('passes a management-account guardrail', () => expect(check(ORG_MANAGEMENT_OWNED, withPolicies({}))).toEqual(CLEAN));
    test('fails a member-account guardrail, with the fix', () => {
      const v = versionFacts({ ownerAccount: MEMBER_A, identifier: `arn:aws:bedrock:us-east-1:${MEMBER_A}:guardrail/abc:1` });
      expect(check(ORG_MANAGEMENT_OWNED, withConfigs(orgConfig({ version: v }))).errors).toEqual([
        '[GR-ORG-003] App/Mgmt/OrgEnforcement: configuration "us-east-1/baseline" names baseline version 1, owned by account 222222222222, '
        + 'not the management account 111111111111. Fix: Create the guardrail in the management account stack; business-unit guardrails '
        + 'belong in account-level enforcement.',
      ]);
    });
    test('reads the owner from a literal identifier', () => {
      const v = versionFacts({ ownerAccount: undefined, identifier: `arn:aws:bedrock:us-east-1:${MEMBER_B}:guardrail/abc:1` });
      expect(check(ORG_MANAGEMENT_OWNED, withConfigs(orgConfig({ version: v }))).errors)
        .toEqual([expect.stringContaining('owned by account 333333333333')]);
    });
    test('stays silent when the owner is unknown (token owner and identifier)', () => {
      const v = versionFacts({ ownerAccount: token(MEMBER_A), identifier: token() });
      expect(check(ORG_MANAGEMENT_OWNED, withConfigs(orgConfig({ version: v })))).toEqual(CLEAN);
    });
    test('stays silent without an Organization (no management account to compare with)', () => {
      const v = versionFacts({ ownerAccount: MEMBER_A });
      expect(check(ORG_MANAGEMENT_OWNED, { ...withConfigs(orgConfig({ version: v })), organizations: [] })).toEqual(CLEAN);
    });
  });

  describe('GR-ORG-004 automated reasoning', () => {
    test('passes a guardrail without one', () => expect(check(ORG_NO_AUTOMATED_REASONING, withPolicies({}))).toEqual(CLEAN));
    test('fails a guardrail with one, with the fix', () => {
      const v = versionFacts({ hasAutomatedReasoningPolicy: true });
      expect(check(ORG_NO_AUTOMATED_REASONING, withConfigs(orgConfig({ version: v }))).errors).toEqual([
        '[GR-ORG-004] App/Mgmt/OrgEnforcement: configuration "us-east-1/baseline" names baseline version 1, whose guardrail has an automated '
        + 'reasoning policy. Fix: Enforce a guardrail without the automated reasoning policy; keep that policy on an application-level guardrail.',
      ]);
    });
  });

  describe('GR-ORG-005 resource policy reaches the targets', () => {
    const granting = (grants: ReturnType<typeof ouGrant>, ...attached: ReturnType<typeof ou>[]) =>
      appFacts({ organizationPolicies: [orgPolicy({ attached })], resourcePolicies: [resourcePolicy({ grants })] });

    test('passes an organization-wide grant for a root attachment', () => {
      expect(check(ORG_RESOURCE_POLICY_REACH, granting(orgGrant(), ROOT))).toEqual(CLEAN);
    });
    test('passes a granted OU for the OU, its child OU and accounts in the subtree', () => {
      expect(check(ORG_RESOURCE_POLICY_REACH, granting(ouGrant(OU_WORKLOADS), ou(OU_WORKLOADS), ou(OU_PROD), accountTarget(MEMBER_A), accountTarget(MEMBER_B))))
        .toEqual(CLEAN);
    });
    test('fails a root attachment with only OU grants, with the root fix', () => {
      expect(check(ORG_RESOURCE_POLICY_REACH, granting(ouGrant(OU_WORKLOADS), ROOT)).errors).toEqual([
        '[GR-ORG-005] App/Mgmt/OrgEnforcement: configuration "us-east-1/baseline" attached to the root r-ab12: baseline version 1 cannot be applied '
        + 'there, because its resource policy grants only OUs ou-ab12-workload1, which leaves accounts elsewhere in the organization unreached. '
        + 'Fix: Grant the organization in the guardrail\'s resource policy (aws:PrincipalOrgID), or attach the policy to the granted OUs only.',
      ]);
    });
    test('fails an OU outside the granted subtree, and a parent of the granted OU', () => {
      const { errors } = check(ORG_RESOURCE_POLICY_REACH, granting(ouGrant(OU_PROD), ou(OU_SANDBOX), ou(OU_WORKLOADS)));
      expect(errors).toEqual([
        expect.stringContaining(`attached to OU ${OU_SANDBOX}: baseline version 1 cannot be applied there, because its resource policy grants only OUs ${OU_PROD}, none of which is ${OU_SANDBOX} or above it`),
        expect.stringContaining(`attached to OU ${OU_WORKLOADS}:`),
      ]);
    });
    test('fails an account outside the granted OUs, naming where it sits and that accounts are not a principal', () => {
      expect(check(ORG_RESOURCE_POLICY_REACH, granting(ouGrant(OU_PROD), accountTarget(MEMBER_C))).errors).toEqual([
        '[GR-ORG-005] App/Mgmt/OrgEnforcement: configuration "us-east-1/baseline" attached to account 444444444444: baseline version 1 cannot be '
        + 'applied there, because its resource policy grants only OUs ou-ab12-prodprod1, and account 444444444444 sits under ou-ab12-sandbox11. '
        + 'Fix: Grant the organization, or the OU (or an OU above it) in the guardrail\'s resource policy. Single member accounts are not a '
        + 'supported principal: reach an account through its OU. Without the grant every Bedrock call there fails with AccessDenied.',
      ]);
    });
    test('fails a guardrail made in the app with no resource policy', () => {
      const facts = appFacts({ organizationPolicies: [orgPolicy()], resourcePolicies: [] });
      expect(check(ORG_RESOURCE_POLICY_REACH, facts).errors).toEqual([expect.stringMatching(/because its guardrail has no resource policy in this app/)]);
    });
    test('a resource policy of another guardrail does not count (joined by guardrail path)', () => {
      const facts = appFacts({ organizationPolicies: [orgPolicy()], resourcePolicies: [resourcePolicy({ guardrailPath: 'App/Mgmt/Other' })] });
      expect(check(ORG_RESOURCE_POLICY_REACH, facts).errors).toEqual([expect.stringMatching(/no resource policy in this app/)]);
    });
    test('fails a grant to another organization', () => {
      expect(check(ORG_RESOURCE_POLICY_REACH, granting(orgGrant('o-zzzzzzzzzz'), ROOT)).errors)
        .toEqual([expect.stringMatching(/grants organization o-zzzzzzzzzz, not o-abcdef1234/)]);
    });
    test('needs no grant for the owning account attached directly', () => {
      const facts = appFacts({ organizationPolicies: [orgPolicy({ attached: [accountTarget(MGMT)] })], resourcePolicies: [] });
      expect(check(ORG_RESOURCE_POLICY_REACH, facts)).toEqual(CLEAN);
    });
    test('stays silent (and GR-ORG-013 warns) when it cannot decide', () => {
      const elsewhere = appFacts({
        organizationPolicies: [orgPolicy({ configurations: [orgConfig({ version: versionFacts({ guardrailManaged: false }) })], attached: [ROOT] })],
        resourcePolicies: [],
      });
      expect(check(ORG_RESOURCE_POLICY_REACH, elsewhere)).toEqual(CLEAN);
      const undeclared = granting(ouGrant(OU_PROD), accountTarget('999999999999'));
      expect(check(ORG_RESOURCE_POLICY_REACH, undeclared)).toEqual(CLEAN);
      expect(check(ORG_RESOURCE_POLICY_UNVERIFIED, undeclared).warnings)
        .toEqual([expect.stringMatching(/^\[GR-ORG-013\].*999999999999 is not declared in the Organization/)]);
    });
  });

  describe('GR-ORG-006 unique configuration names', () => {
    test('passes the same name in two regions', () => {
      const eu = orgConfig({ region: 'eu-west-1', version: versionFacts({ region: 'eu-west-1' }) });
      expect(check(ORG_UNIQUE_CONFIG_NAMES, withConfigs(orgConfig(), eu))).toEqual(CLEAN);
    });
    test('fails a repeated name in one region (case-insensitively), naming both versions', () => {
      const second = orgConfig({ name: 'Baseline', version: otherVersion('2') });
      expect(check(ORG_UNIQUE_CONFIG_NAMES, withConfigs(orgConfig(), second)).errors).toEqual([
        '[GR-ORG-006] App/Mgmt/OrgEnforcement: region us-east-1 has two configurations named "Baseline" (baseline version 1 and prod version 2). '
        + 'Fix: Give each configuration in a region its own name, or keep one of them.',
      ]);
    });
    test('is reported for a policy whose document cannot render', () => {
      const facts = withConfigs(orgConfig(), orgConfig({ version: otherVersion('2') }));
      expect(facts.organizationPolicies[0].content).toBeUndefined();
      expect(facts.organizationPolicies[0].characterCount).toBeUndefined();
      expect(check(ORG_UNIQUE_CONFIG_NAMES, facts).errors).toHaveLength(1);
      expect(runRules([ORG_DOCUMENT_SIZE, ORG_DOCUMENT_SIZE_ESTIMATE, ORG_SAME_NODE_CONFLICT], facts).findings).toEqual([]);
    });
  });

  describe('GR-ORG-007/008 document size', () => {
    test('passes a small document', () => {
      expect(check(ORG_DOCUMENT_SIZE, withPolicies({}))).toEqual(CLEAN);
      expect(check(ORG_DOCUMENT_SIZE_ESTIMATE, withPolicies({}))).toEqual(CLEAN);
    });
    test('passes exactly 10,000 characters', () => {
      const p = { characterCount: { lowerBound: 10_000, upperBound: 10_000 } };
      expect(runRules([ORG_DOCUMENT_SIZE, ORG_DOCUMENT_SIZE_ESTIMATE], withPolicies(p)).findings).toEqual([]);
    });
    test('fails a document certainly over 10,000 characters, and does not also warn', () => {
      const facts = withPolicies({ characterCount: { lowerBound: 10_001, upperBound: 10_001 } });
      expect(check(ORG_DOCUMENT_SIZE, facts).errors).toEqual([
        '[GR-ORG-007] App/Mgmt/OrgEnforcement: policy "bedrock-baseline" is at least 10001 characters (limit 10000). '
        + 'Fix: Split the configurations across several policies (by region, say) attached to the same targets.',
      ]);
      expect(check(ORG_DOCUMENT_SIZE_ESTIMATE, facts)).toEqual(CLEAN);
    });
    test('only warns when tokens may push it over', () => {
      const facts = withPolicies({ characterCount: { lowerBound: 9_000, upperBound: 10_500 } });
      expect(check(ORG_DOCUMENT_SIZE, facts)).toEqual(CLEAN);
      expect(check(ORG_DOCUMENT_SIZE_ESTIMATE, facts).warnings).toEqual([
        '[GR-ORG-008] App/Mgmt/OrgEnforcement: policy "bedrock-baseline" is between 9000 and 10500 characters once identifiers resolve (limit 10000). '
        + 'Fix: Split the configurations across several policies, or acknowledge GR-ORG-008 if the guardrail ARNs are known to be short.',
      ]);
    });
    test('measures a rendered document with token identifiers: may exceed, so one warning and no error', () => {
      const configs = Array.from({ length: 60 }, (_, i) => orgConfig({ name: `config_${i}`, version: versionFacts({ identifier: token(), version: token() }) }));
      const facts = withConfigs(...configs);
      const count = facts.organizationPolicies[0].characterCount!;
      expect(count.lowerBound).toBeLessThanOrEqual(10_000);
      expect(count.upperBound).toBeGreaterThan(10_000);
      const report = runRules([ORG_DOCUMENT_SIZE, ORG_DOCUMENT_SIZE_ESTIMATE], facts);
      expect(report.errors).toEqual([]);
      expect(report.warnings).toEqual([expect.stringMatching(/^\[GR-ORG-008\]/)]);
    });
  });

  describe('GR-ORG-009 policies per target', () => {
    const many = (n: number, ...attached: ReturnType<typeof ou>[]): OrgPolicyOptions[] =>
      Array.from({ length: n }, (_, i) => ({ path: `App/Mgmt/P${String(i).padStart(2, '0')}`, name: `p${i}`, attached }));
    test('passes 10 policies on one target', () => expect(check(ORG_POLICIES_PER_TARGET, withPolicies(...many(10, ou(OU_PROD))))).toEqual(CLEAN));
    test('fails 11 policies on one target, on the first policy\'s path, with the fix', () => {
      const { errors } = check(ORG_POLICIES_PER_TARGET, withPolicies(...many(11, ou(OU_PROD))));
      expect(errors).toEqual([expect.stringMatching(
        /^\[GR-ORG-009\] App\/Mgmt\/P00: OU ou-ab12-prodprod1 would have 11 Bedrock policies attached directly \(11 from this app: "p0", "p1", "p10", .*; limit 10\)\. Fix: Merge configurations into fewer policies, or attach some policies to a parent OU instead\.$/)]);
    });
    test('counts policies attached outside the app', () => {
      const facts = withPolicies(...many(2, ROOT), { ...many(3, ROOT)[2], existingAttachments: [{ targetId: 'r-ab12', count: 8 }] });
      expect(check(ORG_POLICIES_PER_TARGET, facts).errors)
        .toEqual([expect.stringContaining('the root r-ab12 would have 11 Bedrock policies attached directly (3 from this app: "p0", "p1", "p2"; 8 already attached outside it; limit 10)')]);
    });
    test('counts a policy attached twice to one target once', () => {
      expect(check(ORG_POLICIES_PER_TARGET, withPolicies({ attached: [ROOT, ROOT], existingAttachments: [{ targetId: 'r-ab12', count: 9 }] }))).toEqual(CLEAN);
    });
    test('does not count targets of later stages', () => {
      const later = { path: 'App/Mgmt/Later', name: 'later', attached: [], pending: [ou(OU_PROD)] };
      expect(check(ORG_POLICIES_PER_TARGET, withPolicies(...many(10, ou(OU_PROD)), later))).toEqual(CLEAN);
    });
    test('stays silent on a token target ID', () => {
      expect(check(ORG_POLICIES_PER_TARGET, withPolicies(...many(11, ou(token('ou-ab12-prodprod1')))))).toEqual(CLEAN);
    });
  });

  describe('GR-ORG-010 model IDs', () => {
    test('passes well-formed lists', () => {
      expect(check(ORG_MODEL_IDS, withConfigs(orgConfig({ settings: { includedModels: ['ALL'], excludedModels: ['cohere.embed-english-v3'] } })))).toEqual(CLEAN);
    });
    test('fails malformed IDs and ALL in the exclude list, with the fixes', () => {
      const { errors } = check(ORG_MODEL_IDS, withConfigs(orgConfig({ settings: { includedModels: ['Claude'], excludedModels: ['ALL'] } })));
      expect(errors).toEqual([
        '[GR-ORG-010] App/Mgmt/OrgEnforcement: configuration "us-east-1/baseline": `excludedModels[0]` "ALL" is only valid in the include list. '
        + 'Fix: List the models to exclude; to stop enforcing, remove the configuration.',
        '[GR-ORG-010] App/Mgmt/OrgEnforcement: configuration "us-east-1/baseline": `includedModels[0]` "Claude" is not a model ID (pattern '
        + 'provider.model[:version[:variant]][/12-character id], or ALL). Fix: Use a ModelId constant or ModelId.of() with an ID from '
        + '`aws bedrock list-foundation-models`.',
      ]);
    });
    test('stays silent on token model IDs', () => {
      expect(check(ORG_MODEL_IDS, withConfigs(orgConfig({ settings: { includedModels: [token()], excludedModels: [token()] } })))).toEqual(CLEAN);
    });
  });

  describe('GR-ORG-011 model included and excluded', () => {
    test('passes ALL minus a model', () => {
      expect(check(ORG_MODEL_INCLUDED_AND_EXCLUDED, withConfigs(orgConfig({ settings: { includedModels: ['ALL'], excludedModels: ['amazon.nova-pro-v1:0'] } }))))
        .toEqual(CLEAN);
    });
    test('fails a model in both lists, with the fix', () => {
      const settings = { includedModels: ['amazon.nova-pro-v1:0'], excludedModels: ['amazon.nova-pro-v1:0'] };
      expect(check(ORG_MODEL_INCLUDED_AND_EXCLUDED, withConfigs(orgConfig({ settings }))).errors).toEqual([
        '[GR-ORG-011] App/Mgmt/OrgEnforcement: configuration "us-east-1/baseline" lists amazon.nova-pro-v1:0 in both includedModels and '
        + 'excludedModels; AWS would exclude it. Fix: Remove each model from the list it should not be in.',
      ]);
    });
    test('stays silent on a token in both lists', () => {
      const t = token('amazon.nova-pro-v1:0');
      expect(check(ORG_MODEL_INCLUDED_AND_EXCLUDED, withConfigs(orgConfig({ settings: { includedModels: [t], excludedModels: [t] } })))).toEqual(CLEAN);
    });
  });

  describe('GR-ORG-012 identifier shape', () => {
    test('passes an ARN with a version, and a token', () => {
      expect(check(ORG_IDENTIFIER_SHAPE, withPolicies({}))).toEqual(CLEAN);
      expect(check(ORG_IDENTIFIER_SHAPE, withConfigs(orgConfig({ version: versionFacts({ identifier: token() }) })))).toEqual(CLEAN);
    });
    test('fails an identifier without a version or with a bare ID, with the fix', () => {
      expect(check(ORG_IDENTIFIER_SHAPE, withConfigs(orgConfig({ version: versionFacts({ identifier: 'abc123:1' }) }))).errors).toEqual([
        '[GR-ORG-012] App/Mgmt/OrgEnforcement: configuration "us-east-1/baseline" has identifier "abc123:1", not '
        + '"arn:aws:bedrock:<region>:<account>:guardrail/<id>:<version>". Fix: Pass a GuardrailVersion (or one imported with its guardrail ARN) '
        + 'so the identifier is built from its ARN and version.',
      ]);
      const noVersion = versionFacts({ identifier: `arn:aws:bedrock:us-east-1:${MGMT}:guardrail/abc` });
      expect(check(ORG_IDENTIFIER_SHAPE, withConfigs(orgConfig({ version: noVersion }))).errors).toEqual([expect.stringMatching(/^\[GR-ORG-012\]/)]);
    });
  });

  describe('GR-ORG-013 reach not verifiable', () => {
    test('is silent when reach is decided', () => expect(check(ORG_RESOURCE_POLICY_UNVERIFIED, withPolicies({}))).toEqual(CLEAN));
    test('warns for a resource policy managed elsewhere, with the fix', () => {
      const facts = appFacts({ organizationPolicies: [orgPolicy({ configurations: [orgConfig({ version: versionFacts({ guardrailManaged: false }) })] })], resourcePolicies: [] });
      expect(check(ORG_RESOURCE_POLICY_UNVERIFIED, facts).warnings).toEqual([
        '[GR-ORG-013] App/Mgmt/OrgEnforcement: configuration "us-east-1/baseline" attached to OU ou-ab12-workload1: cannot verify that baseline '
        + 'version 1 may be applied there, because its resource policy is managed outside this app. Fix: Declare the OUs and accounts in the '
        + 'Organization and the resource policy in this app, or check ApplyGuardrail from a target account before attaching.',
      ]);
    });
    test('warns for OU grants without an Organization', () => {
      const facts = appFacts({ organizations: [], organizationPolicies: [orgPolicy({ attached: [accountTarget(MEMBER_A)] })], resourcePolicies: [resourcePolicy({ grants: ouGrant(OU_WORKLOADS) })] });
      expect(check(ORG_RESOURCE_POLICY_UNVERIFIED, facts).warnings).toEqual([expect.stringContaining('because no Organization was given to resolve OU membership')]);
    });
  });

  describe('GR-ORG-014 inference profile IDs', () => {
    test('is silent for model IDs', () => {
      expect(check(ORG_INFERENCE_PROFILE_MODELS, withConfigs(orgConfig({ settings: { excludedModels: ['anthropic.claude-sonnet-4-5-20250929-v1:0'] } })))).toEqual(CLEAN);
    });
    test('warns for an inference profile ID', () => {
      const settings = { excludedModels: ['us.anthropic.claude-sonnet-4-5-20250929-v1:0'] };
      expect(check(ORG_INFERENCE_PROFILE_MODELS, withConfigs(orgConfig({ settings }))).warnings).toEqual([
        '[GR-ORG-014] App/Mgmt/OrgEnforcement: configuration "us-east-1/baseline" lists inference profile ID us.anthropic.claude-sonnet-4-5-20250929-v1:0. '
        + 'Fix: List the model ID as well (the part after the geography prefix), and test with a call through the profile.',
      ]);
    });
  });

  describe('GR-ORG-015 unique policy names', () => {
    test('passes distinct names', () => {
      expect(check(ORG_UNIQUE_POLICY_NAMES, withPolicies({}, { path: 'App/BU/OrgEnforcement', name: 'bu-baseline' }))).toEqual(CLEAN);
    });
    test('fails a name used twice, on the later path, naming both, with the fix', () => {
      expect(check(ORG_UNIQUE_POLICY_NAMES, withPolicies({}, { path: 'App/BU/OrgEnforcement' })).errors).toEqual([
        '[GR-ORG-015] App/Mgmt/OrgEnforcement: policy name "bedrock-baseline" is used by 2 organization policies (App/BU/OrgEnforcement, '
        + 'App/Mgmt/OrgEnforcement). Fix: Give each OrganizationEnforcement its own `policyName`, or merge their configurations into one policy.',
      ]);
    });
    test('reports one finding per name, however many policies share it', () => {
      const facts = withPolicies({ path: 'App/A' }, { path: 'App/B' }, { path: 'App/C' }, { path: 'App/D', name: 'other' });
      expect(check(ORG_UNIQUE_POLICY_NAMES, facts).errors).toEqual([expect.stringMatching(/^\[GR-ORG-015\] App\/B: .* used by 3 organization policies \(App\/A, App\/B, App\/C\)/)]);
    });
  });

  describe('GR-ORG-016 policies at one node agree', () => {
    const first = (o: OrgPolicyOptions = {}): OrgPolicyOptions => ({ path: 'App/Mgmt/A', name: 'a-policy', attached: [ou(OU_PROD)], ...o });
    const second = (o: OrgPolicyOptions = {}): OrgPolicyOptions => ({
      path: 'App/Mgmt/B', name: 'b-policy', attached: [ou(OU_PROD)], configurations: [orgConfig({ version: otherVersion('2') })], ...o,
    });

    test('passes policies at one node with different configuration names', () => {
      expect(check(ORG_SAME_NODE_CONFLICT, withPolicies(first(), second({ configurations: [orgConfig({ name: 'prod', version: otherVersion('2') })] })))).toEqual(CLEAN);
    });
    test('passes policies at one node that assign the same values, or settings only one of them assigns', () => {
      const selective = orgConfig({ settings: { messageGuarding: ContentGuarding.SELECTIVE } });
      expect(check(ORG_SAME_NODE_CONFLICT, withPolicies(first(), second({ configurations: [selective] })))).toEqual(CLEAN);
    });
    test('fails two versions for one configuration at one node, on the later path, with the fix', () => {
      expect(check(ORG_SAME_NODE_CONFLICT, withPolicies(second(), first())).errors).toEqual([
        '[GR-ORG-016] App/Mgmt/B: policies "a-policy" and "b-policy" are both attached to OU ou-ab12-prodprod1 and assign the guardrail version '
        + 'of configuration "us-east-1/baseline" differently. Fix: Assign each setting in one of the two policies only, give the configurations '
        + 'different names, or attach one policy to a lower OU.',
      ]);
    });
    test('names the setting that differs', () => {
      const mode = (m: ContentGuarding) => [orgConfig({ settings: { messageGuarding: m } })];
      const facts = withPolicies(first({ configurations: mode(ContentGuarding.SELECTIVE) }), second({ configurations: mode(ContentGuarding.COMPREHENSIVE) }));
      expect(check(ORG_SAME_NODE_CONFLICT, facts).errors).toEqual([expect.stringContaining('assign message guarding of configuration "us-east-1/baseline" differently')]);
    });
    test('passes the same policies at different nodes (inheritance, not a conflict)', () => {
      expect(check(ORG_SAME_NODE_CONFLICT, withPolicies(first({ attached: [ROOT] }), second()))).toEqual(CLEAN);
    });
    test('ignores a policy whose target is only pending', () => {
      expect(check(ORG_SAME_NODE_CONFLICT, withPolicies(first(), second({ attached: [], pending: [ou(OU_PROD)] })))).toEqual(CLEAN);
    });
    test('stays silent when both assign the same token identifier', () => {
      const v = versionFacts({ identifier: token(), version: token() });
      const facts = withPolicies(first({ configurations: [orgConfig({ version: v })] }), second({ configurations: [orgConfig({ version: v })] }));
      expect(check(ORG_SAME_NODE_CONFLICT, facts)).toEqual(CLEAN);
    });
  });

  describe('GR-ORG-017 a lower policy overrides a higher one', () => {
    const rootBaseline: OrgPolicyOptions = { path: 'App/Mgmt/Root', name: 'org-baseline', attached: [ROOT] };
    const lower = (target: ReturnType<typeof ou>, o: OrgPolicyOptions = {}): OrgPolicyOptions => ({
      path: 'App/Mgmt/Lower', name: 'lower-baseline', attached: [target], configurations: [orgConfig({ version: otherVersion('3') })], ...o,
    });
    const OVERRIDE = '[GR-ORG-017] App/Mgmt/Lower: policy "lower-baseline" at OU ou-ab12-workload1 replaces the guardrail version of configuration '
      + `"us-east-1/baseline" that policy "org-baseline" assigns higher up ("${IDENTIFIER_1}" becomes "arn:aws:bedrock:us-east-1:${MGMT}:guardrail/prodguard001:3"). `
      + 'Fix: If the override is intended (a stricter baseline for this part of the tree), acknowledge GR-ORG-017 with the reason; otherwise give '
      + 'the lower configuration its own name so both apply.';

    test('passes a lower configuration with its own name', () => {
      const facts = withPolicies(rootBaseline, lower(ou(OU_WORKLOADS), { configurations: [orgConfig({ name: 'workloads', version: otherVersion('3') })] }));
      expect(check(ORG_INHERITED_OVERRIDE, facts)).toEqual(CLEAN);
    });
    test('passes a lower policy assigning the same value', () => {
      expect(check(ORG_INHERITED_OVERRIDE, withPolicies(rootBaseline, lower(ou(OU_WORKLOADS), { configurations: [orgConfig()] })))).toEqual(CLEAN);
    });
    test('warns once for an OU policy replacing the root\'s version, though two accounts sit under it', () => {
      expect(check(ORG_INHERITED_OVERRIDE, withPolicies(rootBaseline, lower(ou(OU_WORKLOADS)))).warnings).toEqual([OVERRIDE]);
    });
    test('warns at each level of a chain, and at an account node', () => {
      const prod: OrgPolicyOptions = { path: 'App/Mgmt/Prod', name: 'prod', attached: [accountTarget(MEMBER_A)], configurations: [orgConfig({ version: otherVersion('4') })] };
      const { warnings } = check(ORG_INHERITED_OVERRIDE, withPolicies(rootBaseline, lower(ou(OU_WORKLOADS)), prod));
      expect(warnings).toEqual([
        OVERRIDE,
        expect.stringMatching(/^\[GR-ORG-017\] App\/Mgmt\/Prod: policy "prod" at account 222222222222 replaces the guardrail version .* that policy "lower-baseline" assigns higher up/),
      ]);
    });
    test('names the setting replaced', () => {
      const root = { ...rootBaseline, configurations: [orgConfig({ settings: { systemPromptGuarding: ContentGuarding.COMPREHENSIVE } })] };
      const facts = withPolicies(root, lower(ou(OU_SANDBOX), { configurations: [orgConfig({ settings: { systemPromptGuarding: ContentGuarding.SELECTIVE } })] }));
      expect(check(ORG_INHERITED_OVERRIDE, facts).warnings).toEqual([expect.stringContaining(
        'at OU ou-ab12-sandbox11 replaces system prompt guarding of configuration "us-east-1/baseline" that policy "org-baseline" assigns higher up ("comprehensive" becomes "selective")')]);
    });
    test('is not raised for a same-node conflict (GR-ORG-016 reports it)', () => {
      const facts = withPolicies({ ...rootBaseline, attached: [ou(OU_WORKLOADS)] }, lower(ou(OU_WORKLOADS)));
      expect(check(ORG_INHERITED_OVERRIDE, facts)).toEqual(CLEAN);
      expect(check(ORG_SAME_NODE_CONFLICT, facts).errors).toHaveLength(1);
    });
    test('stays silent without an Organization', () => {
      expect(check(ORG_INHERITED_OVERRIDE, { ...withPolicies(rootBaseline, lower(ou(OU_WORKLOADS))), organizations: [] })).toEqual(CLEAN);
    });
    test('can be acknowledged for the lower policy', () => {
      const acks = new Acknowledgements().acknowledge('App/Mgmt/Lower', 'GR-ORG-017', 'stricter baseline for workloads');
      const report = runRules([ORG_INHERITED_OVERRIDE], withPolicies(rootBaseline, lower(ou(OU_WORKLOADS))), acks);
      expect(report.warnings).toEqual([]);
      expect(report.acknowledged).toEqual([`${OVERRIDE} (acknowledged at "App/Mgmt/Lower": stricter baseline for workloads)`]);
    });
    test('warns for an OU policy replacing the root\'s even when no account of the OU is declared', () => {
      const org = new Organization({
        organizationId: 'o-abcdef1234', rootId: 'r-ab12', managementAccountId: MGMT,
        organizationalUnits: [{ id: OU_WORKLOADS, name: 'Workloads' }],
      });
      const facts = { ...withPolicies(rootBaseline, lower(ou(OU_WORKLOADS))), organizations: [org] };
      expect(check(ORG_INHERITED_OVERRIDE, facts).warnings).toEqual([OVERRIDE]);
    });
  });

  test('facts of a BedrockPolicyDocument and a version construct pass every rule', () => {
    const doc = new BedrockPolicyDocument().addConfiguration({ name: 'baseline', version: fakeVersion(), excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2] });
    const configurations = doc.configurations.map((c) => orgConfig({ region: c.region, name: c.name, version: versionFactsOf(c.version), settings: c.normalized }));
    const facts = withConfigs(...configurations);
    expect(facts.organizationPolicies[0].content).toEqual(doc.render());
    expect(configurations[0]).toMatchObject({
      region: 'us-east-1', name: 'baseline', settings: { excludedModels: ['amazon.titan-embed-text-v2:0'] },
      version: { identifier: IDENTIFIER_1, version: '1', ownerAccount: MGMT, guardrailPath: GUARDRAIL_PATH },
    });
    expect(runRules(ORGANIZATION_RULES, facts)).toMatchObject({ errors: [], warnings: [] });
  });
});
