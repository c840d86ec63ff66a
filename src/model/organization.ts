import { ACCOUNT_ID_PATTERN, ORGANIZATION_ID_PATTERN, OU_ID_PATTERN, ROOT_ID_PATTERN } from './identifiers';
import { checkLiteral, checkPattern, fail } from './validate';

/** An organizational unit as declared to the library. */
export interface OrganizationalUnitSpec {
  /** The OU ID, e.g. `ou-a1b2-c3d4e5f6`. */
  readonly id: string;
  /** A readable name for previews and messages. @default the ID */
  readonly name?: string;
  /** The parent OU's ID; omit for an OU directly under the root. @default the root */
  readonly parentId?: string;
  /** Member accounts placed directly in this OU. @default none */
  readonly accounts?: string[];
}

/** What the library knows of the AWS organization: used for synth-time reach checks and previews. */
export interface OrganizationProps {
  /** The organization ID, e.g. `o-a1b2c3d4e5`. */
  readonly organizationId: string;
  /** The root ID, e.g. `r-a1b2`. */
  readonly rootId: string;
  /** The management account ID. */
  readonly managementAccountId: string;
  /** The OUs the app refers to, with their accounts. @default none */
  readonly organizationalUnits?: OrganizationalUnitSpec[];
  /** Accounts directly under the root. @default none */
  readonly rootAccounts?: string[];
}

/**
 * A description of the AWS organization, as far as the app needs it: its IDs, the OUs it targets
 * and the accounts in them. Nothing is created from it; it lets the library check, before deploy,
 * that a guardrail's resource policy reaches every account enforcement names, and preview who gets
 * which guardrail.
 */
export class Organization {
  /** The organization ID. */
  public readonly organizationId: string;
  /** The root ID. */
  public readonly rootId: string;
  /** The management account ID. */
  public readonly managementAccountId: string;
  private cachedDeclaration?: string;
  private readonly units = new Map<string, Required<Pick<OrganizationalUnitSpec, 'id' | 'name'>> & { parentId?: string; accounts: string[] }>();
  private readonly rootAccounts: string[];
  private readonly accountHome = new Map<string, string | undefined>();
  private readonly children = new Map<string | undefined, string[]>();

  constructor(props: OrganizationProps) {
    const owner = 'Organization';
    const literal = (property: string, value: unknown) => checkLiteral(owner, property, value,
      'the Organization describes the organization for synth-time checks', 'Give the literal ID (from the AWS Organizations console or CLI).');
    literal('organizationId', props.organizationId);
    literal('rootId', props.rootId);
    literal('managementAccountId', props.managementAccountId);
    checkPattern(owner, 'organizationId', props.organizationId, ORGANIZATION_ID_PATTERN, 'an organization ID like "o-a1b2c3d4e5"',
      'Copy it from the AWS Organizations console or `aws organizations describe-organization`.');
    checkPattern(owner, 'rootId', props.rootId, ROOT_ID_PATTERN, 'a root ID like "r-a1b2"', 'Copy it from `aws organizations list-roots`.');
    checkPattern(owner, 'managementAccountId', props.managementAccountId, ACCOUNT_ID_PATTERN, 'a 12-digit account ID', 'Give the management account ID.');
    this.organizationId = props.organizationId;
    this.rootId = props.rootId;
    this.managementAccountId = props.managementAccountId;
    this.rootAccounts = [...(props.rootAccounts ?? [])];
    this.rootAccounts.forEach((a, i) => this.placeAccount(`rootAccounts[${i}]`, a, undefined));
    this.placeAccount('managementAccountId', props.managementAccountId, undefined, true);
    (props.organizationalUnits ?? []).forEach((ou, i) => {
      const p = `organizationalUnits[${i}]`;
      literal(`${p}.id`, ou.id);
      if (ou.parentId !== undefined) literal(`${p}.parentId`, ou.parentId);
      checkPattern(owner, `${p}.id`, ou.id, OU_ID_PATTERN, 'an OU ID like "ou-a1b2-c3d4e5f6"', 'Copy it from `aws organizations list-organizational-units-for-parent`.');
      if (ou.parentId !== undefined) {
        checkPattern(owner, `${p}.parentId`, ou.parentId, OU_ID_PATTERN, 'an OU ID like "ou-a1b2-c3d4e5f6"', 'Omit `parentId` for an OU directly under the root.');
      }
      if (this.units.has(ou.id)) fail(owner, `${p}.id`, `declares OU "${ou.id}" twice`, 'Declare each OU once.');
      this.units.set(ou.id, { id: ou.id, name: ou.name ?? ou.id, parentId: ou.parentId, accounts: [...(ou.accounts ?? [])] });
      const siblings = this.children.get(ou.parentId) ?? [];
      siblings.push(ou.id);
      this.children.set(ou.parentId, siblings);
    });
    (props.organizationalUnits ?? []).forEach((ou, i) => {
      const p = `organizationalUnits[${i}]`;
      if (ou.parentId !== undefined && !this.units.has(ou.parentId)) {
        fail(owner, `${p}.parentId`, `names OU "${ou.parentId}", which is not declared`, 'Declare the parent OU too, or omit `parentId` for an OU under the root.');
      }
      (ou.accounts ?? []).forEach((a, j) => this.placeAccount(`${p}.accounts[${j}]`, a, ou.id));
    });
    for (const ou of this.units.values()) {
      const seen = new Set<string>();
      for (let at: string | undefined = ou.id; at !== undefined; at = this.units.get(at)?.parentId) {
        if (seen.has(at)) fail(owner, 'organizationalUnits', `has a parent cycle through "${ou.id}"`, 'Fix the `parentId` values so every OU leads to the root.');
        seen.add(at);
      }
    }
  }

