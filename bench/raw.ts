/**
 * The benchmark's organization written by hand with the provider classes only (deep imports of
 * `@cdktf/provider-aws/lib/...`, no import of the library): the same stacks, construct paths and
 * resources as {@link buildLibraryApp}, so the synthesized Terraform JSON is the same, byte for byte.
 *
 * It is the baseline the library's synthesis time is compared with, and it is given every
 * advantage a careful hand-written program could take: the handler zip is made before the clock
 * starts, and attribute references and `dependsOn` tokens used by every invocation are made once.
 */
import { createHash } from 'crypto';
import { App, AssetType, DataResource, DefaultTokenResolver, StringConcat, TerraformAsset, TerraformStack, Tokenization, dependable } from 'cdktf';
import { Construct } from 'constructs';
import { BedrockGuardrail, BedrockGuardrailConfig } from '@cdktf/provider-aws/lib/bedrock-guardrail';
import { BedrockGuardrailVersion } from '@cdktf/provider-aws/lib/bedrock-guardrail-version';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  ENFORCED_VERSION, MANAGEMENT_ACCOUNT, MANAGEMENT_STACK, MEMBER_STACK_PREFIX, OU_COUNT, ORGANIZATION_ID, REGIONS,
  guardrailArn, memberAccounts, memberStackCount, ouId,
} from './fixture';
import { accountStackIndex } from '../src/model/partition';

/** The shim handler as the library packages it: a zip, the asset hash of its directory, and the code's SHA-256. */
export interface HandlerCode {
  /** Path of the zip holding `index.js` (named `archive.zip`). */
  readonly zip: string;
  /** The asset hash cdktf gives the bundle directory. */
  readonly assetHash: string;
  /** Hex SHA-256 of `index.js`. */
  readonly sha256: string;
}

const BLOCKED = 'Sorry, the model cannot answer this question.';
const SESSION_NAME = 'cdktf-bedrock-guardrails';
const ROLE_NAME = 'OrganizationAccountAccessRole';

