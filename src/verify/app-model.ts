/**
 * What a synthesized app wants, read from its output directory alone (`cdktf.out` or another
 * `--app-dir`): each stack's `cdk.tf.json` and the app-wide `enforcement-preview.json`. Nothing
 * here calls AWS or loads the constructs; the model is plain data, so the `verify` command can be
 * pointed at any synthesized app, including one synthesized by another version of the library.
 *
 * The contract with the synthesized files, field by field:
 * - `provider.aws[]`: `alias`, `region`, `allowed_account_ids` (one entry pins the account) and
 *   `assume_role[0].role_arn` (its account, when nothing else pins one);
 * - `resource.aws_bedrock_guardrail.<id>`: `name`, `provider`, `cross_region_config[0].guardrail_profile_identifier`;
 * - `resource.aws_bedrock_guardrail_version.<id>`: `guardrail_arn` (a reference to its guardrail);
 * - `resource.aws_organizations_policy.<id>`: `name`, `type`, `content`;
 * - `resource.aws_organizations_policy_attachment.<id>`: `policy_id` (a reference), `target_id`;
 * - `resource.aws_lambda_invocation.<id>.input`: the shim event without `tf` (`kind`, `name`,
 *   `target`, `properties`, see src/shim/handler/event.ts), and `function_name`, a reference to the
 *   shim function whose `role` names the IAM role the handler runs as;
 * - every `//.metadata.path`, the construct path, for messages;
 * - `enforcement-preview.json`: `accounts[]` (`account`, `declared`, `organizationalUnitIds`,
 *   `location`, `regions[].organizationLevel[]` with `name`, `systemPromptGuarding`,
 *   `messageGuarding`, `includedModels`, `excludedModels`, `defaulted`, `sources`) and, when present,
 *   `organizationPolicies[]` with the rollout stages not attached yet (`pending[]`).
 *
 * Values Terraform computes at apply (a guardrail's ARN, a version number, a policy ID) appear as
 * interpolations such as `${aws_bedrock_guardrail_version.X.version}`; they are kept as
 * {@link TerraformReference}s for the live checks to resolve.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AccountEnforcementPreview, EnforcementPreview } from '../validation/preview';
import type { EnforcedConfigurationProperties, PolicyTypeProperties, ResourcePolicyProperties } from '../shim/handler/event';
import { Json, compare, isObject } from './common';
import { EffectiveConfiguration, configurationsOf } from './effective-policy';
import { ACCOUNT_ID_PATTERN, OU_ID_PATTERN, REGION_PATTERN, ROOT_ID_PATTERN, roleArnAccount } from '../model/identifiers';
import { DEFAULT_SESSION_NAME } from '../model/shim-contract';

/** File name of the app-wide preview at the top of the output directory. */
export const APP_PREVIEW_FILE = 'enforcement-preview.json';

/** Raised when the output directory is not a synthesized app verify can read. */
export class AppModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppModelError';
  }
}

/** A Terraform interpolation of one resource attribute, e.g. `${aws_bedrock_guardrail.G.guardrail_arn}`. */
export interface TerraformReference {
  /** The interpolation as written, `${...}` included. */
  readonly text: string;
  /** The resource type, e.g. `aws_bedrock_guardrail`, or `data.<type>` for a data source. */
  readonly type: string;
  /** The resource name (the logical ID). */
  readonly name: string;
  /** The attribute, e.g. `guardrail_arn`. */
  readonly attribute: string;
  /** `<type>.<name>`: the resource's address in its stack. */
  readonly address: string;
}

/**
 * The simple interpolations (`${type.name.attribute}`) inside a string, in order. An interpolation
 * that is an expression (a function call, an index) is returned with an empty type, so callers
 * can report it as something verify cannot resolve.
 */
export function referencesIn(value: string): TerraformReference[] {
  const out: TerraformReference[] = [];
  for (const m of value.matchAll(/\$\{([^}]*)\}/g)) {
    const parts = m[1].split('.');
    const data = parts[0] === 'data';
    const [type, name, attribute] = data ? [`data.${parts[1]}`, parts[2], parts[3]] : [parts[0], parts[1], parts[2]];
    const simple = /^[A-Za-z0-9_.-]+$/.test(m[1]) && parts.length === (data ? 4 : 3);
    out.push(simple
      ? { text: m[0], type, name, attribute, address: `${type}.${name}` }
      : { text: m[0], type: '', name: '', attribute: '', address: '' });
  }
  return out;
}

