import { Construct } from 'constructs';
import { GuardrailPrincipal } from './principals';
import { NativeGuardrailResourcePolicy } from './native';
import { IGuardrail } from '../guardrail/guardrail-base';
import { Implementation } from '../implementation';
import { REGION_PATTERN } from '../model/identifiers';
import { Organization } from '../model/organization';
import { mergeGrants, reachOfAccount, ResourcePolicyKnowledge } from '../model/reach';
import { APPLY_GUARDRAIL } from '../model/shim-contract';
import { fail, isToken, show } from '../model/validate';
import { LambdaInvocation, TerraformResource, atSynth, defaultAwsProvider, pinnedAccount, requireTerraformVersion, splitElement } from '../private/cdktf';
import { ShimHost } from '../shim/shim-host';
import { GuardrailsValidation } from '../validation/validation';

/** The action that lets a caller apply a guardrail. */
export { APPLY_GUARDRAIL };
/** The action that lets a caller read a guardrail. */
export const GET_GUARDRAIL = 'bedrock:GetGuardrail';

/** Properties of a {@link GuardrailResourcePolicy}. */
export interface GuardrailResourcePolicyProps {
  /** The guardrail the policy is attached to; it must live in the account of its provider. */
  readonly guardrail: IGuardrail;
  /**
   * Who may apply the guardrail. Organization enforcement needs the organization, or the OUs of
   * every targeted account.
   * @default none: give `principals` or `statements`
   */
  readonly principals?: GuardrailPrincipal[];
  /**
   * Statements written as IAM JSON objects (for example copied from the console), checked against
   * the patterns Bedrock accepts and turned into principals. Anything else is refused with the fix.
   * @default none
   */
  readonly statements?: Record<string, unknown>[];
  /** Also grant `bedrock:GetGuardrail` on the guardrail (not on profiles, which accept only apply). @default true */
  readonly allowGetGuardrail?: boolean;
  /**
   * Regions whose guardrail profile gets the same grant, when the guardrail uses cross-region
   * inference.
   * @default the profile's destination regions for the guardrail's region (the guardrail's region alone when unknown)
   */
  readonly profileRegions?: string[];
  /** How the policy is made. @default Implementation.SHIM */
  readonly implementation?: Implementation;
  /**
   * Take over a policy already attached to the guardrail (made elsewhere) instead of refusing to
   * overwrite it.
   * @default false
   */
  readonly adoptExisting?: boolean;
  /**
   * The organization, for synth-time checks that enforcement targets are reached.
   * @default none: OU reach cannot be checked
   */
  readonly organization?: Organization;
}

/** One resource a policy is put on: the guardrail, or its profile in one region. */
interface PolicyTarget {
  readonly id: string;
  readonly region: string;
  readonly resourceArn: string;
  readonly actions: string[];
}

const OWNER = 'GuardrailResourcePolicy';

/**
 * A guardrail's resource-based policy: lets the organization, chosen OUs or the owning account
 * apply the guardrail (`bedrock:ApplyGuardrail`, and `bedrock:GetGuardrail` on the guardrail), and
 * when the guardrail uses cross-region inference, apply it through its guardrail profile in every
 * destination region. Organization-level enforcement does not work without it.
 *
 * Only the statement patterns Bedrock accepts can be expressed.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html
 */
export class GuardrailResourcePolicy extends Construct {
  /** The policy attached to `guardrail` in this app, if any. */
  public static of(guardrail: IGuardrail): GuardrailResourcePolicy | undefined {
    const found = GuardrailsValidation.of(guardrail).resourcePolicyFor(guardrail);
    return found instanceof GuardrailResourcePolicy ? found : undefined;
  }

  /**
   * The resources that put `guardrail`'s resource policies (guardrail and profiles) in this app:
   * what anything enforcing the guardrail must wait for. Empty when the app declares no policy.
   */
  public static resourcesOf(guardrail: IGuardrail): TerraformResource[] {
    const policy = GuardrailResourcePolicy.of(guardrail);
    return policy ? [...policy.invocations, ...policy.nativeResources] : [];
  }

  /** The guardrail. */
  public readonly guardrail: IGuardrail;
  /** The organization given for reach checks. */
  public readonly organization?: Organization;
  /** The shim invocations (one per resource), when made through the shim or handed over from it. */
  public readonly invocations: LambdaInvocation[] = [];
  /** The native resources, with `Implementation.NATIVE`. */
  public readonly nativeResources: NativeGuardrailResourcePolicy[] = [];
  private readonly principalList: GuardrailPrincipal[] = [];
  private readonly allowGet: boolean;

