/**
 * Rules that mean the same at both enforcement levels, written once over the enforced
 * configuration facts. Each is registered once per level, under that level's stable id
 * (`GR-ORG-…` for organization policies, `GR-ACC-…` for account-level enforcement), so
 * acknowledgements and documentation keep their ids.
 */
import { reachOfTarget, Reach } from '../../model/reach';
import { TargetType } from '../../model/targets';
import { isToken } from '../../model/validate';
import {
  AppFacts, EnforcedConfigurationFacts, EnforcementLevel, configurationText, resourcePolicyOf, targetText, theOrganization,
} from '../facts';
import {
  inferenceProfileModels, malformedModels, modelsInBothLists, ownerOf, regionProblem, versionProblem,
} from './checks';
import { GuardrailRule, RuleFinding, RuleSeverity } from './engine';

/** A finding's message and fix, before the path is added. */
interface Problem {
  readonly message: string;
  readonly fix: string;
}

/** One rule over the enforced configurations of both levels. */
interface ConfigurationRuleSpec {
  /** The id at each level. */
  readonly ids: Readonly<Record<EnforcementLevel, string>>;
  readonly severity: RuleSeverity;
  readonly title: string;
  readonly rationale: string;
  /** The problems of one configuration. */
  readonly check: (c: EnforcedConfigurationFacts, facts: AppFacts) => Problem[];
}

function configurationsAt(facts: AppFacts, level: EnforcementLevel): readonly EnforcedConfigurationFacts[] {
  return level === EnforcementLevel.ORGANIZATION ? facts.organizationPolicies.flatMap((p) => p.configurations) : facts.accountConfigurations;
}

/** The rule of `spec` at `level`. */
function atLevel(spec: ConfigurationRuleSpec, level: EnforcementLevel): GuardrailRule<AppFacts> {
  return {
    id: spec.ids[level],
    severity: spec.severity,
    title: spec.title,
    rationale: spec.rationale,
    evaluate: (facts) => {
      const out: RuleFinding[] = [];
      for (const c of configurationsAt(facts, level)) {
        for (const p of spec.check(c, facts)) out.push({ path: c.path, message: p.message, fix: p.fix });
      }
      return out;
    },
  };
}

/** The pair of rules (organization level, account level) of one spec. */
function bothLevels(spec: ConfigurationRuleSpec): readonly [GuardrailRule<AppFacts>, GuardrailRule<AppFacts>] {
  return [atLevel(spec, EnforcementLevel.ORGANIZATION), atLevel(spec, EnforcementLevel.ACCOUNT)];
}

/** GR-ORG-001 / GR-ACC-002: the version must be numbered, never DRAFT. */
export const [ORG_NUMBERED_VERSION, ACC_NUMBERED_VERSION] = bothLevels({
  ids: { organization: 'GR-ORG-001', account: 'GR-ACC-002' },
  severity: RuleSeverity.ERROR,
  title: 'Enforcement names a numbered guardrail version',
  rationale: 'Both levels take a numbered version only (pattern [1-9][0-9]{0,7}); DRAFT is refused, and a malformed '
    + 'identifier in a BEDROCK_POLICY makes every Bedrock call in the targeted accounts fail.',
  check: (c) => {
    const problem = versionProblem(c.version);
    return problem ? [{
      message: `${configurationText(c)} names ${c.version.label}, and ${problem}`,
      fix: 'Publish a numbered GuardrailVersion and pass it as `version`; never enforce the working draft.',
    }] : [];
  },
});

/** GR-ORG-002 / GR-ACC-003: the version lives in the region it is enforced in. */
export const [ORG_VERSION_REGION, ACC_VERSION_REGION] = bothLevels({
  ids: { organization: 'GR-ORG-002', account: 'GR-ACC-003' },
  severity: RuleSeverity.ERROR,
  title: 'Guardrail version lives in the region it is enforced in',
  rationale: 'A guardrail is regional: enforcement in a region applies a guardrail of that region, and a guardrail from '
    + 'another region cannot be applied there.',
  check: (c) => {
    const problem = regionProblem(c.version, c.region);
    if (!problem) return [];
    return [{
      message: c.level === EnforcementLevel.ORGANIZATION
        ? `${configurationText(c)} is under region key ${c.region}, but ${problem} (${c.version.label})`
        : `${configurationText(c)}: ${problem} (${c.version.label})`,
      fix: c.level === EnforcementLevel.ORGANIZATION
        ? `Create a guardrail and version in ${c.region} and name that version, or drop \`region\` so the key follows the version.`
        : `Name a guardrail version created in ${c.region}.`,
    }];
  },
});

