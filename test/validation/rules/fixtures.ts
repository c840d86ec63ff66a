import { Lazy } from 'cdktf';
import { IGuardrailVersion } from '../../../src/guardrail/guardrail-base';
import { characterCountRange, PolicyConfigurationData, renderBedrockPolicy } from '../../../src/model/bedrock-policy';
import { Organization } from '../../../src/model/organization';
import { Grants, NO_GRANTS } from '../../../src/model/reach';
import { TargetFacts, TargetType } from '../../../src/model/targets';
import {
  AppFacts, EMPTY_APP_FACTS, EnforcedConfigurationFacts, EnforcementLevel, OrganizationPolicyFacts, ResourcePolicyFacts,
  StagedTargetFacts, VersionFacts,
} from '../../../src/validation/facts';
import { GuardrailRule, runRules } from '../../../src/validation/rules/engine';

export const MGMT = '111111111111';
export const MEMBER_A = '222222222222';
export const MEMBER_B = '333333333333';
export const MEMBER_C = '444444444444';
export const ORG_ID = 'o-abcdef1234';
export const ROOT_ID = 'r-ab12';
export const OU_WORKLOADS = 'ou-ab12-workload1';
export const OU_PROD = 'ou-ab12-prodprod1';
export const OU_SANDBOX = 'ou-ab12-sandbox11';

/** Construct paths the builders default to. */
export const GUARDRAIL_PATH = 'App/Mgmt/Guardrail';
export const POLICY_PATH = 'App/Mgmt/OrgEnforcement';
export const ACCOUNT_PATH = 'App/Mgmt/AccountEnforcement-A';

/** The default version's enforcement identifier. */
export const IDENTIFIER_1 = `arn:aws:bedrock:us-east-1:${MGMT}:guardrail/hu1dlsv9wy1d:1`;

