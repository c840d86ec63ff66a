import { BedrockPolicyContent, POLICY_LEAVES, PolicyLeaf } from '../model/bedrock-policy';
import {
  ContentGuarding, contentGuardingFromPolicyValue, DEFAULT_CONTENT_GUARDING, effectiveSettings, NormalizedEnforcementSettings,
} from '../model/enforcement-settings';
import { Assignment, PolicyInheritance } from '../model/inheritance';
import { ModelId } from '../model/model-id';
import { Organization } from '../model/organization';
import { accountsOfTarget } from '../model/reach';
import { TargetFacts, TargetType } from '../model/targets';
import { isToken } from '../model/validate';
import { StagedTargetFacts } from './facts';

/** An organization-level policy for the preview: its content and where it is attached. */
export interface PreviewOrganizationPolicy {
  /** Policy name. */
  readonly name: string;
  /** The rendered policy content. */
  readonly content: BedrockPolicyContent;
  /**
   * Readable names for its identifiers that are tokens, by identifier.
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Nodes the policy is attached to directly. Give policies in the order they are attached:
   * where two policies at the same node assign the same setting, Organizations keeps the one
   * attached first.
   */
  readonly targets: TargetFacts[];
  /** The stack that makes the policy. @default unknown */
  readonly stack?: string;
  /** How far its rollout has gone. @default unknown */
  readonly rolloutStage?: number;
  /** Rollout stages of the attached targets, in `targets` order. @default unknown */
  readonly targetStages?: number[];
  /** Targets of later rollout stages, not attached yet. @default none */
  readonly pending?: PreviewStagedTarget[];
}

/** A target of a rollout stage: the type the validation facts use for staged targets. */
export type PreviewStagedTarget = StagedTargetFacts;

/** An account-level enforced configuration for the preview. */
export interface PreviewAccountConfiguration {
  /** The account. */
  readonly account: string;
  /** The region. */
  readonly region: string;
  /** `<guardrail ARN>:<version>` (or the guardrail ID/ARN and version joined by `:`); may be a token. */
  readonly identifier: string;
  /**
   * Readable name shown when the identifier is a token, e.g. `Guardrail Foo version`.
   * @default the identifier, or `unresolved guardrail version` for a token
   */
  readonly label?: string;
  /**
   * The enforcement settings.
   * @default AWS defaults: every model, comprehensive guarding
   */
  readonly settings?: NormalizedEnforcementSettings;
  /**
   * Where the configuration comes from, for the source column.
   * @default `account-level`
   */
  readonly source?: string;
}

/** A readable label for an identifier that is a token at synth time. */
export interface IdentifierLabel {
  /** The identifier string (token) as the document or configuration holds it. */
  readonly identifier: string;
  /** What to show instead, e.g. `Guardrail Foo version`. */
  readonly label: string;
}

/** Input of {@link previewEnforcement}. */
export interface EnforcementPreviewInput {
  /** The organization: its accounts are the rows. */
  readonly organization: Organization;
  /**
   * Organization-level Bedrock policies, in attachment order.
   * @default none
   */
  readonly organizationPolicies?: PreviewOrganizationPolicy[];
  /**
   * Account-level configurations.
   * @default none
   */
  readonly accountConfigurations?: PreviewAccountConfiguration[];
  /**
   * Labels for token identifiers; take precedence over labels held by documents and configurations.
   * @default none
   */
  readonly labels?: IdentifierLabel[];
  /**
   * Regions to show even where nothing is enforced (regions where Bedrock is used, say).
   * @default only regions named by a policy or configuration
   */
  readonly regions?: string[];
}

/** One guardrail configuration as it applies to an account in a region. */
export interface EffectiveConfigurationPreview {
  /** The configuration name (organization level) or `account-level`. */
  readonly name: string;
  /** The guardrail version as a reviewer reads it: the guardrail's name and version (its label), else the identifier. */
  readonly guardrail: string;
  /** `<guardrail ARN>:<version>` when it is known at synth. @default omitted: known only at apply */
  readonly identifier?: string;
  /** How system prompts are guarded. */
  readonly systemPromptGuarding: ContentGuarding;
  /** How messages are guarded. */
  readonly messageGuarding: ContentGuarding;
  /** Included models; `["ALL"]` for every model. */
  readonly includedModels: string[];
  /** Excluded models. */
  readonly excludedModels: string[];
  /** Settings that take AWS's default because no policy set them. */
  readonly defaulted: string[];
  /** Where the settings come from: `<policy> (<node>)` entries, top of the tree first, or the account-level source. */
  readonly sources: string[];
  /** Settings assigned differently by policies attached to the same node (resolved by attachment order). */
  readonly conflicts: string[];
  /** Settings a policy lower in the tree assigns over what a higher one assigns (rule GR-ORG-017 warns about each). */
  readonly overrides: string[];
}

