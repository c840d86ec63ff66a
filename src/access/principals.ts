import { ACCOUNT_ID_PATTERN, ORGANIZATION_ID_PATTERN, OU_ID_PATTERN } from '../model/identifiers';
import { Organization } from '../model/organization';
import { Grants, NO_GRANTS, ResourcePolicyKnowledge, reachOfAccount } from '../model/reach';
import { checkPattern, fail, show } from '../model/validate';

/** Who a statement lets apply the guardrail, in one of the patterns Bedrock accepts. */
export enum GuardrailPrincipalKind {
  /** The account that owns the guardrail. */
  OWNING_ACCOUNT = 'OWNING_ACCOUNT',
  /** Every account of an organization. */
  ORGANIZATION = 'ORGANIZATION',
  /** Every account under chosen OUs (their child OUs included). */
  ORGANIZATIONAL_UNITS = 'ORGANIZATIONAL_UNITS',
}

const OWNER = 'GuardrailPrincipal';

/**
 * A principal for a guardrail's resource-based policy. Bedrock accepts only three statement
 * patterns, so only these factories exist: the owning account, the whole organization, or chosen
 * OUs of it. A specific member account, an account outside the organization and a bare `*` are
 * not supported by Bedrock; the factories for them refuse with the fix.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html
 */
export class GuardrailPrincipal {
  /** The account that owns the guardrail (`arn:aws:iam::<owner>:root`). */
  public static owningAccount(): GuardrailPrincipal {
    return new GuardrailPrincipal(GuardrailPrincipalKind.OWNING_ACCOUNT);
  }

  /** Every principal in the organization (`aws:PrincipalOrgID`). */
  public static organization(organizationId: string): GuardrailPrincipal {
    checkOrgId(organizationId);
    return new GuardrailPrincipal(GuardrailPrincipalKind.ORGANIZATION, organizationId);
  }

  /** Every principal in the organization described by `org`. */
  public static ofOrganization(org: Organization): GuardrailPrincipal {
    return GuardrailPrincipal.organization(org.organizationId);
  }

  /**
   * Every principal in accounts under the OUs, child OUs included (`aws:PrincipalOrgPaths`
   * `<org id>/*&#47;<ou id>/*`, with the organization condition Bedrock requires beside it).
   */
  public static organizationalUnits(organizationId: string, ouIds: string[]): GuardrailPrincipal {
    checkOrgId(organizationId);
    if (ouIds.length === 0) {
      fail(OWNER, 'ouIds', 'is empty, so the statement would grant nobody', 'Name at least one OU, or use GuardrailPrincipal.organization().');
    }
    ouIds.forEach((ou, i) => checkPattern(OWNER, `ouIds[${i}]`, ou, OU_ID_PATTERN, 'an OU ID like "ou-a1b2-c3d4e5f6"',
      'Copy it from `aws organizations list-organizational-units-for-parent`.'));
    return new GuardrailPrincipal(GuardrailPrincipalKind.ORGANIZATIONAL_UNITS, organizationId, [...new Set(ouIds)].sort());
  }

  /**
   * Not supported by Bedrock: a guardrail's resource policy cannot name a member account.
   * Always throws, naming the fix.
   */
  public static account(accountId: string): GuardrailPrincipal {
    checkPattern(OWNER, 'accountId', accountId, ACCOUNT_ID_PATTERN, 'a 12-digit account ID', 'Give a 12-digit account ID.');
    return fail(OWNER, 'account', `(${show(accountId)}) is not a principal Bedrock accepts in a guardrail resource policy: only the owning account, the organization or OUs are`,
      'Grant the OU the account is in with GuardrailPrincipal.organizationalUnits(orgId, [ouId]), or the whole organization with GuardrailPrincipal.organization(orgId).');
  }

  /** Not supported by Bedrock: `*` without an organization condition. Always throws, naming the fix. */
  public static anyone(): GuardrailPrincipal {
    return fail(OWNER, 'anyone', 'is not a principal Bedrock accepts: a "*" principal needs an aws:PrincipalOrgID condition',
      'Use GuardrailPrincipal.organization(orgId) or GuardrailPrincipal.organizationalUnits(orgId, ouIds).');
  }

  private constructor(
    /** Which pattern. */
    public readonly kind: GuardrailPrincipalKind,
    /** The organization ID, for ORGANIZATION and ORGANIZATIONAL_UNITS. */
    public readonly organizationId?: string,
    /** The OU IDs, sorted, for ORGANIZATIONAL_UNITS. */
    public readonly organizationalUnitIds: readonly string[] = [],
  ) {}

  /** The statement's `Principal` and `Condition` for a guardrail owned by `ownerAccount`. */
  public toStatementParts(ownerAccount: string, partition = 'aws'): { Principal: unknown; Condition?: Record<string, Record<string, unknown>> } {
    switch (this.kind) {
      case GuardrailPrincipalKind.OWNING_ACCOUNT:
        return { Principal: { AWS: `arn:${partition}:iam::${ownerAccount}:root` } };
      case GuardrailPrincipalKind.ORGANIZATION:
        return { Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': this.organizationId } } };
      case GuardrailPrincipalKind.ORGANIZATIONAL_UNITS:
        return {
          Principal: '*',
          Condition: {
            'StringEquals': { 'aws:PrincipalOrgID': this.organizationId },
            'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': this.organizationalUnitIds.map((ou) => `${this.organizationId}/*/${ou}/*`) },
          },
        };
    }
  }

  /** Whom this principal grants, as the one reach computation reads it. */
  public toGrants(): Grants {
    switch (this.kind) {
      case GuardrailPrincipalKind.OWNING_ACCOUNT:
        return { ...NO_GRANTS, owningAccount: true };
      case GuardrailPrincipalKind.ORGANIZATION:
        return { ...NO_GRANTS, organizationWide: true, organizationIds: [this.organizationId!] };
      case GuardrailPrincipalKind.ORGANIZATIONAL_UNITS:
        return { ...NO_GRANTS, organizationIds: [this.organizationId!], organizationalUnitIds: [...this.organizationalUnitIds] };
    }
  }

  /**
   * Whether this principal lets `accountId` apply the guardrail: `true`, `false`, or `undefined`
   * when that cannot be told at synth (the account's OU is not declared in `org`).
   */
  public reaches(accountId: string, ownerAccount: string | undefined, org: Organization | undefined): boolean | undefined {
    if (this.kind === GuardrailPrincipalKind.OWNING_ACCOUNT && ownerAccount === undefined) return undefined;
    return reachOfAccount({ knowledge: ResourcePolicyKnowledge.DECLARED, grants: this.toGrants(), ownerAccount }, org, accountId).reached;
  }

  /** A short description for messages. */
  public describe(): string {
    switch (this.kind) {
      case GuardrailPrincipalKind.OWNING_ACCOUNT: return 'the owning account';
      case GuardrailPrincipalKind.ORGANIZATION: return `organization ${this.organizationId}`;
      case GuardrailPrincipalKind.ORGANIZATIONAL_UNITS: return `OUs ${this.organizationalUnitIds.join(', ')} of ${this.organizationId}`;
    }
  }
}

function checkOrgId(organizationId: string): void {
  checkPattern(OWNER, 'organizationId', organizationId, ORGANIZATION_ID_PATTERN, 'an organization ID like "o-a1b2c3d4e5"',
    'Copy it from `aws organizations describe-organization`.');
}
