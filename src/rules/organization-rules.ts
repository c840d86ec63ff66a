import { BEDROCK_POLICY_MAX_CHARACTERS } from '../enforcement/policy-document';
import { isToken } from '../private/validate';
import {
  describeVersion, inferenceProfileModels, malformedModels, modelsInBothLists, ownerOf, parseIdentifier,
  Reach, reachesAccount, reachesOrganizationalUnit, reachesRoot, regionProblem, versionProblem,
} from './checks';
import { GuardrailRule, RuleFinding, RuleSeverity } from './engine';
import { OrganizationConfigurationFacts, OrganizationPolicyFacts, OrganizationRulesInput, TargetFacts, TargetType } from './facts';

/** Organizations' limit on policies of one type attached directly to one root, OU or account. */
export const MAX_POLICIES_PER_TARGET = 10;

type ConfigVisitor = (policy: OrganizationPolicyFacts, config: OrganizationConfigurationFacts, where: string) => RuleFinding[];

function eachConfig(input: OrganizationRulesInput, visit: ConfigVisitor): RuleFinding[] {
  return input.policies.flatMap((p) => p.configurations.flatMap((c) => visit(p, c, `configuration "${c.region}/${c.name}"`)));
}

function targetText(t: TargetFacts): string {
  return t.type === TargetType.ROOT ? `the root ${t.id}` : t.type === TargetType.ORGANIZATIONAL_UNIT ? `OU ${t.id}` : `account ${t.id}`;
}

/** GR-ORG-001: the version must be numbered, never DRAFT. */
export const ORG_NUMBERED_VERSION: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-001',
  severity: RuleSeverity.ERROR,
  title: 'Organization policy names a numbered guardrail version',
  rationale: 'A BEDROCK_POLICY identifier must be "<guardrail ARN>:<version>" with a numbered version; DRAFT is refused, '
    + 'and a malformed identifier makes every Bedrock call in the targeted accounts fail.',
  evaluate: (input) => eachConfig(input, (p, c, where) => {
    const problem = versionProblem(c.version);
    return problem ? [{
      path: p.path,
      message: `${where} names ${describeVersion(c.version)}, and ${problem}`,
      fix: 'Publish a numbered GuardrailVersion and pass it as `version`; never enforce the working draft.',
    }] : [];
  }),
};

/** GR-ORG-002: the version's region equals the region key. */
export const ORG_VERSION_REGION: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-002',
  severity: RuleSeverity.ERROR,
  title: 'Guardrail version lives in the region it is enforced in',
  rationale: 'AWS requires the guardrail to be created and used in the region named by the region key; '
    + 'a guardrail from another region cannot be applied there.',
  evaluate: (input) => eachConfig(input, (p, c, where) => {
    const problem = regionProblem(c.version, c.region);
    return problem ? [{
      path: p.path,
      message: `${where} is under region key ${c.region}, but ${problem} (${describeVersion(c.version)})`,
      fix: `Create a guardrail and version in ${c.region} and name that version, or drop \`region\` so the key follows the version.`,
    }] : [];
  }),
};

/** GR-ORG-003: the guardrail is owned by the management account. */
export const ORG_MANAGEMENT_OWNED: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-003',
  severity: RuleSeverity.ERROR,
  title: 'Guardrail is owned by the management account',
  rationale: 'Organization-level enforcement can only name a guardrail owned by the management account; '
    + 'AWS refuses a policy naming another account\'s guardrail.',
  evaluate: (input) => {
    const org = input.organization;
    if (!org) return [];
    return eachConfig(input, (p, c, where) => {
      const owner = ownerOf(c.version);
      if (owner === undefined || owner === org.managementAccountId) return [];
      return [{
        path: p.path,
        message: `${where} names ${describeVersion(c.version)}, owned by account ${owner}, not the management account ${org.managementAccountId}`,
        fix: 'Create the guardrail in the management account stack; business-unit guardrails belong in account-level enforcement.',
      }];
    });
  },
};