/** What applies to one account in one region. */
export interface RegionEnforcementPreview {
  /** The region; `*` when no region is named anywhere. */
  readonly region: string;
  /** Whether any guardrail is enforced. */
  readonly guarded: boolean;
  /** Effective organization-level configurations, sorted by name. */
  readonly organizationLevel: EffectiveConfigurationPreview[];
  /** The account-level configuration. @default undefined: none */
  readonly accountLevel?: EffectiveConfigurationPreview;
}

/** What applies to one account. */
export interface AccountEnforcementPreview {
  /** Account ID. */
  readonly account: string;
  /** Whether the account is declared in the Organization (otherwise its OUs are unknown). */
  readonly declared: boolean;
  /** OU IDs from the root down to the account's OU. */
  readonly organizationalUnitIds: string[];
  /** Readable path, e.g. `Root / Workloads / Prod`. */
  readonly location: string;
  /** Per region, sorted. */
  readonly regions: RegionEnforcementPreview[];
}

/** Counts over the preview. */
export interface PreviewSummary {
  /** Accounts shown. */
  readonly accounts: number;
  /** Regions shown. */
  readonly regions: number;
  /** Account-region pairs guarded by organization policies only. */
  readonly organizationOnly: number;
  /** Account-region pairs guarded by account-level enforcement only. */
  readonly accountOnly: number;
  /** Account-region pairs guarded at both levels. */
  readonly both: number;
  /** Account-region pairs with no enforced guardrail. */
  readonly unguarded: number;
  /** Organization policies given. */
  readonly organizationPolicies: number;
  /** Same-node conflicts found. */
  readonly conflicts: number;
}

/** A target of an organization policy, with the declared accounts it applies to. */
export interface RolloutTargetPreview extends TargetFacts {
  /** Its rollout stage. @default unknown */
  readonly stage?: number;
  /** The declared accounts under it, sorted. */
  readonly accounts: string[];
}

/** An organization policy's rollout: what is attached, and what later stages would add. */
export interface PolicyRolloutPreview {
  /** Policy name. */
  readonly name: string;
  /** The stack that makes it. @default unknown */
  readonly stack?: string;
  /** How far its rollout has gone. @default unknown */
  readonly rolloutStage?: number;
  /** Targets attached now. */
  readonly attached: RolloutTargetPreview[];
  /** Targets of later stages, by stage, with the accounts each would add. */
  readonly pending: RolloutTargetPreview[];
}

/** The part of the organization the preview shows, for its diagram. */
export interface PreviewTree {
  /** The root's ID. */
  readonly rootId: string;
  /** Declared OUs, in declaration order. */
  readonly organizationalUnits: Array<{ readonly id: string; readonly name: string; readonly parentId?: string }>;
}

/** Where a stack's own preview sits in the app, and what it leaves to other stacks. */
export interface PreviewScope {
  /** The stack. */
  readonly stack: string;
  /** Path of the app-wide preview, relative to this one. */
  readonly appPreview: string;
  /** Accounts of the app this stack enforces nothing in, sorted. */
  readonly accountsNotEnforcedHere: string[];
  /** Account-region pairs no stack of the app guards. */
  readonly unguardedInApp: number;
}

/** The effective-enforcement preview: JSON-serializable and deterministic. */
export interface EnforcementPreview {
  /** Regions shown, sorted. */
  readonly regions: string[];
  /** Accounts, sorted by ID. */
  readonly accounts: AccountEnforcementPreview[];
  /** Counts. */
  readonly summary: PreviewSummary;
  /** Each organization policy's rollout, by name. */
  readonly organizationPolicies: PolicyRolloutPreview[];
  /** The organization tree shown. */
  readonly tree: PreviewTree;
  /** Set on a stack's own preview: where the app-wide one is. @default undefined: the app-wide preview */
  readonly scope?: PreviewScope;
}