  private placeAccount(property: string, account: string, ouId: string | undefined, allowRepeat = false): void {
    checkLiteral('Organization', property, account, 'the Organization describes the organization for synth-time checks', 'Give the literal 12-digit account ID.');
    checkPattern('Organization', property, account, ACCOUNT_ID_PATTERN, 'a 12-digit account ID', 'Give the 12-digit account ID.');
    if (this.accountHome.has(account) && !allowRepeat && this.accountHome.get(account) !== ouId) {
      fail('Organization', property, `places account ${account} in two places`, 'An account sits in exactly one OU (or the root): declare it once.');
    }
    if (!this.accountHome.has(account)) this.accountHome.set(account, ouId);
  }

  /**
   * A canonical description of everything declared (IDs, OUs with their parents, names and
   * accounts, root accounts): two objects with the same description describe the same organization.
   */
  public get declaration(): string {
    // An Organization does not change after construction, and rules compare declarations often.
    this.cachedDeclaration ??= this.describe();
    return this.cachedDeclaration;
  }

  private describe(): string {
    const units = [...this.units.values()].map((u) => ({ id: u.id, name: u.name, parentId: u.parentId ?? null, accounts: [...u.accounts].sort() }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    return JSON.stringify({
      organizationId: this.organizationId, rootId: this.rootId, managementAccountId: this.managementAccountId,
      rootAccounts: [...this.rootAccounts].sort(), units,
    });
  }

  /** Whether the OU is declared. */
  public hasOrganizationalUnit(ouId: string): boolean {
    return this.units.has(ouId);
  }

  /** The OU's parent OU (`undefined`: directly under the root, or not declared). */
  public parentOf(ouId: string): string | undefined {
    return this.units.get(ouId)?.parentId;
  }

  /** The OU's readable name (its ID when none was given). */
  public organizationalUnitName(ouId: string): string {
    return this.units.get(ouId)?.name ?? ouId;
  }

  /** The OU an account is declared in (`undefined`: the root or not declared). */
  public organizationalUnitOf(account: string): string | undefined {
    return this.accountHome.get(account);
  }

  /** Whether the account is declared anywhere in this organization. */
  public hasAccount(account: string): boolean {
    return this.accountHome.has(account);
  }

  /** The path of OU IDs from the root down to the account's OU (empty for an account under the root). */
  public pathOf(account: string): string[] {
    const path: string[] = [];
    for (let at = this.accountHome.get(account); at !== undefined; at = this.units.get(at)?.parentId) path.unshift(at);
    return path;
  }

  /** The path of OU IDs from the root down to the OU itself (inclusive); empty for an undeclared OU. */
  public pathOfOrganizationalUnit(ouId: string): string[] {
    const path: string[] = [];
    for (let at: string | undefined = ouId; at !== undefined && this.units.has(at); at = this.units.get(at)?.parentId) path.unshift(at);
    return path;
  }

  /** Every declared account under the OU, its child OUs included, sorted. */
  public accountsUnder(ouId: string): string[] {
    const out: string[] = [];
    const walk = (id: string): void => {
      out.push(...(this.units.get(id)?.accounts ?? []));
      (this.children.get(id) ?? []).forEach(walk);
    };
    walk(ouId);
    return out.sort();
  }

  /** Every declared account in the organization, the management account included, sorted. */
  public allAccounts(): string[] {
    return [...this.accountHome.keys()].sort();
  }

  /** Every declared OU ID in declaration order. */
  public organizationalUnitIds(): string[] {
    return [...this.units.keys()];
  }
}
