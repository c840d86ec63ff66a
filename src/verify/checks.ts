/**
 * The checks of `verify`: a synthesized app (app-model.ts) against live AWS, read with the
 * caller's credentials in the management account and, in member accounts, through the member
 * role narrowed by a session policy (reads only; for `--probe`, `bedrock:ApplyGuardrail` only).
 *
 * 1. every enforced guardrail version exists, is numbered, is READY, lives in the region it is
 *    enforced in, and (for organization-level enforcement) is the management account's and has no
 *    automated reasoning policy;
 * 2. every guardrail (and guardrail profile) resource policy of the app is in place as the app
 *    writes it, and lets every account the app enforces apply the guardrail, evaluated against the
 *    account's real place in the organization (ListParents), not the declared one;
 * 3. `BEDROCK_POLICY` is enabled on the root, and each policy exists, says what the app says and is
 *    attached exactly where the app attaches it;
 * 4. each account's effective `BEDROCK_POLICY` equals the preview's prediction, field by field, and
 *    ListAccountsWithInvalidEffectivePolicy lists no account;
 * 5. each account-level configuration is in place as the app wants it, last written by the app;
 * 6. with `--probe`, ApplyGuardrail from each target account succeeds; with `--stage N`, the
 *    accounts of rollout stage N get checks 2 and 6 before the stage is attached.
 *
 * Values Terraform computes at apply are resolved live, and each resolution is reported: a
 * guardrail's ARN by its name (ListGuardrails), a policy's ID by its name (ListPolicies), a
 * version number from the live policy that names it, else from the live account-level
 * configuration, else the guardrail's newest numbered version.
 */
import { ApplyGuardrailCommand } from '@aws-sdk/client-bedrock-runtime';
import {
  APP_PREVIEW_FILE, AppModel, EnforcedConfigurationObject, GuardrailModel, OrganizationPolicyModel, allGuardrails, bedrockPolicies, previewAccount,
  referencesIn, shimObjectsOf, substitute,
} from './app-model';
import { AwsAccess, SESSION_ACTIONS } from './aws';
import { compare } from './common';
import { mapLimit } from './concurrency';
import { EffectiveConfiguration, EffectiveDrift, WHOLE_CONFIGURATION, compareEffective, parseEffectiveContent } from './effective-policy';
import { evaluateApplyGrant } from './grant';
import { AccountPlace, BEDROCK_POLICY, LiveBedrock, LiveOrganization, LivePolicy, OrganizationInfo } from './live';
import { CheckName, Finding, ORGANIZATION_ROW, Resolution, VerifyReport, sortFindings, totalsOf } from './report';
import { VERSION_NUMBER_PATTERN, guardrailArnOf, guardrailResourceLocation, parseEnforcementIdentifier, parseGuardrailArn, roleArn } from '../model/identifiers';
import type { AccountEnforcementPreview, EffectiveConfigurationPreview } from '../validation/preview';
import { principalMatch } from '../shim/handler/aws';
import { samePolicy } from '../shim/handler/canonical';
import { CallFailedError, errorCode, isCode } from '../shim/handler/retry';

/** The text `--probe` asks each guardrail to assess: nothing any filter should act on. */
export const PROBE_TEXT = 'Connectivity check from cdktf-bedrock-guardrails verify: hello.';

/** Options of {@link verifyApp}. */
export interface VerifyOptions {
  /** Apply each enforced guardrail version from each target account. */
  readonly probe: boolean;
  /** Also check the accounts of this pending rollout stage. @default none */
  readonly stage?: number;
  /** Role name assumed in member accounts the app names no role for. */
  readonly memberRoleName: string;
  /** Accounts checked at once. */
  readonly concurrency: number;
  /** Called each time an account's checks finish. @default none */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Raised when verify cannot run at all (exit code 2), as opposed to finding problems (exit code 1). */
export class CannotRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CannotRunError';
  }
}

/** A guardrail version an enforcement names. */
interface EnforcedVersion {
  /** The guardrail's ARN, without version. */
  readonly arn: string;
  /** The version, as written (numbered or not). */
  readonly version: string;
  /** The account that owns the guardrail. */
  readonly owner: string;
  /** The region the guardrail lives in. */
  readonly arnRegion: string;
}

/** A guardrail version an enforcement names in one region. */
interface EnforcedUse extends EnforcedVersion {
  /** The region it is enforced in. */
  readonly region: string;
}

/** What an account needs to be able to apply: one guardrail version in one region. */
interface Need extends EnforcedUse {
  /** How the app enforces it: e.g. `organization policy bedrock-guardrails`. */
  readonly via: string;
  /** Set for a rollout stage not attached yet. */
  readonly stage?: number;
}

/** One use of a guardrail version by the app, for check 1. */
interface VersionUse extends EnforcedUse {
  readonly organizationLevel: boolean;
  readonly via: string;
}

/** An identifier of the app's policies that resolves to something that is not `<guardrail ARN>:<version>`. */
interface MalformedUse {
  readonly identifier: string;
  readonly region: string;
  readonly via: string;
}

interface LivePolicyState {
  readonly policy: OrganizationPolicyModel;
  readonly live?: LivePolicy;
  /** The live content, read once (empty when it is not JSON). */
  readonly settings?: EffectiveConfiguration[];
  readonly targets?: Array<{ id: string; type: string }>;
  readonly error?: string;
}

/** The guardrail version of a literal enforcement identifier (`<guardrail ARN>:<version>`), or undefined when it is not one. */
function enforcedVersion(identifier: string): EnforcedVersion | undefined {
  const p = parseEnforcementIdentifier(identifier);
  return p ? { arn: guardrailArnOf(p), version: p.version, owner: p.account, arnRegion: p.region } : undefined;
}

/**
 * An AWS failure for a message that already names the call: the error code and message, the
 * attempts when retried, and the operation only when it is another one (a member role that could
 * not be assumed on the way).
 */
function describeError(err: unknown): string {
  if (!(err instanceof CallFailedError)) return `${errorCode(err)}: ${(err as Error)?.message ?? String(err)}`;
  const cause = (err.cause as { message?: unknown } | undefined)?.message;
  const text = `${err.code}: ${typeof cause === 'string' && cause ? cause : 'no message'}${err.attempts > 1 ? ` (after ${err.attempts} attempts)` : ''}`;
  return err.operation.startsWith('AssumeRole') ? `${err.operation} failed: ${text}` : text;
}

function guardrailName(arn: string, names: Map<string, string>): string {
  return names.get(arn) ?? parseGuardrailArn(arn)?.guardrailId ?? arn;
}

/** One verify run over one app. */
class VerifyRun {
  private readonly findings: Finding[] = [];
  private readonly resolutions = new Map<string, Resolution>();
  private readonly values = new Map<string, string>();
  private readonly org: LiveOrganization;
  private readonly bedrock: LiveBedrock;
  private readonly names = new Map<string, string>();
  /** The app's guardrails by their live ARN. */
  private readonly guardrailsByArn = new Map<string, GuardrailModel>();
  private caller!: { account: string; arn: string; partition: string };
  private info?: OrganizationInfo;
  private livePolicies: LivePolicyState[] = [];

