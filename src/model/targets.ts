import { ACCOUNT_ID_PATTERN, OU_ID_PATTERN, ROOT_ID_PATTERN } from './identifiers';
import { MAX_ROLLOUT_STAGE } from './limits';
import { Organization } from './organization';
import { checkLiteral, checkPattern, checkWholeNumber } from './validate';

/** The kind of node an organization policy is attached to. */
export enum TargetType {
  /** The organization root: every account. */
  ROOT = 'ROOT',
  /** An organizational unit and everything under it. */
  ORGANIZATIONAL_UNIT = 'ORGANIZATIONAL_UNIT',
  /** One account. */
  ACCOUNT = 'ACCOUNT',
}

/** A node an organization policy is attached to, as plain data. */
export interface TargetFacts {
  /** Kind of node. */
  readonly type: TargetType;
  /** Its ID: `r-…`, `ou-…-…` or a 12-digit account ID. */
  readonly id: string;
}

/** Options of an {@link EnforcementTarget}. */
export interface EnforcementTargetOptions {
  /**
   * The rollout stage the target joins in: it is attached once the enforcement's `rolloutStage`
   * reaches this number.
   * @default 1
   */
  readonly stage?: number;
}

const OWNER = 'EnforcementTarget';

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
    checkLiteral(OWNER, 'ouId', ouId, 'the attachment and the reach checks need the OU', 'Give the literal OU ID.');
    checkPattern(OWNER, 'ouId', ouId, OU_ID_PATTERN, 'an OU ID like "ou-a1b2-c3d4e5f6"',
      'Copy it from `aws organizations list-organizational-units-for-parent`.');
    return new EnforcementTarget(TargetType.ORGANIZATIONAL_UNIT, ouId, options);
  }

  /** One member account. */
  public static account(accountId: string, options: EnforcementTargetOptions = {}): EnforcementTarget {
    checkLiteral(OWNER, 'accountId', accountId, 'whether the guardrail\'s resource policy reaches the account cannot be checked then',
      'Give the literal 12-digit account ID.');
    checkPattern(OWNER, 'accountId', accountId, ACCOUNT_ID_PATTERN, 'a 12-digit account ID', 'Give the 12-digit account ID.');
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
    checkWholeNumber(OWNER, 'stage', this.stage, 1, MAX_ROLLOUT_STAGE, 'Number stages 1, 2, 3, ...');
  }

  /** The node's ID in `org` (the root's comes from the organization). */
  public idIn(org: Organization): string {
    const id = this.explicitId ?? org.rootId;
    if (this.type === TargetType.ROOT) checkPattern(OWNER, 'rootId', id, ROOT_ID_PATTERN, 'a root ID', 'Fix the Organization\'s rootId.');
    return id;
  }

  /** The target as plain data. */
  public factsIn(org: Organization): TargetFacts {
    return { type: this.type, id: this.idIn(org) };
  }
}
