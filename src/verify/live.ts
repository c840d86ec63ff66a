/**
 * Reads of live AWS that verify makes, each paginated, retried and cached for the run: the
 * organization (its ID, root, where each account sits, what is under a target, its Bedrock
 * policies, effective policies) and Bedrock (guardrails and their versions, resource policies,
 * account-level configurations). Every read is a List/Describe/Get call.
 */
import {
  AccountEnforcedGuardrailOutputConfiguration, GetGuardrailCommand, GetGuardrailCommandOutput, GetResourcePolicyCommand,
  GuardrailSummary, ListEnforcedGuardrailsConfigurationCommand, ListGuardrailsCommand,
} from '@aws-sdk/client-bedrock';
import {
  DescribeEffectivePolicyCommand, DescribeOrganizationCommand, DescribePolicyCommand, ListAccountsForParentCommand,
  ListAccountsWithInvalidEffectivePolicyCommand, ListEffectivePolicyValidationErrorsCommand, ListOrganizationalUnitsForParentCommand,
  ListParentsCommand, ListPoliciesCommand, ListRootsCommand, ListTargetsForPolicyCommand, PolicyTargetSummary, PolicyTypeSummary,
} from '@aws-sdk/client-organizations';
import { AwsAccess } from './aws';
import { memoize } from './concurrency';
import { ACCOUNT_ID_PATTERN, ROOT_ID_PATTERN, VERSION_NUMBER_PATTERN, guardrailResourceLocation, parseGuardrailArn } from '../model/identifiers';
import { isCode } from '../shim/handler/retry';

/** The Organizations policy type verify checks. */
export const BEDROCK_POLICY = 'BEDROCK_POLICY';

/**
 * The region of a guardrail ARN (or, with `profiles`, of a guardrail-profile ARN): where its
 * Bedrock client is made.
 * @throws Error when `arn` is not one
 */
function regionOf(arn: string, profiles = false): string {
  const region = profiles ? guardrailResourceLocation(arn)?.region : parseGuardrailArn(arn)?.region;
  if (!region) throw new Error(`${arn} is not a guardrail${profiles ? ' or guardrail profile' : ''} ARN`);
  return region;
}

/** Follows `nextToken` pages; a repeated token ends the loop instead of looping forever. */
async function paginate<T>(page: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>): Promise<T[]> {
  const out: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const { items, next } = await page(token);
    out.push(...(items ?? []));
    token = next && !seen.has(next) ? next : undefined;
    if (next) seen.add(next);
  } while (token);
  return out;
}

/** The organization as DescribeOrganization and ListRoots show it. */
export interface OrganizationInfo {
  /** Organization ID. */
  readonly id: string;
  /** Management account ID. */
  readonly managementAccountId: string;
  /** Root ID. */
  readonly rootId: string;
  /** Policy types and their status on the root. */
  readonly rootPolicyTypes: PolicyTypeSummary[];
}

/** Where an account sits. */
export interface AccountPlace {
  /** OU IDs from the root down to the account's OU. */
  readonly organizationalUnitIds: string[];
  /** The `aws:PrincipalOrgPaths` value: `<org id>/<root id>/<ou id>/.../`. */
  readonly orgPath: string;
}

/** A Bedrock policy of the organization. */
export interface LivePolicy {
  /** Policy ID. */
  readonly id: string;
  /** Policy name. */
  readonly name: string;
}

/** Live reads of the organization, cached for the run. */
export class LiveOrganization {
  private readonly parents = new Map<string, Promise<{ id: string; type: string } | undefined>>();

  constructor(private readonly aws: AwsAccess) {}

  /** DescribeOrganization and ListRoots. */
  info = memoize(() => '', async (): Promise<OrganizationInfo> => {
    const org = await this.aws.organizations();
    const d = await this.aws.call('DescribeOrganization', () => org.send(new DescribeOrganizationCommand({})));
    const roots = await paginate(async (NextToken) => {
      const out = await this.aws.call('ListRoots', () => org.send(new ListRootsCommand({ NextToken })));
      return { items: out.Roots, next: out.NextToken };
    });
    const root = roots[0];
    if (!d.Organization?.Id || !d.Organization.MasterAccountId || !root?.Id) throw new Error('DescribeOrganization or ListRoots returned no organization ID, management account or root');
    return { id: d.Organization.Id, managementAccountId: d.Organization.MasterAccountId, rootId: root.Id, rootPolicyTypes: root.PolicyTypes ?? [] };
  });

  private parentOf(childId: string): Promise<{ id: string; type: string } | undefined> {
    let p = this.parents.get(childId);
    if (!p) {
      p = (async () => {
        const org = await this.aws.organizations();
        const out = await this.aws.call(`ListParents (${childId})`, () => org.send(new ListParentsCommand({ ChildId: childId })));
        const parent = out.Parents?.[0];
        return parent?.Id ? { id: parent.Id, type: parent.Type ?? '' } : undefined;
      })();
      p.catch(() => undefined);
      this.parents.set(childId, p);
    }
    return p;
  }

