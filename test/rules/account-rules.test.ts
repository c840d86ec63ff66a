import { ContentGuarding, ModelId } from '../../src/enforcement/settings';
import {
  ACC_INFERENCE_PROFILE_MODELS, ACC_MODEL_IDS, ACC_MODEL_INCLUDED_AND_EXCLUDED, ACC_NO_AUTOMATED_REASONING, ACC_NUMBERED_VERSION,
  ACC_ONE_PER_ACCOUNT_REGION, ACC_RESOURCE_POLICY_REACH, ACC_RESOURCE_POLICY_UNVERIFIED, ACC_VERSION_REGION, ACCOUNT_RULES,
} from '../../src/rules/account-rules';
import { GuardrailRule, runRules } from '../../src/rules/engine';
import {
  AccountConfigurationFacts, accountConfigurationFacts, AccountRulesInput, guardrailVersionFacts,
} from '../../src/rules/facts';
import { fakeVersion, MEMBER_A, MEMBER_C, MGMT, organization, OU_PROD, OU_WORKLOADS, token, versionFacts } from './fixtures';

function cfg(overrides: Partial<AccountConfigurationFacts> = {}): AccountConfigurationFacts {
  return { path: 'App/Mgmt/AccountEnforcement-A', account: MEMBER_A, region: 'us-east-1', version: versionFacts(), ...overrides };
}

function input(configurations: AccountConfigurationFacts[], withOrg = true): AccountRulesInput {
  return withOrg ? { organization: organization(), configurations } : { configurations };
}

function run(rule: GuardrailRule<AccountRulesInput>, i: AccountRulesInput): { errors: string[]; warnings: string[] } {
  const { errors, warnings } = runRules([rule], i);
  return { errors, warnings };
}

const CLEAN = { errors: [], warnings: [] };