/** Whether a string holds any Terraform interpolation. */
function hasReference(value: string): boolean {
  return value.includes('${');
}

/**
 * Replaces every simple interpolation in `value` with `resolve(reference)`; returns undefined when
 * any of them cannot be resolved (resolve returned undefined, or the interpolation is an expression).
 */
export function substitute(value: string, resolve: (ref: TerraformReference) => string | undefined): string | undefined {
  let failed = false;
  const out = value.replace(/\$\{([^}]*)\}/g, (text) => {
    const [ref] = referencesIn(text);
    const resolved = ref && ref.type ? resolve(ref) : undefined;
    if (resolved === undefined) failed = true;
    return resolved ?? text;
  });
  return failed ? undefined : out;
}

/** A provider configuration of a stack. */
export interface ProviderModel {
  /** How resources name it: `aws` for the default, `aws.<alias>` for an alias. */
  readonly key: string;
  /** Its region. */
  readonly region: string;
  /** The account it is pinned to (one `allowed_account_ids` entry, or its `assume_role` role's account). */
  readonly accountId?: string;
}

/** Where a resource lives. */
export interface Placement {
  /** Region of the resource's provider. */
  readonly region: string;
  /** Account of the resource's provider, when the stack pins it. @default unknown: the caller's */
  readonly accountId?: string;
}

/** An `aws_bedrock_guardrail` of the app. */
export interface GuardrailModel extends Placement {
  /** Stack name. */
  readonly stack: string;
  /** `aws_bedrock_guardrail.<id>`. */
  readonly address: string;
  /** Construct path. */
  readonly path: string;
  /** The guardrail's name: how verify finds it live (ListGuardrails). */
  readonly name: string;
  /** The cross-region guardrail profile it uses, when it uses one. */
  readonly crossRegionProfile?: string;
}

/** An `aws_bedrock_guardrail_version` of the app. */
export interface GuardrailVersionModel extends Placement {
  /** Stack name. */
  readonly stack: string;
  /** `aws_bedrock_guardrail_version.<id>`. */
  readonly address: string;
  /** Construct path of the version construct (the resource's path without `/Resource`). */
  readonly path: string;
  /** Address of the guardrail it versions (`aws_bedrock_guardrail.<id>`), or undefined for one made elsewhere. */
  readonly guardrailAddress?: string;
}

/** Type of an Organizations policy target, as the Organizations API names it. */
export type TargetKind = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';

/** One attachment of an organization policy. */
export interface AttachmentModel {
  /** `aws_organizations_policy_attachment.<id>`. */
  readonly address: string;
  /** The target ID: `r-…`, `ou-…` or an account ID. */
  readonly targetId: string;
  /** The kind of target, from the ID's shape. */
  readonly targetType: TargetKind;
}

/** One guardrail configuration of an organization policy document, as synthesized. */
export interface PolicyConfigurationModel {
  /** Region key. */
  readonly region: string;
  /** Configuration name under the region. */
  readonly name: string;
  /** `<guardrail ARN>:<version>`, usually with interpolations. */
  readonly identifier: string;
}

/** An `aws_organizations_policy` of the app, with its attachments. */
export interface OrganizationPolicyModel {
  /** Stack name. */
  readonly stack: string;
  /** `aws_organizations_policy.<id>`. */
  readonly address: string;
  /** Construct path. */
  readonly path: string;
  /** Policy name: how verify finds it live (ListPolicies). */
  readonly name: string;
  /** Policy type, `BEDROCK_POLICY` for the ones verify checks. */
  readonly type: string;
  /** The content as synthesized (JSON text with interpolations). */
  readonly content: string;
  /** The content read once: every configuration with AWS's defaults filled in, identifiers as synthesized, sorted by region then name. */
  readonly settings: EffectiveConfiguration[];
  /** The configurations of {@link settings} that assign an identifier, sorted by region then name. */
  readonly configurations: PolicyConfigurationModel[];
  /** Attachments the app makes now, sorted by target ID. */
  readonly attachments: AttachmentModel[];
}

