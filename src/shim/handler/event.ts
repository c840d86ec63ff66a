/**
 * The event contract between the constructs (which emit `aws_lambda_invocation` inputs) and the
 * handler, and its validation. Terraform's CRUD lifecycle adds `tf: { action, prev_input }`; on
 * delete it sends the previous input itself with action `delete`.
 */
import { DEFAULT_SESSION_NAME, SHIM_KINDS, ShimKind } from './permissions';

export type TfAction = 'create' | 'update' | 'delete';

export interface ShimTarget {
  readonly accountId: string;
  readonly region: string;
  /** Role to assume in the target account; null means the Lambda's own credentials. */
  readonly roleArn: string | null;
  readonly sessionName: string;
}

export type GuardingMode = 'SELECTIVE' | 'COMPREHENSIVE';

export interface EnforcedConfigurationProperties {
  readonly guardrailIdentifier: string;
  readonly guardrailVersion: string;
  readonly selectiveContentGuarding?: { readonly system?: GuardingMode; readonly messages?: GuardingMode };
  readonly modelEnforcement?: { readonly includedModels: readonly string[]; readonly excludedModels: readonly string[] };
  readonly adoptExisting: boolean;
}

export interface ResourcePolicyProperties {
  readonly resourceArn: string;
  /** The policy document as a JSON string. */
  readonly policy: string;
  readonly adoptExisting: boolean;
}

export interface PolicyTypeProperties {
  readonly policyType: string;
  readonly disableOnDelete: boolean;
}

interface EventBase<K extends ShimKind, P> {
  readonly kind: K;
  readonly name: string;
  readonly target: ShimTarget;
  readonly properties: P;
  readonly action: TfAction;
  /**
   * Set when the object is now managed by the provider's own resource (`implementation: native`):
   * every action is then a no-op, so switching implementations never deletes the object.
   */
  readonly release: boolean;
  /** The previous input, validated the same way, or null (create, or unreadable previous input). */
  readonly prev: ShimEvent | null;
}

export type EnforcedConfigurationEvent = EventBase<'EnforcedGuardrailConfiguration', EnforcedConfigurationProperties>;
export type ResourcePolicyEvent = EventBase<'GuardrailResourcePolicy', ResourcePolicyProperties>;
export type PolicyTypeEvent = EventBase<'OrganizationPolicyType', PolicyTypeProperties>;
export type ShimEvent = EnforcedConfigurationEvent | ResourcePolicyEvent | PolicyTypeEvent;

/** Raised for an event the handler cannot act on; the message says what is wrong and where. */
export class EventValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventValidationError';
  }
}

const ACTIONS: readonly TfAction[] = ['create', 'update', 'delete'];
const GUARDING_MODES: readonly GuardingMode[] = ['SELECTIVE', 'COMPREHENSIVE'];