describe('account rules', () => {
  test('ids are unique and every rule explains itself', () => {
    expect(new Set(ACCOUNT_RULES.map((r) => r.id)).size).toBe(ACCOUNT_RULES.length);
    for (const r of ACCOUNT_RULES) {
      expect(r.id).toMatch(/^GR-ACC-\d{3}$/);
      expect(r.rationale.length).toBeGreaterThan(30);
    }
  });

  test('a compliant configuration passes every rule', () => {
    expect(runRules(ACCOUNT_RULES, input([cfg()]))).toEqual({ errors: [], warnings: [], acknowledged: [] });
  });

  describe('GR-ACC-001 one configuration per account and region', () => {
    test('passes one per account and region', () => {
      expect(run(ACC_ONE_PER_ACCOUNT_REGION, input([cfg(), cfg({ region: 'eu-west-1', version: versionFacts({ region: 'eu-west-1' }) }), cfg({ account: MEMBER_C })])))
        .toEqual(CLEAN);
    });
    test('fails two for one account and region, naming both paths', () => {
      const { errors } = run(ACC_ONE_PER_ACCOUNT_REGION, input([cfg(), cfg({ path: 'App/BU/AccountEnforcement' })]));
      expect(errors).toEqual([expect.stringMatching(/account 222222222222 in us-east-1 is configured 2 times \(App\/BU\/AccountEnforcement, App\/Mgmt\/AccountEnforcement-A\)/)]);
    });
    test('stays silent on token accounts', () => {
      expect(run(ACC_ONE_PER_ACCOUNT_REGION, input([cfg({ account: token() }), cfg({ account: token() })]))).toEqual(CLEAN);
    });
  });

  describe('GR-ACC-002 numbered version', () => {
    test('passes a numbered version', () => expect(run(ACC_NUMBERED_VERSION, input([cfg()]))).toEqual(CLEAN));
    test('fails DRAFT', () => {
      expect(run(ACC_NUMBERED_VERSION, input([cfg({ version: versionFacts({ version: 'DRAFT' }) })])).errors)
        .toEqual([expect.stringMatching(/^\[GR-ACC-002\] App\/Mgmt\/AccountEnforcement-A: .*"DRAFT"/)]);
    });
    test('stays silent on a token version', () => {
      expect(run(ACC_NUMBERED_VERSION, input([cfg({ version: versionFacts({ version: token(), identifier: token() }) })]))).toEqual(CLEAN);
    });
  });

  describe('GR-ACC-003 version region', () => {
    test('passes the same region', () => expect(run(ACC_VERSION_REGION, input([cfg()]))).toEqual(CLEAN));
    test('fails a version from another region', () => {
      expect(run(ACC_VERSION_REGION, input([cfg({ region: 'eu-west-1' })])).errors)
        .toEqual([expect.stringMatching(/in eu-west-1: the version lives in us-east-1.*Fix: Name a guardrail version created in eu-west-1/)]);
    });
  });

  describe('GR-ACC-004 cross-account reach', () => {
    test('passes a same-account guardrail without a resource policy', () => {
      const v = versionFacts({ ownerAccount: MEMBER_A, identifier: token(), resourcePolicy: undefined });
      expect(run(ACC_RESOURCE_POLICY_REACH, input([cfg({ version: v })]))).toEqual(CLEAN);
    });
    test('passes a management guardrail granted to the account\'s OU ancestor', () => {
      const v = versionFacts({ resourcePolicy: { organizationalUnitIds: [OU_WORKLOADS] } });
      expect(run(ACC_RESOURCE_POLICY_REACH, input([cfg({ version: v })]))).toEqual(CLEAN);
    });
    test('fails a cross-account guardrail without a resource policy, with the fix', () => {
      const v = versionFacts({ resourcePolicy: undefined });
      expect(run(ACC_RESOURCE_POLICY_REACH, input([cfg({ version: v })])).errors).toEqual([expect.stringMatching(
        /from account 111111111111, which account 222222222222 cannot apply because its guardrail has no resource policy.*Fix: Grant the organization, or an OU containing 222222222222.*single member accounts are not a supported principal/)]);
    });
    test('fails a grant to an OU the account is not in', () => {
      const v = versionFacts({ resourcePolicy: { organizationalUnitIds: [OU_PROD] } });
      expect(run(ACC_RESOURCE_POLICY_REACH, input([cfg({ account: MEMBER_C, version: v })])).errors).toHaveLength(1);
    });
    test('stays silent when the owner is unknown', () => {
      const v = versionFacts({ ownerAccount: undefined, identifier: token(), resourcePolicy: undefined });
      expect(run(ACC_RESOURCE_POLICY_REACH, input([cfg({ version: v })]))).toEqual(CLEAN);
    });
  });

  describe('GR-ACC-005 model IDs', () => {
    test('passes well-formed lists', () => {
      expect(run(ACC_MODEL_IDS, input([cfg({ includedModels: ['ALL'], excludedModels: ['amazon.titan-embed-text-v2:0'] })]))).toEqual(CLEAN);
    });
    test('fails malformed IDs and ALL mixed with models', () => {
      const { errors } = run(ACC_MODEL_IDS, input([cfg({ includedModels: ['ALL', 'amazon.nova-pro-v1:0', 'nova pro'] })]));
      expect(errors).toHaveLength(2);
      expect(errors.join('\n')).toMatch(/mixes ALL with other models/);
      expect(errors.join('\n')).toMatch(/"nova pro" is not a model ID/);
    });
  });

  describe('GR-ACC-006 model included and excluded', () => {
    test('passes disjoint lists', () => {
      expect(run(ACC_MODEL_INCLUDED_AND_EXCLUDED, input([cfg({ includedModels: ['amazon.nova-pro-v1:0'], excludedModels: ['amazon.nova-lite-v1:0'] })]))).toEqual(CLEAN);
    });
    test('fails a model in both lists', () => {
      expect(run(ACC_MODEL_INCLUDED_AND_EXCLUDED, input([cfg({ includedModels: ['amazon.nova-pro-v1:0'], excludedModels: ['amazon.nova-pro-v1:0'] })])).errors)
        .toEqual([expect.stringMatching(/^\[GR-ACC-006\].*amazon.nova-pro-v1:0 in both/)]);
    });
  });

  describe('GR-ACC-007 automated reasoning', () => {
    test('passes a guardrail without one', () => expect(run(ACC_NO_AUTOMATED_REASONING, input([cfg()]))).toEqual(CLEAN));
    test('fails a guardrail with one', () => {
      expect(run(ACC_NO_AUTOMATED_REASONING, input([cfg({ version: versionFacts({ hasAutomatedReasoningPolicy: true }) })])).errors).toHaveLength(1);
    });
  });

  describe('GR-ACC-008 reach not verifiable', () => {
    test('is silent when decided', () => expect(run(ACC_RESOURCE_POLICY_UNVERIFIED, input([cfg()]))).toEqual(CLEAN));
    test('warns when OU grants cannot be resolved without an Organization', () => {
      const v = versionFacts({ resourcePolicy: { organizationalUnitIds: [OU_WORKLOADS] } });
      expect(run(ACC_RESOURCE_POLICY_UNVERIFIED, input([cfg({ version: v })], false)).warnings)
        .toEqual([expect.stringMatching(/^\[GR-ACC-008\].*no Organization was given/)]);
    });
    test('warns for a resource policy managed elsewhere', () => {
      const v = versionFacts({ resourcePolicy: undefined, resourcePolicyUnmanaged: true });
      expect(run(ACC_RESOURCE_POLICY_UNVERIFIED, input([cfg({ version: v })])).warnings).toHaveLength(1);
    });
  });

  describe('GR-ACC-009 inference profile IDs', () => {
    test('is silent for model IDs', () => expect(run(ACC_INFERENCE_PROFILE_MODELS, input([cfg({ includedModels: ['amazon.nova-pro-v1:0'] })]))).toEqual(CLEAN));
    test('warns for an inference profile ID', () => {
      expect(run(ACC_INFERENCE_PROFILE_MODELS, input([cfg({ includedModels: ['eu.amazon.nova-pro-v1:0'] })])).warnings).toHaveLength(1);
    });
  });

  test('facts built from settings and a version construct', () => {
    const v = guardrailVersionFacts(fakeVersion({ account: MGMT }), { resourcePolicy: { organizationWide: true } });
    const facts = accountConfigurationFacts('App/Mgmt/Acc', MEMBER_A, 'us-east-1', v, {
      messageGuarding: ContentGuarding.SELECTIVE, excludedModels: [ModelId.COHERE_EMBED_ENGLISH_V3],
    });
    expect(facts).toMatchObject({ account: MEMBER_A, includedModels: undefined, excludedModels: ['cohere.embed-english-v3'] });
    expect(runRules(ACCOUNT_RULES, input([facts])).errors).toEqual([]);
  });
});
