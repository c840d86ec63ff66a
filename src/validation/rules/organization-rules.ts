/** Rules about organization-level `BEDROCK_POLICY` policies that have no account-level counterpart. */
import { PolicyLeaf } from '../../model/bedrock-policy';
import { parseEnforcementIdentifier } from '../../model/identifiers';
import { PolicyInheritance, PolicySetting, policiesByNode, settingKey } from '../../model/inheritance';
import { BEDROCK_POLICY_MAX_CHARACTERS, MAX_POLICIES_PER_TARGET } from '../../model/limits';
import { TargetFacts, TargetType } from '../../model/targets';
import { isToken } from '../../model/validate';
import { AppFacts, OrganizationPolicyFacts, configurationText, targetText, theOrganization } from '../facts';
import { ownerOf, repeatedBy } from './checks';
import {
  ORG_INFERENCE_PROFILE_MODELS, ORG_MODEL_IDS, ORG_MODEL_INCLUDED_AND_EXCLUDED, ORG_NO_AUTOMATED_REASONING, ORG_NUMBERED_VERSION,
  ORG_RESOURCE_POLICY_REACH, ORG_RESOURCE_POLICY_UNVERIFIED, ORG_VERSION_REGION,
} from './configuration-rules';
import { GuardrailRule, RuleFinding, RuleSeverity } from './engine';

/** GR-ORG-003: the guardrail is owned by the management account. */
export const ORG_MANAGEMENT_OWNED: GuardrailRule<AppFacts> = {
  id: 'GR-ORG-003',
  severity: RuleSeverity.ERROR,
  title: 'Guardrail is owned by the management account',
  rationale: 'Organization-level enforcement can only name a guardrail owned by the management account; '
    + 'AWS refuses a policy naming another account\'s guardrail.',
  evaluate: (facts) => {
    const org = theOrganization(facts);
    if (!org) return [];
    return facts.organizationPolicies.flatMap((p) => p.configurations.flatMap((c) => {
      const owner = ownerOf(c.version);
      if (owner === undefined || owner === org.managementAccountId) return [];
      return [{
        path: p.path,
        message: `${configurationText(c)} names ${c.version.label}, owned by account ${owner}, not the management account ${org.managementAccountId}`,
        fix: 'Create the guardrail in the management account stack; business-unit guardrails belong in account-level enforcement.',
      }];
    }));
  },
};

/** GR-ORG-006: configuration names are unique within a region. */
export const ORG_UNIQUE_CONFIG_NAMES: GuardrailRule<AppFacts> = {
  id: 'GR-ORG-006',
  severity: RuleSeverity.ERROR,
  title: 'Configuration names are unique within a region',
  rationale: 'Configurations are JSON keys under the region: two with one name cannot both exist, and one would silently replace the other.',
  evaluate: (facts) => facts.organizationPolicies.flatMap((p) =>
    repeatedBy(p.configurations, (c) => `${c.region}/${c.name.toLowerCase()}`).flatMap(([first, ...rest]) => rest.map((c) => ({
      path: p.path,
      message: `region ${c.region} has two configurations named "${c.name}" (${first.version.label} and ${c.version.label})`,
      fix: 'Give each configuration in a region its own name, or keep one of them.',
    })))),
};

/** GR-ORG-007: the document is at most 10,000 characters. */
export const ORG_DOCUMENT_SIZE: GuardrailRule<AppFacts> = {
  id: 'GR-ORG-007',
  severity: RuleSeverity.ERROR,
  title: 'Policy document is within 10,000 characters',
  rationale: 'Organizations refuses an Amazon Bedrock policy over 10,000 characters.',
  evaluate: (facts) => facts.organizationPolicies.flatMap((p) => (p.characterCount && p.characterCount.lowerBound > BEDROCK_POLICY_MAX_CHARACTERS ? [{
    path: p.path,
    message: `policy "${p.name}" is at least ${p.characterCount.lowerBound} characters (limit ${BEDROCK_POLICY_MAX_CHARACTERS})`,
    fix: 'Split the configurations across several policies (by region, say) attached to the same targets.',
  }] : [])),
};