// Patterns from the AWS::Bedrock::EnforcedGuardrailConfiguration resource schema.
const GUARDRAIL_IDENTIFIER = /^(([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail\/[a-z0-9]+))$/;
const GUARDRAIL_VERSION = /^[1-9][0-9]{0,7}$/;
const GUARDRAIL_OR_PROFILE_ARN = /^arn:aws(-[^:]+)?:bedrock:([a-z0-9-]{1,20}):([0-9]{12}):(guardrail\/[a-z0-9]+|guardrail-profile\/[A-Za-z0-9.:_-]+)$/;
const ACCOUNT_ID = /^[0-9]{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::([0-9]{12}):role\/[\w+=,.@\/-]{1,512}$/;
// RoleSessionName as documented for sts:AssumeRole.
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const POLICY_TYPE = /^[A-Z][A-Z_]{1,127}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Checker {
  constructor(private readonly where: string) {}

  fail(path: string, problem: string): never {
    throw new EventValidationError(`${this.where}: ${path} ${problem}`);
  }

  object(value: unknown, path: string): Json {
    if (!isObject(value)) this.fail(path, `must be an object, got ${describe(value)}`);
    return value;
  }

  string(value: unknown, path: string, pattern?: RegExp, hint?: string): string {
    if (typeof value !== 'string' || value.length === 0) this.fail(path, `must be a non-empty string, got ${describe(value)}`);
    if (pattern && !pattern.test(value)) this.fail(path, `must match ${hint ?? pattern.source}, got ${JSON.stringify(value)}`);
    return value;
  }

  boolean(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(path, `must be a boolean, got ${describe(value)}`);
    return value;
  }

  stringArray(value: unknown, path: string, minItems: number): string[] {
    if (!Array.isArray(value)) this.fail(path, `must be an array of strings, got ${describe(value)}`);
    if (value.length < minItems) this.fail(path, `must have at least ${minItems} item(s)`);
    return value.map((item, i) => this.string(item, `${path}[${i}]`));
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Validate a raw Lambda event (object, or a JSON string of one). */
export function parseEvent(raw: unknown): ShimEvent {
  let input = raw;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch {
      throw new EventValidationError('Invalid shim event: the payload is a string that is not JSON');
    }
  }
  if (!isObject(input)) throw new EventValidationError(`Invalid shim event: expected a JSON object, got ${describe(input)}`);
  const tf = input.tf;
  const pre = new Checker(`Invalid shim event${typeof input.kind === 'string' ? ` ${input.kind}` : ''}${typeof input.name === 'string' ? ` "${input.name}"` : ''}`);
  const tfObj = pre.object(tf, 'tf (added by aws_lambda_invocation with lifecycle_scope = "CRUD" and terraform_key = "tf")');
  const action = tfObj.action;
  if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action)) {
    pre.fail('tf.action', `must be one of ${ACTIONS.join(', ')}, got ${describe(action)}`);
  }
  const event = parseInput(input, action as TfAction);
  let prev: ShimEvent | null = null;
  const prevRaw = tfObj.prev_input;
  if (prevRaw !== undefined && prevRaw !== null) {
    // The previous input only refines decisions (what we wrote before); if it cannot be read the
    // action still proceeds on the current input, which is validated strictly.
    try {
      const prevObj = typeof prevRaw === 'string' ? JSON.parse(prevRaw) : prevRaw;
      if (isObject(prevObj) && prevObj.kind === event.kind) prev = parseInput(prevObj, 'create');
    } catch {
      prev = null;
    }
  }
  return { ...event, prev } as ShimEvent;
}

function parseInput(input: Json, action: TfAction): ShimEvent {
  const kind = input.kind;
  const name = input.name;
  const head = new Checker('Invalid shim event');
  if (typeof kind !== 'string' || !(SHIM_KINDS as readonly string[]).includes(kind)) {
    head.fail('kind', `must be one of ${SHIM_KINDS.join(', ')}, got ${describe(kind)}`);
  }
  if (typeof name !== 'string' || name.length === 0) head.fail('name', `must be a non-empty string (the construct path), got ${describe(name)}`);
  const c = new Checker(`Invalid shim event ${kind} "${name}"`);
  const target = parseTarget(c, input.target);
  const props = c.object(input.properties, 'properties');
  const base = { name: name as string, target, action, prev: null, release: c.boolean(props.release, 'properties.release', false) };
  switch (kind as ShimKind) {
    case 'EnforcedGuardrailConfiguration':
      return { ...base, kind: 'EnforcedGuardrailConfiguration', properties: parseEnforced(c, props, target) };
    case 'GuardrailResourcePolicy':
      return { ...base, kind: 'GuardrailResourcePolicy', properties: parseResourcePolicy(c, props, target) };
    case 'OrganizationPolicyType':
      return { ...base, kind: 'OrganizationPolicyType', properties: parsePolicyType(c, props) };
  }
}

function parseTarget(c: Checker, raw: unknown): ShimTarget {
  const t = c.object(raw, 'target');
  const accountId = c.string(t.accountId, 'target.accountId', ACCOUNT_ID, 'a 12-digit account ID');
  const region = c.string(t.region, 'target.region', REGION, 'a region name such as us-east-1');
  let roleArn: string | null = null;
  if (t.roleArn !== undefined && t.roleArn !== null) {
    roleArn = c.string(t.roleArn, 'target.roleArn', ROLE_ARN, 'an IAM role ARN');
    const roleAccount = ROLE_ARN.exec(roleArn)![2];
    if (roleAccount !== accountId) {
      c.fail('target.roleArn', `is in account ${roleAccount} but target.accountId is ${accountId}; the role must be in the target account`);
    }
  }
  const sessionName =
    t.sessionName === undefined || t.sessionName === null
      ? DEFAULT_SESSION_NAME
      : c.string(t.sessionName, 'target.sessionName', SESSION_NAME, '[\\w+=,.@-]{2,64}');
  return { accountId, region, roleArn, sessionName };
}

function parseEnforced(c: Checker, p: Json, target: ShimTarget): EnforcedConfigurationProperties {
  const guardrailIdentifier = c.string(p.guardrailIdentifier, 'properties.guardrailIdentifier', GUARDRAIL_IDENTIFIER, 'a guardrail ID or ARN');
  const arnRegion = /^arn:[^:]+:bedrock:([^:]+):/.exec(guardrailIdentifier)?.[1];
  if (arnRegion && arnRegion !== target.region) {
    c.fail(
      'properties.guardrailIdentifier',
      `names a guardrail in ${arnRegion} but the enforcement is in ${target.region}; enforcement needs a guardrail version in its own region`,
    );
  }
  const guardrailVersion = c.string(p.guardrailVersion, 'properties.guardrailVersion', GUARDRAIL_VERSION, 'a numbered version ("1" to "99999999"; DRAFT is not accepted)');
  let selectiveContentGuarding: EnforcedConfigurationProperties['selectiveContentGuarding'];
  if (p.selectiveContentGuarding !== undefined && p.selectiveContentGuarding !== null) {
    const s = c.object(p.selectiveContentGuarding, 'properties.selectiveContentGuarding');
    const mode = (value: unknown, path: string): GuardingMode | undefined => {
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'string' || !(GUARDING_MODES as readonly string[]).includes(value)) {
        c.fail(path, `must be SELECTIVE or COMPREHENSIVE, got ${describe(value)}`);
      }
      return value as GuardingMode;
    };
    const system = mode(s.system, 'properties.selectiveContentGuarding.system');
    const messages = mode(s.messages, 'properties.selectiveContentGuarding.messages');
    selectiveContentGuarding = { ...(system ? { system } : {}), ...(messages ? { messages } : {}) };
  }
  let modelEnforcement: EnforcedConfigurationProperties['modelEnforcement'];
  if (p.modelEnforcement !== undefined && p.modelEnforcement !== null) {
    const m = c.object(p.modelEnforcement, 'properties.modelEnforcement');
    modelEnforcement = {
      includedModels: c.stringArray(m.includedModels, 'properties.modelEnforcement.includedModels', 1),
      excludedModels: c.stringArray(m.excludedModels ?? [], 'properties.modelEnforcement.excludedModels', 0),
    };
  }
  return {
    guardrailIdentifier,
    guardrailVersion,
    ...(selectiveContentGuarding ? { selectiveContentGuarding } : {}),
    ...(modelEnforcement ? { modelEnforcement } : {}),
    adoptExisting: c.boolean(p.adoptExisting, 'properties.adoptExisting', false),
  };
}

