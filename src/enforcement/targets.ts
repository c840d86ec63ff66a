import { ACCOUNT_ID_PATTERN, OU_ID_PATTERN, ROOT_ID_PATTERN, Organization } from '../organization';
import { checkPattern, checkRange, fail } from '../private/validate';
import { TargetFacts, TargetType } from '../rules/facts';

/** Options of an {@link EnforcementTarget}. */
export interface EnforcementTargetOptions {
  /**
   * The rollout stage the target joins in: it is attached once the enforcement's `rolloutStage`
   * reaches this number.
   * @default 1
   */
  readonly stage?: number;
}

/**
 * Where an organization policy is attached: the root (every account, opt-in only), an OU (its
 * accounts and child OUs), or one account. Each target can carry a rollout stage.
 */
export class EnforcementTarget {
  /** The organization root: every account in the organization. Needs `allowRootAttachment`. */
  public static organizationRoot(options: EnforcementTargetOptions = {}): EnforcementTarget {
    return new EnforcementTarget(TargetType.ROOT, undefined, options);
  }

  /** An organizational unit, e.g. `ou-a1b2-c3d4e5f6`, with the accounts and OUs under it. */
  public static organizationalUnit(ouId: string, options: EnforcementTargetOptions = {}): EnforcementTarget {
    checkPattern('EnforcementTarget', 'ouId', ouId, OU_ID_PATTERN, 'an OU ID like "ou-a1b2-c3d4e5f6"',
      'Copy it from `aws organizations list-organizational-units-for-parent`.');
    return new EnforcementTarget(TargetType.ORGANIZATIONAL_UNIT, ouId, options);
  }

  /** One member account. */
  public static account(accountId: string, options: EnforcementTargetOptions = {}): EnforcementTarget {
    checkPattern('EnforcementTarget', 'accountId', accountId, ACCOUNT_ID_PATTERN, 'a 12-digit account ID', 'Give the 12-digit account ID.');
    return new EnforcementTarget(TargetType.ACCOUNT, accountId, options);
  }

  /** The rollout stage. */
  public readonly stage: number;

  private constructor(
    /** The kind of node. */
    public readonly type: TargetType,
    private readonly explicitId: string | undefined,
    options: EnforcementTargetOptions,
  ) {
    this.stage = options.stage ?? 1;
    checkRange('EnforcementTarget', 'stage', this.stage, 1, 1000);
    if (!Number.isInteger(this.stage)) fail('EnforcementTarget', 'stage', `must be a whole number, got ${this.stage}`, 'Number stages 1, 2, 3, ...');
  }

  /** The node's ID in `org` (the root's comes from the organization). */
  public idIn(org: Organization): string {
    const id = this.explicitId ?? org.rootId;
    if (this.type === TargetType.ROOT) checkPattern('EnforcementTarget', 'rootId', id, ROOT_ID_PATTERN, 'a root ID', 'Fix the Organization\'s rootId.');
    return id;
  }

  /** The target as the rules see it. */
  public factsIn(org: Organization): TargetFacts {
    return { type: this.type, id: this.idIn(org) };
  }
}