const ACCOUNT_LEVEL = 'account-level';
const LEAVES = POLICY_LEAVES;
type Leaf = PolicyLeaf;
type LeafValue = string | string[];
interface Assigned { readonly value: LeafValue; readonly source: string }

/**
 * Computes, for every account of the organization and every region, which guardrails apply.
 *
 * Organization policies are merged as AWS Organizations merges management policies: from the root
 * down through the account's OUs to the account, a lower node's `@@assign` overrides what a higher
 * node set for the same key, and configurations with different names accumulate; at one node,
 * the policy attached first wins a conflict. The account-level configuration applies on top: both
 * layers are enforced (with any guardrail named in the request, the strictest control wins).
 *
 *  * @see https://docs.aws.amazon.com/organizations/latest/userguide/inheritance-examples.html
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-enforcements.html
 */
export function previewEnforcement(input: EnforcementPreviewInput): EnforcementPreview {
  const org = input.organization;
  const policies = input.organizationPolicies ?? [];
  const accountConfigs = input.accountConfigurations ?? [];
  const labels = new Map<string, string>();
  for (const p of policies) for (const [identifier, label] of Object.entries(p.labels ?? {})) labels.set(identifier, label);
  for (const l of input.labels ?? []) labels.set(l.identifier, l.label);

  const regionSet = new Set<string>(input.regions ?? []);
  policies.forEach((p) => Object.keys(p.content.bedrock.guardrail_inference).forEach((r) => regionSet.add(r)));
  accountConfigs.forEach((c) => regionSet.add(c.region));
  const regions = [...regionSet].sort();

  const accountSet = new Set(org.allAccounts());
  policies.forEach((p) => p.targets.filter((t) => t.type === TargetType.ACCOUNT).forEach((t) => accountSet.add(t.id)));
  accountConfigs.forEach((c) => accountSet.add(c.account));

  // The guardrail's name and version as a reviewer reads them (the identifier itself, when
  // literal, is in the configuration's `identifier`).
  const display = (identifier: string, label?: string): string =>
    labels.get(identifier) ?? label ?? (isToken(identifier) ? 'unresolved guardrail version' : identifier);

  // A root target is the root of the organization shown, whatever ID it was given (without a
  // described organization, the preview makes one with its own root).
  const inheritance = new PolicyInheritance(policies, (p) => ({
    content: p.content,
    targets: p.targets.map((t) => (t.type === TargetType.ROOT ? { type: TargetType.ROOT, id: org.rootId } : t)),
  }));
  const nodeLabel = (node: TargetFacts): string => (node.type === TargetType.ROOT ? `root ${org.rootId}`
    : node.type === TargetType.ORGANIZATIONAL_UNIT ? `OU ${org.organizationalUnitName(node.id)}` : `account ${node.id}`);
  const sourceOf = (a: Assignment<PreviewOrganizationPolicy>): string => `${a.policy.name} (${nodeLabel(a.node)})`;

  const accounts: AccountEnforcementPreview[] = [...accountSet].sort().map((account) => {
    const declared = org.hasAccount(account);
    const ous = declared ? org.pathOf(account) : [];
    const chain: TargetFacts[] = [
      { type: TargetType.ROOT, id: org.rootId },
      ...ous.map((id) => ({ type: TargetType.ORGANIZATIONAL_UNIT, id })),
      { type: TargetType.ACCOUNT, id: account },
    ];
    const along = inheritance.effectiveAlong(chain);

    // effective[region][config][leaf]
    const effective = new Map<string, Map<string, Map<Leaf, Assigned>>>();
    for (const a of along.effective.values()) {
      const byName = effective.get(a.region) ?? new Map<string, Map<Leaf, Assigned>>();
      const leaves = byName.get(a.name) ?? new Map<Leaf, Assigned>();
      leaves.set(a.leaf, { value: a.value, source: sourceOf(a) });
      byName.set(a.name, leaves);
      effective.set(a.region, byName);
    }
    const conflicts = new Map<string, string[]>();
    for (const { first, second } of along.conflicts) {
      const ck = `${first.region}\u0000${first.name}`;
      const firstSource = sourceOf(first);
      conflicts.set(ck, [...(conflicts.get(ck) ?? []),
        `${first.leaf}: ${firstSource} and ${sourceOf(second)} assign different values at ${nodeLabel(first.node)}; the policy attached first (${firstSource.split(' (')[0]}) wins`]);
    }
    const overrides = new Map<string, string[]>();
    for (const { above, assigned } of along.overrides) {
      const ok = `${assigned.region}\u0000${assigned.name}`;
      overrides.set(ok, [...(overrides.get(ok) ?? []), `${assigned.leaf}: ${sourceOf(assigned)} replaces ${sourceOf(above)}`]);
    }

    const regionRows: RegionEnforcementPreview[] = (regions.length ? regions : ['*']).map((region) => {
      const orgLevel = [...(effective.get(region) ?? new Map<string, Map<Leaf, Assigned>>()).entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, leaves]) => orgConfigPreview(name, leaves, conflicts.get(`${region}\u0000${name}`) ?? [], overrides.get(`${region}\u0000${name}`) ?? [], display));
      const acc = accountConfigs.find((c) => c.account === account && c.region === region);
      const accountLevel = acc ? accountConfigPreview(acc, display) : undefined;
      return {
        region,
        guarded: orgLevel.length > 0 || accountLevel !== undefined,
        organizationLevel: orgLevel,
        ...(accountLevel ? { accountLevel } : {}),
      };
    });

    return {
      account,
      declared,
      organizationalUnitIds: ous,
      location: declared ? ['Root', ...ous.map((ou) => org.organizationalUnitName(ou))].join(' / ') : 'not declared in the Organization',
      regions: regionRows,
    };
  });

  const rolloutTarget = (t: TargetFacts, stage?: number): RolloutTargetPreview => ({
    type: t.type, id: t.id, ...(stage !== undefined ? { stage } : {}), accounts: accountsOfTarget(org, t),
  });
  const organizationPolicies: PolicyRolloutPreview[] = (input.organizationPolicies ?? []).map((p) => ({
    name: p.name,
    ...(p.stack !== undefined ? { stack: p.stack } : {}),
    ...(p.rolloutStage !== undefined ? { rolloutStage: p.rolloutStage } : {}),
    attached: p.targets.map((t, i) => rolloutTarget(t, p.targetStages?.[i])),
    pending: [...(p.pending ?? [])].sort((a, b) => a.stage - b.stage || (a.id < b.id ? -1 : 1)).map((t) => rolloutTarget(t, t.stage)),
  })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tree: PreviewTree = {
    rootId: org.rootId,
    organizationalUnits: org.organizationalUnitIds().map((id) => {
      const parentId = org.parentOf(id);
      return { id, name: org.organizationalUnitName(id), ...(parentId ? { parentId } : {}) };
    }),
  };
  return { regions, accounts, summary: countPreview(accounts, regions.length, policies.length), organizationPolicies, tree };
}