  constructor(private readonly app: AppModel, private readonly aws: AwsAccess, private readonly options: VerifyOptions) {
    this.org = new LiveOrganization(aws);
    this.bedrock = new LiveBedrock(aws);
  }

  private add(f: Finding): void {
    this.findings.push(f);
  }

  private problem(account: string, region: string, check: CheckName, summary: string, fix: string, details?: string[]): void {
    this.add({ account, region, check, status: 'problem', summary, fix, ...(details?.length ? { details } : {}) });
  }

  private ok(account: string, region: string, check: CheckName, summary: string, details?: string[]): void {
    this.add({ account, region, check, status: 'ok', summary, ...(details?.length ? { details } : {}) });
  }

  private resolve(stack: string, reference: string, value: string | undefined, source: string): void {
    const key = `${stack}\0${reference}`;
    if (value !== undefined) this.values.set(key, value);
    if (!this.resolutions.has(key)) this.resolutions.set(key, { stack, reference, ...(value !== undefined ? { value } : {}), source });
  }

  /** `value` with every interpolation of `stack` replaced by its resolved value; undefined if any is unknown. */
  private valueOf(stack: string, value: string): string | undefined {
    return substitute(value, (ref) => this.values.get(`${stack}\0${ref.text}`));
  }

  /** The role to read through in `account`: none for the caller's own account. */
  private roleFor(account: string, preferred?: string | null): string | undefined {
    if (account === this.caller.account) return undefined;
    return preferred ?? roleArn(account, this.options.memberRoleName, this.caller.partition);
  }

  /** The guardrail version an identifier of `stack` names, resolved; undefined when it cannot be resolved or is not `<guardrail ARN>:<version>`. */
  private enforcedIn(stack: string, identifier: string): EnforcedVersion | undefined {
    const value = this.valueOf(stack, identifier);
    return value === undefined ? undefined : enforcedVersion(value);
  }

  /** The guardrail versions a policy of the app names, one per configuration whose identifier resolves. */
  private policyUses(policy: OrganizationPolicyModel): EnforcedUse[] {
    return policy.configurations.flatMap((c) => {
      const e = this.enforcedIn(policy.stack, c.identifier);
      return e ? [{ ...e, region: c.region }] : [];
    });
  }

  /** What an account-level configuration enforces, when its guardrail resolves to an ARN and its version resolves. */
  private accountUse(o: EnforcedConfigurationObject): EnforcedUse | undefined {
    const arn = this.valueOf(o.stack, o.properties.guardrailIdentifier);
    const version = this.valueOf(o.stack, o.properties.guardrailVersion);
    const parts = arn ? parseGuardrailArn(arn) : undefined;
    return arn && version && parts ? { arn, version, owner: parts.account, arnRegion: parts.region, region: o.target.region } : undefined;
  }

  private stackAccount(stack: string): string {
    return this.app.stacks.find((s) => s.name === stack)?.providers[0]?.accountId ?? this.caller.account;
  }

  async run(): Promise<VerifyReport> {
    try {
      this.caller = await this.aws.identity();
    } catch (err) {
      throw new CannotRunError(`Cannot identify the caller (sts:GetCallerIdentity failed: ${describeError(err)}). Run verify with credentials for the organization's management account (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).`);
    }
    const policies = bedrockPolicies(this.app);
    const accountObjects = shimObjectsOf(this.app, 'EnforcedGuardrailConfiguration');
    this.resolveAccountTokens(accountObjects);
    const usesOrganization = policies.length > 0 || this.options.stage !== undefined
      || accountObjects.some((o) => this.targetAccount(o) !== this.guardrailOwner(o));
    if (usesOrganization) await this.readOrganization();
    this.checkStageOption();

    await this.resolveGuardrails();
    await this.readPolicies(policies);
    await mapLimit(accountObjects, this.options.concurrency, (o) => this.bedrock.configurations(o.target.region, this.roleFor(this.targetAccount(o), o.target.roleArn)).catch(() => undefined));
    await this.resolveVersions(accountObjects);

    this.checkOrganizationLevel(policies);
    await this.checkVersions(policies, accountObjects);
    await this.checkResourcePolicies();
    await this.checkAccounts(policies, accountObjects);
    return this.report();
  }

  // ----- identity and organization -----

  private async readOrganization(): Promise<void> {
    try {
      this.info = await this.org.info();
    } catch (err) {
      throw new CannotRunError(`Cannot read the organization (organizations:DescribeOrganization / ListRoots failed: ${describeError(err)}). The app enforces through AWS Organizations: run verify with the management account's credentials (or a delegated administrator's).`);
    }
    const deployers = [...new Set(bedrockPolicies(this.app).map((p) => this.stackAccount(p.stack)))].sort();
    const wrong = deployers.filter((a) => a !== this.info!.managementAccountId);
    if (wrong.length) {
      this.problem(ORGANIZATION_ROW, '-', 'caller', `the app deploys organization policies from account ${wrong.join(', ')}, but the organization's management account is ${this.info.managementAccountId}`,
        'Deploy organization enforcement from the management account: pin the management stack\'s provider to it (allowedAccountIds) and synthesize again.');
    } else if (this.caller.account !== this.info.managementAccountId) {
      this.add({ account: ORGANIZATION_ROW, region: '-', check: 'caller', status: 'note', summary: `running as ${this.caller.arn}, not in the management account ${this.info.managementAccountId}: reads that only the management account (or a delegated administrator) may make can be denied` });
    } else {
      this.ok(ORGANIZATION_ROW, '-', 'caller', `running as ${this.caller.arn} in the management account of ${this.info.id}`);
    }
  }

  private checkStageOption(): void {
    const stage = this.options.stage;
    if (stage === undefined) return;
    const policies = this.app.previewPolicies;
    if (!policies) {
      throw new CannotRunError(`--stage ${stage} needs the list of pending rollout stages (organizationPolicies in ${this.app.dir}/${APP_PREVIEW_FILE}), which this app's preview does not have. Synthesize the app with a cdktf-bedrock-guardrails version that writes it, then run verify again.`);
    }
    const stages = [...new Set(policies.flatMap((p) => p.pending.map((t) => t.stage)))].sort((a, b) => a - b);
    if (!stages.includes(stage)) {
      throw new CannotRunError(`--stage ${stage}: no target of the app waits for rollout stage ${stage}; pending stages: ${stages.length ? stages.join(', ') : 'none (every target is attached)'}. Give one of those, or leave --stage out.`);
    }
  }

  // ----- resolving what Terraform computes at apply -----

  private targetAccount(o: { stack: string; target: { accountId: string } }): string {
    return this.valueOf(o.stack, o.target.accountId) ?? o.target.accountId;
  }

  private guardrailOwner(o: EnforcedConfigurationObject): string {
    const ref = referencesIn(o.properties.guardrailIdentifier)[0];
    if (ref?.type === 'aws_bedrock_guardrail') {
      const g = allGuardrails(this.app).find((x) => x.stack === o.stack && x.address === ref.address);
      return g?.accountId ?? this.stackAccount(o.stack);
    }
    return parseGuardrailArn(o.properties.guardrailIdentifier)?.account ?? this.targetAccount(o);
  }

