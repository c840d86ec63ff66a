/** Rules about account-level enforcement that have no organization-level counterpart. */
import { isToken } from '../../model/validate';
import { AppFacts } from '../facts';
import { repeatedBy } from './checks';
import {
  ACC_INFERENCE_PROFILE_MODELS, ACC_MODEL_IDS, ACC_MODEL_INCLUDED_AND_EXCLUDED, ACC_NO_AUTOMATED_REASONING, ACC_NUMBERED_VERSION,
  ACC_RESOURCE_POLICY_REACH, ACC_RESOURCE_POLICY_UNVERIFIED, ACC_VERSION_REGION,
} from './configuration-rules';
import { GuardrailRule, RuleSeverity } from './engine';

/** GR-ACC-001: one configuration per account and region. */
export const ACC_ONE_PER_ACCOUNT_REGION: GuardrailRule<AppFacts> = {
  id: 'GR-ACC-001',
  severity: RuleSeverity.ERROR,
  title: 'One account-level configuration per account and region',
  rationale: 'An account holds one enforced guardrail configuration per region; a second one overwrites the first, '
    + 'so two constructs would fight over it on every apply.',
  evaluate: (facts) => repeatedBy(facts.accountConfigurations,
    (c) => (c.account === undefined || isToken(c.account) || isToken(c.region) ? undefined : `${c.account}/${c.region}`))
    .map((list) => {
      const paths = list.map((c) => c.path).sort();
      return {
        path: paths[1],
        message: `account ${list[0].account} in ${list[0].region} is configured ${list.length} times (${paths.join(', ')})`,
        fix: 'Keep one AccountEnforcement per account and region; enforce further guardrails through the organization policy or in the request.',
      };
    }),
};

/** Every account-level rule, in id order. */
export const ACCOUNT_RULES: readonly GuardrailRule<AppFacts>[] = [
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
