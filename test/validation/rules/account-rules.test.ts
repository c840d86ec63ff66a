import { ContentGuarding, normalizeSettings } from '../../../src/model/enforcement-settings';
import { ModelId } from '../../../src/model/model-id';
import { EnforcedConfigurationFacts } from '../../../src/validation/facts';
import { ACC_ONE_PER_ACCOUNT_REGION, ACCOUNT_RULES } from '../../../src/validation/rules/account-rules';
import {
  ACC_INFERENCE_PROFILE_MODELS, ACC_MODEL_IDS, ACC_MODEL_INCLUDED_AND_EXCLUDED, ACC_NO_AUTOMATED_REASONING, ACC_NUMBERED_VERSION,
  ACC_RESOURCE_POLICY_REACH, ACC_RESOURCE_POLICY_UNVERIFIED, ACC_VERSION_REGION,
} from '../../../src/validation/rules/configuration-rules';
import { runRules } from '../../../src/validation/rules/engine';
import {
  accountConfig, appFacts, check, CLEAN, MEMBER_A, MEMBER_C, MGMT, OU_PROD, OU_WORKLOADS, ouGrant, resourcePolicy, token, versionFacts,
} from './fixtures';

/** Facts of the given account-level configurations. */
const withConfigs = (...accountConfigurations: EnforcedConfigurationFacts[]) => appFacts({ accountConfigurations });