  /** Account IDs that are a caller-identity lookup (a stack whose provider pins no account). */
  private resolveAccountTokens(objects: EnforcedConfigurationObject[]): void {
    for (const o of [...objects, ...shimObjectsOf(this.app, 'GuardrailResourcePolicy'), ...shimObjectsOf(this.app, 'OrganizationPolicyType')]) {
      for (const ref of referencesIn(o.target.accountId)) {
        if (ref.type === 'data.aws_caller_identity') {
          this.resolve(o.stack, ref.text, this.stackAccount(o.stack), 'the stack\'s provider pins no account: taken as the caller\'s');
        }
      }
    }
  }

  private async resolveGuardrails(): Promise<void> {
    const guardrails = allGuardrails(this.app);
    // Listed concurrently, then resolved in the app's order, so the resolutions do not depend on which answer came first.
    const listed = await mapLimit(guardrails, this.options.concurrency, (g) => this.bedrock.guardrails(g.region, this.roleFor(g.accountId ?? this.caller.account))
      .then((list) => ({ list }), (err: unknown) => ({ err })));
    for (const [i, g] of guardrails.entries()) {
      const account = g.accountId ?? this.caller.account;
      const arnRef = `\${${g.address}.guardrail_arn}`;
      const idRef = `\${${g.address}.guardrail_id}`;
      const r = listed[i];
      if ('err' in r) {
        const err = r.err;
        this.resolve(g.stack, arnRef, undefined, `ListGuardrails in ${account} ${g.region} failed: ${describeError(err)}`);
        this.problem(account, g.region, 'guardrail version', `cannot list the guardrails of ${account} in ${g.region} to find "${g.name}" (${g.path}): ${describeError(err)}`,
          account === this.caller.account ? 'Allow the caller bedrock:ListGuardrails and bedrock:GetGuardrail.' : `Let verify assume ${this.roleFor(account)} (or pass --member-role) with bedrock:ListGuardrails allowed.`);
        continue;
      }
      const match = r.list.filter((x) => x.name === g.name).sort((a, b) => compare(a.arn ?? '', b.arn ?? ''))[0];
      if (!match?.arn || !match.id) {
        this.resolve(g.stack, arnRef, undefined, `no guardrail named "${g.name}" in ${account} ${g.region}`);
        this.problem(account, g.region, 'guardrail version', `guardrail "${g.name}" (${g.path}) not found in ${account} ${g.region}`,
          `Deploy stack ${g.stack} (cdktf deploy ${g.stack}, or terraform apply in its workspace); verify finds the guardrail by its name.`);
        continue;
      }
      this.names.set(match.arn, g.name);
      this.guardrailsByArn.set(match.arn, g);
      this.resolve(g.stack, arnRef, match.arn, `ListGuardrails: the guardrail named "${g.name}" in ${g.region}`);
      this.resolve(g.stack, idRef, match.id, `ListGuardrails: the guardrail named "${g.name}" in ${g.region}`);
    }
  }

  private async readPolicies(policies: OrganizationPolicyModel[]): Promise<void> {
    if (policies.length === 0) return;
    let live: LivePolicy[];
    try {
      live = await this.org.policies();
    } catch (err) {
      this.livePolicies = policies.map((policy) => ({ policy, error: describeError(err) }));
      return;
    }
    this.livePolicies = await mapLimit(policies, this.options.concurrency, async (policy): Promise<LivePolicyState> => {
      const found = live.find((p) => p.name === policy.name);
      const idRef = `\${${policy.address}.id}`;
      if (!found) {
        this.resolve(policy.stack, idRef, undefined, `no BEDROCK_POLICY named "${policy.name}" (ListPolicies)`);
        return { policy };
      }
      this.resolve(policy.stack, idRef, found.id, `ListPolicies: the BEDROCK_POLICY named "${policy.name}"`);
      try {
        const [content, targets] = await Promise.all([this.org.policyContent(found.id), this.org.policyTargets(found.id)]);
        return { policy, live: found, settings: safeParse(content), targets: targets.map((t) => ({ id: t.TargetId ?? '', type: t.Type ?? '' })).sort((a, b) => compare(a.id, b.id)) };
      } catch (err) {
        return { policy, live: found, error: describeError(err) };
      }
    });
  }

  private async resolveVersions(accountObjects: EnforcedConfigurationObject[]): Promise<void> {
    for (const stack of this.app.stacks) {
      for (const v of stack.versions) {
        const ref = `\${${v.address}.version}`;
        const arn = v.guardrailAddress ? this.values.get(`${stack.name}\0\${${v.guardrailAddress}.guardrail_arn}`) : undefined;
        if (!arn) {
          this.resolve(stack.name, ref, undefined, 'its guardrail was not found');
          continue;
        }
        let chosen: { version: string; source: string } | undefined;
        for (const state of this.livePolicies.filter((s) => s.policy.stack === stack.name && s.settings)) {
          for (const c of state.policy.configurations.filter((x) => x.identifier.includes(ref))) {
            const live = enforcedVersion(state.settings!.find((l) => l.region === c.region && l.name === c.name)?.identifier ?? '');
            if (!chosen && live && live.arn === arn) chosen = { version: live.version, source: `the live policy "${state.policy.name}" (${c.region}/${c.name})` };
          }
        }
        for (const o of accountObjects.filter((x) => x.stack === stack.name && x.properties.guardrailVersion.includes(ref))) {
          const configs = await this.bedrock.configurations(o.target.region, this.roleFor(this.targetAccount(o), o.target.roleArn)).catch(() => []);
          const c = configs.find((x) => x.guardrailArn === arn);
          if (!chosen && c?.guardrailVersion) chosen = { version: c.guardrailVersion, source: `the live account-level configuration in ${this.targetAccount(o)} ${o.target.region}` };
        }
        // The guardrail was found by ListGuardrails in its stack's account.
        const owner = parseGuardrailArn(arn)?.account ?? v.accountId ?? this.caller.account;
        let newest: number | undefined;
        try {
          const versions = await this.bedrock.versions(arn, this.roleFor(owner));
          newest = versions[versions.length - 1];
        } catch {
          newest = undefined;
        }
        if (!chosen && newest !== undefined) chosen = { version: String(newest), source: `the newest numbered version of "${guardrailName(arn, this.names)}" (nothing live names it yet)` };
        if (!chosen) {
          this.resolve(stack.name, ref, undefined, `"${guardrailName(arn, this.names)}" has no numbered version`);
          this.problem(owner, v.region, 'guardrail version', `guardrail "${guardrailName(arn, this.names)}" has no numbered version (${v.path})`,
            `Deploy stack ${stack.name}: it publishes the version; enforcement accepts numbered versions only.`);
          continue;
        }
        this.resolve(stack.name, ref, chosen.version, chosen.source);
        if (newest !== undefined && Number(chosen.version) < newest) {
          this.add({ account: owner, region: v.region, check: 'guardrail version', status: 'note',
            summary: `"${guardrailName(arn, this.names)}" version ${chosen.version} is enforced (from ${chosen.source}); version ${newest} is newer. A content change publishes a new version: run terraform plan for stack ${stack.name} to see whether the enforcement still has to move to it` });
        }
      }
    }
  }