function countPreview(accounts: readonly AccountEnforcementPreview[], regions: number, organizationPolicies: number): PreviewSummary {
  let organizationOnly = 0; let accountOnly = 0; let both = 0; let unguarded = 0; let conflicts = 0;
  for (const a of accounts) {
    for (const r of a.regions) {
      const o = r.organizationLevel.length > 0;
      const l = r.accountLevel !== undefined;
      if (o && l) both++; else if (o) organizationOnly++; else if (l) accountOnly++; else unguarded++;
      conflicts += r.organizationLevel.reduce((n, c) => n + c.conflicts.length, 0);
    }
  }
  return { accounts: accounts.length, regions, organizationOnly, accountOnly, both, unguarded, organizationPolicies, conflicts };
}

/**
 * The preview limited to `accounts` (e.g. the accounts one stack enforces in), with its summary
 * counted again over them. With `scope`, the result says which stack it belongs to, where the
 * app-wide preview is, and which of the app's accounts the stack enforces nothing in.
 */
export function restrictPreview(preview: EnforcementPreview, accounts: ReadonlySet<string>, scope?: { readonly stack: string; readonly appPreview: string }): EnforcementPreview {
  const rows = preview.accounts.filter((a) => accounts.has(a.account));
  return {
    regions: preview.regions,
    accounts: rows,
    summary: countPreview(rows, preview.regions.length, preview.summary.organizationPolicies),
    organizationPolicies: preview.organizationPolicies,
    tree: preview.tree,
    ...(scope ? {
      scope: {
        stack: scope.stack,
        appPreview: scope.appPreview,
        accountsNotEnforcedHere: preview.accounts.map((a) => a.account).filter((a) => !accounts.has(a)).sort(),
        unguardedInApp: preview.summary.unguarded,
      },
    } : {}),
  };
}

