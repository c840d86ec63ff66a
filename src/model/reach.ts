/**
 * The one computation of who may apply a guardrail: from the grants of its resource-based policy
 * to accounts, OUs and the root of the organization, and from an enforcement target to the
 * accounts under it. The rules, the resource policy construct and the preview all ask here.
 */
import { Organization } from './organization';
import { TargetFacts, TargetType } from './targets';
import { isToken } from './validate';

/**
 * Who a guardrail's resource-based policy lets call `bedrock:ApplyGuardrail`. AWS accepts three
 * statement shapes: the owning account, the whole organization (`aws:PrincipalOrgID`), and chosen
 * OUs (`aws:PrincipalOrgPaths`); specific member accounts are not a supported principal.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html
 */
export interface Grants {
  /** A statement grants the owning account. */
  readonly owningAccount: boolean;
  /** A statement grants a whole organization (`aws:PrincipalOrgID` alone). */
  readonly organizationWide: boolean;
  /** Organization IDs named by the organization and OU statements. */
  readonly organizationIds: readonly string[];
  /** OU IDs granted through `aws:PrincipalOrgPaths` (the last OU of each path): each grants its subtree. */
  readonly organizationalUnitIds: readonly string[];
}

/** How the app knows a guardrail's resource policy. */
export enum ResourcePolicyKnowledge {
  /** Declared in this app: its grants are known. */
  DECLARED = 'DECLARED',
  /** The guardrail was imported; its policy may well be managed where it was made. */
  MANAGED_ELSEWHERE = 'MANAGED_ELSEWHERE',
  /** The guardrail is made in this app and no resource policy is declared for it. */
  NONE = 'NONE',
}

/** A guardrail's resource policy as far as reach is concerned. */
export interface ResourcePolicyReachInput {
  /** What the app knows of the policy. */
  readonly knowledge: ResourcePolicyKnowledge;
  /** Its grants, when declared. @default none */
  readonly grants?: Grants;
  /** The account owning the guardrail, when known. @default unknown */
  readonly ownerAccount?: string;
}

/** Whether a resource policy reaches a principal: yes, no (with why), or cannot tell (with why). */
export interface Reach {
  /** `true` reached, `false` not reached, `undefined` cannot tell. */
  readonly reached: boolean | undefined;
  /** Why, for messages. */
  readonly why: string;
}

/** Grants of nobody. */
export const NO_GRANTS: Grants = { owningAccount: false, organizationWide: false, organizationIds: [], organizationalUnitIds: [] };

/** The union of several grants (statements of one policy). */
export function mergeGrants(all: readonly Grants[]): Grants {
  return {
    owningAccount: all.some((g) => g.owningAccount),
    organizationWide: all.some((g) => g.organizationWide),
    organizationIds: [...new Set(all.flatMap((g) => g.organizationIds))].sort(),
    organizationalUnitIds: [...new Set(all.flatMap((g) => g.organizationalUnitIds))].sort(),
  };
}

function grantsText(g: Grants): string {
  const ous = g.organizationalUnitIds;
  return ous.length ? `its resource policy grants only OUs ${ous.join(', ')}` : 'its resource policy grants no organization principal';
}

/** What every question starts with: is there a policy, and does it name this organization? */
function declaredGrants(policy: ResourcePolicyReachInput, org: Organization | undefined): Reach | Grants {
  if (policy.knowledge === ResourcePolicyKnowledge.MANAGED_ELSEWHERE) return { reached: undefined, why: 'its resource policy is managed outside this app' };
  const g = policy.grants;
  if (policy.knowledge === ResourcePolicyKnowledge.NONE || !g) return { reached: false, why: 'its guardrail has no resource policy in this app' };
  const other = org ? g.organizationIds.filter((id) => !isToken(id) && id !== org.organizationId) : [];
  if (org && other.length && other.length === g.organizationIds.length) {
    return { reached: false, why: `its resource policy grants organization ${other.join(', ')}, not ${org.organizationId}` };
  }
  return g;
}

function isReach(x: Reach | Grants): x is Reach {
  return (x as Reach).why !== undefined;
}

/** Whether the policy lets `account` apply the guardrail. */
export function reachOfAccount(policy: ResourcePolicyReachInput, org: Organization | undefined, account: string): Reach {
  const g = declaredGrants(policy, org);
  if (isReach(g)) return g;
  if (g.owningAccount && policy.ownerAccount !== undefined && policy.ownerAccount === account) return { reached: true, why: 'the owning account is granted' };
  if (g.organizationWide) return { reached: true, why: 'organization-wide grant' };
  const ous = g.organizationalUnitIds;
  if (ous.length === 0) return { reached: false, why: grantsText(g) };
  if (!org) return { reached: undefined, why: 'no Organization was given to resolve OU membership' };
  if (isToken(account) || !org.hasAccount(account)) return { reached: undefined, why: `account ${account} is not declared in the Organization` };
  const path = org.pathOf(account);
  const hit = ous.find((ou) => path.includes(ou));
  if (hit) return { reached: true, why: `granted through OU ${hit}` };
  return { reached: false, why: `${grantsText(g)}, and account ${account} sits under ${path.length ? path.join(' / ') : 'the root'}` };
}

/** Whether the policy reaches every account under OU `ouId`. */
export function reachOfOrganizationalUnit(policy: ResourcePolicyReachInput, org: Organization | undefined, ouId: string): Reach {
  const g = declaredGrants(policy, org);
  if (isReach(g)) return g;
  if (g.organizationWide) return { reached: true, why: 'organization-wide grant' };
  const ous = g.organizationalUnitIds;
  if (ous.length === 0) return { reached: false, why: grantsText(g) };
  if (ous.includes(ouId)) return { reached: true, why: `granted through OU ${ouId}` };
  if (!org) return { reached: undefined, why: 'no Organization was given to resolve OU ancestry' };
  if (!org.hasOrganizationalUnit(ouId)) return { reached: undefined, why: `OU ${ouId} is not declared in the Organization` };
  const ancestors = org.pathOfOrganizationalUnit(ouId);
  const hit = ous.find((ou) => ancestors.includes(ou));
  if (hit) return { reached: true, why: `granted through ancestor OU ${hit}` };
  return { reached: false, why: `${grantsText(g)}, none of which is ${ouId} or above it` };
}

/** Whether the policy reaches the whole organization (for a root attachment). */
export function reachOfRoot(policy: ResourcePolicyReachInput, org: Organization | undefined): Reach {
  const g = declaredGrants(policy, org);
  if (isReach(g)) return g;
  if (g.organizationWide) return { reached: true, why: 'organization-wide grant' };
  return { reached: false, why: `${grantsText(g)}, which leaves accounts elsewhere in the organization unreached` };
}

/** Whether the policy reaches everything an organization policy attached to `target` enforces on. */
export function reachOfTarget(policy: ResourcePolicyReachInput, org: Organization | undefined, target: TargetFacts): Reach {
  switch (target.type) {
    case TargetType.ROOT: return reachOfRoot(policy, org);
    case TargetType.ORGANIZATIONAL_UNIT: return reachOfOrganizationalUnit(policy, org, target.id);
    default: return reachOfAccount(policy, org, target.id);
  }
}

/** The declared accounts an organization policy attached to `target` applies to, sorted. */
export function accountsOfTarget(org: Organization, target: TargetFacts): string[] {
  switch (target.type) {
    case TargetType.ROOT: return org.allAccounts();
    case TargetType.ORGANIZATIONAL_UNIT: return org.accountsUnder(target.id);
    default: return [target.id];
  }
}
