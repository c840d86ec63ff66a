import { isToken } from '../private/validate';
import {
  describeVersion, inferenceProfileModels, malformedModels, modelsInBothLists, ownerOf, reachesAccount, Reach,
  regionProblem, versionProblem,
} from './checks';
import { GuardrailRule, RuleFinding, RuleSeverity } from './engine';
import { AccountConfigurationFacts, AccountRulesInput } from './facts';

function where(c: AccountConfigurationFacts): string {
  return `account-level configuration for ${c.account} in ${c.region}`;
}

/** The findings of `visit` over every configuration, in order (a loop: apps have thousands of configurations). */
function each(input: AccountRulesInput, visit: (c: AccountConfigurationFacts) => RuleFinding[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const c of input.configurations) {
    const found = visit(c);
    for (let i = 0; i < found.length; i++) out.push(found[i]);
  }
  return out;
}

/** GR-ACC-001: one configuration per account and region. */
export const ACC_ONE_PER_ACCOUNT_REGION: GuardrailRule<AccountRulesInput> = {
  id: 'GR-ACC-001',
  severity: RuleSeverity.ERROR,
  title: 'One account-level configuration per account and region',
  rationale: 'An account holds one enforced guardrail configuration per region; a second one overwrites the first, '
    + 'so two constructs would fight over it on every apply.',
  evaluate: (input) => {
    const groups = new Map<string, AccountConfigurationFacts[]>();
    for (const c of input.configurations) {
      if (isToken(c.account) || isToken(c.region)) continue;
      const key = `${c.account}/${c.region}`;
      const group = groups.get(key);
      if (group) group.push(c);
      else groups.set(key, [c]);
    }
    const out: RuleFinding[] = [];
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      const paths = list.map((c) => c.path).sort();
      out.push({
        path: paths[1],
        message: `account ${list[0].account} in ${list[0].region} is configured ${list.length} times (${paths.join(', ')})`,
        fix: 'Keep one AccountEnforcement per account and region; enforce further guardrails through the organization policy or in the request.',
      });
    }
    return out;
  },
};

/** GR-ACC-002: numbered version. */
export const ACC_NUMBERED_VERSION: GuardrailRule<AccountRulesInput> = {
  id: 'GR-ACC-002',
  severity: RuleSeverity.ERROR,
  title: 'Account-level enforcement names a numbered guardrail version',
  rationale: 'PutEnforcedGuardrailConfiguration takes a numbered version only (pattern [1-9][0-9]{0,7}); DRAFT is refused.',
  evaluate: (input) => each(input, (c) => {
    const problem = versionProblem(c.version);
    return problem ? [{
      path: c.path,
      message: `${where(c)} names ${describeVersion(c.version)}, and ${problem}`,
      fix: 'Publish a numbered GuardrailVersion and pass it as `version`.',
    }] : [];
  }),
};

/** GR-ACC-003: version region equals target region. */
export const ACC_VERSION_REGION: GuardrailRule<AccountRulesInput> = {
  id: 'GR-ACC-003',
  severity: RuleSeverity.ERROR,
  title: 'Guardrail version lives in the enforced region',
  rationale: 'Account-level enforcement is regional and applies a guardrail of the same region.',
  evaluate: (input) => each(input, (c) => {
    const problem = regionProblem(c.version, c.region);
    return problem ? [{
      path: c.path,
      message: `${where(c)}: ${problem} (${describeVersion(c.version)})`,
      fix: `Name a guardrail version created in ${c.region}.`,
    }] : [];
  }),
};

function crossAccountReach(c: AccountConfigurationFacts, input: AccountRulesInput): Reach | undefined {
  const owner = ownerOf(c.version);
  // Same account needs no grant; an unknown owner (neither declared nor in a literal ARN) cannot be judged,
  // so the rule stays silent rather than guess: constructs fill `ownerAccount` whenever the provider pins it.
  if (isToken(c.account) || owner === undefined || owner === c.account) return undefined;
  return reachesAccount(c.version, input.organization, c.account);
}

/** GR-ACC-004: cross-account guardrail reachable by the target account. */
export const ACC_RESOURCE_POLICY_REACH: GuardrailRule<AccountRulesInput> = {
  id: 'GR-ACC-004',
  severity: RuleSeverity.ERROR,
  title: 'Cross-account guardrail is shared with the enforcing account',
  rationale: 'When the enforced guardrail lives in another account, the enforcing account must be allowed to apply it '
    + 'through the guardrail\'s resource policy; otherwise every Bedrock call in that account fails.',
  evaluate: (input) => each(input, (c) => {
    const r = crossAccountReach(c, input);
    return r && r.reached === false ? [{
      path: c.path,
      message: `${where(c)} names ${describeVersion(c.version)} from account ${ownerOf(c.version)}, which account ${c.account} cannot apply because ${r.why}`,
      fix: `Grant the organization, or an OU containing ${c.account}, in the guardrail's resource policy (single member accounts are not a `
        + 'supported principal), or use a guardrail owned by the account itself.',
    }] : [];
  }),
};