  /** Records a parent learnt from a listing, saving a ListParents call. */
  private learnParent(childId: string, parentId: string, type: string): void {
    if (!this.parents.has(childId)) this.parents.set(childId, Promise.resolve({ id: parentId, type }));
  }

  /**
   * Where `account` sits, walking ListParents up to the root (OU parents are shared, so each is
   * asked once per run), worked out once per account.
   * @throws CallFailedError (ChildNotFoundException) when the account is not in the organization
   */
  placeOf = memoize((account: string) => account, async (account: string): Promise<AccountPlace> => {
    const info = await this.info();
    const ous: string[] = [];
    for (let at = await this.parentOf(account); at; at = await this.parentOf(at.id)) {
      if (at.type === 'ROOT' || ROOT_ID_PATTERN.test(at.id)) break;
      ous.unshift(at.id);
      if (ous.length > 10) break; // Organizations nests OUs at most five deep; a longer chain is a loop.
    }
    return { organizationalUnitIds: ous, orgPath: `${info.id}/${info.rootId}/${ous.map((o) => `${o}/`).join('')}` };
  });

  /**
   * Every account under a root or OU (child OUs included), sorted; an account target is itself.
   * Each child OU is listed through this same cache, so targets that overlap (the root and an OU
   * under it) list each parent once.
   */
  accountsUnder = memoize((targetId: string) => targetId, async (targetId: string): Promise<string[]> => {
    if (ACCOUNT_ID_PATTERN.test(targetId)) return [targetId];
    const org = await this.aws.organizations();
    const parentType = ROOT_ID_PATTERN.test(targetId) ? 'ROOT' : 'ORGANIZATIONAL_UNIT';
    const out: string[] = [];
    const accounts = await paginate(async (NextToken) => {
      const r = await this.aws.call(`ListAccountsForParent (${targetId})`, () => org.send(new ListAccountsForParentCommand({ ParentId: targetId, NextToken })));
      return { items: r.Accounts, next: r.NextToken };
    });
    for (const a of accounts) {
      if (!a.Id) continue;
      out.push(a.Id);
      this.learnParent(a.Id, targetId, parentType);
    }
    const ous = await paginate(async (NextToken) => {
      const r = await this.aws.call(`ListOrganizationalUnitsForParent (${targetId})`, () => org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: targetId, NextToken })));
      return { items: r.OrganizationalUnits, next: r.NextToken };
    });
    for (const ou of ous) {
      if (!ou.Id) continue;
      this.learnParent(ou.Id, targetId, parentType);
      out.push(...await this.accountsUnder(ou.Id));
    }
    return [...new Set(out)].sort();
  });

  /** The organization's `BEDROCK_POLICY` policies. */
  policies = memoize(() => '', async (): Promise<LivePolicy[]> => {
    const org = await this.aws.organizations();
    const list = await paginate(async (NextToken) => {
      const r = await this.aws.call('ListPolicies (BEDROCK_POLICY)', () => org.send(new ListPoliciesCommand({ Filter: BEDROCK_POLICY, NextToken })));
      return { items: r.Policies, next: r.NextToken };
    });
    return list.filter((p) => p.Id && p.Name).map((p) => ({ id: p.Id!, name: p.Name! }));
  });

  /** A policy's content (DescribePolicy). */
  policyContent = memoize((id: string) => id, async (id: string): Promise<string> => {
    const org = await this.aws.organizations();
    const r = await this.aws.call(`DescribePolicy (${id})`, () => org.send(new DescribePolicyCommand({ PolicyId: id })));
    return r.Policy?.Content ?? '';
  });

  /** Where a policy is attached (ListTargetsForPolicy). */
  policyTargets = memoize((id: string) => id, async (id: string): Promise<PolicyTargetSummary[]> => {
    const org = await this.aws.organizations();
    return paginate(async (NextToken) => {
      const r = await this.aws.call(`ListTargetsForPolicy (${id})`, () => org.send(new ListTargetsForPolicyCommand({ PolicyId: id, NextToken })));
      return { items: r.Targets, next: r.NextToken };
    });
  });

  /**
   * The account's effective `BEDROCK_POLICY` content, or undefined when it has none
   * (EffectivePolicyNotFoundException).
   */
  async effectivePolicy(account: string): Promise<string | undefined> {
    const org = await this.aws.organizations();
    try {
      const r = await this.aws.call(`DescribeEffectivePolicy (${account})`, () => org.send(new DescribeEffectivePolicyCommand({ PolicyType: BEDROCK_POLICY, TargetId: account })));
      return r.EffectivePolicy?.PolicyContent;
    } catch (err) {
      if (isCode(err, 'EffectivePolicyNotFoundException')) return undefined;
      throw err;
    }
  }

  /** Accounts whose effective `BEDROCK_POLICY` is invalid (ListAccountsWithInvalidEffectivePolicy). */
  invalidAccounts = memoize(() => '', async (): Promise<Set<string>> => {
    const org = await this.aws.organizations();
    try {
      const list = await paginate(async (NextToken) => {
        const r = await this.aws.call('ListAccountsWithInvalidEffectivePolicy (BEDROCK_POLICY)', () => org.send(new ListAccountsWithInvalidEffectivePolicyCommand({ PolicyType: BEDROCK_POLICY, NextToken })));
        return { items: r.Accounts, next: r.NextToken };
      });
      return new Set(list.map((a) => a.Id).filter((id): id is string => !!id));
    } catch (err) {
      // Raised when no policy of the type applies anywhere: then no account can hold an invalid one.
      if (isCode(err, 'EffectivePolicyNotFoundException')) return new Set<string>();
      throw err;
    }
  });

  /** Why an account's effective policy is invalid (ListEffectivePolicyValidationErrors), one line per error. */
  async validationErrors(account: string): Promise<string[]> {
    const org = await this.aws.organizations();
    const errors = await paginate(async (NextToken) => {
      const r = await this.aws.call(`ListEffectivePolicyValidationErrors (${account})`, () => org.send(new ListEffectivePolicyValidationErrorsCommand({ AccountId: account, PolicyType: BEDROCK_POLICY, NextToken })));
      return { items: r.EffectivePolicyValidationErrors, next: r.NextToken };
    });
    return errors.map((e) => `${e.ErrorCode ?? 'error'} at ${e.PathToError ?? '?'}: ${e.ErrorMessage ?? ''}${e.ContributingPolicies?.length ? ` (policies ${[...e.ContributingPolicies].sort().join(', ')})` : ''}`).sort();
  }
}

