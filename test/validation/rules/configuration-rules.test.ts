import { AppFacts, EnforcedConfigurationFacts } from '../../../src/validation/facts';
import { ACCOUNT_RULES } from '../../../src/validation/rules/account-rules';
import {
  ACC_INFERENCE_PROFILE_MODELS, ACC_MODEL_IDS, ACC_MODEL_INCLUDED_AND_EXCLUDED, ACC_NO_AUTOMATED_REASONING, ACC_NUMBERED_VERSION,
  ACC_RESOURCE_POLICY_REACH, ACC_RESOURCE_POLICY_UNVERIFIED, ACC_VERSION_REGION, ORG_INFERENCE_PROFILE_MODELS, ORG_MODEL_IDS,
  ORG_MODEL_INCLUDED_AND_EXCLUDED, ORG_NO_AUTOMATED_REASONING, ORG_NUMBERED_VERSION, ORG_RESOURCE_POLICY_REACH,
  ORG_RESOURCE_POLICY_UNVERIFIED, ORG_VERSION_REGION,
} from '../../../src/validation/rules/configuration-rules';
import { GuardrailRule, RuleSeverity, runRules } from '../../../src/validation/rules/engine';
import { ORGANIZATION_RULES } from '../../../src/validation/rules/organization-rules';
import { accountConfig, appFacts, orgConfig, orgPolicy, versionFacts } from './fixtures';

interface SharedRule {
  readonly org: GuardrailRule<AppFacts>;
  readonly acc: GuardrailRule<AppFacts>;
  readonly ids: readonly [string, string];
  readonly severity: RuleSeverity;
  /** What makes a configuration fail the rule, at either level. */
  readonly bad: Partial<EnforcedConfigurationFacts>;
  /** App facts the failure needs besides the configuration. @default none */
  readonly app?: Partial<AppFacts>;
  /** Text both levels' finding carries. */
  readonly says: string;
}

const SHARED: readonly SharedRule[] = [
  { org: ORG_NUMBERED_VERSION, acc: ACC_NUMBERED_VERSION, ids: ['GR-ORG-001', 'GR-ACC-002'], severity: RuleSeverity.ERROR,
    bad: { version: versionFacts({ version: 'DRAFT' }) }, says: 'its version is "DRAFT"' },
  { org: ORG_VERSION_REGION, acc: ACC_VERSION_REGION, ids: ['GR-ORG-002', 'GR-ACC-003'], severity: RuleSeverity.ERROR,
    bad: { region: 'eu-west-1' }, says: 'the version lives in us-east-1' },
  { org: ORG_NO_AUTOMATED_REASONING, acc: ACC_NO_AUTOMATED_REASONING, ids: ['GR-ORG-004', 'GR-ACC-007'], severity: RuleSeverity.ERROR,
    bad: { version: versionFacts({ hasAutomatedReasoningPolicy: true }) }, says: 'has an automated reasoning policy' },
  { org: ORG_RESOURCE_POLICY_REACH, acc: ACC_RESOURCE_POLICY_REACH, ids: ['GR-ORG-005', 'GR-ACC-004'], severity: RuleSeverity.ERROR,
    bad: {}, app: { resourcePolicies: [] }, says: 'its guardrail has no resource policy in this app' },
  { org: ORG_MODEL_IDS, acc: ACC_MODEL_IDS, ids: ['GR-ORG-010', 'GR-ACC-005'], severity: RuleSeverity.ERROR,
    bad: { settings: { includedModels: ['Claude'] } }, says: '`includedModels[0]` "Claude" is not a model ID' },
  { org: ORG_MODEL_INCLUDED_AND_EXCLUDED, acc: ACC_MODEL_INCLUDED_AND_EXCLUDED, ids: ['GR-ORG-011', 'GR-ACC-006'], severity: RuleSeverity.ERROR,
    bad: { settings: { includedModels: ['amazon.nova-pro-v1:0'], excludedModels: ['amazon.nova-pro-v1:0'] } }, says: 'amazon.nova-pro-v1:0 in both includedModels and excludedModels' },
  { org: ORG_RESOURCE_POLICY_UNVERIFIED, acc: ACC_RESOURCE_POLICY_UNVERIFIED, ids: ['GR-ORG-013', 'GR-ACC-008'], severity: RuleSeverity.WARNING,
    bad: { version: versionFacts({ guardrailManaged: false }) }, app: { resourcePolicies: [] }, says: 'its resource policy is managed outside this app' },
  { org: ORG_INFERENCE_PROFILE_MODELS, acc: ACC_INFERENCE_PROFILE_MODELS, ids: ['GR-ORG-014', 'GR-ACC-009'], severity: RuleSeverity.WARNING,
    bad: { settings: { excludedModels: ['us.amazon.nova-pro-v1:0'] } }, says: 'inference profile ID us.amazon.nova-pro-v1:0' },
];

