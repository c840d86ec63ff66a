import { Organization } from '../../src';

/**
 * The example organization every organization-level example deploys into. Replace the IDs with
 * yours (`aws organizations describe-organization`, `list-roots`,
 * `list-organizational-units-for-parent`, `list-accounts-for-parent`).
 */
export const ACCOUNTS = {
  /** The management account: owns the shared guardrail and the BEDROCK_POLICY. */
  management: '111111111111',
  /** The pilot team's account, in the Pilot OU: first to be enforced. */
  pilot: '222222222222',
  /** A production workload account, in the Workloads OU. */
  workloads: '333333333333',
  /** A developer sandbox account, in the Sandbox OU. */
  sandbox: '444444444444',
  /** The retail banking business unit's account, in the Business units OU. */
  retailBanking: '555555555555',
  /** The health insurance business unit's account, in the Business units OU. */
  healthInsurance: '666666666666',
} as const;

/** The organizational units the examples target. */
export const OUS = {
  pilot: 'ou-ex12-pilot001',
  workloads: 'ou-ex12-workload1',
  sandbox: 'ou-ex12-sandbox01',
  businessUnits: 'ou-ex12-business1',
} as const;

/** The region the management account deploys the shared guardrail to. */
export const HOME_REGION = 'us-east-1';

/** What the library needs to know of the organization: IDs, the OUs targeted and their accounts. */
export const EXAMPLE_ORGANIZATION = new Organization({
  organizationId: 'o-exampleorg1',
  rootId: 'r-ex12',
  managementAccountId: ACCOUNTS.management,
  organizationalUnits: [
    { id: OUS.pilot, name: 'Pilot', accounts: [ACCOUNTS.pilot] },
    { id: OUS.workloads, name: 'Workloads', accounts: [ACCOUNTS.workloads] },
    { id: OUS.sandbox, name: 'Sandbox', accounts: [ACCOUNTS.sandbox] },
    { id: OUS.businessUnits, name: 'Business units', accounts: [ACCOUNTS.retailBanking, ACCOUNTS.healthInsurance] },
  ],
});