function orgConfigPreview(name: string, leaves: Map<Leaf, Assigned>, conflicts: string[], overrides: string[],
  display: (identifier: string) => string): EffectiveConfigurationPreview {
  const defaulted: string[] = [];
  const get = (leaf: Leaf): LeafValue | undefined => leaves.get(leaf)?.value;
  const mode = (leaf: Leaf, prop: string): ContentGuarding => {
    const v = get(leaf);
    if (v === undefined) { defaulted.push(prop); return DEFAULT_CONTENT_GUARDING; }
    return contentGuardingFromPolicyValue(v as string);
  };
  const identifier = get('identifier') as string | undefined;
  const systemPromptGuarding = mode('system', 'systemPromptGuarding');
  const messageGuarding = mode('messages', 'messageGuarding');
  const included = get('included') as string[] | undefined;
  const excluded = get('excluded') as string[] | undefined;
  if (included === undefined) defaulted.push('includedModels');
  if (excluded === undefined) defaulted.push('excludedModels');
  const sources: string[] = [];
  for (const leaf of LEAVES) {
    const s = leaves.get(leaf)?.source;
    if (s !== undefined && !sources.includes(s)) sources.push(s);
  }
  return {
    name,
    // A child policy may set settings for a name whose identifier a parent never assigned.
    guardrail: identifier === undefined ? '(no identifier assigned)' : display(identifier),
    ...(identifier !== undefined && !isToken(identifier) ? { identifier } : {}),
    systemPromptGuarding,
    messageGuarding,
    includedModels: included === undefined || included.length === 0 ? [ModelId.ALL.value] : [...included].sort(),
    excludedModels: [...(excluded ?? [])].sort(),
    defaulted,
    sources,
    conflicts: [...conflicts].sort(),
    overrides: [...overrides].sort(),
  };
}