function parseResourcePolicy(c: Checker, p: Json, target: ShimTarget): ResourcePolicyProperties {
  const resourceArn = c.string(p.resourceArn, 'properties.resourceArn', GUARDRAIL_OR_PROFILE_ARN, 'a guardrail or guardrail-profile ARN');
  const where = arnLocation(resourceArn)!;
  if (where.accountId !== target.accountId || where.region !== target.region) {
    c.fail(
      'properties.resourceArn',
      `is in account ${where.accountId}, ${where.region} but the target is account ${target.accountId}, ${target.region}; a resource policy is set in the resource's own account and region`,
    );
  }
  const policy = c.string(p.policy, 'properties.policy');
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch (err) {
    c.fail('properties.policy', `must be a JSON policy document: ${(err as Error).message}`);
  }
  if (!isObject(parsed)) c.fail('properties.policy', 'must be a JSON object (a policy document)');
  return { resourceArn, policy, adoptExisting: c.boolean(p.adoptExisting, 'properties.adoptExisting', false) };
}

function parsePolicyType(c: Checker, p: Json): PolicyTypeProperties {
  return {
    policyType: c.string(p.policyType, 'properties.policyType', POLICY_TYPE, 'an Organizations policy type such as BEDROCK_POLICY'),
    disableOnDelete: c.boolean(p.disableOnDelete, 'properties.disableOnDelete', false),
  };
}

/** Region and account of a guardrail or guardrail-profile ARN. */
export function arnLocation(arn: string): { region: string; accountId: string } | undefined {
  const m = GUARDRAIL_OR_PROFILE_ARN.exec(arn);
  return m ? { region: m[2], accountId: m[3] } : undefined;
}