/** GR-ORG-004: no automated reasoning policy. */
export const ORG_NO_AUTOMATED_REASONING: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-004',
  severity: RuleSeverity.ERROR,
  title: 'Enforced guardrail has no automated reasoning policy',
  rationale: 'Guardrails with an automated reasoning policy are not supported for enforcement and cause runtime failures.',
  evaluate: (input) => eachConfig(input, (p, c, where) => c.version.hasAutomatedReasoningPolicy ? [{
    path: p.path,
    message: `${where} names ${describeVersion(c.version)}, whose guardrail has an automated reasoning policy`,
    fix: 'Enforce a guardrail without the automated reasoning policy; keep that policy on an application-level guardrail.',
  }] : []),
};

function reachFor(c: OrganizationConfigurationFacts, t: TargetFacts, input: OrganizationRulesInput): Reach {
  switch (t.type) {
    case TargetType.ROOT: return reachesRoot(c.version, input.organization);
    case TargetType.ORGANIZATIONAL_UNIT: return reachesOrganizationalUnit(c.version, input.organization, t.id);
    default: return reachesAccount(c.version, input.organization, t.id);
  }
}

function reachFindings(input: OrganizationRulesInput, want: boolean | undefined): RuleFinding[] {
  return input.policies.flatMap((p) => p.configurations.flatMap((c) => p.targets.flatMap((t) => {
    const r = reachFor(c, t, input);
    if (r.reached !== want) return [];
    const where = `configuration "${c.region}/${c.name}" attached to ${targetText(t)}`;
    return want === false
      ? [{
        path: p.path,
        message: `${where}: ${describeVersion(c.version)} cannot be applied there, because ${r.why}`,
        fix: t.type === TargetType.ROOT
          ? 'Grant the organization in the guardrail\'s resource policy (aws:PrincipalOrgID), or attach the policy to the granted OUs only.'
          : 'Grant the organization, or the OU (or an OU above it) in the guardrail\'s resource policy. Single member accounts are not a supported '
            + 'principal: reach an account through its OU. Without the grant every Bedrock call there fails with AccessDenied.',
      }]
      : [{
        path: p.path,
        message: `${where}: cannot verify that ${describeVersion(c.version)} may be applied there, because ${r.why}`,
        fix: 'Declare the OUs and accounts in the Organization and the resource policy in this app, or check ApplyGuardrail from a target account before attaching.',
      }];
  })));
}

/** GR-ORG-005: the guardrail's resource policy reaches every target. */
export const ORG_RESOURCE_POLICY_REACH: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-005',
  severity: RuleSeverity.ERROR,
  title: 'Guardrail resource policy reaches the policy\'s targets',
  rationale: 'Members apply a guardrail that lives in the management account; without a resource policy granting them '
    + 'bedrock:ApplyGuardrail, enforcement makes their Bedrock calls fail.',
  evaluate: (input) => reachFindings(input, false),
};

/** GR-ORG-006: configuration names are unique within a region. */
export const ORG_UNIQUE_CONFIG_NAMES: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-006',
  severity: RuleSeverity.ERROR,
  title: 'Configuration names are unique within a region',
  rationale: 'Configurations are JSON keys under the region: two with one name cannot both exist, and one would silently replace the other.',
  evaluate: (input) => input.policies.flatMap((p) => {
    const seen = new Map<string, string>();
    const out: RuleFinding[] = [];
    for (const c of p.configurations) {
      const key = `${c.region}/${c.name.toLowerCase()}`;
      const first = seen.get(key);
      if (first !== undefined) {
        out.push({
          path: p.path,
          message: `region ${c.region} has two configurations named "${c.name}" (${first} and ${describeVersion(c.version)})`,
          fix: 'Give each configuration in a region its own name, or keep one of them.',
        });
      } else {
        seen.set(key, describeVersion(c.version));
      }
    }
    return out;
  }),
};