  // ----- check 3: policy type and organization policies -----

  private checkOrganizationLevel(policies: OrganizationPolicyModel[]): void {
    if (!this.info) return;
    const wantsType = policies.length > 0 || shimObjectsOf(this.app, 'OrganizationPolicyType').some((o) => o.properties.policyType === BEDROCK_POLICY);
    if (wantsType) {
      const t = this.info.rootPolicyTypes.find((p) => p.Type === BEDROCK_POLICY);
      if (t?.Status === 'ENABLED') {
        this.ok(ORGANIZATION_ROW, '-', 'policy type', `${BEDROCK_POLICY} is enabled on root ${this.info.rootId}`);
      } else {
        this.problem(ORGANIZATION_ROW, '-', 'policy type', `${BEDROCK_POLICY} is ${t?.Status ?? 'not enabled'} on root ${this.info.rootId}`,
          t?.Status === 'PENDING_ENABLE' ? 'Organizations is still enabling it: run verify again in a few minutes.'
            : `Deploy the stack that enables it (its BedrockPolicyType/Enable object), or run: aws organizations enable-policy-type --root-id ${this.info.rootId} --policy-type ${BEDROCK_POLICY}.`);
      }
    }
    for (const state of this.livePolicies) this.checkPolicy(state);
  }

  private pendingStageOf(policyName: string, targetId: string): number | undefined {
    return this.app.previewPolicies?.find((p) => p.name === policyName)?.pending.find((t) => t.id === targetId)?.stage;
  }

  private checkPolicy(state: LivePolicyState): void {
    const p = state.policy;
    const label = `policy "${p.name}" (${p.path})`;
    if (state.error && !state.live) {
      this.problem(ORGANIZATION_ROW, '-', 'organization policy', `cannot read ${label}: ${state.error}`, 'Allow the caller organizations:ListPolicies, DescribePolicy and ListTargetsForPolicy.');
      return;
    }
    if (!state.live) {
      this.problem(ORGANIZATION_ROW, '-', 'organization policy', `${label} not found among the organization's ${BEDROCK_POLICY} policies`,
        `Deploy stack ${p.stack}; verify finds the policy by its name.`);
      return;
    }
    if (state.error) {
      this.problem(ORGANIZATION_ROW, '-', 'organization policy', `cannot read ${label} (${state.live.id}): ${state.error}`, 'Allow the caller organizations:DescribePolicy and ListTargetsForPolicy.');
      return;
    }
    const problems: string[] = [];
    const drift = compareEffective(this.resolvePolicyContent(p), state.settings ?? []);
    for (const d of drift) problems.push(`content ${d.region}/${fieldPath(d)}: app ${d.expected}, live ${d.found}`);
    const want = p.attachments.map((a) => a.targetId);
    const have = (state.targets ?? []).map((t) => t.id);
    for (const id of want.filter((x) => !have.includes(x))) problems.push(`not attached to ${id}, which the app attaches`);
    for (const id of have.filter((x) => !want.includes(x))) {
      const stage = this.pendingStageOf(p.name, id);
      problems.push(stage !== undefined
        ? `attached to ${id} ahead of its rollout stage ${stage}, which the app does not attach yet`
        : `attached to ${id}, which the app does not attach`);
    }
    if (problems.length === 0) {
      this.ok(ORGANIZATION_ROW, '-', 'organization policy', `${label} (${state.live.id}) says what the app says and is attached to ${want.join(', ') || 'nothing'}, as the app attaches it`);
      return;
    }
    this.problem(ORGANIZATION_ROW, '-', 'organization policy', `${label} (${state.live.id}) differs from the app in ${problems.length} point(s)`,
      `Deploy stack ${p.stack} to restore content and attachments (changes made outside Terraform are undone); to keep an extra attachment, add the target to the app and synthesize again.`, problems);
  }

  /** The app's policy content with its interpolations resolved, read as configurations. */
  private resolvePolicyContent(p: OrganizationPolicyModel): EffectiveConfiguration[] {
    return p.settings.map((c) => {
      const { identifier, ...rest } = c;
      const value = identifier !== undefined ? this.valueOf(p.stack, identifier) : undefined;
      return value !== undefined ? { ...rest, identifier: value } : rest;
    });
  }

  // ----- check 1: guardrail versions -----

  private versionUses(policies: OrganizationPolicyModel[], accountObjects: EnforcedConfigurationObject[]): { uses: VersionUse[]; malformed: MalformedUse[] } {
    const uses: VersionUse[] = [];
    const malformed: MalformedUse[] = [];
    for (const p of policies) {
      for (const c of p.configurations) {
        const value = this.valueOf(p.stack, c.identifier);
        if (value === undefined) continue; // Unresolved: the resolution rows say why.
        const e = enforcedVersion(value);
        const via = `policy "${p.name}" ${c.region}/${c.name}`;
        if (e) uses.push({ ...e, region: c.region, organizationLevel: true, via });
        else malformed.push({ identifier: value, region: c.region, via });
      }
    }
    for (const o of accountObjects) {
      const use = this.accountUse(o);
      if (use) uses.push({ ...use, organizationLevel: false, via: `account-level configuration ${o.name}` });
    }
    return { uses, malformed };
  }