function accountConfigPreview(c: PreviewAccountConfiguration, display: (identifier: string, label?: string) => string): EffectiveConfigurationPreview {
  const s = effectiveSettings(c.settings ?? {});
  return {
    name: ACCOUNT_LEVEL,
    guardrail: display(c.identifier, c.label),
    ...(!isToken(c.identifier) ? { identifier: c.identifier } : {}),
    systemPromptGuarding: s.systemPromptGuarding,
    messageGuarding: s.messageGuarding,
    includedModels: s.includedModels,
    excludedModels: s.excludedModels,
    defaulted: s.defaulted,
    sources: [c.source ?? ACCOUNT_LEVEL],
    conflicts: [],
    overrides: [],
  };
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function modeText(mode: ContentGuarding, defaulted: boolean): string {
  return `${mode.toLowerCase()}${defaulted ? ' (default)' : ''}`;
}

/** The account-region pairs no enforcement guards, in account then region order. */
export function unguardedPairs(preview: EnforcementPreview): Array<{ readonly account: string; readonly region: string }> {
  return preview.accounts.flatMap((a) => a.regions.filter((r) => !r.guarded).map((r) => ({ account: a.account, region: r.region })));
}

/** How an account is guarded across the regions shown. */
function accountStatus(a: AccountEnforcementPreview): 'both' | 'organization' | 'account' | 'mixed' | 'unguarded' {
  const kinds = new Set(a.regions.map((r) => (r.organizationLevel.length && r.accountLevel ? 'both'
    : r.organizationLevel.length ? 'organization' : r.accountLevel ? 'account' : 'unguarded')));
  return kinds.size === 1 ? [...kinds][0] as 'both' | 'organization' | 'account' | 'unguarded' : kinds.has('unguarded') ? 'unguarded' : 'mixed';
}

const STATUS_TEXT = {
  both: 'organization + account level', organization: 'organization level', account: 'account level', mixed: 'guarded, differently per region', unguarded: 'unguarded',
} as const;

/** A Mermaid node ID: letters and digits only. */
function nodeId(prefix: string, id: string): string {
  return `${prefix}_${id.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** A Mermaid label, with the characters Mermaid reads as syntax escaped. */
function nodeLabel(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}

/**
 * The organization as a Mermaid flowchart: the root, the OUs, and each account marked by how it
 * is guarded (organization level, account level, both, or unguarded; per region when they differ).
 * Code hosts render it in pull requests.
 */
export function renderPreviewDiagram(preview: EnforcementPreview): string {
  const lines = ['flowchart TD', `  ${nodeId('root', preview.tree.rootId)}[${nodeLabel(`Root ${preview.tree.rootId}`)}]`];
  const known = new Set(preview.tree.organizationalUnits.map((o) => o.id));
  for (const ou of preview.tree.organizationalUnits) {
    const parent = ou.parentId && known.has(ou.parentId) ? nodeId('ou', ou.parentId) : nodeId('root', preview.tree.rootId);
    lines.push(`  ${nodeId('ou', ou.id)}[${nodeLabel(`OU ${ou.name}`)}]`, `  ${parent} --> ${nodeId('ou', ou.id)}`);
  }
  // The rollout stage that would next reach each account, if one waits.
  const nextStage = new Map<string, number>();
  for (const p of preview.organizationPolicies) {
    for (const t of p.pending) {
      for (const account of t.accounts) {
        const stage = t.stage ?? Number.MAX_SAFE_INTEGER;
        if (stage < (nextStage.get(account) ?? Number.MAX_SAFE_INTEGER)) nextStage.set(account, stage);
      }
    }
  }
  for (const a of preview.accounts) {
    const status = accountStatus(a);
    const differs = new Set(a.regions.map((r) => `${r.organizationLevel.length > 0}/${r.accountLevel !== undefined}`)).size > 1;
    const perRegion = differs
      ? a.regions.map((r) => `${r.region}: ${r.organizationLevel.length && r.accountLevel ? 'both' : r.organizationLevel.length ? 'org' : r.accountLevel ? 'account' : 'unguarded'}`).join(', ')
      : STATUS_TEXT[status];
    const ou = a.organizationalUnitIds[a.organizationalUnitIds.length - 1];
    const parent = ou && known.has(ou) ? nodeId('ou', ou) : nodeId('root', preview.tree.rootId);
    const pending = nextStage.has(a.account) ? `<br/>rollout stage ${nextStage.get(a.account)} pending` : '';
    lines.push(`  ${nodeId('acct', a.account)}(${nodeLabel(`${a.account}<br/>${perRegion}${pending}`)}):::${status}`, `  ${parent} --> ${nodeId('acct', a.account)}`);
  }
  lines.push(
    '  classDef both fill:#1b7f3b,color:#fff',
    '  classDef organization fill:#2e6bd6,color:#fff',
    '  classDef account fill:#6f42c1,color:#fff',
    '  classDef mixed fill:#b08800,color:#fff',
    '  classDef unguarded fill:#c62828,color:#fff',
  );
  return lines.join('\n');
}

/**
 * Renders the preview as Markdown for a reviewer: a summary, the organization as a Mermaid
 * diagram, one table row per account, region and enforced configuration (and one "unguarded" row
 * for an account-region pair with none), the pending rollout stages, and, for a stack's own
 * preview, where the app-wide one is.
 */
export function renderPreviewMarkdown(preview: EnforcementPreview): string {
  const out: string[] = ['# Enforcement preview', ''];
  if (preview.scope) {
    const sc = preview.scope;
    out.push(`This is stack **${sc.stack}**'s part of the app's preview: the accounts it enforces in. The app-wide preview is [${sc.appPreview}](${sc.appPreview}).`);
    out.push(sc.accountsNotEnforcedHere.length
      ? `This stack enforces nothing in ${sc.accountsNotEnforcedHere.join(', ')}; see the app-wide preview for what guards them${sc.unguardedInApp ? ` (${sc.unguardedInApp} account-region pair(s) of the app are unguarded)` : ''}.`
      : 'This stack enforces in every account of the app.');
    out.push('');
  }
  out.push(summarizePreview(preview), '', '```mermaid', renderPreviewDiagram(preview), '```', '');
  out.push(
    '| Account | Region | Configuration | Guardrail version | Included models | Excluded models | System prompts | Messages | Source |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const a of preview.accounts) {
    const who = `${a.account} (${a.location})`;
    for (const r of a.regions) {
      const configs = [...r.organizationLevel, ...(r.accountLevel ? [r.accountLevel] : [])];
      if (configs.length === 0) {
        out.push(`| ${cell(who)} | ${r.region} | — | **unguarded** | — | — | — | — | — |`);
        continue;
      }
      for (const c of configs) {
        const source = c.name === ACCOUNT_LEVEL ? c.sources.join(', ') : `org: ${c.sources.join(', ')}`;
        const notes = [...c.conflicts, ...c.overrides.map((o) => `overrides ${o}`)];
        out.push(`| ${[
          who, r.region, c.name, c.guardrail, c.includedModels.join(', '), c.excludedModels.join(', ') || '—',
          modeText(c.systemPromptGuarding, c.defaulted.includes('systemPromptGuarding')),
          modeText(c.messageGuarding, c.defaulted.includes('messageGuarding')),
          source + (notes.length ? ` ⚠ ${notes.join('; ')}` : ''),
        ].map(cell).join(' | ')} |`);
      }
    }
  }
  const pending = preview.organizationPolicies.flatMap((p) => p.pending.map((t) => ({ policy: p, target: t })));
  if (pending.length) {
    out.push('', '## Pending rollout stages', '', '| Policy | Stage | Target | Accounts it would add |', '|---|---|---|---|');
    for (const { policy, target } of pending) {
      const ouName = preview.tree.organizationalUnits.find((o) => o.id === target.id)?.name;
      const what = target.type === TargetType.ROOT ? `root ${target.id}`
        : target.type === TargetType.ORGANIZATIONAL_UNIT ? `OU ${ouName && ouName !== target.id ? `${ouName} (${target.id})` : target.id}` : `account ${target.id}`;
      out.push(`| ${cell(policy.name)} | ${target.stage ?? '—'} | ${cell(what)} | ${target.accounts.join(', ') || '—'} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Options of {@link summarizePreview}. */
export interface PreviewSummaryOptions {
  /** Where the Markdown preview was written, to point the reader at it. @default not mentioned */
  readonly previewPath?: string;
  /** How many unguarded account-region pairs to name before "and N more". @default 10 */
  readonly listUnguarded?: number;
}

/** A one-paragraph summary of the preview: the counts, the unguarded accounts by name, and where the preview is. */
export function summarizePreview(preview: EnforcementPreview, options: PreviewSummaryOptions = {}): string {
  const s = preview.summary;
  const pairs = s.organizationOnly + s.accountOnly + s.both + s.unguarded;
  const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
  const unguarded = unguardedPairs(preview);
  const limit = options.listUnguarded ?? 10;
  const named = unguarded.slice(0, limit).map((u) => (u.region === '*' ? u.account : `${u.account} in ${u.region}`)).join(', ');
  const pendingStages = [...new Set(preview.organizationPolicies.flatMap((p) => p.pending.map((t) => t.stage)))].filter((x) => x !== undefined).sort((a, b) => a! - b!);
  return `${plural(s.accounts, 'account')} across ${plural(s.regions, 'region')} (${plural(pairs, 'account-region pair')}): `
    + `${s.organizationOnly} guarded by organization policy only, ${s.accountOnly} by account-level enforcement only, `
    + `${s.both} by both, ${s.unguarded} unguarded. `
    + `${plural(s.organizationPolicies, 'organization policy', 'organization policies')} considered`
    + `${s.conflicts ? `; ${plural(s.conflicts, 'same-node conflict')} resolved by attachment order` : ''}.`
    + `${unguarded.length ? ` Unguarded: ${named}${unguarded.length > limit ? ` and ${unguarded.length - limit} more` : ''}.` : ''}`
    + `${pendingStages.length ? ` Pending rollout stage${pendingStages.length > 1 ? 's' : ''}: ${pendingStages.join(', ')}.` : ''}`
    + `${options.previewPath ? ` Preview: ${options.previewPath}` : ''}`;
}