describe('account rules', () => {
  test('ids are GR-ACC-<n>, unique, in id order, and every rule explains itself', () => {
    const ids = ACCOUNT_RULES.map((r) => r.id);
    expect(ids).toEqual(Array.from({ length: 9 }, (_, i) => `GR-ACC-${String(i + 1).padStart(3, '0')}`));
    for (const r of ACCOUNT_RULES) {
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.rationale.length).toBeGreaterThan(30);
    }
  });

  test('a compliant configuration passes every rule', () => {
    expect(runRules(ACCOUNT_RULES, withConfigs(accountConfig()))).toEqual({ findings: [], errors: [], warnings: [], acknowledged: [] });
  });

  describe('GR-ACC-001 one configuration per account and region', () => {
    test('passes one per account and region', () => {
      const eu = accountConfig({ path: 'App/Mgmt/Eu', region: 'eu-west-1', version: versionFacts({ region: 'eu-west-1' }) });
      expect(check(ACC_ONE_PER_ACCOUNT_REGION, withConfigs(accountConfig(), eu, accountConfig({ path: 'App/Mgmt/C', account: MEMBER_C })))).toEqual(CLEAN);
    });
    test('fails two for one account and region, on the later path, naming both, with the fix', () => {
      expect(check(ACC_ONE_PER_ACCOUNT_REGION, withConfigs(accountConfig(), accountConfig({ path: 'App/BU/AccountEnforcement' }))).errors).toEqual([
        '[GR-ACC-001] App/Mgmt/AccountEnforcement-A: account 222222222222 in us-east-1 is configured 2 times (App/BU/AccountEnforcement, '
        + 'App/Mgmt/AccountEnforcement-A). Fix: Keep one AccountEnforcement per account and region; enforce further guardrails through the '
        + 'organization policy or in the request.',
      ]);
    });
    test('stays silent on token accounts and regions', () => {
      expect(check(ACC_ONE_PER_ACCOUNT_REGION, withConfigs(accountConfig({ account: token() }), accountConfig({ account: token() })))).toEqual(CLEAN);
      const r = token('us-east-1');
      expect(check(ACC_ONE_PER_ACCOUNT_REGION, withConfigs(accountConfig({ region: r }), accountConfig({ path: 'App/B', region: r })))).toEqual(CLEAN);
    });
  });

  describe('GR-ACC-002 numbered version', () => {
    test('passes a numbered version', () => expect(check(ACC_NUMBERED_VERSION, withConfigs(accountConfig()))).toEqual(CLEAN));
    test('fails DRAFT, with the fix', () => {
      expect(check(ACC_NUMBERED_VERSION, withConfigs(accountConfig({ version: versionFacts({ version: 'DRAFT' }) }))).errors).toEqual([
        '[GR-ACC-002] App/Mgmt/AccountEnforcement-A: account-level configuration for 222222222222 in us-east-1 names baseline version 1, and its '
        + 'version is "DRAFT". Fix: Publish a numbered GuardrailVersion and pass it as `version`; never enforce the working draft.',
      ]);
    });
    test('stays silent on a token version', () => {
      expect(check(ACC_NUMBERED_VERSION, withConfigs(accountConfig({ version: versionFacts({ version: token(), identifier: token() }) })))).toEqual(CLEAN);
    });
  });

  describe('GR-ACC-003 version region', () => {
    test('passes the same region', () => expect(check(ACC_VERSION_REGION, withConfigs(accountConfig()))).toEqual(CLEAN));
    test('fails a version from another region, with the fix', () => {
      expect(check(ACC_VERSION_REGION, withConfigs(accountConfig({ region: 'eu-west-1' }))).errors).toEqual([
        '[GR-ACC-003] App/Mgmt/AccountEnforcement-A: account-level configuration for 222222222222 in eu-west-1: the version lives in us-east-1 '
        + '(baseline version 1). Fix: Name a guardrail version created in eu-west-1.',
      ]);
    });
    test('stays silent on a token region', () => {
      expect(check(ACC_VERSION_REGION, withConfigs(accountConfig({ region: token('eu-west-1') })))).toEqual(CLEAN);
    });
  });

  describe('GR-ACC-004 cross-account reach', () => {
    test('passes a same-account guardrail without a resource policy', () => {
      const v = versionFacts({ ownerAccount: MEMBER_A, identifier: token() });
      expect(check(ACC_RESOURCE_POLICY_REACH, appFacts({ accountConfigurations: [accountConfig({ version: v })], resourcePolicies: [] }))).toEqual(CLEAN);
    });
    test('passes a management guardrail granted to the account\'s OU ancestor', () => {
      const facts = appFacts({ accountConfigurations: [accountConfig()], resourcePolicies: [resourcePolicy({ grants: ouGrant(OU_WORKLOADS) })] });
      expect(check(ACC_RESOURCE_POLICY_REACH, facts)).toEqual(CLEAN);
    });
    test('fails a cross-account guardrail without a resource policy, with the fix', () => {
      expect(check(ACC_RESOURCE_POLICY_REACH, appFacts({ accountConfigurations: [accountConfig()], resourcePolicies: [] })).errors).toEqual([
        '[GR-ACC-004] App/Mgmt/AccountEnforcement-A: account-level configuration for 222222222222 in us-east-1 names baseline version 1 from '
        + 'account 111111111111, which account 222222222222 cannot apply because its guardrail has no resource policy in this app. Fix: Grant '
        + 'the organization, or an OU containing 222222222222, in the guardrail\'s resource policy (single member accounts are not a supported '
        + 'principal), or use a guardrail owned by the account itself.',
      ]);
    });
    test('fails a grant to an OU the account is not in', () => {
      const facts = appFacts({ accountConfigurations: [accountConfig({ account: MEMBER_C })], resourcePolicies: [resourcePolicy({ grants: ouGrant(OU_PROD) })] });
      expect(check(ACC_RESOURCE_POLICY_REACH, facts).errors).toEqual([expect.stringContaining(
        'which account 444444444444 cannot apply because its resource policy grants only OUs ou-ab12-prodprod1, and account 444444444444 sits under ou-ab12-sandbox11')]);
    });
    test('reads the owner from a literal identifier', () => {
      const facts = appFacts({ accountConfigurations: [accountConfig({ version: versionFacts({ ownerAccount: undefined }) })], resourcePolicies: [] });
      expect(check(ACC_RESOURCE_POLICY_REACH, facts).errors).toEqual([expect.stringContaining(`from account ${MGMT}`)]);
    });
    test('stays silent when the owner or the account is unknown', () => {
      const unknownOwner = versionFacts({ ownerAccount: undefined, identifier: token() });
      expect(check(ACC_RESOURCE_POLICY_REACH, appFacts({ accountConfigurations: [accountConfig({ version: unknownOwner })], resourcePolicies: [] }))).toEqual(CLEAN);
      expect(check(ACC_RESOURCE_POLICY_REACH, appFacts({ accountConfigurations: [accountConfig({ account: token() })], resourcePolicies: [] }))).toEqual(CLEAN);
    });
  });

  describe('GR-ACC-005 model IDs', () => {
    test('passes well-formed lists', () => {
      expect(check(ACC_MODEL_IDS, withConfigs(accountConfig({ settings: { includedModels: ['ALL'], excludedModels: ['amazon.titan-embed-text-v2:0'] } })))).toEqual(CLEAN);
    });
    test('fails malformed IDs and ALL mixed with models, with the fixes', () => {
      const { errors } = check(ACC_MODEL_IDS, withConfigs(accountConfig({ settings: { includedModels: ['ALL', 'amazon.nova-pro-v1:0', 'nova pro'] } })));
      expect(errors).toEqual([
        '[GR-ACC-005] App/Mgmt/AccountEnforcement-A: account-level configuration for 222222222222 in us-east-1: `includedModels[2]` "nova pro" is '
        + 'not a model ID (pattern provider.model[:version[:variant]][/12-character id], or ALL). Fix: Use a ModelId constant or ModelId.of() with '
        + 'an ID from `aws bedrock list-foundation-models`.',
        '[GR-ACC-005] App/Mgmt/AccountEnforcement-A: account-level configuration for 222222222222 in us-east-1: `includedModels` mixes ALL with '
        + 'other models (ALL, amazon.nova-pro-v1:0, nova pro). Fix: Give [ALL] alone, or list only specific models.',
      ]);
    });
    test('stays silent on token model IDs', () => {
      expect(check(ACC_MODEL_IDS, withConfigs(accountConfig({ settings: { excludedModels: [token()] } })))).toEqual(CLEAN);
    });
  });

  describe('GR-ACC-006 model included and excluded', () => {
    test('passes disjoint lists', () => {
      expect(check(ACC_MODEL_INCLUDED_AND_EXCLUDED, withConfigs(accountConfig({ settings: { includedModels: ['amazon.nova-pro-v1:0'], excludedModels: ['amazon.nova-lite-v1:0'] } }))))
        .toEqual(CLEAN);
    });
    test('fails models in both lists, with the fix', () => {
      const both = ['amazon.nova-lite-v1:0', 'amazon.nova-pro-v1:0'];
      expect(check(ACC_MODEL_INCLUDED_AND_EXCLUDED, withConfigs(accountConfig({ settings: { includedModels: both, excludedModels: both } }))).errors).toEqual([
        '[GR-ACC-006] App/Mgmt/AccountEnforcement-A: account-level configuration for 222222222222 in us-east-1 lists amazon.nova-lite-v1:0, '
        + 'amazon.nova-pro-v1:0 in both includedModels and excludedModels; AWS would exclude them. Fix: Remove each model from the list it should not be in.',
      ]);
    });
  });

  describe('GR-ACC-007 automated reasoning', () => {
    test('passes a guardrail without one', () => expect(check(ACC_NO_AUTOMATED_REASONING, withConfigs(accountConfig()))).toEqual(CLEAN));
    test('fails a guardrail with one', () => {
      expect(check(ACC_NO_AUTOMATED_REASONING, withConfigs(accountConfig({ version: versionFacts({ hasAutomatedReasoningPolicy: true }) }))).errors).toEqual([
        '[GR-ACC-007] App/Mgmt/AccountEnforcement-A: account-level configuration for 222222222222 in us-east-1 names baseline version 1, whose '
        + 'guardrail has an automated reasoning policy. Fix: Enforce a guardrail without the automated reasoning policy; keep that policy on an '
        + 'application-level guardrail.',
      ]);
    });
  });

  describe('GR-ACC-008 reach not verifiable', () => {
    test('is silent when decided', () => expect(check(ACC_RESOURCE_POLICY_UNVERIFIED, withConfigs(accountConfig()))).toEqual(CLEAN));
    test('warns when OU grants cannot be resolved without an Organization, with the fix', () => {
      const facts = appFacts({ organizations: [], accountConfigurations: [accountConfig()], resourcePolicies: [resourcePolicy({ grants: ouGrant(OU_WORKLOADS) })] });
      expect(check(ACC_RESOURCE_POLICY_UNVERIFIED, facts).warnings).toEqual([
        '[GR-ACC-008] App/Mgmt/AccountEnforcement-A: account-level configuration for 222222222222 in us-east-1: cannot verify that account '
        + '222222222222 may apply baseline version 1, because no Organization was given to resolve OU membership. Fix: Declare the resource '
        + 'policy in this app and the account in the Organization, or check ApplyGuardrail from the account before enforcing.',
      ]);
    });
    test('warns for a resource policy managed elsewhere', () => {
      const facts = appFacts({ accountConfigurations: [accountConfig({ version: versionFacts({ guardrailManaged: false }) })], resourcePolicies: [] });
      expect(check(ACC_RESOURCE_POLICY_UNVERIFIED, facts).warnings).toEqual([expect.stringContaining('because its resource policy is managed outside this app')]);
      expect(check(ACC_RESOURCE_POLICY_REACH, facts)).toEqual(CLEAN);
    });
  });

  describe('GR-ACC-009 inference profile IDs', () => {
    test('is silent for model IDs', () => {
      expect(check(ACC_INFERENCE_PROFILE_MODELS, withConfigs(accountConfig({ settings: { includedModels: ['amazon.nova-pro-v1:0'] } })))).toEqual(CLEAN);
    });
    test('warns for inference profile IDs, listing them', () => {
      const settings = { includedModels: ['eu.amazon.nova-pro-v1:0'], excludedModels: ['apac.amazon.nova-lite-v1:0'] };
      expect(check(ACC_INFERENCE_PROFILE_MODELS, withConfigs(accountConfig({ settings }))).warnings).toEqual([
        expect.stringMatching(/^\[GR-ACC-009\] .* lists inference profile IDs apac\.amazon\.nova-lite-v1:0, eu\.amazon\.nova-pro-v1:0\. Fix: List the model ID as well/),
      ]);
    });
  });

  test('facts with settings normalized from ModelId objects pass every rule', () => {
    const settings = normalizeSettings({ messageGuarding: ContentGuarding.SELECTIVE, excludedModels: [ModelId.COHERE_EMBED_ENGLISH_V3] });
    const c = accountConfig({ settings });
    expect(c.settings).toEqual({ messageGuarding: ContentGuarding.SELECTIVE, excludedModels: ['cohere.embed-english-v3'] });
    expect(runRules(ACCOUNT_RULES, withConfigs(c))).toMatchObject({ errors: [], warnings: [] });
  });
});