/** GR-ORG-004 / GR-ACC-007: no automated reasoning policy. */
export const [ORG_NO_AUTOMATED_REASONING, ACC_NO_AUTOMATED_REASONING] = bothLevels({
  ids: { organization: 'GR-ORG-004', account: 'GR-ACC-007' },
  severity: RuleSeverity.ERROR,
  title: 'Enforced guardrail has no automated reasoning policy',
  rationale: 'Guardrails with an automated reasoning policy are not supported for enforcement and cause runtime failures '
    + '(Bedrock user guide, enforcements).',
  check: (c) => (c.version.hasAutomatedReasoningPolicy ? [{
    message: `${configurationText(c)} names ${c.version.label}, whose guardrail has an automated reasoning policy`,
    fix: 'Enforce a guardrail without the automated reasoning policy; keep that policy on an application-level guardrail.',
  }] : []),
});

/** GR-ORG-010 / GR-ACC-005: model IDs are well formed. */
export const [ORG_MODEL_IDS, ACC_MODEL_IDS] = bothLevels({
  ids: { organization: 'GR-ORG-010', account: 'GR-ACC-005' },
  severity: RuleSeverity.ERROR,
  title: 'Model lists hold well-formed model IDs',
  rationale: 'Model enforcement accepts model IDs of the documented pattern, and ALL only in the include list; '
    + 'anything else is refused, or silently enforces on the wrong set of models.',
  check: (c) => malformedModels(c.settings.includedModels, c.settings.excludedModels).map((m) => ({
    message: `${configurationText(c)}: \`${m.property}\` ${m.message}`,
    fix: m.fix,
  })),
});

/** GR-ORG-011 / GR-ACC-006: no model in both lists. */
export const [ORG_MODEL_INCLUDED_AND_EXCLUDED, ACC_MODEL_INCLUDED_AND_EXCLUDED] = bothLevels({
  ids: { organization: 'GR-ORG-011', account: 'GR-ACC-006' },
  severity: RuleSeverity.ERROR,
  title: 'No model is both included and excluded',
  rationale: 'AWS excludes a model listed in both lists (CloudFormation EnforcedGuardrailConfiguration docs), so a model the '
    + 'author named for enforcement would run unguarded. The lists contradict each other and no configuration needs both, '
    + 'so the library refuses it rather than guess.',
  check: (c) => {
    const both = modelsInBothLists(c.settings.includedModels, c.settings.excludedModels);
    return both.length ? [{
      message: `${configurationText(c)} lists ${both.join(', ')} in both includedModels and excludedModels; AWS would exclude ${both.length > 1 ? 'them' : 'it'}`,
      fix: 'Remove each model from the list it should not be in.',
    }] : [];
  },
});

/** GR-ORG-014 / GR-ACC-009: inference profile IDs in model lists. */
export const [ORG_INFERENCE_PROFILE_MODELS, ACC_INFERENCE_PROFILE_MODELS] = bothLevels({
  ids: { organization: 'GR-ORG-014', account: 'GR-ACC-009' },
  severity: RuleSeverity.WARNING,
  title: 'Model lists name inference profiles',
  rationale: 'AWS documents model enforcement with model IDs (provider.model...); whether a cross-region inference profile ID '
    + 'matches calls made through that profile is not documented.',
  check: (c) => {
    const profiles = inferenceProfileModels(c.settings.includedModels, c.settings.excludedModels);
    return profiles.length ? [{
      message: `${configurationText(c)} lists inference profile ID${profiles.length > 1 ? 's' : ''} ${profiles.join(', ')}`,
      fix: 'List the model ID as well (the part after the geography prefix), and test with a call through the profile.',
    }] : [];
  },
});