/** root ─ Workloads (MEMBER_B) ─ Prod (MEMBER_A); root ─ Sandbox (MEMBER_C); MGMT under the root. */
export function organization(): Organization {
  return new Organization({
    organizationId: ORG_ID,
    rootId: ROOT_ID,
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

export const ROOT: TargetFacts = { type: TargetType.ROOT, id: ROOT_ID };
export const ou = (id: string): TargetFacts => ({ type: TargetType.ORGANIZATIONAL_UNIT, id });
export const accountTarget = (id: string): TargetFacts => ({ type: TargetType.ACCOUNT, id });

/** Grants of a whole organization (`aws:PrincipalOrgID`). */
export function orgGrant(organizationId = ORG_ID): Grants {
  return { ...NO_GRANTS, organizationWide: true, organizationIds: [organizationId] };
}

/** Grants of OUs of the organization (`aws:PrincipalOrgPaths`). */
export function ouGrant(...ouIds: string[]): Grants {
  return { ...NO_GRANTS, organizationIds: [ORG_ID], organizationalUnitIds: ouIds };
}

/** Version facts: `baseline version 1` of the management account's guardrail in us-east-1. */
export function versionFacts(overrides: Partial<VersionFacts> = {}): VersionFacts {
  return {
    path: `${GUARDRAIL_PATH}/Version`,
    label: 'baseline version 1',
    identifier: IDENTIFIER_1,
    version: '1',
    region: 'us-east-1',
    ownerAccount: MGMT,
    hasAutomatedReasoningPolicy: false,
    guardrailPath: GUARDRAIL_PATH,
    guardrailManaged: true,
    ...overrides,
  };
}

/** Another version of another guardrail of the management account, for conflicts. */
export function otherVersion(version: string, overrides: Partial<VersionFacts> = {}): VersionFacts {
  return versionFacts({
    path: 'App/Mgmt/Prod/Version',
    label: `prod version ${version}`,
    identifier: `arn:aws:bedrock:us-east-1:${MGMT}:guardrail/prodguard001:${version}`,
    version,
    guardrailPath: 'App/Mgmt/Prod',
    ...overrides,
  });
}

/** A declared resource policy; by default the default guardrail's, granting the organization. */
export function resourcePolicy(overrides: Partial<ResourcePolicyFacts> = {}): ResourcePolicyFacts {
  return { path: `${GUARDRAIL_PATH}/ResourcePolicy`, guardrailPath: GUARDRAIL_PATH, grants: orgGrant(), principalCount: 1, ...overrides };
}

/**
 * One configuration of an organization policy. Its path, stack, targets and policy name are
 * those of the policy it is given to ({@link orgPolicy}).
 */
export function orgConfig(overrides: Partial<EnforcedConfigurationFacts> = {}): EnforcedConfigurationFacts {
  return {
    level: EnforcementLevel.ORGANIZATION,
    path: POLICY_PATH,
    stack: 'Mgmt',
    region: 'us-east-1',
    name: 'baseline',
    version: versionFacts(),
    settings: {},
    targets: [],
    ...overrides,
  };
}

export interface OrgPolicyOptions extends Partial<Omit<OrganizationPolicyFacts, 'attached' | 'pending'>> {
  /** Targets attached now. @default [OU Workloads] */
  readonly attached?: readonly TargetFacts[];
  /** Targets of later stages. @default none */
  readonly pending?: readonly TargetFacts[];
}

/**
 * An organization policy: its configurations take its path and attached targets, and its
 * content and size are rendered from them (undefined when a name repeats in a region, since such
 * a document cannot render). Pass `content` or `characterCount` to set them directly.
 */
export function orgPolicy(options: OrgPolicyOptions = {}): OrganizationPolicyFacts {
  const path = options.path ?? POLICY_PATH;
  const name = options.name ?? 'bedrock-baseline';
  const stack = options.stack ?? 'Mgmt';
  const staged = (t: TargetFacts): StagedTargetFacts => ({ stage: 1, ...t });
  const attached = (options.attached ?? [ou(OU_WORKLOADS)]).map(staged);
  const configurations = (options.configurations ?? [orgConfig()])
    .map((c) => ({ ...c, path, stack, targets: attached, policyName: name }));
  const data: PolicyConfigurationData[] = configurations.map((c) => ({
    region: c.region, name: c.name, identifier: c.version.identifier, settings: c.settings,
  }));
  let content: OrganizationPolicyFacts['content'];
  let characterCount: OrganizationPolicyFacts['characterCount'];
  try {
    content = renderBedrockPolicy(data);
    const range = characterCountRange(data);
    characterCount = { lowerBound: range.lowerBound, upperBound: range.upperBound };
  } catch {
    content = undefined;
  }
  return {
    path,
    stack,
    name,
    rolloutStage: options.rolloutStage ?? 1,
    attached,
    pending: (options.pending ?? []).map((t) => ({ ...t, stage: 2 })),
    configurations,
    content: 'content' in options ? options.content : content,
    characterCount: 'characterCount' in options ? options.characterCount : characterCount,
    existingAttachments: options.existingAttachments ?? [],
  };
}

/** An account-level configuration: MEMBER_A in us-east-1, naming the default version. */
export function accountConfig(overrides: Partial<EnforcedConfigurationFacts> = {}): EnforcedConfigurationFacts {
  const account = overrides.account ?? MEMBER_A;
  return {
    level: EnforcementLevel.ACCOUNT,
    path: ACCOUNT_PATH,
    stack: 'Mgmt',
    region: 'us-east-1',
    name: 'account-level',
    version: versionFacts(),
    settings: {},
    targets: [accountTarget(account)],
    account,
    ...overrides,
  };
}

/**
 * App facts: by default the fixture organization and the default guardrail's organization-wide
 * resource policy, nothing enforced. Anything given replaces the default.
 */
export function appFacts(overrides: Partial<AppFacts> = {}): AppFacts {
  return { ...EMPTY_APP_FACTS, organizations: [organization()], resourcePolicies: [resourcePolicy()], ...overrides };
}

/** Errors and warnings of one rule over `facts`. */
export function check(rule: GuardrailRule<AppFacts>, facts: AppFacts): { errors: string[]; warnings: string[] } {
  const { errors, warnings } = runRules([rule], facts);
  return { errors, warnings };
}

/** What {@link check} gives for compliant facts. */
export const CLEAN = { errors: [], warnings: [] };

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

/** A stand-in for a GuardrailVersion construct: only what the document reads. */
export function fakeVersion(options: FakeVersionOptions = {}): IGuardrailVersion {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? MGMT;
  const id = options.id ?? 'hu1dlsv9wy1d';
  const version = options.version ?? '1';
  const arn = options.tokens ? token(`arn:aws:bedrock:${region}:${account}:guardrail/${id}`) : `arn:aws:bedrock:${region}:${account}:guardrail/${id}`;
  const ver = options.tokens ? token(version) : version;
  const guardrail = {
    guardrailArn: arn, guardrailId: id, region, account, hasAutomatedReasoningPolicy: options.automatedReasoning ?? false,
    node: { path: (options.path ?? GUARDRAIL_PATH) },
  };
  return {
    node: { path: `${options.path ?? GUARDRAIL_PATH}/Version` },
    guardrail,
    guardrailArn: arn,
    guardrailId: id,
    guardrailVersion: ver,
    enforcementIdentifier: `${arn}:${ver}`,
    region,
  } as unknown as IGuardrailVersion;
}