/** GR-ORG-007: the document is at most 10,000 characters. */
export const ORG_DOCUMENT_SIZE: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-007',
  severity: RuleSeverity.ERROR,
  title: 'Policy document is within 10,000 characters',
  rationale: 'Organizations refuses an Amazon Bedrock policy over 10,000 characters.',
  evaluate: (input) => input.policies.flatMap((p) => p.characterCount && p.characterCount.lowerBound > BEDROCK_POLICY_MAX_CHARACTERS ? [{
    path: p.path,
    message: `policy "${p.name}" is at least ${p.characterCount.lowerBound} characters (limit ${BEDROCK_POLICY_MAX_CHARACTERS})`,
    fix: 'Split the configurations across several policies (by region, say) attached to the same targets.',
  }] : []),
};

/** GR-ORG-008: the document may exceed 10,000 characters once tokens resolve. */
export const ORG_DOCUMENT_SIZE_ESTIMATE: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-008',
  severity: RuleSeverity.WARNING,
  title: 'Policy document may exceed 10,000 characters once identifiers resolve',
  rationale: 'Identifiers that are tokens at synth time are counted at their longest plausible length; '
    + 'a document that may exceed the limit fails at apply if it does.',
  evaluate: (input) => input.policies.flatMap((p) => p.characterCount
    && p.characterCount.lowerBound <= BEDROCK_POLICY_MAX_CHARACTERS && p.characterCount.upperBound > BEDROCK_POLICY_MAX_CHARACTERS ? [{
      path: p.path,
      message: `policy "${p.name}" is between ${p.characterCount.lowerBound} and ${p.characterCount.upperBound} characters once identifiers resolve (limit ${BEDROCK_POLICY_MAX_CHARACTERS})`,
      fix: 'Split the configurations across several policies, or acknowledge GR-ORG-008 if the guardrail ARNs are known to be short.',
    }] : []),
};

/** GR-ORG-009: at most 10 Bedrock policies attached directly to one target. */
export const ORG_POLICIES_PER_TARGET: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-009',
  severity: RuleSeverity.ERROR,
  title: 'At most 10 Bedrock policies attached directly to one target',
  rationale: 'Organizations refuses an attachment beyond 10 policies of one type on a root, OU or account.',
  evaluate: (input) => {
    const byTarget = new Map<string, { target: TargetFacts; policies: OrganizationPolicyFacts[] }>();
    for (const p of input.policies) {
      for (const t of p.targets) {
        if (isToken(t.id)) continue;
        const entry = byTarget.get(t.id) ?? { target: t, policies: [] };
        if (!entry.policies.includes(p)) entry.policies.push(p);
        byTarget.set(t.id, entry);
      }
    }
    const existing = new Map<string, number>();
    for (const e of input.existingAttachments ?? []) existing.set(e.targetId, (existing.get(e.targetId) ?? 0) + e.count);
    const out: RuleFinding[] = [];
    for (const [id, { target, policies }] of byTarget) {
      const before = existing.get(id) ?? 0;
      const total = policies.length + before;
      if (total <= MAX_POLICIES_PER_TARGET) continue;
      const names = policies.map((p) => `"${p.name}"`).sort().join(', ');
      out.push({
        path: [...policies].map((p) => p.path).sort()[0],
        message: `${targetText(target)} would have ${total} Bedrock policies attached directly (${policies.length} from this app: ${names}`
          + `${before ? `; ${before} already attached outside it` : ''}; limit ${MAX_POLICIES_PER_TARGET})`,
        fix: 'Merge configurations into fewer policies, or attach some policies to a parent OU instead.',
      });
    }
    return out;
  },
};

function modelFindings(input: OrganizationRulesInput): RuleFinding[] {
  return eachConfig(input, (p, c, where) => malformedModels(c.includedModels, c.excludedModels).map((m) => ({
    path: p.path,
    message: `${where}: \`${m.property}\` ${m.message}`,
    fix: m.fix,
  })));
}

/** GR-ORG-010: model IDs are well formed. */
export const ORG_MODEL_IDS: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-010',
  severity: RuleSeverity.ERROR,
  title: 'Model lists hold well-formed model IDs',
  rationale: 'Model enforcement accepts model IDs of the documented pattern, and ALL only in the include list; '
    + 'anything else is refused, or silently enforces on the wrong set of models.',
  evaluate: modelFindings,
};