/** GR-ORG-008: the document may exceed 10,000 characters once tokens resolve. */
export const ORG_DOCUMENT_SIZE_ESTIMATE: GuardrailRule<AppFacts> = {
  id: 'GR-ORG-008',
  severity: RuleSeverity.WARNING,
  title: 'Policy document may exceed 10,000 characters once identifiers resolve',
  rationale: 'Identifiers that are tokens at synth time are counted at their longest plausible length; '
    + 'a document that may exceed the limit fails at apply if it does.',
  evaluate: (facts) => facts.organizationPolicies.flatMap((p) => (p.characterCount
    && p.characterCount.lowerBound <= BEDROCK_POLICY_MAX_CHARACTERS && p.characterCount.upperBound > BEDROCK_POLICY_MAX_CHARACTERS ? [{
      path: p.path,
      message: `policy "${p.name}" is between ${p.characterCount.lowerBound} and ${p.characterCount.upperBound} characters once identifiers resolve (limit ${BEDROCK_POLICY_MAX_CHARACTERS})`,
      fix: 'Split the configurations across several policies, or acknowledge GR-ORG-008 if the guardrail ARNs are known to be short.',
    }] : [])),
};

/** GR-ORG-009: at most 10 Bedrock policies attached directly to one target. */
export const ORG_POLICIES_PER_TARGET: GuardrailRule<AppFacts> = {
  id: 'GR-ORG-009',
  severity: RuleSeverity.ERROR,
  title: 'At most 10 Bedrock policies attached directly to one target',
  rationale: 'Organizations refuses an attachment beyond 10 policies of one type on a root, OU or account.',
  evaluate: (facts) => {
    const byTarget = policiesByNode(facts.organizationPolicies, (p) => p.attached).filter((n) => !isToken(n.node.id));
    const existing = new Map<string, number>();
    for (const p of facts.organizationPolicies) {
      for (const e of p.existingAttachments) existing.set(e.targetId, Math.max(existing.get(e.targetId) ?? 0, e.count));
    }
    const out: RuleFinding[] = [];
    for (const { node: target, policies } of byTarget) {
      const before = existing.get(target.id) ?? 0;
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

/** GR-ORG-012: the identifier is a well-formed guardrail ARN with a version. */
export const ORG_IDENTIFIER_SHAPE: GuardrailRule<AppFacts> = {
  id: 'GR-ORG-012',
  severity: RuleSeverity.ERROR,
  title: 'Identifier is "<guardrail ARN>:<version>"',
  rationale: 'A malformed identifier in a BEDROCK_POLICY makes every Bedrock API call in the targeted accounts fail.',
  evaluate: (facts) => facts.organizationPolicies.flatMap((p) => p.configurations.flatMap((c) => (
    isToken(c.version.identifier) || parseEnforcementIdentifier(c.version.identifier) ? [] : [{
      path: p.path,
      message: `${configurationText(c)} has identifier ${JSON.stringify(c.version.identifier)}, not "arn:aws:bedrock:<region>:<account>:guardrail/<id>:<version>"`,
      fix: 'Pass a GuardrailVersion (or one imported with its guardrail ARN) so the identifier is built from its ARN and version.',
    }]))),
};

/** GR-ORG-015: policy names are unique in the organization. */
export const ORG_UNIQUE_POLICY_NAMES: GuardrailRule<AppFacts> = {
  id: 'GR-ORG-015',
  severity: RuleSeverity.ERROR,
  title: 'Organization policy names are unique',
  rationale: 'Organizations refuses a second policy with a name already in use (DuplicatePolicyException), so the second stack\'s apply fails.',
  evaluate: (facts) => repeatedBy(facts.organizationPolicies, (p) => p.name).map((list) => {
    const paths = list.map((p) => p.path).sort();
    return {
      path: paths[1],
      message: `policy name "${list[0].name}" is used by ${list.length} organization policies (${paths.join(', ')})`,
      fix: 'Give each OrganizationEnforcement its own `policyName`, or merge their configurations into one policy.',
    };
  }),
};

/** Inheritance over the app's organization policies, as attached now. */
function inheritanceOf(facts: AppFacts): PolicyInheritance<OrganizationPolicyFacts> {
  return new PolicyInheritance(facts.organizationPolicies, (p) => ({ content: p.content, targets: p.attached }));
}

const LEAF_TEXT: Readonly<Record<PolicyLeaf, string>> = {
  identifier: 'the guardrail version', system: 'system prompt guarding', messages: 'message guarding',
  included: 'the included models', excluded: 'the excluded models',
};

function describeSetting(s: PolicySetting): string {
  return `${LEAF_TEXT[s.leaf]} of configuration "${s.region}/${s.name}"`;
}

/** GR-ORG-016: two policies attached to one node assign one setting differently. */
export const ORG_SAME_NODE_CONFLICT: GuardrailRule<AppFacts> = {
  id: 'GR-ORG-016',
  severity: RuleSeverity.ERROR,
  title: 'Policies attached to one node agree on every setting they both assign',
  rationale: 'When two policies attached to the same root, OU or account assign one configuration\'s setting differently, '
    + 'Organizations keeps the one attached first, and Terraform does not fix the order it attaches in: which guardrail '
    + 'or mode applies would depend on the order of an apply.',
  evaluate: (facts) => {
    const out: RuleFinding[] = [];
    const inheritance = inheritanceOf(facts);
    for (const { node } of inheritance.nodes()) {
      const seen = new Set<string>();
      for (const { first, second } of inheritance.assignmentsAt(node).conflicts) {
        const id = `${settingKey(first)}|${first.policy.path}|${second.policy.path}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const [a, b] = [first.policy, second.policy].sort((x, y) => (x.path < y.path ? -1 : 1));
        out.push({
          path: b.path,
          message: `policies "${a.name}" and "${b.name}" are both attached to ${targetText(node)} and assign ${describeSetting(first)} differently`,
          fix: 'Assign each setting in one of the two policies only, give the configurations different names, or attach one policy to a lower OU.',
        });
      }
    }
    return out;
  },
};

/** GR-ORG-017: a policy lower in the tree replaces a setting a higher one assigns. */
export const ORG_INHERITED_OVERRIDE: GuardrailRule<AppFacts> = {
  id: 'GR-ORG-017',
  severity: RuleSeverity.WARNING,
  title: 'A lower policy overrides a setting a higher policy assigns',
  rationale: 'For the same configuration name, a policy attached lower in the tree (an OU under the root, an account under its OU) '
    + 'replaces what a higher one assigns with @@assign. That is how a stricter OU baseline is written, and also how a '
    + 'looser one slips in: the enforced guardrail or mode below differs from what the higher policy says.',
  evaluate: (facts) => {
    const org = theOrganization(facts);
    if (!org) return [];
    const out: RuleFinding[] = [];
    const reported = new Set<string>();
    // What each node assigns is read once: the chain of every account under it passes through it.
    const inheritance = inheritanceOf(facts);
    // Every path down the tree: to each declared OU (with or without accounts), to each declared
    // account, and to each account target the Organization does not place.
    const root: TargetFacts = { type: TargetType.ROOT, id: org.rootId };
    const ouChain = (ou: string): TargetFacts[] => org.pathOfOrganizationalUnit(ou).map((id) => ({ type: TargetType.ORGANIZATIONAL_UNIT, id }));
    const chains: TargetFacts[][] = [
      ...org.organizationalUnitIds().map((ou) => [root, ...ouChain(ou)]),
      ...org.allAccounts().map((account) => [root, ...(org.pathOf(account).length ? ouChain(org.pathOf(account).at(-1)!) : []), { type: TargetType.ACCOUNT, id: account }]),
      ...[...new Set(facts.organizationPolicies.flatMap((p) => p.attached.filter((t) => t.type === TargetType.ACCOUNT && !org.hasAccount(t.id)).map((t) => t.id)))]
        .map((account) => [root, { type: TargetType.ACCOUNT, id: account }]),
    ];
    for (const chain of chains) {
      for (const { above, assigned } of inheritance.effectiveAlong(chain).overrides) {
        const id = `${settingKey(assigned)}|${above.policy.path}|${assigned.policy.path}|${assigned.node.id}`;
        if (reported.has(id)) continue;
        reported.add(id);
        out.push({
          path: assigned.policy.path,
          message: `policy "${assigned.policy.name}" at ${targetText(assigned.node)} replaces ${describeSetting(assigned)} that policy "${above.policy.name}" assigns higher up `
            + `(${JSON.stringify(above.value)} becomes ${JSON.stringify(assigned.value)})`,
          fix: 'If the override is intended (a stricter baseline for this part of the tree), acknowledge GR-ORG-017 with the reason; '
            + 'otherwise give the lower configuration its own name so both apply.',
        });
      }
    }
    return out;
  },
};

/** Every organization-level rule, in id order. */
export const ORGANIZATION_RULES: readonly GuardrailRule<AppFacts>[] = [
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
  ORG_UNIQUE_POLICY_NAMES,
  ORG_SAME_NODE_CONFLICT,
  ORG_INHERITED_OVERRIDE,
];
