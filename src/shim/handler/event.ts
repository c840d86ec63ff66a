/**
 * The handler's side of the shim contract (src/model/shim-contract.ts): what the constructs write as
 * each `aws_lambda_invocation`'s input, validated. Terraform's CRUD lifecycle adds `tf: { action, prev_input }`; on
 * delete it sends the previous input itself with action `delete`.
 */
import {
  ACCOUNT_ID_PATTERN, GUARDRAIL_IDENTIFIER_PATTERN, GUARDRAIL_OR_PROFILE_ARN_PATTERN, POLICY_TYPE_PATTERN, REGION_PATTERN, ROLE_ARN_PATTERN,
  SESSION_NAME_PATTERN, VERSION_NUMBER_PATTERN, guardrailResourceLocation, parseGuardrailArn, roleArnAccount,
} from '../../model/identifiers';
import {
  DEFAULT_SESSION_NAME, EnforcedConfigurationProperties, PolicyTypeProperties, ResourcePolicyProperties, SHIM_KINDS, ShimGuardingMode,
  ShimInput, ShimKind, ShimTarget,
} from '../../model/shim-contract';

// The properties of each kind are the contract's types, re-exported for the handler's modules.
export type { EnforcedConfigurationProperties, PolicyTypeProperties, ResourcePolicyProperties, ShimTarget };

/** The action Terraform's CRUD lifecycle passes in `tf.action`. */
export type TfAction = 'create' | 'update' | 'delete';

/** An invocation's input as the handler acts on it: the constructs' input, validated, with Terraform's action. */
interface EventBase<K extends ShimKind> extends ShimInput<K> {
  readonly action: TfAction;
  /**
   * Set when the object is now managed by the provider's own resource (`implementation: native`):
   * every action is then a no-op, so switching implementations never deletes the object.
   */
  readonly release: boolean;
  /** The previous input, validated the same way, or null (create, or unreadable previous input). */
  readonly prev: ShimEvent | null;
}

/** An event for an account-level enforced configuration. */
export type EnforcedConfigurationEvent = EventBase<'EnforcedGuardrailConfiguration'>;
/** An event for a resource-based policy. */
export type ResourcePolicyEvent = EventBase<'GuardrailResourcePolicy'>;
/** An event for a policy type on the organization root. */
export type PolicyTypeEvent = EventBase<'OrganizationPolicyType'>;
/** Any validated event the handler acts on. */
export type ShimEvent = EnforcedConfigurationEvent | ResourcePolicyEvent | PolicyTypeEvent;

/** Raised for an event the handler cannot act on; the message says what is wrong and where. */
export class EventValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventValidationError';
  }
}

const ACTIONS: readonly TfAction[] = ['create', 'update', 'delete'];
const GUARDING_MODES: readonly ShimGuardingMode[] = ['SELECTIVE', 'COMPREHENSIVE'];

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
  const accountId = c.string(t.accountId, 'target.accountId', ACCOUNT_ID_PATTERN, 'a 12-digit account ID');
  const region = c.string(t.region, 'target.region', REGION_PATTERN, 'a region name such as us-east-1');
  let roleArn: string | null = null;
  if (t.roleArn !== undefined && t.roleArn !== null) {
    roleArn = c.string(t.roleArn, 'target.roleArn', ROLE_ARN_PATTERN, 'an IAM role ARN');
    const roleAccount = roleArnAccount(roleArn)!;
    if (roleAccount !== accountId) {
      c.fail('target.roleArn', `is in account ${roleAccount} but target.accountId is ${accountId}; the role must be in the target account`);
    }
  }
  const sessionName =
    t.sessionName === undefined || t.sessionName === null
      ? DEFAULT_SESSION_NAME
      : c.string(t.sessionName, 'target.sessionName', SESSION_NAME_PATTERN, '[\\w+=,.@-]{2,64}');
  return { accountId, region, roleArn, sessionName };
}

function parseEnforced(c: Checker, p: Json, target: ShimTarget): EnforcedConfigurationProperties {
  const guardrailIdentifier = c.string(p.guardrailIdentifier, 'properties.guardrailIdentifier', GUARDRAIL_IDENTIFIER_PATTERN, 'a guardrail ID or ARN');
  const arnRegion = parseGuardrailArn(guardrailIdentifier)?.region;
  if (arnRegion && arnRegion !== target.region) {
    c.fail(
      'properties.guardrailIdentifier',
      `names a guardrail in ${arnRegion} but the enforcement is in ${target.region}; enforcement needs a guardrail version in its own region`,
    );
  }
  const guardrailVersion = c.string(p.guardrailVersion, 'properties.guardrailVersion', VERSION_NUMBER_PATTERN, 'a numbered version ("1" to "99999999"; DRAFT is not accepted)');
  let selectiveContentGuarding: EnforcedConfigurationProperties['selectiveContentGuarding'];
  if (p.selectiveContentGuarding !== undefined && p.selectiveContentGuarding !== null) {
    const s = c.object(p.selectiveContentGuarding, 'properties.selectiveContentGuarding');
    const mode = (value: unknown, path: string): ShimGuardingMode | undefined => {
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'string' || !(GUARDING_MODES as readonly string[]).includes(value)) {
        c.fail(path, `must be SELECTIVE or COMPREHENSIVE, got ${describe(value)}`);
      }
      return value as ShimGuardingMode;
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
  const resourceArn = c.string(p.resourceArn, 'properties.resourceArn', GUARDRAIL_OR_PROFILE_ARN_PATTERN, 'a guardrail or guardrail-profile ARN');
  const where = guardrailResourceLocation(resourceArn)!;
  if (where.account !== target.accountId || where.region !== target.region) {
    c.fail(
      'properties.resourceArn',
      `is in account ${where.account}, ${where.region} but the target is account ${target.accountId}, ${target.region}; a resource policy is set in the resource's own account and region`,
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
    policyType: c.string(p.policyType, 'properties.policyType', POLICY_TYPE_PATTERN, 'an Organizations policy type such as BEDROCK_POLICY'),
    disableOnDelete: c.boolean(p.disableOnDelete, 'properties.disableOnDelete', false),
  };
}