const orgLevel = (s: SharedRule) => appFacts({ ...s.app, organizationPolicies: [orgPolicy({ configurations: [orgConfig(s.bad)] })] });
const accountLevel = (s: SharedRule) => appFacts({ ...s.app, accountConfigurations: [accountConfig(s.bad)] });
const messages = (rule: GuardrailRule<AppFacts>, facts: AppFacts) => runRules([rule], facts).findings.map((f) => f.text);

describe.each(SHARED.map((s) => [`${s.ids[0]} / ${s.ids[1]}`, s] as const))('%s: one check at both levels', (_, s) => {
  test('each level has its stable id, and both share severity, title and rationale', () => {
    expect([s.org.id, s.acc.id]).toEqual(s.ids);
    expect(s.org.severity).toBe(s.severity);
    expect(s.acc.severity).toBe(s.severity);
    expect(s.acc.title).toBe(s.org.title);
    expect(s.acc.rationale).toBe(s.org.rationale);
    expect(ORGANIZATION_RULES).toContain(s.org);
    expect(ACCOUNT_RULES).toContain(s.acc);
  });

  test('fires for an organization policy under the organization id only', () => {
    const facts = orgLevel(s);
    expect(messages(s.org, facts)).toEqual([expect.stringMatching(new RegExp(`^\\[${s.ids[0]}\\] App/Mgmt/OrgEnforcement: configuration "[a-z0-9-]+/baseline"`))]);
    expect(messages(s.org, facts)[0]).toContain(s.says);
    expect(messages(s.acc, facts)).toEqual([]);
  });

  test('fires for an account-level configuration under the account id only', () => {
    const facts = accountLevel(s);
    expect(messages(s.acc, facts)).toEqual([
      expect.stringMatching(new RegExp(`^\\[${s.ids[1]}\\] App/Mgmt/AccountEnforcement-A: account-level configuration for 222222222222 in [a-z0-9-]+`)),
    ]);
    expect(messages(s.acc, facts)[0]).toContain(s.says);
    expect(messages(s.org, facts)).toEqual([]);
  });

  test('is silent at both levels for compliant configurations', () => {
    const facts = appFacts({ organizationPolicies: [orgPolicy()], accountConfigurations: [accountConfig()] });
    expect(messages(s.org, facts)).toEqual([]);
    expect(messages(s.acc, facts)).toEqual([]);
  });
});

test('every configuration of every policy is checked, each under its policy\'s path', () => {
  const bad = orgConfig({ name: 'second', version: versionFacts({ version: 'DRAFT' }) });
  const facts = appFacts({
    organizationPolicies: [
      orgPolicy({ configurations: [orgConfig(), bad] }),
      orgPolicy({ path: 'App/BU/OrgEnforcement', name: 'bu', configurations: [bad] }),
    ],
  });
  expect(runRules([ORG_NUMBERED_VERSION], facts).findings.map((f) => f.path)).toEqual(['App/BU/OrgEnforcement', 'App/Mgmt/OrgEnforcement']);
});
