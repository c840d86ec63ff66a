/** Rules about the app as a whole: what only shows when several constructs are looked at together. */
import { ROLE_INLINE_POLICY_LIMIT } from '../../model/limits';
import { AppFacts } from '../facts';
import { repeatedBy } from './checks';
import { GuardrailRule, RuleSeverity } from './engine';

/** GR-APP-001: the app describes one organization. */
export const APP_ONE_ORGANIZATION: GuardrailRule<AppFacts> = {
  id: 'GR-APP-001',
  severity: RuleSeverity.ERROR,
  title: 'The app describes one organization',
  rationale: 'Reach, ownership and the preview are computed against one organization; constructs given different '
    + 'organizations cannot all be right, and an enforcement checked against the wrong one may break Bedrock calls.',
  evaluate: (facts) => {
    const ids = [...new Set(facts.organizations.map((o) => o.organizationId))].sort();
    if (ids.length > 1) {
      return [{
        path: '',
        message: `the app describes ${ids.length} organizations (${ids.join(', ')})`,
        fix: 'Pass the same Organization object to every construct that takes one.',
      }];
    }
    const declarations = new Set(facts.organizations.map((o) => o.declaration));
    if (declarations.size > 1) {
      return [{
        path: '',
        message: `the app describes organization ${ids[0]} ${declarations.size} times with different OUs or accounts`,
        fix: 'Declare the organization once and pass that Organization object to every construct that takes one.',
      }];
    }
    return [];
  },
};

/** GR-GRD-001: guardrail names are unique in an account and region. */
export const GUARDRAIL_UNIQUE_NAMES: GuardrailRule<AppFacts> = {
  id: 'GR-GRD-001',
  severity: RuleSeverity.ERROR,
  title: 'Guardrail names are unique in an account and region',
  rationale: 'Bedrock refuses a second guardrail with a name already used in the account and region (ConflictException), '
    + 'so the apply fails half-way.',
  evaluate: (facts) => repeatedBy(facts.guardrails, (g) => `${g.placement}\u0000${g.region}\u0000${g.name}`).map((list) => {
    const paths = list.map((g) => g.path).sort();
    return {
      path: paths[1],
      message: `guardrail name "${list[0].name}" is used ${list.length} times in ${list[0].placement}, ${list[0].region} (${paths.join(', ')})`,
      fix: 'Give each guardrail in an account and region its own `name`.',
    };
  }),
};

/** GR-POL-001: a resource policy grants somebody. */
export const RESOURCE_POLICY_GRANTS_SOMEBODY: GuardrailRule<AppFacts> = {
  id: 'GR-POL-001',
  severity: RuleSeverity.ERROR,
  title: 'A guardrail resource policy grants somebody',
  rationale: 'A policy without statements is refused by Bedrock, and grants nobody the right to apply the guardrail.',
  evaluate: (facts) => facts.resourcePolicies.filter((p) => p.principalCount === 0).map((p) => ({
    path: p.path,
    message: '`principals` and `statements` are empty, so the policy grants nobody',
    fix: 'Add GuardrailPrincipal.organization(orgId) or the OUs to enforce in (guardrail.grantApply(...)).',
  })),
};

/** GR-SHIM-001: the shim host role's inline policy fits IAM's limit. */
export const SHIM_POLICY_SIZE: GuardrailRule<AppFacts> = {
  id: 'GR-SHIM-001',
  severity: RuleSeverity.ERROR,
  title: 'The shim host role\'s policy fits IAM\'s limit',
  rationale: `IAM refuses a role whose inline policies exceed ${ROLE_INLINE_POLICY_LIMIT} characters (white space not counted); `
    + 'a host that assumes many member roles reaches it, and the apply fails.',
  evaluate: (facts) => facts.shimHosts.filter((h) => h.policyCharacters > ROLE_INLINE_POLICY_LIMIT).map((h) => {
    // The policy grows by one role ARN per member account: scale the count to the limit.
    const fits = h.assumedRoles ? Math.floor((h.assumedRoles * ROLE_INLINE_POLICY_LIMIT) / h.policyCharacters) : 0;
    return {
      path: h.path,
      message: `the shim role's policy is about ${h.policyCharacters} characters (it names ${h.assumedRoles} member roles and `
        + `${h.scopedResources} resources), over IAM's ${ROLE_INLINE_POLICY_LIMIT} for a role's inline policies, so the apply would fail`,
      fix: `Spread member-account enforcement over several stacks with splitAccountEnforcement${fits > 0 ? ` (about ${fits} accounts fit one stack)` : ''}.`,
    };
  }),
};

/** Every app-wide rule, in id order. */
export const APP_RULES: readonly GuardrailRule<AppFacts>[] = [
  APP_ONE_ORGANIZATION,
  GUARDRAIL_UNIQUE_NAMES,
  RESOURCE_POLICY_GRANTS_SOMEBODY,
  SHIM_POLICY_SIZE,
];
