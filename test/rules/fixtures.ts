import { Lazy } from 'cdktf';
import { IGuardrailVersion } from '../../src/guardrail/guardrail-base';
import { Organization } from '../../src/organization';
import { GuardrailVersionFacts } from '../../src/rules/facts';

export const MGMT = '111111111111';
export const MEMBER_A = '222222222222';
export const MEMBER_B = '333333333333';
export const MEMBER_C = '444444444444';
export const OU_WORKLOADS = 'ou-ab12-workload1';
export const OU_PROD = 'ou-ab12-prodprod1';
export const OU_SANDBOX = 'ou-ab12-sandbox11';

/** root ─ Workloads ─ Prod (MEMBER_A), Workloads (MEMBER_B), Sandbox (MEMBER_C). */
export function organization(): Organization {
  return new Organization({
    organizationId: 'o-abcdef1234',
    rootId: 'r-ab12',
    managementAccountId: MGMT,
    organizationalUnits: [
      { id: OU_WORKLOADS, name: 'Workloads', accounts: [MEMBER_B] },
      { id: OU_PROD, name: 'Prod', parentId: OU_WORKLOADS, accounts: [MEMBER_A] },
      { id: OU_SANDBOX, name: 'Sandbox', accounts: [MEMBER_C] },
    ],
  });
}

/** A string token, as an attribute of a resource would be at synth time. */
export function token(value = 'resolved-later'): string {
  return Lazy.stringValue({ produce: () => value });
}

export interface FakeVersionOptions {
  readonly path?: string;
  readonly region?: string;
  readonly account?: string;
  readonly id?: string;
  readonly version?: string;
  /** Make the ARN and version tokens. */
  readonly tokens?: boolean;
  readonly automatedReasoning?: boolean;
}

/** A stand-in for a GuardrailVersion construct: only what the document and rules read. */
export function fakeVersion(options: FakeVersionOptions = {}): IGuardrailVersion {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? MGMT;
  const id = options.id ?? 'hu1dlsv9wy1d';
  const version = options.version ?? '1';
  const arn = options.tokens ? token(`arn:aws:bedrock:${region}:${account}:guardrail/${id}`) : `arn:aws:bedrock:${region}:${account}:guardrail/${id}`;
  const ver = options.tokens ? token(version) : version;
  const guardrail = {
    guardrailArn: arn, guardrailId: id, region, account, hasAutomatedReasoningPolicy: options.automatedReasoning ?? false,
    node: { path: (options.path ?? 'App/Mgmt/Guardrail') },
  };
  return {
    node: { path: options.path ? `${options.path}/Version` : 'App/Mgmt/Guardrail/Version' },
    guardrail,
    guardrailArn: arn,
    guardrailId: id,
    guardrailVersion: ver,
    enforcementIdentifier: options.tokens ? `${arn}:${ver}` : `${arn}:${version}`,
    region,
  } as unknown as IGuardrailVersion;
}

/** Version facts for rule tests. */
export function versionFacts(overrides: Partial<GuardrailVersionFacts> = {}): GuardrailVersionFacts {
  return {
    path: 'App/Mgmt/Guardrail/Version',
    identifier: `arn:aws:bedrock:us-east-1:${MGMT}:guardrail/hu1dlsv9wy1d:1`,
    version: '1',
    region: 'us-east-1',
    ownerAccount: MGMT,
    hasAutomatedReasoningPolicy: false,
    resourcePolicy: { organizationWide: true, organizationId: 'o-abcdef1234' },
    ...overrides,
  };
}