/** Who the shim handler runs as for one object: the principal that writes it. */
export interface ShimWriter {
  /** Name of the IAM role assumed (the shim function's role, or the member role). */
  readonly roleName: string;
  /**
   * The session name, for a member role the shim assumes itself (it sets the name). Undefined for
   * the function's own role: Lambda does not document the session name of an execution role, so
   * ownership is judged by the role alone there.
   */
  readonly sessionName?: string;
}

interface ShimObjectBase<K extends string, P> {
  /** Stack name. */
  readonly stack: string;
  /** `aws_lambda_invocation.<id>`. */
  readonly address: string;
  /** The object's name (its construct path). */
  readonly name: string;
  /** What it is. */
  readonly kind: K;
  /** Where it lives. `accountId` may be an interpolation when the stack's account is a lookup. */
  readonly target: { readonly accountId: string; readonly region: string; readonly roleArn: string | null; readonly sessionName: string };
  /** The desired state, values possibly holding interpolations. */
  readonly properties: P;
  /** Whether the object is now managed by the provider's native resource (the invocation is released). */
  readonly release: boolean;
  /** Who writes it, when the shim function's role could be read from the stack. */
  readonly writer?: ShimWriter;
}

/** An account-level enforced configuration managed by the shim. */
export type EnforcedConfigurationObject = ShimObjectBase<'EnforcedGuardrailConfiguration', Omit<EnforcedConfigurationProperties, 'adoptExisting'> & { readonly adoptExisting: boolean }>;
/** A guardrail or guardrail-profile resource policy managed by the shim. */
export type ResourcePolicyObject = ShimObjectBase<'GuardrailResourcePolicy', ResourcePolicyProperties>;
/** A policy type enabled on the root by the shim. */
export type PolicyTypeObject = ShimObjectBase<'OrganizationPolicyType', PolicyTypeProperties>;
/** An object the shim manages. */
export type ShimObjectModel = EnforcedConfigurationObject | ResourcePolicyObject | PolicyTypeObject;

/** One synthesized stack. */
export interface StackModel {
  /** Stack name (its directory under `stacks/`). */
  readonly name: string;
  /** The stack's `cdk.tf.json`. */
  readonly file: string;
  /** Provider configurations, the default one first. */
  readonly providers: ProviderModel[];
  /** Guardrails, sorted by address. */
  readonly guardrails: GuardrailModel[];
  /** Guardrail versions, sorted by address. */
  readonly versions: GuardrailVersionModel[];
  /** Organization policies, sorted by address. */
  readonly organizationPolicies: OrganizationPolicyModel[];
  /** Shim-managed objects, sorted by address. */
  readonly shimObjects: ShimObjectModel[];
}

/** A target of a rollout stage not attached yet, as the preview lists it. */
export interface PendingTargetModel {
  /** The kind of target. */
  readonly type: TargetKind;
  /** Its ID. */
  readonly id: string;
  /** The stage it joins in. */
  readonly stage: number;
  /** The accounts it would add, as the app declares them. */
  readonly accounts: string[];
}

/** An organization policy as the preview's `organizationPolicies` list describes it. */
export interface PreviewPolicyModel {
  /** Policy name. */
  readonly name: string;
  /** Stack that makes it. */
  readonly stack: string;
  /** How far its rollout has gone. */
  readonly rolloutStage: number;
  /** Targets of later stages. */
  readonly pending: PendingTargetModel[];
}