/** The guardrail's content: every content filter at HIGH for text, prompt attacks on input, and one denied topic. */
function guardrailConfig(region: string, provider: AwsProvider | undefined): BedrockGuardrailConfig {
  const both = (type: string) => ({
    type, inputStrength: 'HIGH', outputStrength: 'HIGH', inputAction: 'BLOCK', outputAction: 'BLOCK', inputEnabled: true, outputEnabled: true,
    inputModalities: ['TEXT'], outputModalities: ['TEXT'],
  });
  return {
    provider,
    name: `org-baseline-${region}`,
    description: 'Organization-wide baseline guardrail',
    blockedInputMessaging: BLOCKED,
    blockedOutputsMessaging: BLOCKED,
    contentPolicyConfig: [{
      filtersConfig: [
        ...['SEXUAL', 'VIOLENCE', 'HATE', 'INSULTS', 'MISCONDUCT'].map(both),
        { type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE', inputAction: 'BLOCK', inputEnabled: true, inputModalities: ['TEXT'] },
      ],
    }],
    topicPolicyConfig: [{
      topicsConfig: [{
        name: 'Financial advice',
        definition: 'Recommendations about investing, trading, or allocating money in specific securities, funds, cryptocurrencies or retirement accounts, tailored to a person.',
        examples: ['Which stocks should I buy this month?', 'Should I move my 401k into crypto?', 'Is now a good time to sell my index funds?'],
        type: 'DENY',
      }],
    }],
  };
}

/** JSON with sorted keys, undefined values dropped. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the guardrail's resolved content, without tags, timeouts and meta-arguments. */
function contentDigest(resource: BedrockGuardrail): string {
  const resolved = Tokenization.resolve(resource.toTerraform(), { scope: resource, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
  const block = { ...resolved.resource[BedrockGuardrail.tfResourceType][resource.friendlyUniqueId] };
  for (const k of ['tags', 'tags_all', 'timeouts', 'lifecycle', 'depends_on', 'provider', 'count', 'for_each', '//']) delete block[k];
  return createHash('sha256').update(stable(block)).digest('hex');
}

/** The shim host's Lambda function, role, role policy and log group. */
class Host {
  public readonly functionName: string;
  public readonly policyDependency: string;

  constructor(stack: TerraformStack, id: string, code: HandlerCode, provider: AwsProvider | undefined, statements: (logGroupArn: string) => object[]) {
    const scope = new Construct(stack, id);
    const name = `${stack.node.id}-${id}`;
    const asset = new TerraformAsset(scope, 'Code', { path: code.zip, type: AssetType.FILE, assetHash: code.assetHash });
    const logs = new CloudwatchLogGroup(scope, 'Logs', { provider, name: `/aws/lambda/${name}`, retentionInDays: 90 });
    const role = new IamRole(scope, 'Role', {
      provider,
      name,
      description: 'Runs the cdktf-bedrock-guardrails shim handler',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    const policy = new IamRolePolicy(scope, 'Policy', {
      provider,
      name: 'shim',
      role: role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logs.arn}:*` },
          ...statements(logs.arn),
        ],
      }),
    });
    const fn = new LambdaFunction(scope, 'Function', {
      provider,
      functionName: name,
      description: 'Manages Bedrock guardrail resource policies, account-level enforcement and policy types for Terraform',
      role: role.arn,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: code.sha256,
      timeout: 300,
      memorySize: 256,
      architectures: ['arm64'],
      loggingConfig: { logFormat: 'Text', logGroup: logs.name },
      dependsOn: [logs],
    });
    this.functionName = fn.functionName;
    this.policyDependency = dependable(policy);
  }
}

/** One CRUD invocation of a host. */
function invoke(host: Host, scope: Construct, id: string, provider: AwsProvider | undefined, input: object): LambdaInvocation {
  const invocation = new LambdaInvocation(scope, id, {
    provider,
    functionName: host.functionName,
    input: JSON.stringify(input),
    lifecycleScope: 'CRUD',
    terraformKey: 'tf',
  });
  invocation.dependsOn = [host.policyDependency];
  return invocation;
}

function address(r: LambdaInvocation): string {
  return `${r.terraformResourceType}.${r.friendlyUniqueId}`;
}

function target(accountId: string, region: string, roleArn: string | null) {
  return { accountId, region, roleArn, sessionName: SESSION_NAME };
}

/** Builds the same organization as the library program, by hand. */
export function buildRawApp(app: App, n: number, code: HandlerCode): void {
  const management = new TerraformStack(app, MANAGEMENT_STACK);
  const providers = REGIONS.map((region, i) => new AwsProvider(management, i === 0 ? 'aws' : `aws-${region}`, {
    region,
    alias: i === 0 ? undefined : region,
    allowedAccountIds: [MANAGEMENT_ACCOUNT],
  }));
  const guardrails = REGIONS.map((region, i) => {
    const scope = new Construct(management, `Guardrail-${region}`);
    const provider = i === 0 ? undefined : providers[i];
    const resource = new BedrockGuardrail(scope, 'Resource', guardrailConfig(region, provider));
    const versionScope = new Construct(scope, 'Version');
    const digest = new DataResource(versionScope, 'ContentDigest', { input: { guardrail_content_sha256: contentDigest(resource) } });
    const version = new BedrockGuardrailVersion(versionScope, 'Resource', { provider, guardrailArn: resource.guardrailArn, description: 'Baseline', skipDestroy: true });
    version.addOverride('lifecycle.replace_triggered_by', [`${DataResource.tfResourceType}.${digest.friendlyUniqueId}`]);
    return { scope, provider, resource, version, region };
  });
  // One host serves every region of the management account.
  const host = new Host(management, 'GuardrailsShim', code, undefined, () => [
    {
      Sid: 'GuardrailResourcePolicy',
      Effect: 'Allow',
      Action: ['bedrock:GetResourcePolicy', 'bedrock:PutResourcePolicy', 'bedrock:DeleteResourcePolicy'],
      Resource: guardrails.map((g) => g.resource.guardrailArn).sort(),
    },
    { Sid: 'OrganizationPolicyType', Effect: 'Allow', Action: ['organizations:ListRoots', 'organizations:EnablePolicyType', 'organizations:DisablePolicyType'], Resource: '*' },
  ]);
  const grants: LambdaInvocation[] = [];
  for (const g of guardrails) {
    const scope = new Construct(g.scope, 'ResourcePolicy');
    grants.push(invoke(host, scope, 'Guardrail', undefined, {
      kind: 'GuardrailResourcePolicy',
      name: `${scope.node.path}/Guardrail`,
      target: target(MANAGEMENT_ACCOUNT, g.region, null),
      properties: {
        resourceArn: g.resource.guardrailArn,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{
            Sid: 'ApplyGuardrail1',
            Effect: 'Allow',
            Principal: '*',
            Action: ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'],
            Resource: g.resource.guardrailArn,
            Condition: { StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION_ID } },
          }],
        }),
        adoptExisting: false,
      },
    }));
  }
  // Enforcement waits for every grant, in address order.
  grants.sort((a, b) => (address(a) < address(b) ? -1 : 1));
  const enabler = new Construct(management, 'BedrockPolicyType');
  const enable = invoke(host, enabler, 'Enable', undefined, {
    kind: 'OrganizationPolicyType',
    name: `${enabler.node.path}/Enable`,
    target: target(MANAGEMENT_ACCOUNT, REGIONS[0], null),
    properties: { policyType: 'BEDROCK_POLICY', disableOnDelete: false },
  });
  const orgScope = new Construct(management, 'OrganizationPolicy');
  const inference: Record<string, object> = {};
  for (const g of guardrails) {
    inference[g.region] = {
      baseline: {
        identifier: { '@@assign': `${g.resource.guardrailArn}:${g.version.version}` },
        selective_content_guarding: { messages: { '@@assign': 'comprehensive' } },
      },
    };
  }
  const policy = new OrganizationsPolicy(orgScope, 'Policy', {
    name: 'bedrock-guardrails',
    description: 'Bedrock guardrail enforcement managed by cdktf-bedrock-guardrails',
    type: 'BEDROCK_POLICY',
    content: JSON.stringify({ bedrock: { guardrail_inference: inference } }),
    dependsOn: [enable, ...grants],
  });
  for (let i = 0; i < OU_COUNT; i++) {
    new OrganizationsPolicyAttachment(orgScope, `Attachment-${ouId(i)}`, { policyId: policy.id, targetId: ouId(i), dependsOn: grants });
  }
  management.addOverride('terraform.required_providers.aws.version', '>= 6.25.0, < 7.0.0');
  management.addOverride('terraform.required_version', '>= 1.4.0');

  const accounts = memberAccounts(n);
  // The same split as the library's: each account's stack is chosen by rendezvous hashing.
  const stackCount = memberStackCount(n);
  const shards: string[][] = Array.from({ length: stackCount }, () => []);
  for (const account of accounts) shards[accountStackIndex(account, stackCount)].push(account);
  shards.forEach((chunk, i) => {
    const stack = new TerraformStack(app, `${MEMBER_STACK_PREFIX}-${i + 1}`);
    new AwsProvider(stack, 'aws', { region: REGIONS[0], allowedAccountIds: [MANAGEMENT_ACCOUNT] });
    if (chunk.length === 0) return;
    const roleArn = (account: string) => `arn:aws:iam::${account}:role/${ROLE_NAME}`;
    const host = new Host(stack, 'GuardrailsShim', code, undefined, () => [
      { Sid: 'AssumeMemberRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: chunk.map(roleArn).sort() },
    ]);
    for (const account of chunk) {
      for (const region of REGIONS) {
        const scope = new Construct(stack, `Member-${account}-${region}`);
        invoke(host, scope, 'Configuration', undefined, {
          kind: 'EnforcedGuardrailConfiguration',
          name: `${scope.node.path}/Configuration`,
          target: target(account, region, roleArn(account)),
          properties: {
            guardrailIdentifier: guardrailArn(region),
            guardrailVersion: ENFORCED_VERSION,
            selectiveContentGuarding: { messages: 'COMPREHENSIVE' },
            adoptExisting: false,
          },
        });
      }
    }
  });
}