  private async checkVersions(policies: OrganizationPolicyModel[], accountObjects: EnforcedConfigurationObject[]): Promise<void> {
    const { uses, malformed } = this.versionUses(policies, accountObjects);
    for (const m of malformed) {
      this.problem(ORGANIZATION_ROW, m.region, 'guardrail version', `${m.via} enforces ${m.identifier}, which is not <guardrail ARN>:<version>`,
        'Enforce a published version of a guardrail of the management account (guardrail.addVersion()), named by its ARN and version number.');
    }
    const groups = new Map<string, VersionUse[]>();
    for (const u of uses) {
      const key = `${u.arn}\0${u.version}\0${u.region}`;
      groups.set(key, [...(groups.get(key) ?? []), u]);
    }
    await mapLimit([...groups.values()], this.options.concurrency, async (group) => {
      const { arn, version, region, arnRegion, owner } = group[0];
      const orgLevel = group.some((u) => u.organizationLevel);
      const via = [...new Set(group.map((u) => u.via))].sort().join('; ');
      const name = `"${guardrailName(arn, this.names)}" version ${version}`;
      const problems: string[] = [];
      const fixes: string[] = [];
      if (!VERSION_NUMBER_PATTERN.test(version)) {
        problems.push(`version ${version} is not a numbered version`);
        fixes.push('Enforce a published version (guardrail.addVersion()); DRAFT is not accepted.');
      }
      if (arnRegion !== region) {
        problems.push(`the guardrail lives in ${arnRegion}, but ${via} enforces it in ${region}`);
        fixes.push(`Enforce in ${region} a version of a guardrail made in ${region}.`);
      }
      if (orgLevel && this.info && owner !== this.info.managementAccountId) {
        problems.push(`the guardrail belongs to ${owner}, not to the management account ${this.info.managementAccountId}`);
        fixes.push('Organization policies can name only guardrails of the management account.');
      }
      let g;
      try {
        g = VERSION_NUMBER_PATTERN.test(version) ? await this.bedrock.guardrail(arn, version, this.roleFor(owner)) : undefined;
      } catch (err) {
        this.problem(owner, region, 'guardrail version', `cannot read ${name} (GetGuardrail): ${describeError(err)}`,
          owner === this.caller.account ? 'Allow the caller bedrock:GetGuardrail.' : `Let verify assume ${this.roleFor(owner)} (or pass --member-role).`);
        return;
      }
      if (VERSION_NUMBER_PATTERN.test(version) && !g) {
        problems.push(`${name} does not exist (${arn})`);
        fixes.push(`Deploy the stack that publishes it, or point ${via} at a published version.`);
      }
      if (g && g.status !== 'READY') {
        problems.push(`${name} is ${g.status}${g.statusReasons?.length ? ` (${g.statusReasons.join('; ')})` : ''}`);
        fixes.push('Wait for it to become READY, or fix the failure and publish a new version.');
      }
      if (g && orgLevel && (g.automatedReasoningPolicy?.policies?.length ?? 0) > 0) {
        problems.push(`${name} has an automated reasoning policy (${[...g.automatedReasoningPolicy!.policies!].sort().join(', ')}), which organization-level enforcement does not support`);
        fixes.push('Remove the automated reasoning policy from the guardrail and publish a new version, or enforce another guardrail.');
      }
      if (problems.length) {
        this.problem(owner, region, 'guardrail version', `${name}, enforced by ${via}: ${problems.join('; ')}`, fixes.join(' '));
      } else {
        this.ok(owner, region, 'guardrail version', `${name}, enforced by ${via}: numbered, READY, in ${region}${orgLevel ? ', the management account\'s, no automated reasoning policy' : ''}`);
      }
    });
  }

  // ----- check 2a: resource policies in place -----

  private async checkResourcePolicies(): Promise<void> {
    await mapLimit(shimObjectsOf(this.app, 'GuardrailResourcePolicy'), this.options.concurrency, async (o) => {
      const account = this.targetAccount(o);
      const region = o.target.region;
      const arn = this.valueOf(o.stack, o.properties.resourceArn);
      const desired = this.valueOf(o.stack, o.properties.policy);
      if (!arn || !desired) {
        this.problem(account, region, 'resource policy', `cannot check the resource policy ${o.name}: its resource is not found (see the guardrail rows)`, `Deploy stack ${o.stack}.`);
        return;
      }
      let live: string | undefined;
      try {
        live = await this.bedrock.resourcePolicy(arn, this.roleFor(account));
      } catch (err) {
        this.problem(account, region, 'resource policy', `cannot read the resource policy of ${arn} (GetResourcePolicy): ${describeError(err)}`,
          account === this.caller.account ? 'Allow the caller bedrock:GetResourcePolicy.' : `Let verify assume ${this.roleFor(account)} (or pass --member-role).`);
        return;
      }
      const what = arn.includes(':guardrail-profile/') ? `guardrail profile ${arn}` : `"${guardrailName(arn, this.names)}" (${arn})`;
      if (live === undefined) {
        this.problem(account, region, 'resource policy', `${what} has no resource policy; the app puts one (${o.name})`,
          `Deploy stack ${o.stack}. Without it, accounts outside ${account} cannot apply the guardrail, and enforcement makes their Bedrock calls fail.`);
      } else if (!samePolicy(live, desired)) {
        this.problem(account, region, 'resource policy', `the resource policy of ${what} differs from the app's (${o.name})`,
          `Deploy stack ${o.stack} to restore it (the shim puts the app's document back and reports the drift); if the change is wanted, make it in the app.`,
          [`app:  ${oneLine(desired)}`, `live: ${oneLine(live)}`]);
      } else {
        this.ok(account, region, 'resource policy', `the resource policy of ${what} is the app's (${o.name})`);
      }
    });
  }

  /**
   * The resource-policy resources callers need for a guardrail: the guardrail, and, when it uses a
   * cross-region profile, the app's policies on that profile in the guardrail's account (one per
   * region the app grants in).
   */
  private grantResources(arn: string, owner: string): string[] {
    const profile = this.guardrailsByArn.get(arn)?.crossRegionProfile;
    if (!profile) return [arn];
    const suffix = `:guardrail-profile/${profile}`;
    const profiles = shimObjectsOf(this.app, 'GuardrailResourcePolicy')
      .map((o) => this.valueOf(o.stack, o.properties.resourceArn))
      .filter((r): r is string => r !== undefined && r.endsWith(suffix) && guardrailResourceLocation(r)?.account === owner);
    return [arn, ...new Set(profiles)];
  }

  // ----- per account: checks 2b, 4, 5, 6 -----

  private expectedFromPreview(row: AccountEnforcementPreview, policies: OrganizationPolicyModel[]): EffectiveConfiguration[] {
    const out: EffectiveConfiguration[] = [];
    for (const r of row.regions) {
      for (const c of r.organizationLevel) {
        const identifier = this.previewIdentifier(r.region, c, policies);
        out.push({
          region: r.region,
          name: c.name,
          ...(identifier !== undefined ? { identifier } : {}),
          system: c.systemPromptGuarding.toLowerCase(),
          messages: c.messageGuarding.toLowerCase(),
          includedModels: [...c.includedModels].sort(),
          excludedModels: [...c.excludedModels].sort(),
        });
      }
    }
    return out;
  }

  /**
   * The resolved identifier of a previewed configuration. The preview's `guardrail` is a display
   * text, so the identifier is taken from the policy document that assigns it: the first source
   * the preview lists for the configuration (the preview lists the identifier's source first).
   */
  private previewIdentifier(region: string, c: EffectiveConfigurationPreview, policies: OrganizationPolicyModel[]): string | undefined {
    const candidates = c.sources.map((s) => policies.find((p) => s.startsWith(`${p.name} (`))).filter((p): p is OrganizationPolicyModel => !!p);
    for (const p of candidates) {
      const config = p.configurations.find((x) => x.region === region && x.name === c.name);
      if (config) return this.valueOf(p.stack, config.identifier);
    }
    return undefined;
  }