/**
 * Reach of the version's resource policy for each target the configuration applies to. An
 * account-level configuration in the guardrail's own account needs no grant, and one whose
 * guardrail owner is unknown cannot be judged (constructs fill the owner whenever the provider
 * pins its account).
 */
function reaches(c: EnforcedConfigurationFacts, facts: AppFacts): Array<{ target: (typeof c.targets)[number]; reach: Reach }> {
  const owner = ownerOf(c.version);
  if (c.level === EnforcementLevel.ACCOUNT && (owner === undefined || c.account === undefined || isToken(c.account) || owner === c.account)) return [];
  const policy = resourcePolicyOf(facts, c.version);
  const org = theOrganization(facts);
  return c.targets
    .filter((t) => !(t.type === TargetType.ACCOUNT && t.id === owner))
    .map((target) => ({ target, reach: reachOfTarget({ ...policy, ownerAccount: owner }, org, target) }));
}

/** GR-ORG-005 / GR-ACC-004: the guardrail's resource policy reaches every account the configuration applies to. */
export const [ORG_RESOURCE_POLICY_REACH, ACC_RESOURCE_POLICY_REACH] = bothLevels({
  ids: { organization: 'GR-ORG-005', account: 'GR-ACC-004' },
  severity: RuleSeverity.ERROR,
  title: 'Guardrail resource policy reaches every enforced account',
  rationale: 'Members apply a guardrail that lives in another account; without a resource policy granting them '
    + 'bedrock:ApplyGuardrail, enforcement makes their Bedrock calls fail.',
  check: (c, facts) => reaches(c, facts).filter((r) => r.reach.reached === false).map(({ target, reach }) => (
    c.level === EnforcementLevel.ORGANIZATION
      ? {
        message: `${configurationText(c)} attached to ${targetText(target)}: ${c.version.label} cannot be applied there, because ${reach.why}`,
        fix: target.type === TargetType.ROOT
          ? 'Grant the organization in the guardrail\'s resource policy (aws:PrincipalOrgID), or attach the policy to the granted OUs only.'
          : 'Grant the organization, or the OU (or an OU above it) in the guardrail\'s resource policy. Single member accounts are not a supported '
            + 'principal: reach an account through its OU. Without the grant every Bedrock call there fails with AccessDenied.',
      }
      : {
        message: `${configurationText(c)} names ${c.version.label} from account ${ownerOf(c.version)}, which account ${c.account} cannot apply because ${reach.why}`,
        fix: `Grant the organization, or an OU containing ${c.account}, in the guardrail's resource policy (single member accounts are not a `
          + 'supported principal), or use a guardrail owned by the account itself.',
      })),
});

/** GR-ORG-013 / GR-ACC-008: reach of the resource policy cannot be verified. */
export const [ORG_RESOURCE_POLICY_UNVERIFIED, ACC_RESOURCE_POLICY_UNVERIFIED] = bothLevels({
  ids: { organization: 'GR-ORG-013', account: 'GR-ACC-008' },
  severity: RuleSeverity.WARNING,
  title: 'Resource policy reach cannot be verified',
  rationale: 'When the resource policy is managed elsewhere or the organization is not fully declared, the library cannot tell '
    + 'whether the enforced accounts may apply the guardrail; enforcement without that grant breaks their Bedrock calls.',
  check: (c, facts) => reaches(c, facts).filter((r) => r.reach.reached === undefined).map(({ target, reach }) => ({
    message: c.level === EnforcementLevel.ORGANIZATION
      ? `${configurationText(c)} attached to ${targetText(target)}: cannot verify that ${c.version.label} may be applied there, because ${reach.why}`
      : `${configurationText(c)}: cannot verify that account ${c.account} may apply ${c.version.label}, because ${reach.why}`,
    fix: c.level === EnforcementLevel.ORGANIZATION
      ? 'Declare the OUs and accounts in the Organization and the resource policy in this app, or check ApplyGuardrail from a target account before attaching.'
      : 'Declare the resource policy in this app and the account in the Organization, or check ApplyGuardrail from the account before enforcing.',
  })),
});