  constructor(scope: Construct, id: string, props: GuardrailResourcePolicyProps) {
    super(scope, id);
    const owner = `${OWNER}(${this.node.path})`;
    const validation = GuardrailsValidation.of(this);
    const existing = GuardrailResourcePolicy.of(props.guardrail);
    if (existing) {
      fail(owner, 'guardrail', `already has a resource policy (${existing.node.path}); a guardrail has exactly one`,
        'Add principals to the existing policy with `addPrincipal()` or `guardrail.grantApply()`.');
    }
    this.guardrail = props.guardrail;
    this.organization = props.organization;
    this.allowGet = props.allowGetGuardrail ?? true;
    (props.statements ?? []).forEach((s, i) => this.addPrincipal(principalFromStatement(owner, `statements[${i}]`, s, props.guardrail.account)));
    (props.principals ?? []).forEach((p) => this.addPrincipal(p));
    validation.addOrganization(props.organization);
    validation.addResourcePolicy(this, props.guardrail, () => ({
      path: this.node.path,
      guardrailPath: this.guardrail.node.path,
      grants: mergeGrants(this.principalList.map((p) => p.toGrants())),
      principalCount: this.principalList.length,
    }));

    const targets = this.targets(owner, props.profileRegions);
    const implementation = props.implementation ?? Implementation.SHIM;
    // One host serves every region of its account: reuse the stack's default one when it is the
    // guardrail's account, rather than a Lambda per regional provider.
    const g = props.guardrail;
    const stackDefault = defaultAwsProvider(this);
    const useDefault = g.provider === undefined || (stackDefault !== undefined && g.account !== undefined && pinnedAccount(stackDefault) === g.account);
    const host = useDefault ? ShimHost.of(this) : ShimHost.of(this, g.provider);
    for (const t of targets) {
      if (implementation === Implementation.NATIVE) {
        const native = new NativeGuardrailResourcePolicy(this, `${t.id}Native`, {
          provider: props.guardrail.provider,
          // A profile's policy is put in the profile's own region, not the guardrail's.
          region: t.region !== g.region ? t.region : undefined,
          resourceArn: t.resourceArn,
          policy: atSynth(() => this.policyJson(t)),
        });
        native.importFrom(t.resourceArn);
        // import blocks arrived in Terraform 1.5.
        requireTerraformVersion(this, '1.5.0');
        this.nativeResources.push(native);
      }
      this.invocations.push(host.manage(this, t.id, {
        kind: 'GuardrailResourcePolicy',
        target: { accountId: this.guardrail.account ?? host.accountId, region: t.region },
        properties: () => ({
          resourceArn: t.resourceArn,
          policy: this.policyJson(t),
          adoptExisting: props.adoptExisting ?? false,
          ...(implementation === Implementation.NATIVE ? { release: true } : {}),
        }),
        resourceArns: [t.resourceArn],
      }));
    }
  }

  /** Adds a principal (duplicates are ignored). */
  public addPrincipal(principal: GuardrailPrincipal): void {
    const key = principal.describe();
    if (!this.principalList.some((p) => p.describe() === key)) this.principalList.push(principal);
  }

  /** The principals granted, in the order added. */
  public get principals(): readonly GuardrailPrincipal[] {
    return [...this.principalList];
  }

  /**
   * Whether the policy lets `accountId` apply the guardrail: `true`, `false`, or `undefined` when
   * that cannot be told at synth (the account is not declared in the organization).
   */
  public reaches(accountId: string, organization?: Organization): boolean | undefined {
    if (this.principalList.length === 0) return false;
    return reachOfAccount({
      knowledge: ResourcePolicyKnowledge.DECLARED,
      grants: mergeGrants(this.principalList.map((p) => p.toGrants())),
      ownerAccount: this.guardrail.account,
    }, organization ?? this.organization, accountId).reached;
  }

  private targets(owner: string, profileRegions: string[] | undefined): PolicyTarget[] {
    const g = this.guardrail;
    const guardrailActions = this.allowGet ? [APPLY_GUARDRAIL, GET_GUARDRAIL] : [APPLY_GUARDRAIL];
    const out: PolicyTarget[] = [{ id: 'Guardrail', region: g.region, resourceArn: g.guardrailArn, actions: guardrailActions }];
    const profile = g.crossRegionProfile;
    if (profile === undefined) {
      if (profileRegions !== undefined) {
        fail(owner, 'profileRegions', `is set (${show(profileRegions)}) but the guardrail uses no cross-region profile`, 'Remove `profileRegions`.');
      }
      return out;
    }
    const regions = profileRegions ?? profile.destinationRegions(g.region);
    const accountExpr = g.account ?? accountOfArn(g.guardrailArn);
    for (const region of [...new Set(regions)].sort()) {
      if (!isToken(region) && !REGION_PATTERN.test(region)) {
        fail(owner, 'profileRegions', `holds ${show(region)}, which is not a region name`, 'Use names like "us-west-2".');
      }
      out.push({
        id: `Profile-${region}`,
        region,
        resourceArn: profile.arn(region, accountExpr),
        actions: [APPLY_GUARDRAIL],
      });
    }
    return out;
  }

  private policyJson(t: PolicyTarget): string {
    const owner = this.guardrail.account ?? accountOfArn(this.guardrail.guardrailArn);
    const statements = this.principalList.map((p, i) => ({
      Sid: `ApplyGuardrail${i + 1}`,
      Effect: 'Allow',
      ...p.toStatementParts(owner),
      Action: t.actions.length === 1 ? t.actions[0] : t.actions,
      Resource: t.resourceArn,
    }));
    // Principal before Condition reads as AWS's examples do.
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: statements.map(({ Sid, Effect, Principal, Action, Resource, Condition }) =>
        (Condition ? { Sid, Effect, Principal, Action, Resource, Condition } : { Sid, Effect, Principal, Action, Resource })),
    });
  }
}