  private async checkAccounts(policies: OrganizationPolicyModel[], accountObjects: EnforcedConfigurationObject[]): Promise<void> {
    const needs = new Map<string, Need[]>();
    const addNeed = (account: string, n: Need) => {
      const list = needs.get(account) ?? [];
      if (!list.some((x) => x.region === n.region && x.arn === n.arn && x.version === n.version)) list.push(n);
      needs.set(account, list);
    };
    const previewRows = this.app.preview?.accounts ?? [];
    const liveOnly = new Map<string, string>();
    if (policies.length) {
      for (const row of previewRows) {
        for (const c of this.expectedFromPreview(row, policies)) {
          const e = enforcedVersion(c.identifier ?? '');
          if (e) addNeed(row.account, { ...e, region: c.region, via: `configuration ${c.name}` });
        }
      }
      // Every attachment listed at once (overlapping targets share their listings), then taken in order.
      const attached = this.livePolicies.flatMap((state) => (state.targets ?? []).map((t) => ({ state, t })));
      const listed = await mapLimit(attached, this.options.concurrency, ({ t }) => this.org.accountsUnder(t.id).then((accounts) => ({ accounts }), (err: unknown) => ({ err })));
      const uses = new Map(this.livePolicies.map((state) => [state, this.policyUses(state.policy)]));
      for (const [i, { state, t }] of attached.entries()) {
        const r = listed[i];
        if ('err' in r) {
          this.problem(ORGANIZATION_ROW, '-', 'organization policy', `cannot list the accounts under ${t.id}, where "${state.policy.name}" is attached: ${describeError(r.err)}`,
            'Allow the caller organizations:ListAccountsForParent and ListOrganizationalUnitsForParent.');
          continue;
        }
        for (const a of r.accounts) {
          if (!previewAccount(this.app, a)) liveOnly.set(a, `${t.id} (where "${state.policy.name}" is attached)`);
          for (const u of uses.get(state)!) addNeed(a, { ...u, via: `policy "${state.policy.name}"` });
        }
      }
    }
    for (const o of accountObjects) {
      const use = this.accountUse(o);
      if (use) addNeed(this.targetAccount(o), { ...use, via: `account-level configuration ${o.name}` });
    }
    const stageAccounts = await this.stageNeeds(policies, addNeed);

    const accounts = [...new Set([...previewRows.map((r) => r.account), ...needs.keys(), ...accountObjects.map((o) => this.targetAccount(o))])].sort();
    const invalid = policies.length && this.info ? await this.org.invalidAccounts().catch((err) => err as Error) : new Set<string>();
    if (policies.length && this.info) {
      if (invalid instanceof Error) {
        this.problem(ORGANIZATION_ROW, '-', 'invalid effective policies', `cannot list accounts with an invalid effective ${BEDROCK_POLICY}: ${describeError(invalid)}`, 'Allow the caller organizations:ListAccountsWithInvalidEffectivePolicy.');
      } else if (invalid.size === 0) {
        this.ok(ORGANIZATION_ROW, '-', 'invalid effective policies', `ListAccountsWithInvalidEffectivePolicy lists no account for ${BEDROCK_POLICY}`);
      } else {
        this.problem(ORGANIZATION_ROW, '-', 'invalid effective policies', `${invalid.size} account(s) have an invalid effective ${BEDROCK_POLICY}: ${[...invalid].sort().join(', ')}`,
          'See each account\'s effective policy row for the validation errors; an invalid identifier makes every Bedrock call in the account fail.');
      }
    }

    let done = 0;
    await mapLimit(accounts, this.options.concurrency, async (account) => {
      const row = previewAccount(this.app, account);
      const place = this.info ? await this.checkLocation(account, row, liveOnly.get(account), stageAccounts.get(account)) : undefined;
      await this.checkAccess(account, place, needs.get(account) ?? []);
      if (policies.length && this.info) await this.checkEffective(account, row, policies, invalid instanceof Error ? undefined : invalid);
      for (const o of accountObjects.filter((x) => this.targetAccount(x) === account)) await this.checkConfiguration(o);
      if (this.options.probe) await this.probe(account, needs.get(account) ?? [], accountObjects);
      this.options.onProgress?.(++done, accounts.length);
    });
  }