/** GR-ACC-005: model IDs well formed. */
export const ACC_MODEL_IDS: GuardrailRule<AccountRulesInput> = {
  id: 'GR-ACC-005',
  severity: RuleSeverity.ERROR,
  title: 'Model lists hold well-formed model IDs',
  rationale: 'The API accepts model IDs of the documented pattern, and ALL only in includedModels.',
  evaluate: (input) => each(input, (c) => malformedModels(c.includedModels, c.excludedModels).map((m) => ({
    path: c.path,
    message: `${where(c)}: \`${m.property}\` ${m.message}`,
    fix: m.fix,
  }))),
};

/** GR-ACC-006: no model both included and excluded. */
export const ACC_MODEL_INCLUDED_AND_EXCLUDED: GuardrailRule<AccountRulesInput> = {
  id: 'GR-ACC-006',
  severity: RuleSeverity.ERROR,
  title: 'No model is both included and excluded',
  rationale: 'AWS excludes a model listed in both lists (CloudFormation EnforcedGuardrailConfiguration docs), so a model named '
    + 'for enforcement would run unguarded; the lists contradict each other, so the library refuses it.',
  evaluate: (input) => each(input, (c) => {
    const both = modelsInBothLists(c.includedModels, c.excludedModels);
    return both.length ? [{
      path: c.path,
      message: `${where(c)} lists ${both.join(', ')} in both includedModels and excludedModels; AWS would exclude ${both.length > 1 ? 'them' : 'it'}`,
      fix: 'Remove each model from the list it should not be in.',
    }] : [];
  }),
};

/** GR-ACC-007: no automated reasoning policy. */
export const ACC_NO_AUTOMATED_REASONING: GuardrailRule<AccountRulesInput> = {
  id: 'GR-ACC-007',
  severity: RuleSeverity.ERROR,
  title: 'Enforced guardrail has no automated reasoning policy',
  rationale: 'The automated reasoning policy is unsupported for guardrail enforcements and causes runtime failures (Bedrock user guide, enforcements).',
  evaluate: (input) => each(input, (c) => c.version.hasAutomatedReasoningPolicy ? [{
    path: c.path,
    message: `${where(c)} names ${describeVersion(c.version)}, whose guardrail has an automated reasoning policy`,
    fix: 'Enforce a guardrail without the automated reasoning policy.',
  }] : []),
};

/** GR-ACC-008: reach cannot be verified. */
export const ACC_RESOURCE_POLICY_UNVERIFIED: GuardrailRule<AccountRulesInput> = {
  id: 'GR-ACC-008',
  severity: RuleSeverity.WARNING,
  title: 'Cross-account reach cannot be verified',
  rationale: 'When the cross-account guardrail\'s resource policy is managed elsewhere or the account\'s OU is not declared, the library cannot tell whether the '
    + 'account may apply the guardrail; enforcement without that grant breaks its Bedrock calls.',
  evaluate: (input) => each(input, (c) => {
    const r = crossAccountReach(c, input);
    return r && r.reached === undefined ? [{
      path: c.path,
      message: `${where(c)}: cannot verify that account ${c.account} may apply ${describeVersion(c.version)}, because ${r.why}`,
      fix: 'Declare the resource policy in this app and the account in the Organization, or check ApplyGuardrail from the account before enforcing.',
    }] : [];
  }),
};

/** GR-ACC-009: inference profile IDs in model lists. */
export const ACC_INFERENCE_PROFILE_MODELS: GuardrailRule<AccountRulesInput> = {
  id: 'GR-ACC-009',
  severity: RuleSeverity.WARNING,
  title: 'Model lists name inference profiles',
  rationale: 'AWS documents model enforcement with model IDs (provider.model...); whether a cross-region inference profile ID '
    + 'matches calls made through that profile is not documented.',
  evaluate: (input) => each(input, (c) => {
    const profiles = inferenceProfileModels(c.includedModels, c.excludedModels);
    return profiles.length ? [{
      path: c.path,
      message: `${where(c)} lists inference profile ID${profiles.length > 1 ? 's' : ''} ${profiles.join(', ')}`,
      fix: 'List the model ID as well (the part after the geography prefix), and test with a call through the profile.',
    }] : [];
  }),
};

/** Every account-level rule, in id order. */
export const ACCOUNT_RULES: readonly GuardrailRule<AccountRulesInput>[] = [
  ACC_ONE_PER_ACCOUNT_REGION,
  ACC_NUMBERED_VERSION,
  ACC_VERSION_REGION,
  ACC_RESOURCE_POLICY_REACH,
  ACC_MODEL_IDS,
  ACC_MODEL_INCLUDED_AND_EXCLUDED,
  ACC_NO_AUTOMATED_REASONING,
  ACC_RESOURCE_POLICY_UNVERIFIED,
  ACC_INFERENCE_PROFILE_MODELS,
];