/** Live reads of Bedrock, cached for the run. `roleArn` undefined means the caller's own credentials. */
export class LiveBedrock {
  constructor(private readonly aws: AwsAccess) {}

  /** The guardrails (their DRAFT entries) of one account and region. */
  guardrails = memoize((region: string, roleArn?: string) => `${region}\0${roleArn ?? ''}`, async (region: string, roleArn?: string): Promise<GuardrailSummary[]> => {
    const client = await this.aws.bedrock(region, roleArn);
    return paginate(async (nextToken) => {
      const r = await this.aws.call(`ListGuardrails (${region})`, () => client.send(new ListGuardrailsCommand({ nextToken })));
      return { items: r.guardrails, next: r.nextToken };
    });
  });

  /** The numbered versions of a guardrail, ascending. */
  versions = memoize((arn: string, roleArn?: string) => `${arn}\0${roleArn ?? ''}`, async (arn: string, roleArn?: string): Promise<number[]> => {
    const client = await this.aws.bedrock(regionOf(arn), roleArn);
    const list = await paginate(async (nextToken) => {
      const r = await this.aws.call(`ListGuardrails (${arn})`, () => client.send(new ListGuardrailsCommand({ guardrailIdentifier: arn, nextToken })));
      return { items: r.guardrails, next: r.nextToken };
    });
    return [...new Set(list.map((g) => g.version).filter((v): v is string => !!v && VERSION_NUMBER_PATTERN.test(v)).map(Number))].sort((a, b) => a - b);
  });

  /** A guardrail version (GetGuardrail), or undefined when it does not exist. */
  guardrail = memoize((arn: string, version: string, roleArn?: string) => `${arn}\0${version}\0${roleArn ?? ''}`,
    async (arn: string, version: string, roleArn?: string): Promise<GetGuardrailCommandOutput | undefined> => {
      const client = await this.aws.bedrock(regionOf(arn), roleArn);
      try {
        return await this.aws.call(`GetGuardrail (${arn}:${version})`, () => client.send(new GetGuardrailCommand({ guardrailIdentifier: arn, guardrailVersion: version })));
      } catch (err) {
        if (isCode(err, 'ResourceNotFoundException')) return undefined;
        throw err;
      }
    });

  /** A resource's policy (GetResourcePolicy), or undefined when it has none. */
  resourcePolicy = memoize((arn: string, roleArn?: string) => `${arn}\0${roleArn ?? ''}`, async (arn: string, roleArn?: string): Promise<string | undefined> => {
    const client = await this.aws.bedrock(regionOf(arn, true), roleArn);
    try {
      const r = await this.aws.call(`GetResourcePolicy (${arn})`, () => client.send(new GetResourcePolicyCommand({ resourceArn: arn })));
      return r.resourcePolicy && r.resourcePolicy.length > 0 ? r.resourcePolicy : undefined;
    } catch (err) {
      if (isCode(err, 'ResourceNotFoundException')) return undefined;
      throw err;
    }
  });

  /** The account-level configurations of one account and region (owner ACCOUNT). */
  configurations = memoize((region: string, roleArn?: string) => `${region}\0${roleArn ?? ''}`,
    async (region: string, roleArn?: string): Promise<AccountEnforcedGuardrailOutputConfiguration[]> => {
      const client = await this.aws.bedrock(region, roleArn);
      const list = await paginate(async (nextToken) => {
        const r = await this.aws.call(`ListEnforcedGuardrailsConfiguration (${region})`, () => client.send(new ListEnforcedGuardrailsConfigurationCommand(nextToken ? { nextToken } : {})));
        return { items: r.guardrailsConfig, next: r.nextToken };
      });
      return list.filter((c) => c.owner === undefined || c.owner === 'ACCOUNT');
    });
}