/** The account part of a guardrail ARN, literal or as a Terraform expression. */
function accountOfArn(arn: string): string {
  if (!isToken(arn)) return arn.split(':')[4];
  return splitElement(arn, ':', 4);
}

/** Reads one IAM statement and returns the principal it grants, refusing what Bedrock does not accept. */
export function principalFromStatement(owner: string, path: string, s: Record<string, unknown>, ownerAccount?: string): GuardrailPrincipal {
  const refuse = (what: string, fix: string): never => fail(owner, path, what, fix);
  const allowedKeys = ['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition'];
  const extra = Object.keys(s).filter((k) => !allowedKeys.includes(k));
  if (extra.length) refuse(`has ${extra.join(', ')}, which the supported statement patterns do not use`, 'Remove them; use Principal, Action, Resource and Condition only.');
  if (s.Effect !== 'Allow') refuse(`has Effect ${show(s.Effect)}; Bedrock's guardrail policies accept Allow statements only`, 'Set "Effect": "Allow".');
  const actions = ([] as unknown[]).concat(s.Action ?? []);
  for (const a of actions) {
    if (a === 'bedrock:InvokeGuardrail') {
      refuse('grants "bedrock:InvokeGuardrail", an action that does not exist, so the statement grants nothing', 'Use "bedrock:ApplyGuardrail" (and "bedrock:GetGuardrail").');
    }
    if (a !== APPLY_GUARDRAIL && a !== GET_GUARDRAIL) {
      refuse(`grants ${show(a)}; a guardrail policy may grant only bedrock:ApplyGuardrail and bedrock:GetGuardrail`, 'Remove the other actions.');
    }
  }
  if (!actions.includes(APPLY_GUARDRAIL)) refuse('does not grant bedrock:ApplyGuardrail, so enforcement cannot use it', 'Add "bedrock:ApplyGuardrail" to Action.');
  const cond = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
  const condKeys = Object.keys(cond);
  const orgId = cond.StringEquals?.['aws:PrincipalOrgID'];
  const paths = cond['ForAnyValue:StringLike']?.['aws:PrincipalOrgPaths'];
  const principal = s.Principal;
  if (principal !== '*' && !(typeof principal === 'object' && principal !== null && '*' === (principal as Record<string, unknown>).AWS)) {
    const aws = typeof principal === 'object' && principal !== null ? (principal as Record<string, unknown>).AWS : principal;
    const m = typeof aws === 'string' ? /^(?:arn:aws[a-z-]*:iam::(\d{12}):root|(\d{12}))$/.exec(aws) : null;
    if (!m) refuse(`has Principal ${show(principal)}, which Bedrock does not accept`, 'Use the owning account, the organization or OUs (GuardrailPrincipal factories).');
    if (condKeys.length) refuse('puts a Condition on an account principal; the owning-account pattern has none', 'Remove the Condition.');
    const account = m![1] ?? m![2];
    if (ownerAccount !== undefined && !isToken(ownerAccount) && account !== ownerAccount) {
      refuse(`names account ${account}, but a guardrail policy may name only the owning account (${ownerAccount}): Bedrock does not accept specific member accounts`,
        'Grant the OU the account is in (GuardrailPrincipal.organizationalUnits) or the whole organization (GuardrailPrincipal.organization).');
    }
    return GuardrailPrincipal.owningAccount();
  }
  if (typeof orgId !== 'string') {
    refuse('has Principal "*" without an aws:PrincipalOrgID condition, which Bedrock refuses (it would share outside the organization)',
      'Add "Condition": {"StringEquals": {"aws:PrincipalOrgID": "<org id>"}}, or use GuardrailPrincipal.organization(orgId).');
  }
  const known = condKeys.every((k) => k === 'StringEquals' || k === 'ForAnyValue:StringLike')
    && Object.keys(cond.StringEquals ?? {}).every((k) => k === 'aws:PrincipalOrgID')
    && Object.keys(cond['ForAnyValue:StringLike'] ?? {}).every((k) => k === 'aws:PrincipalOrgPaths');
  if (!known) refuse(`has conditions ${show(cond)}; Bedrock accepts only aws:PrincipalOrgID and aws:PrincipalOrgPaths`, 'Remove the other conditions.');
  if (paths === undefined) return GuardrailPrincipal.organization(orgId as string);
  const ous = ([] as unknown[]).concat(paths).map((p) => {
    const m = typeof p === 'string' ? /^(o-[a-z0-9]+)\/\*\/(ou-[0-9a-z]+-[a-z0-9]+)\/\*$/.exec(p) : null;
    if (!m || m[1] !== orgId) refuse(`has org path ${show(p)}; the supported form is "<org id>/*/<ou id>/*" for the same organization`, `Write it as "${orgId}/*/<ou id>/*".`);
    return m![2];
  });
  return GuardrailPrincipal.organizationalUnits(orgId as string, ous);
}