/** GR-ORG-011: no model in both lists. */
export const ORG_MODEL_INCLUDED_AND_EXCLUDED: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-011',
  severity: RuleSeverity.ERROR,
  title: 'No model is both included and excluded',
  rationale: 'AWS excludes a model listed in both lists, so a model the author named for enforcement runs unguarded. '
    + 'The two lists contradict each other and no configuration needs both, so the library refuses it rather than guess.',
  evaluate: (input) => eachConfig(input, (p, c, where) => {
    const both = modelsInBothLists(c.includedModels, c.excludedModels);
    return both.length ? [{
      path: p.path,
      message: `${where} lists ${both.join(', ')} in both includedModels and excludedModels; AWS would exclude ${both.length > 1 ? 'them' : 'it'}`,
      fix: 'Remove each model from the list it should not be in.',
    }] : [];
  }),
};

/** GR-ORG-012: the identifier is a well-formed guardrail ARN with a version. */
export const ORG_IDENTIFIER_SHAPE: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-012',
  severity: RuleSeverity.ERROR,
  title: 'Identifier is "<guardrail ARN>:<version>"',
  rationale: 'A malformed identifier in a BEDROCK_POLICY makes every Bedrock API call in the targeted accounts fail.',
  evaluate: (input) => eachConfig(input, (p, c, where) => isToken(c.version.identifier) || parseIdentifier(c.version.identifier) ? [] : [{
    path: p.path,
    message: `${where} has identifier ${JSON.stringify(c.version.identifier)}, not "arn:aws:bedrock:<region>:<account>:guardrail/<id>:<version>"`,
    fix: 'Pass a GuardrailVersion (or one imported with its guardrail ARN) so the identifier is built from its ARN and version.',
  }]),
};

/** GR-ORG-013: reach of the resource policy cannot be verified. */
export const ORG_RESOURCE_POLICY_UNVERIFIED: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-013',
  severity: RuleSeverity.WARNING,
  title: 'Resource policy reach cannot be verified',
  rationale: 'When the resource policy is managed elsewhere or the organization is not fully declared, the library cannot tell '
    + 'whether targeted accounts may apply the guardrail; enforcement without that grant breaks their Bedrock calls.',
  evaluate: (input) => reachFindings(input, undefined),
};

/** GR-ORG-014: inference profile IDs in model lists. */
export const ORG_INFERENCE_PROFILE_MODELS: GuardrailRule<OrganizationRulesInput> = {
  id: 'GR-ORG-014',
  severity: RuleSeverity.WARNING,
  title: 'Model lists name inference profiles',
  rationale: 'AWS documents model enforcement with model IDs (provider.model...); whether a cross-region inference profile ID '
    + 'matches calls made through that profile is not documented.',
  evaluate: (input) => eachConfig(input, (p, c, where) => {
    const profiles = inferenceProfileModels(c.includedModels, c.excludedModels);
    return profiles.length ? [{
      path: p.path,
      message: `${where} lists inference profile ID${profiles.length > 1 ? 's' : ''} ${profiles.join(', ')}`,
      fix: 'List the model ID as well (the part after the geography prefix), and test with a call through the profile.',
    }] : [];
  }),
};

/** Every organization-level rule, in id order. */
export const ORGANIZATION_RULES: readonly GuardrailRule<OrganizationRulesInput>[] = [
  ORG_NUMBERED_VERSION,
  ORG_VERSION_REGION,
  ORG_MANAGEMENT_OWNED,
  ORG_NO_AUTOMATED_REASONING,
  ORG_RESOURCE_POLICY_REACH,
  ORG_UNIQUE_CONFIG_NAMES,
  ORG_DOCUMENT_SIZE,
  ORG_DOCUMENT_SIZE_ESTIMATE,
  ORG_POLICIES_PER_TARGET,
  ORG_MODEL_IDS,
  ORG_MODEL_INCLUDED_AND_EXCLUDED,
  ORG_IDENTIFIER_SHAPE,
  ORG_RESOURCE_POLICY_UNVERIFIED,
  ORG_INFERENCE_PROFILE_MODELS,
];
