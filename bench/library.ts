/**
 * The benchmark's organization written with the library: a management stack (a guardrail, its
 * version and its organization-wide resource policy per region, and a BEDROCK_POLICY attached to
 * every OU) and the member accounts' account-level enforcement split into stacks of
 * {@link ACCOUNTS_PER_STACK} accounts, each naming the versions by literal attributes.
 */
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  ACCOUNTS_PER_STACK, ENFORCED_VERSION, MANAGEMENT_ACCOUNT, MANAGEMENT_STACK, MEMBER_STACK_PREFIX, OU_COUNT, ORGANIZATION_ID, REGIONS, ROOT_ID,
  accountId, guardrailArn, memberAccounts, memberStackCount, ouId, ouOfAccount,
} from './fixture';
import {
  AccountEnforcementStack, acknowledgeWarning, ContentFilters, ContentGuarding, DeniedTopics, EnforcementTarget,
  Guardrail, GuardrailPrincipal, Organization, OrganizationEnforcement, splitAccountEnforcement,
} from '../src';

/** What {@link buildLibraryApp} made. */
export interface LibraryApp {
  readonly management: TerraformStack;
  readonly members: AccountEnforcementStack[];
  readonly organization: Organization;
}

/** The organization of `n` member accounts over {@link OU_COUNT} OUs. */
export function benchOrganization(n: number): Organization {
  const accounts: string[][] = Array.from({ length: OU_COUNT }, () => []);
  for (let i = 0; i < n; i++) accounts[ouOfAccount(i)].push(accountId(i));
  return new Organization({
    organizationId: ORGANIZATION_ID,
    rootId: ROOT_ID,
    managementAccountId: MANAGEMENT_ACCOUNT,
    organizationalUnits: accounts.map((a, i) => ({ id: ouId(i), name: `OU ${i}`, accounts: a })),
  });
}

/** Builds the benchmark organization of `n` member accounts into `app`. */
export function buildLibraryApp(app: App, n: number): LibraryApp {
  const organization = benchOrganization(n);
  const management = new TerraformStack(app, MANAGEMENT_STACK);
  const providers = REGIONS.map((region, i) => new AwsProvider(management, i === 0 ? 'aws' : `aws-${region}`, {
    region,
    alias: i === 0 ? undefined : region,
    allowedAccountIds: [MANAGEMENT_ACCOUNT],
  }));
  const versions = REGIONS.map((region, i) => {
    const guardrail = new Guardrail(management, `Guardrail-${region}`, {
      provider: i === 0 ? undefined : providers[i],
      name: `org-baseline-${region}`,
      description: 'Organization-wide baseline guardrail',
      contentFilters: ContentFilters.all(),
      deniedTopics: [DeniedTopics.financialAdvice()],
    });
    guardrail.grantApply(GuardrailPrincipal.ofOrganization(organization));
    return guardrail.addVersion('Version', { description: 'Baseline' });
  });
  new OrganizationEnforcement(management, 'OrganizationPolicy', {
    organization,
    policyName: 'bedrock-guardrails',
    configurations: versions.map((version) => ({ name: 'baseline', version, messageGuarding: ContentGuarding.COMPREHENSIVE })),
    targets: Array.from({ length: OU_COUNT }, (_, i) => EnforcementTarget.organizationalUnit(ouId(i))),
  });

  const members = splitAccountEnforcement(app, MEMBER_STACK_PREFIX, {
    managementAccountId: MANAGEMENT_ACCOUNT,
    region: REGIONS[0],
    versions: REGIONS.map((region) => ({ guardrailArn: guardrailArn(region), version: ENFORCED_VERSION })),
    accounts: memberAccounts(n),
    stackCount: memberStackCount(n),
    messageGuarding: ContentGuarding.COMPREHENSIVE,
    organization,
  });
  for (const stack of members) {
    acknowledgeWarning(stack, 'GR-ACC-008', 'The management stack of this app grants the whole organization; the versions are named by value so each workspace plans on its own.');
  }
  return { management, members, organization };
}
