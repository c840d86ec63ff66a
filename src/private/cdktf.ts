/**
 * The one seam between the library and CDK for Terraform.
 *
 * Every import of `cdktf` and of the prebuilt AWS provider bindings is here, and so is every call
 * that depends on cdktf's internals (tokens and their resolution, `friendlyUniqueId`, `toTerraform`,
 * meta-argument and stack overrides). The CDK Terrain build of the package replaces the two
 * package names in this file and nothing else.
 *
 * Provider classes are imported by deep path: the package root loads every binding of the
 * provider, which costs seconds and half a gigabyte per process.
 */
import {
  Annotations, DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformMetaArguments, TerraformProvider, TerraformResource,
  TerraformResourceConfig, TerraformStack, Token, Tokenization,
} from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

export {
  AnnotationMetadataEntryType, App, type AppConfig, AssetType, Fn, Lazy, TerraformAsset, type TerraformMetaArguments,
  TerraformOutput, TerraformProvider, TerraformResource, TerraformStack, Token, dependable,
} from 'cdktf';
export { AwsProvider } from '@cdktf/provider-aws/lib/provider';
export { BedrockGuardrail, type BedrockGuardrailConfig } from '@cdktf/provider-aws/lib/bedrock-guardrail';
export { BedrockGuardrailVersion } from '@cdktf/provider-aws/lib/bedrock-guardrail-version';
export { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
export { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
export { IamRole } from '@cdktf/provider-aws/lib/iam-role';
export { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
export { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
export { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
export { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
export { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';

// ---------------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------------

/** True when the value is a Terraform token (known only at apply time) and cannot be checked now. */
export function isToken(value: unknown): boolean {
  // A string holds a token only if it holds cdktf's token marker: a quick answer for the usual
  // case, which thousands of enforcements meet on the synth path.
  if (typeof value === 'string' && !value.includes('TfToken[')) return false;
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * Resolves tokens in `value` to what the Terraform JSON will hold (e.g. `${aws_kms_key.k.arn}`),
 * which is stable across synths, unlike the token strings themselves.
 */
export function resolveForSynth<T>(scope: IConstruct, value: T): T {
  return Tokenization.resolve(value, { scope, preparing: false, resolver: RESOLVER });
}

/** The Terraform expression for element `index` of `value` split at `separator`, as a string token. */
export function splitElement(value: string, separator: string, index: number): string {
  return Token.asString(Fn.element(Fn.split(separator, value), index));
}

/** A string computed when the stack is synthesized. */
export function atSynth(produce: () => string): string {
  return Lazy.stringValue({ produce });
}

// ---------------------------------------------------------------------------------------------------
// terraform_data
// ---------------------------------------------------------------------------------------------------

/**
 * Terraform's built-in `terraform_data` resource holding `input`. cdktf's own binding of it runs
 * `terraform version` at every synth to check for 1.4, so synthesizing would need a Terraform
 * binary on the machine; the stack declares `required_version` instead
 * ({@link requireTerraformVersion}), which Terraform itself enforces.
 */
export class TerraformData extends TerraformResource {
  /** The Terraform resource type. */
  public static readonly tfResourceType = 'terraform_data';

  private readonly inputValue: Record<string, string>;

  constructor(scope: Construct, id: string, input: Record<string, string>) {
    super(scope, id, { terraformResourceType: TerraformData.tfResourceType, terraformGeneratorMetadata: { providerName: 'terraform' } });
    this.inputValue = input;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { input: { ...this.inputValue } };
  }
}

// ---------------------------------------------------------------------------------------------------
// Resources, their addresses and meta-arguments
// ---------------------------------------------------------------------------------------------------

/** The Terraform address (`type.name`) of a resource, as `depends_on` and `replace_triggered_by` take it. */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** The resource's block as the stack's JSON will hold it, tokens resolved. */
export function synthesizedBlock(resource: TerraformResource): Record<string, unknown> {
  const json = resolveForSynth(resource, resource.toTerraform()) as { resource: Record<string, Record<string, Record<string, unknown>>> };
  return json.resource[resource.terraformResourceType][resource.friendlyUniqueId];
}

/** Where a resource keeps the producers {@link dependOnAtSynth} gave it. */
const LATE_DEPENDENCIES = Symbol('cdktf-bedrock-guardrails.lateDependencies');

type LateDependable = TerraformResource & { [LATE_DEPENDENCIES]?: Array<() => readonly TerraformResource[]> };

/**
 * Adds to `resource`'s `depends_on`, at synth, the resources `produce` returns that live in the
 * same stack (a dependency on another stack is ordered by the stacks themselves). Read at synth,
 * so resources declared after `resource` count too. The dependencies given otherwise come first,
 * then the new ones in address order, each once.
 *
 * cdktf reads meta-arguments through the resource's `terraformMetaArguments` getter when it
 * writes the JSON; the instance gets its own getter that adds these dependencies to what the
 * class's getter reports. No token is made, so thousands of resources cost no resolution.
 */
export function dependOnAtSynth(resource: TerraformResource, produce: () => readonly TerraformResource[]): void {
  const r = resource as LateDependable;
  const existing = r[LATE_DEPENDENCIES];
  if (existing) {
    existing.push(produce);
    return;
  }
  const producers = [produce];
  r[LATE_DEPENDENCIES] = producers;
  let proto: object | null = Object.getPrototypeOf(resource);
  let descriptor: PropertyDescriptor | undefined;
  while (proto && !(descriptor = Object.getOwnPropertyDescriptor(proto, 'terraformMetaArguments'))) proto = Object.getPrototypeOf(proto);
  const inherited = descriptor?.get;
  if (!inherited) throw new Error(`${resource.node.path}: the resource class has no terraformMetaArguments getter to extend.`);
  const stack = TerraformStack.of(resource);
  Object.defineProperty(resource, 'terraformMetaArguments', {
    configurable: true,
    get(this: TerraformResource) {
      const args = inherited.call(this) as { dependsOn?: string[] };
      const late = [...new Set(producers.flatMap((p) => p()).filter((x) => TerraformStack.of(x) === stack).map(addressOf))].sort();
      if (late.length === 0) return args;
      const given = args.dependsOn ?? [];
      return { ...args, dependsOn: [...given, ...late.filter((a) => !given.includes(a))] };
    },
  });
}

/** Makes Terraform replace `resource` whenever `trigger` changes (`lifecycle.replace_triggered_by`). */
export function replaceWhenChanged(resource: TerraformResource, trigger: TerraformResource): void {
  // Terraform's JSON syntax wants a bare address here; cdktf would write a "${...}" template.
  resource.addOverride('lifecycle.replace_triggered_by', [addressOf(trigger)]);
}

/**
 * The base configuration of a hand-written hashicorp/aws resource binding: its type, and every
 * meta-argument the caller gave (provider, depends_on, lifecycle, count, for_each, ...).
 */
export function awsResourceConfig(terraformResourceType: string, meta: TerraformMetaArguments): TerraformResourceConfig {
  return {
    terraformResourceType,
    terraformGeneratorMetadata: { providerName: 'aws' },
    provider: meta.provider,
    dependsOn: meta.dependsOn,
    lifecycle: meta.lifecycle,
    count: meta.count,
    forEach: meta.forEach,
    connection: meta.connection,
    provisioners: meta.provisioners,
  };
}

/** Adds a warning to `scope` that synthesis reports (the cdktf CLI prints it; GuardrailsApp collects it). */
export function warn(scope: IConstruct, message: string): void {
  Annotations.of(scope).addWarning(message);
}

// ---------------------------------------------------------------------------------------------------
// Stack-level settings
// ---------------------------------------------------------------------------------------------------

/**
 * The hashicorp/aws version the provider bindings are generated from, as the generated
 * `AwsProvider` declares it to cdktf (`terraformGeneratorMetadata.providerVersion`, which cdktf
 * writes as the stack's `required_providers.aws.version`): 6.25.0 for `@cdktf/provider-aws`
 * 21.22.1, 6.66.0 for `@cdktn/provider-aws` 25.7.0. Read from the bindings, so each flavor of the
 * package gets its own without a constant to keep in step.
 */
export const AWS_BINDINGS_VERSION: string = readBindingsVersion();

function readBindingsVersion(): string {
  // A provider in a stack outside any app: constructing one writes nothing and registers nothing.
  const probe = new AwsProvider(new TerraformStack(new Construct(undefined as unknown as Construct, ''), 'bindings'), 'aws');
  const version = probe.terraformGeneratorMetadata?.providerVersion;
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`The AWS provider bindings declare no hashicorp/aws version (terraformGeneratorMetadata.providerVersion: ${JSON.stringify(version)}).`);
  }
  return version;
}

/**
 * A hashicorp/aws constraint from the bindings' version up to the next major release, e.g.
 * `>= 6.25.0, < 7.0.0`: the releases that have every argument the bindings may render.
 */
export function awsProviderFromBindings(): string {
  return `>= ${AWS_BINDINGS_VERSION}, < ${Number(AWS_BINDINGS_VERSION.split('.')[0]) + 1}.0.0`;
}

/** Sets the version constraint of the hashicorp/aws provider in `scope`'s stack. */
export function constrainAwsProvider(scope: IConstruct, constraint: string): void {
  TerraformStack.of(scope).addOverride('terraform.required_providers.aws.version', constraint);
}

const REQUIRED_TERRAFORM_ID = 'RequiredTerraformVersion';

/**
 * The lowest Terraform CLI version a stack's JSON needs, raised by each construct that emits a
 * newer language feature, and written as `terraform.required_version` (`>= <version>`), so an older
 * CLI refuses the configuration before it plans rather than half-way through an apply. A construct
 * in the stack's tree, so the state it keeps is visible there.
 */
class RequiredTerraformVersion extends Construct {
  private version = '0.0.0';

  constructor(stack: TerraformStack) {
    super(stack, REQUIRED_TERRAFORM_ID);
    stack.addOverride('terraform.required_version', Lazy.stringValue({ produce: () => `>= ${this.version}` }));
  }

  public raise(version: string): void {
    if (compareVersions(version, this.version) > 0) this.version = version;
  }
}

/**
 * Records that `scope`'s stack needs Terraform `version` or later (for example `terraform_data`
 * needs 1.4, `import` blocks 1.5).
 */
export function requireTerraformVersion(scope: IConstruct, version: string): void {
  const stack = TerraformStack.of(scope);
  const marker = (stack.node.tryFindChild(REQUIRED_TERRAFORM_ID) as RequiredTerraformVersion | undefined) ?? new RequiredTerraformVersion(stack);
  marker.raise(version);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// Providers
// ---------------------------------------------------------------------------------------------------

/** The stack's un-aliased AwsProvider: the one resources without a `provider` use. */
export function defaultAwsProvider(scope: IConstruct): AwsProvider | undefined {
  return TerraformStack.of(scope).node.children.find((c): c is AwsProvider => c instanceof AwsProvider && !c.alias);
}

/** The AwsProvider behind `provider`, if it is one. */
export function asAwsProvider(provider: TerraformProvider | undefined): AwsProvider | undefined {
  return provider instanceof AwsProvider ? provider : undefined;
}

/** The account a provider is pinned to (`allowedAccountIds` with one literal entry), if any. */
export function pinnedAccount(provider: TerraformProvider | undefined): string | undefined {
  const pinned = asAwsProvider(provider)?.allowedAccountIds;
  return pinned && pinned.length === 1 && !isToken(pinned[0]) ? pinned[0] : undefined;
}

/** The provider's alias, if it has one. */
export function providerAlias(provider: TerraformProvider | undefined): string | undefined {
  return (provider as (TerraformProvider & { alias?: string }) | undefined)?.alias;
}