  /** The accounts of `--stage N`, with what they will need; account -> the pending target. */
  private async stageNeeds(policies: OrganizationPolicyModel[], addNeed: (account: string, n: Need) => void): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const stage = this.options.stage;
    if (stage === undefined) return out;
    for (const pp of this.app.previewPolicies ?? []) {
      const policy = policies.find((p) => p.name === pp.name);
      const uses = policy ? this.policyUses(policy) : [];
      for (const t of pp.pending.filter((x) => x.stage === stage)) {
        let live: string[] = [];
        try {
          live = await this.org.accountsUnder(t.id);
        } catch (err) {
          this.problem(ORGANIZATION_ROW, '-', 'organization policy', `rollout stage ${stage}: cannot list the accounts under ${t.id} ("${pp.name}" attaches there next): ${describeError(err)}`,
            isCode(err, 'ParentNotFoundException') || isCode(err, 'TargetNotFoundException') ? `${t.id} does not exist in the organization: fix the target in the app before raising rolloutStage.` : 'Allow the caller organizations:ListAccountsForParent and ListOrganizationalUnitsForParent.');
        }
        for (const a of [...new Set([...t.accounts, ...live])].sort()) {
          out.set(a, `${t.id} (rollout stage ${stage} of "${pp.name}")`);
          for (const u of uses) addNeed(a, { ...u, via: `policy "${pp.name}" at rollout stage ${stage}`, stage });
        }
      }
    }
    return out;
  }

  private async checkLocation(account: string, row: AccountEnforcementPreview | undefined, liveOnly: string | undefined, stageTarget: string | undefined): Promise<AccountPlace | undefined> {
    let place: AccountPlace;
    try {
      place = await this.org.placeOf(account);
    } catch (err) {
      this.problem(account, '-', 'location', isCode(err, 'ChildNotFoundException')
        ? `account ${account} is not in organization ${this.info!.id} (ListParents: ChildNotFoundException)`
        : `cannot read where account ${account} sits (ListParents): ${describeError(err)}`,
      isCode(err, 'ChildNotFoundException') ? 'Remove the account from the app, or invite it into the organization.' : 'Allow the caller organizations:ListParents.');
      return undefined;
    }
    const livePath = ['Root', ...place.organizationalUnitIds].join(' / ');
    const stageNote = stageTarget ? `; enforced from ${stageTarget}` : '';
    if (row && row.declared) {
      const declared = row.organizationalUnitIds;
      if (JSON.stringify(declared) === JSON.stringify(place.organizationalUnitIds)) {
        this.ok(account, '-', 'location', `${row.location}${declared.length ? ` (${declared.join(' / ')})` : ''}, as the app declares${stageNote}`);
      } else {
        this.problem(account, '-', 'location', `the app declares ${account} in ${row.location} (${['Root', ...declared].join(' / ')}), but ListParents puts it in ${livePath}${stageNote}`,
          'Move the account back, or update the app\'s Organization (organizationalUnits[].accounts) and synthesize again: the preview, the synth-time reach checks and the targets all assume the declared place. The rows below are evaluated against the live place.');
      }
    } else if (liveOnly || (stageTarget && !row)) {
      this.problem(account, '-', 'location', `${account} is under ${liveOnly ?? stageTarget} (${livePath}), but the app's Organization does not declare it, so neither the preview nor the synth-time checks covered it`,
        'Declare the account in the app\'s Organization (organizationalUnits[].accounts) and synthesize again.');
    } else {
      this.ok(account, '-', 'location', `${livePath}${row ? ' (the app does not declare its place)' : ''}${stageNote}`);
    }
    return place;
  }

  private async checkAccess(account: string, place: AccountPlace | undefined, needs: Need[]): Promise<void> {
    for (const n of [...needs].sort((a, b) => compare(a.region, b.region) || compare(a.arn, b.arn))) {
      const owner = n.owner;
      if (owner === account) continue;
      const name = `"${guardrailName(n.arn, this.names)}"`;
      const stage = n.stage !== undefined ? `rollout stage ${n.stage} (not attached yet): ` : '';
      if (!place || !this.info) {
        this.problem(account, n.region, 'guardrail access', `${stage}cannot tell whether ${account} may apply ${name} of ${owner}: its place in the organization is unknown (see location)`,
          'Fix the location row first.');
        continue;
      }
      const caller = { account, organizationId: this.info.id, orgPath: place.orgPath };
      const failures: string[] = [];
      const grants: string[] = [];
      const notes: string[] = [];
      for (const resource of this.grantResources(n.arn, owner)) {
        let policy: string | undefined;
        try {
          policy = await this.bedrock.resourcePolicy(resource, this.roleFor(owner));
        } catch (err) {
          failures.push(`cannot read the resource policy of ${resource}: ${describeError(err)}`);
          continue;
        }
        const r = evaluateApplyGrant(policy, resource, owner, caller);
        const what = resource === n.arn ? name : `profile ${resource.split('/').pop()} in ${guardrailResourceLocation(resource)?.region}`;
        if (r.granted) grants.push(`${what}: ${r.reason}`);
        else failures.push(`${what}: ${r.reason}`);
        notes.push(...r.unevaluated.map((u) => `${what}: not evaluated: ${u}`));
      }
      if (failures.length === 0) {
        this.ok(account, n.region, 'guardrail access', `${stage}${account} may apply ${name} version ${n.version} (${n.via})`, [...grants, ...notes]);
      } else {
        this.problem(account, n.region, 'guardrail access', `${stage}${account} (${place.orgPath}) may not apply ${name} version ${n.version} of ${owner}, which ${n.via} enforces on it`,
          `Grant the account's OU (${place.organizationalUnitIds[place.organizationalUnitIds.length - 1] ?? this.info.rootId}) or the organization in the guardrail's resource policy (guardrail.grantApply(GuardrailPrincipal.organizationalUnits(...)) or GuardrailPrincipal.organization(...)) and deploy; enforced without it, every Bedrock call in ${account} fails with AccessDenied.`,
          [...failures, ...notes]);
      }
    }
  }

  private async checkEffective(account: string, row: AccountEnforcementPreview | undefined, policies: OrganizationPolicyModel[], invalid: Set<string> | undefined): Promise<void> {
    let content: string | undefined;
    try {
      content = await this.org.effectivePolicy(account);
    } catch (err) {
      this.problem(account, '-', 'effective policy', `cannot read the effective ${BEDROCK_POLICY} of ${account} (DescribeEffectivePolicy): ${describeError(err)}`, 'Allow the caller organizations:DescribeEffectivePolicy.');
      return;
    }
    if (invalid?.has(account)) {
      const errors = await this.org.validationErrors(account).catch((err) => [`cannot list the validation errors: ${describeError(err)}`]);
      this.problem(account, '-', 'effective policy', `the effective ${BEDROCK_POLICY} of ${account} is invalid (ListAccountsWithInvalidEffectivePolicy): it is not enforced as written`,
        'Fix the policies named below: each identifier must be <guardrail ARN>:<numbered version> of a guardrail of the management account in the region key\'s region; then deploy.',
        errors.length ? errors : ['ListEffectivePolicyValidationErrors returned no detail']);
    }
    let live: EffectiveConfiguration[];
    try {
      live = parseEffectiveContent(content);
    } catch {
      this.problem(account, '-', 'effective policy', `the effective ${BEDROCK_POLICY} of ${account} is not JSON`, 'Report it to AWS Support; verify cannot compare it.');
      return;
    }
    if (!row) {
      this.add({ account, region: '-', check: 'effective policy', status: 'note', summary: `not in the app's preview, so there is no prediction to compare; live: ${live.length ? live.map((c) => `${c.region}/${c.name} ${c.identifier ?? '(no identifier)'}`).join(', ') : 'none'}` });
      return;
    }
    const expected = this.expectedFromPreview(row, policies);
    const drift = compareEffective(expected, live);
    const regions = [...new Set([...expected.map((c) => c.region), ...live.map((c) => c.region)])].sort();
    if (regions.length === 0) {
      this.ok(account, '-', 'effective policy', `no ${BEDROCK_POLICY} applies to ${account}, as the preview predicts`);
      return;
    }
    for (const region of regions) {
      const d = drift.filter((x) => x.region === region);
      const e = expected.filter((c) => c.region === region);
      if (d.length === 0) {
        this.ok(account, region, 'effective policy', `as the preview predicts: ${e.map((c) => `${c.name} ${c.identifier ?? '?'}, system ${c.system}, messages ${c.messages}, models ${c.includedModels.join(', ')}${c.excludedModels.length ? ` except ${c.excludedModels.join(', ')}` : ''}`).join('; ')}`);
      } else {
        this.problem(account, region, 'effective policy', `${d.length} field(s) differ from the preview (${row.location})`,
          'Another policy may apply to the account (aws organizations list-policies-for-target on the account and its OUs), the policy may have been changed outside Terraform (deploy restores it), or the account moved (see location). Fix the cause, synthesize, and review enforcement-preview.md.',
          d.map((x) => `${fieldPath(x)}: preview ${x.expected}, live ${x.found}`));
      }
    }
  }

  private async checkConfiguration(o: EnforcedConfigurationObject): Promise<void> {
    const account = this.targetAccount(o);
    const region = o.target.region;
    const role = this.roleFor(account, o.target.roleArn);
    let configs;
    try {
      configs = await this.bedrock.configurations(region, role);
    } catch (err) {
      this.problem(account, region, 'account-level configuration', `cannot read the account-level configuration (ListEnforcedGuardrailsConfiguration${role ? ` as ${role}` : ''}): ${describeError(err)}`,
        role ? `Let the management account assume ${role} (its trust policy), or pass --member-role with a role that may call bedrock:ListEnforcedGuardrailsConfiguration.` : 'Allow the caller bedrock:ListEnforcedGuardrailsConfiguration.');
      return;
    }
    const arn = this.valueOf(o.stack, o.properties.guardrailIdentifier);
    const version = this.valueOf(o.stack, o.properties.guardrailVersion);
    const c = configs[0];
    if (!c) {
      this.problem(account, region, 'account-level configuration', `no account-level configuration in ${account} ${region}; the app makes one (${o.name})`, `Deploy stack ${o.stack}.`);
      return;
    }
    const diffs: string[] = [];
    if (arn === undefined) diffs.push('the guardrail could not be resolved (see the guardrail rows)');
    else if (arn.startsWith('arn:') ? c.guardrailArn !== arn : c.guardrailId !== arn) diffs.push(`guardrail: app ${arn}, live ${c.guardrailArn ?? c.guardrailId ?? '(none)'}`);
    if (version !== undefined && c.guardrailVersion !== version) diffs.push(`guardrailVersion: app ${version}, live ${c.guardrailVersion ?? '(none)'}`);
    const sel = o.properties.selectiveContentGuarding ?? {};
    for (const field of ['system', 'messages'] as const) {
      // An unset mode is AWS's to fill in; the shim does not compare it either.
      if (sel[field] && c.selectiveContentGuarding?.[field] !== sel[field]) diffs.push(`selectiveContentGuarding.${field}: app ${sel[field]}, live ${c.selectiveContentGuarding?.[field] ?? '(none)'}`);
    }
    const models = (m: { includedModels?: readonly string[]; excludedModels?: readonly string[] } | undefined) => ({
      included: m?.includedModels?.length ? [...new Set(m.includedModels)].sort().join(', ') : 'ALL',
      excluded: [...new Set(m?.excludedModels ?? [])].sort().join(', ') || '(none)',
    });
    const want = models(o.properties.modelEnforcement);
    const have = models(c.modelEnforcement);
    if (want.included !== have.included) diffs.push(`modelEnforcement.includedModels: app ${want.included}, live ${have.included}`);
    if (want.excluded !== have.excluded) diffs.push(`modelEnforcement.excludedModels: app ${want.excluded}, live ${have.excluded}`);
    // The native provider writes a released object; its principal is not in the synthesized files.
    const writer = !o.writer || o.release ? undefined : o.writer.sessionName
      ? `arn:${this.caller.partition}:sts::${account}:assumed-role/${o.writer.roleName}/${o.writer.sessionName}`
      : roleArn(account, o.writer.roleName, this.caller.partition);
    const byOther = writer && principalMatch(c.updatedBy, writer) === 'none';
    const createdByOther = writer && principalMatch(c.createdBy, writer) === 'none';
    const who: string[] = [];
    if (byOther) who.push(`last changed by ${c.updatedBy ?? 'an unknown principal'}, not by the app's shim (${writer})`);
    if (createdByOther && !o.properties.adoptExisting) who.push(`created by ${c.createdBy ?? 'an unknown principal'} and the app does not adopt it (adoptExisting: false), so the shim refuses to manage it`);
    if (diffs.length === 0 && who.length === 0) {
      this.ok(account, region, 'account-level configuration', `${c.configId}: "${guardrailName(c.guardrailArn ?? '', this.names)}" version ${c.guardrailVersion}, as the app wants (${o.name})`);
      return;
    }
    const fix = who.length && diffs.length === 0
      ? 'Someone else made or changed this configuration. Agree who manages it: to manage it from the app set adoptExisting: true and deploy; otherwise remove the AccountEnforcement from the app.'
      : `Deploy stack ${o.stack} to restore it${createdByOther && !o.properties.adoptExisting ? ' (first set adoptExisting: true: the configuration was made by someone else)' : ''}; if the change is wanted, make it in the app.`;
    this.problem(account, region, 'account-level configuration', `${c.configId} differs from the app (${o.name})`, fix, [...diffs, ...who]);
  }

  private async probe(account: string, needs: Need[], accountObjects: EnforcedConfigurationObject[]): Promise<void> {
    const preferredRole = accountObjects.find((o) => this.targetAccount(o) === account && o.target.roleArn)?.target.roleArn;
    const role = this.roleFor(account, preferredRole);
    for (const n of [...needs].sort((a, b) => compare(a.region, b.region) || compare(a.arn, b.arn))) {
      const name = `"${guardrailName(n.arn, this.names)}" version ${n.version}`;
      const as = role ? `as ${role} (session policy: ${SESSION_ACTIONS.probe.join(', ')} only)` : `as ${this.caller.arn}`;
      const stage = n.stage !== undefined ? `rollout stage ${n.stage} (not attached yet): ` : '';
      try {
        const client = await this.aws.runtime(n.region, role);
        const out = await this.aws.call(`ApplyGuardrail (${n.arn}:${n.version} from ${account})`, () => client.send(new ApplyGuardrailCommand({
          guardrailIdentifier: n.arn, guardrailVersion: n.version, source: 'INPUT', content: [{ text: { text: PROBE_TEXT } }],
        })));
        this.ok(account, n.region, 'probe', `${stage}ApplyGuardrail on ${name} from ${account} ${as}: ${out.action ?? 'answered'}`);
      } catch (err) {
        const assume = err instanceof CallFailedError && err.operation.startsWith('AssumeRole');
        this.problem(account, n.region, 'probe', `${stage}ApplyGuardrail on ${name} from ${account} failed: ${describeError(err)}`,
          assume
            ? `verify could not assume ${role}: create it in ${account} with a trust policy for the management account, or pass --member-role with a role that exists there.`
            : isCode(err, 'AccessDeniedException')
              ? `Principals of ${account} cannot apply the guardrail: grant the account's OU or the organization in its resource policy, and let the account's roles call bedrock:ApplyGuardrail on it (identity policies, SCPs). Enforced as it is, Bedrock calls in ${account} fail.`
              : 'Check that the version exists and is READY (see the guardrail rows), then run --probe again.');
      }
    }
  }

  private report(): VerifyReport {
    const findings = sortFindings(this.findings);
    const resolved = [...this.resolutions.values()].sort((a, b) => compare(a.stack, b.stack) || compare(a.reference, b.reference));
    return {
      appDir: this.app.dir,
      stacks: this.app.stacks.map((s) => s.name),
      caller: this.caller.arn,
      ...(this.info ? { organizationId: this.info.id, managementAccountId: this.info.managementAccountId } : {}),
      probe: this.options.probe,
      ...(this.options.stage !== undefined ? { stage: this.options.stage } : {}),
      resolved,
      findings,
      totals: totalsOf(findings),
    };
  }
}

/** `<configuration>.<field>`, or the configuration alone when the whole configuration differs. */
function fieldPath(d: EffectiveDrift): string {
  return d.field === WHOLE_CONFIGURATION ? d.name : `${d.name}.${d.field}`;
}

function safeParse(content: string): EffectiveConfiguration[] {
  try {
    return parseEffectiveContent(content);
  } catch {
    return [];
  }
}

function oneLine(policy: string): string {
  let text = policy;
  try {
    text = JSON.stringify(JSON.parse(policy));
  } catch {
    // Shown as it is.
  }
  return text.length > 400 ? `${text.slice(0, 397)}...` : text;
}

/**
 * Checks a synthesized app against live AWS and returns the findings.
 * @throws CannotRunError when the caller cannot be identified, the organization cannot be read, or `--stage` cannot be honoured
 */
export function verifyApp(app: AppModel, aws: AwsAccess, options: VerifyOptions): Promise<VerifyReport> {
  return new VerifyRun(app, aws, options).run();
}