/** A synthesized app, as verify reads it. */
export interface AppModel {
  /** The output directory, absolute. */
  readonly dir: string;
  /** Stacks, sorted by name. */
  readonly stacks: StackModel[];
  /** The app-wide preview, when the app previews any enforcement. */
  readonly preview?: EnforcementPreview;
  /** The preview's `organizationPolicies` list, when the preview has one (needed by `--stage`). */
  readonly previewPolicies?: PreviewPolicyModel[];
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppModelError(`Cannot read ${what} ${file}: ${(err as Error).message}. Synthesize the app first (cdktf synth, or npm run synth), or give its output directory with --app-dir.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppModelError(`${what} ${file} is not JSON (${(err as Error).message}). Synthesize the app again.`);
  }
}

/** The kind of target a policy target ID names. */
function targetKindOf(id: string): TargetKind | undefined {
  if (ROOT_ID_PATTERN.test(id)) return 'ROOT';
  if (OU_ID_PATTERN.test(id)) return 'ORGANIZATIONAL_UNIT';
  if (ACCOUNT_ID_PATTERN.test(id)) return 'ACCOUNT';
  return undefined;
}

function metadataPath(resource: Json, fallback: string): string {
  const meta = (resource['//'] as Json | undefined)?.metadata as Json | undefined;
  return typeof meta?.path === 'string' ? meta.path : fallback;
}

function byAddress<T extends { address: string }>(items: T[]): T[] {
  return items.sort((a, b) => compare(a.address, b.address));
}

function parseProviders(stack: string, json: Json): ProviderModel[] {
  const list = ((json.provider as Json | undefined)?.aws ?? []) as unknown[];
  const out: ProviderModel[] = [];
  for (const raw of Array.isArray(list) ? list : [list]) {
    if (!isObject(raw)) continue;
    const alias = typeof raw.alias === 'string' ? raw.alias : undefined;
    const region = raw.region;
    if (typeof region !== 'string' || hasReference(region) || !REGION_PATTERN.test(region)) {
      throw new AppModelError(`Stack ${stack}: provider ${alias ? `aws.${alias}` : 'aws'} has region ${JSON.stringify(region)}, not a literal region name; verify needs to know where each resource lives. Give the AwsProvider a literal region and synthesize again.`);
    }
    const allowed = Array.isArray(raw.allowed_account_ids) ? raw.allowed_account_ids : [];
    const assumed = Array.isArray(raw.assume_role) && isObject(raw.assume_role[0]) ? raw.assume_role[0].role_arn : undefined;
    const assumedAccount = typeof assumed === 'string' ? roleArnAccount(assumed) : undefined;
    const pinned = allowed.length === 1 && typeof allowed[0] === 'string' && ACCOUNT_ID_PATTERN.test(allowed[0]) ? allowed[0] : assumedAccount;
    out.push({ key: alias ? `aws.${alias}` : 'aws', region, ...(pinned ? { accountId: pinned } : {}) });
  }
  if (!out.some((p) => p.key === 'aws') && out.length > 0) {
    throw new AppModelError(`Stack ${stack} has only aliased AWS providers (${out.map((p) => p.key).join(', ')}); resources without a provider would have no region. Add a default AwsProvider and synthesize again.`);
  }
  return out.sort((a, b) => (a.key === 'aws' ? -1 : b.key === 'aws' ? 1 : compare(a.key, b.key)));
}

function placementOf(stack: string, providers: ProviderModel[], resource: Json, address: string): Placement {
  const key = typeof resource.provider === 'string' ? resource.provider : 'aws';
  const provider = providers.find((p) => p.key === key);
  if (!provider) {
    throw new AppModelError(`Stack ${stack}: ${address} names provider ${key}, which the stack does not configure. Synthesize the app again.`);
  }
  return { region: provider.region, ...(provider.accountId ? { accountId: provider.accountId } : {}) };
}

function resourcesOf(json: Json, type: string): Array<[string, Json]> {
  const group = (json.resource as Json | undefined)?.[type];
  return isObject(group) ? Object.entries(group).filter((e): e is [string, Json] => isObject(e[1])).sort(([a], [b]) => compare(a, b)) : [];
}

function parseShimObject(stack: string, address: string, resource: Json, writers: Map<string, ShimWriter>): ShimObjectModel | undefined {
  const raw = resource.input;
  if (typeof raw !== 'string') return undefined;
  let input: unknown;
  try {
    input = JSON.parse(raw);
  } catch {
    throw new AppModelError(`Stack ${stack}: ${address} has an input that is not JSON. Synthesize the app again.`);
  }
  if (!isObject(input) || typeof input.kind !== 'string' || !isObject(input.target) || !isObject(input.properties)) return undefined;
  const t = input.target;
  if (typeof t.accountId !== 'string' || typeof t.region !== 'string') {
    throw new AppModelError(`Stack ${stack}: ${address} (${String(input.name)}) has no target account and region. Synthesize the app again.`);
  }
  const target = {
    accountId: t.accountId,
    region: t.region,
    roleArn: typeof t.roleArn === 'string' ? t.roleArn : null,
    sessionName: typeof t.sessionName === 'string' ? t.sessionName : DEFAULT_SESSION_NAME,
  };
  const p = input.properties;
  const fn = typeof resource.function_name === 'string' ? referencesIn(resource.function_name)[0] : undefined;
  const hostWriter = fn ? writers.get(fn.address) : undefined;
  const roleName = target.roleArn ? target.roleArn.split('/').pop()! : undefined;
  const writer: ShimWriter | undefined = roleName ? { roleName, sessionName: target.sessionName } : hostWriter;
  const base = {
    stack,
    address,
    name: typeof input.name === 'string' ? input.name : address,
    target,
    release: p.release === true,
    ...(writer ? { writer } : {}),
  };
  switch (input.kind) {
    case 'EnforcedGuardrailConfiguration': {
      const sel = isObject(p.selectiveContentGuarding) ? p.selectiveContentGuarding : undefined;
      const models = isObject(p.modelEnforcement) ? p.modelEnforcement : undefined;
      return {
        ...base,
        kind: 'EnforcedGuardrailConfiguration',
        properties: {
          guardrailIdentifier: String(p.guardrailIdentifier ?? ''),
          guardrailVersion: String(p.guardrailVersion ?? ''),
          ...(sel ? { selectiveContentGuarding: {
            ...(typeof sel.system === 'string' ? { system: sel.system as 'SELECTIVE' | 'COMPREHENSIVE' } : {}),
            ...(typeof sel.messages === 'string' ? { messages: sel.messages as 'SELECTIVE' | 'COMPREHENSIVE' } : {}),
          } } : {}),
          ...(models ? { modelEnforcement: {
            includedModels: (Array.isArray(models.includedModels) ? models.includedModels : []).map(String),
            excludedModels: (Array.isArray(models.excludedModels) ? models.excludedModels : []).map(String),
          } } : {}),
          adoptExisting: p.adoptExisting === true,
        },
      };
    }
    case 'GuardrailResourcePolicy':
      return { ...base, kind: 'GuardrailResourcePolicy', properties: { resourceArn: String(p.resourceArn ?? ''), policy: String(p.policy ?? ''), adoptExisting: p.adoptExisting === true } };
    case 'OrganizationPolicyType':
      return { ...base, kind: 'OrganizationPolicyType', properties: { policyType: String(p.policyType ?? ''), disableOnDelete: p.disableOnDelete === true } };
    default:
      return undefined;
  }
}

/** Who each shim function runs as: function address -> its role's name. */
function shimWriters(json: Json): Map<string, ShimWriter> {
  const roles = new Map(resourcesOf(json, 'aws_iam_role').map(([id, r]) => [`aws_iam_role.${id}`, typeof r.name === 'string' ? r.name : undefined]));
  const out = new Map<string, ShimWriter>();
  for (const [id, fn] of resourcesOf(json, 'aws_lambda_function')) {
    const roleRef = typeof fn.role === 'string' ? referencesIn(fn.role)[0] : undefined;
    const roleName = roleRef ? roles.get(roleRef.address) : undefined;
    if (roleName) out.set(`aws_lambda_function.${id}`, { roleName });
  }
  return out;
}

/** Reads one stack's `cdk.tf.json`. */
function readStack(name: string, file: string): StackModel {
  const json = readJson(file, `Stack ${name}'s Terraform JSON`);
  if (!isObject(json)) throw new AppModelError(`Stack ${name}'s Terraform JSON ${file} is not an object. Synthesize the app again.`);
  const providers = parseProviders(name, json);
  const placed = (r: Json, address: string) => placementOf(name, providers, r, address);

  const guardrails = byAddress(resourcesOf(json, 'aws_bedrock_guardrail').map(([id, r]): GuardrailModel => {
    const address = `aws_bedrock_guardrail.${id}`;
    if (typeof r.name !== 'string' || hasReference(r.name)) {
      throw new AppModelError(`Stack ${name}: ${address} has name ${JSON.stringify(r.name)}; verify finds a guardrail by its literal name. Give the guardrail a literal name and synthesize again.`);
    }
    const crc = Array.isArray(r.cross_region_config) && isObject(r.cross_region_config[0]) ? r.cross_region_config[0].guardrail_profile_identifier : undefined;
    return {
      stack: name, address, path: metadataPath(r, address), name: r.name, ...placed(r, address),
      ...(typeof crc === 'string' ? { crossRegionProfile: crc } : {}),
    };
  }));

  const versions = byAddress(resourcesOf(json, 'aws_bedrock_guardrail_version').map(([id, r]): GuardrailVersionModel => {
    const address = `aws_bedrock_guardrail_version.${id}`;
    const ref = typeof r.guardrail_arn === 'string' ? referencesIn(r.guardrail_arn)[0] : undefined;
    return {
      stack: name, address, path: metadataPath(r, address).replace(/\/Resource$/, ''), ...placed(r, address),
      ...(ref?.type === 'aws_bedrock_guardrail' ? { guardrailAddress: ref.address } : {}),
    };
  }));

  const attachments = resourcesOf(json, 'aws_organizations_policy_attachment').map(([id, r]) => {
    const address = `aws_organizations_policy_attachment.${id}`;
    const policy = typeof r.policy_id === 'string' ? referencesIn(r.policy_id)[0]?.address : undefined;
    const targetId = typeof r.target_id === 'string' ? r.target_id : '';
    const targetType = targetKindOf(targetId);
    if (!targetType) {
      throw new AppModelError(`Stack ${name}: ${address} has target_id ${JSON.stringify(r.target_id)}, not a root, OU or account ID; verify compares attachments by ID. Synthesize the app again.`);
    }
    return { policy, attachment: { address, targetId, targetType } };
  });

  const organizationPolicies = byAddress(resourcesOf(json, 'aws_organizations_policy').map(([id, r]): OrganizationPolicyModel => {
    const address = `aws_organizations_policy.${id}`;
    const content = typeof r.content === 'string' ? r.content : '';
    if (typeof r.name !== 'string' || hasReference(r.name)) {
      throw new AppModelError(`Stack ${name}: ${address} has name ${JSON.stringify(r.name)}; verify finds a policy by its literal name. Synthesize the app again.`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw new AppModelError(`Stack ${name}: ${address} (${r.name}) has content that is not JSON. Synthesize the app again.`);
    }
    const settings = configurationsOf(parsed);
    return {
      stack: name, address, path: metadataPath(r, address), name: r.name, type: String(r.type ?? ''), content, settings,
      configurations: settings.flatMap(({ region, name: configName, identifier }) => (identifier !== undefined ? [{ region, name: configName, identifier }] : [])),
      attachments: attachments.filter((a) => a.policy === address).map((a) => a.attachment).sort((a, b) => compare(a.targetId, b.targetId)),
    };
  }));

  const writers = shimWriters(json);
  const shimObjects = byAddress(resourcesOf(json, 'aws_lambda_invocation')
    .map(([id, r]) => parseShimObject(name, `aws_lambda_invocation.${id}`, r, writers))
    .filter((o): o is ShimObjectModel => o !== undefined));

  return { name, file, providers, guardrails, versions, organizationPolicies, shimObjects };
}

function parsePreviewPolicies(raw: unknown): PreviewPolicyModel[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.filter(isObject).map((p) => ({
    name: String(p.name ?? ''),
    stack: String(p.stack ?? ''),
    rolloutStage: typeof p.rolloutStage === 'number' ? p.rolloutStage : 0,
    pending: (Array.isArray(p.pending) ? p.pending : []).filter(isObject).map((t) => ({
      type: (targetKindOf(String(t.id ?? '')) ?? String(t.type)) as TargetKind,
      id: String(t.id ?? ''),
      stage: typeof t.stage === 'number' ? t.stage : 0,
      accounts: (Array.isArray(t.accounts) ? t.accounts : []).map(String).sort(),
    })).sort((a, b) => a.stage - b.stage || compare(a.id, b.id)),
  })).sort((a, b) => compare(a.name, b.name));
}

function parsePreview(raw: unknown, file: string): EnforcementPreview {
  if (!isObject(raw) || !Array.isArray(raw.accounts) || !Array.isArray(raw.regions)) {
    throw new AppModelError(`${file} is not an enforcement preview (no accounts and regions lists). Synthesize the app again.`);
  }
  for (const a of raw.accounts as unknown[]) {
    if (!isObject(a) || typeof a.account !== 'string' || !Array.isArray(a.regions) || !Array.isArray(a.organizationalUnitIds)) {
      throw new AppModelError(`${file} has an account entry without account, organizationalUnitIds and regions. Synthesize the app again.`);
    }
  }
  return raw as unknown as EnforcementPreview;
}

/**
 * Reads a synthesized app from its output directory: the stacks listed in `manifest.json` (or,
 * without one, every `stacks/<name>/cdk.tf.json`) and the app-wide preview.
 *
 * @throws AppModelError when the directory holds no synthesized stack, or a file is unreadable
 */
export function readApp(dir: string): AppModel {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new AppModelError(`App directory ${abs} does not exist. Synthesize the app first (cdktf synth, or npm run synth), or give its output directory with --app-dir.`);
  }
  const manifestFile = path.join(abs, 'manifest.json');
  let stackFiles: Array<[string, string]>;
  if (fs.existsSync(manifestFile)) {
    const manifest = readJson(manifestFile, 'The app manifest');
    const stacks = isObject(manifest) && isObject(manifest.stacks) ? manifest.stacks : {};
    stackFiles = Object.entries(stacks).map(([name, s]) => {
      const rel = isObject(s) && typeof s.synthesizedStackPath === 'string' ? s.synthesizedStackPath : path.join('stacks', name, 'cdk.tf.json');
      return [name, path.join(abs, rel)] as [string, string];
    });
  } else {
    const stacksDir = path.join(abs, 'stacks');
    stackFiles = fs.existsSync(stacksDir)
      ? fs.readdirSync(stacksDir).filter((n) => fs.existsSync(path.join(stacksDir, n, 'cdk.tf.json'))).map((n) => [n, path.join(stacksDir, n, 'cdk.tf.json')])
      : [];
  }
  if (stackFiles.length === 0) {
    throw new AppModelError(`App directory ${abs} holds no synthesized stack (no manifest.json with stacks, no stacks/<name>/cdk.tf.json). Synthesize the app first, or give its output directory with --app-dir.`);
  }
  const stacks = stackFiles.sort(([a], [b]) => compare(a, b)).map(([name, file]) => readStack(name, file));
  const previewFile = path.join(abs, APP_PREVIEW_FILE);
  if (!fs.existsSync(previewFile)) return { dir: abs, stacks };
  const raw = readJson(previewFile, 'The enforcement preview');
  const previewPolicies = isObject(raw) ? parsePreviewPolicies(raw.organizationPolicies) : undefined;
  return { dir: abs, stacks, preview: parsePreview(raw, previewFile), ...(previewPolicies ? { previewPolicies } : {}) };
}

/** The preview row of an account, if the preview has one. */
export function previewAccount(app: AppModel, account: string): AccountEnforcementPreview | undefined {
  return app.preview?.accounts.find((a) => a.account === account);
}

/** Every guardrail of the app, across stacks, sorted by stack then address. */
export function allGuardrails(app: AppModel): GuardrailModel[] {
  return app.stacks.flatMap((s) => s.guardrails);
}

/** Every organization policy of the app of type `BEDROCK_POLICY`, across stacks. */
export function bedrockPolicies(app: AppModel): OrganizationPolicyModel[] {
  return app.stacks.flatMap((s) => s.organizationPolicies).filter((p) => p.type === 'BEDROCK_POLICY');
}

/** Every shim-managed object of one kind, across stacks. */
export function shimObjectsOf<K extends ShimObjectModel['kind']>(app: AppModel, kind: K): Array<Extract<ShimObjectModel, { kind: K }>> {
  return app.stacks.flatMap((s) => s.shimObjects).filter((o): o is Extract<ShimObjectModel, { kind: K }> => o.kind === kind);
}
