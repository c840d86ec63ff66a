import { BedrockPolicyDocument } from '../../src/enforcement/policy-document';
import { ContentGuarding } from '../../src/model/enforcement-settings';
import { ModelId } from '../../src/model/model-id';
import { TargetFacts, TargetType } from '../../src/model/targets';
import {
  AccountEnforcementPreview, previewEnforcement, PreviewOrganizationPolicy, RegionEnforcementPreview, renderPreviewMarkdown, restrictPreview,
  summarizePreview, renderPreviewDiagram, unguardedPairs,
} from '../../src/validation/preview';
import { fakeVersion, MEMBER_A, MEMBER_B, MEMBER_C, MGMT, organization, OU_PROD, OU_SANDBOX, OU_WORKLOADS } from './rules/fixtures';

const v1 = fakeVersion({ version: '1' });
const v2 = fakeVersion({ id: 'prodguard001', version: '2' });
const v3 = fakeVersion({ id: 'prodguard001', version: '3' });
const ROOT: TargetFacts = { type: TargetType.ROOT, id: 'r-ab12' };
const ou = (id: string): TargetFacts => ({ type: TargetType.ORGANIZATIONAL_UNIT, id });

/** A policy for the preview: the document's rendered content, labelled by its configurations' labels. */
function policy(name: string, targets: TargetFacts[], document: BedrockPolicyDocument): PreviewOrganizationPolicy {
  return { name, targets, content: document.render(), labels: Object.fromEntries(document.configurations.map((c) => [c.identifier, c.label])) };
}

function region(preview: ReturnType<typeof previewEnforcement>, account: string, name = 'us-east-1'): RegionEnforcementPreview {
  const a = preview.accounts.find((x: AccountEnforcementPreview) => x.account === account)!;
  return a.regions.find((r) => r.region === name)!;
}

const rootBaselineDocument = new BedrockPolicyDocument().addConfiguration({
  name: 'baseline', version: v1, excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
});
const rootBaseline = policy('org-baseline', [ROOT], rootBaselineDocument);

describe('previewEnforcement', () => {
  test('configurations with different names accumulate down the OU ancestry', () => {
    const workloads = policy('workloads-extra', [ou(OU_WORKLOADS)], new BedrockPolicyDocument().addConfiguration({ name: 'workloads', version: v2 }));
    const p = previewEnforcement({ organization: organization(), organizationPolicies: [rootBaseline, workloads] });
    expect(region(p, MEMBER_A).organizationLevel.map((c) => c.name)).toEqual(['baseline', 'workloads']);
    expect(region(p, MEMBER_B).organizationLevel.map((c) => c.name)).toEqual(['baseline', 'workloads']);
    expect(region(p, MEMBER_C).organizationLevel.map((c) => c.name)).toEqual(['baseline']);
    expect(region(p, MEMBER_A).organizationLevel[1].sources).toEqual(['workloads-extra (OU Workloads)']);
    expect(p.accounts.find((a) => a.account === MEMBER_A)!.location).toBe('Root / Workloads / Prod');
  });

  test('@@assign at a lower node overrides the same configuration key by key', () => {
    const prod = policy('prod-override', [ou(OU_PROD)],
      new BedrockPolicyDocument().addConfiguration({ name: 'baseline', version: v3, messageGuarding: ContentGuarding.SELECTIVE }));
    const p = previewEnforcement({ organization: organization(), organizationPolicies: [rootBaseline, prod] });
    const a = region(p, MEMBER_A).organizationLevel;
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({
      name: 'baseline',
      identifier: v3.enforcementIdentifier,
      messageGuarding: ContentGuarding.SELECTIVE,
      systemPromptGuarding: ContentGuarding.COMPREHENSIVE,
      // Not set by the OU policy: inherited from the root policy.
      excludedModels: ['amazon.titan-embed-text-v2:0'],
      includedModels: ['ALL'],
      sources: ['prod-override (OU Prod)', 'org-baseline (root r-ab12)'],
      defaulted: ['systemPromptGuarding'],
      // The OU policy replaces the identifier the root policy assigns (messages the root leaves unset).
      overrides: ['identifier: prod-override (OU Prod) replaces org-baseline (root r-ab12)'],
    });
    expect(region(p, MEMBER_B).organizationLevel[0]).toMatchObject({ identifier: v1.enforcementIdentifier, messageGuarding: ContentGuarding.COMPREHENSIVE, overrides: [] });
  });

  test('an account with both levels shows both; one with neither is unguarded', () => {
    const sandboxOnly = policy('sandbox', [ou(OU_SANDBOX)], rootBaselineDocument);
    const p = previewEnforcement({
      organization: organization(),
      organizationPolicies: [sandboxOnly],
      accountConfigurations: [{ account: MEMBER_C, region: 'us-east-1', identifier: v2.enforcementIdentifier, settings: { systemPromptGuarding: ContentGuarding.SELECTIVE } }],
    });
    const both = region(p, MEMBER_C);
    expect(both.guarded).toBe(true);
    expect(both.organizationLevel.map((c) => c.name)).toEqual(['baseline']);
    expect(both.accountLevel).toMatchObject({ name: 'account-level', guardrail: v2.enforcementIdentifier, systemPromptGuarding: ContentGuarding.SELECTIVE, sources: ['account-level'] });
    const neither = region(p, MGMT);
    expect(neither).toEqual({ region: 'us-east-1', guarded: false, organizationLevel: [] });
    expect(p.summary).toMatchObject({ accounts: 4, regions: 1, both: 1, organizationOnly: 0, accountOnly: 0, unguarded: 3 });
    const md = renderPreviewMarkdown(p);
    expect(md).toContain(`| ${MGMT} (Root) | us-east-1 | — | **unguarded** |`);
    expect(md).toContain(`| ${MEMBER_C} (Root / Sandbox) | us-east-1 | account-level | ${v2.enforcementIdentifier} | ALL | — | selective | comprehensive (default) | account-level |`);
  });

  test('token identifiers are shown with the caller\'s label', () => {
    const tokenVersion = fakeVersion({ tokens: true });
    const accountToken = fakeVersion({ tokens: true, id: 'acctguard001' });
    const p = previewEnforcement({
      organization: organization(),
      organizationPolicies: [policy('org', [ROOT], new BedrockPolicyDocument().addConfiguration({ name: 'baseline', version: tokenVersion }))],
      accountConfigurations: [{ account: MEMBER_A, region: 'us-east-1', identifier: accountToken.enforcementIdentifier, label: 'BU guardrail version' }],
      labels: [{ identifier: tokenVersion.enforcementIdentifier, label: 'Guardrail Foo version' }],
    });
    expect(region(p, MEMBER_A).organizationLevel[0].guardrail).toBe('Guardrail Foo version');
    expect(region(p, MEMBER_A).accountLevel!.guardrail).toBe('BU guardrail version');
    // A token identifier is not written: it is known only at apply.
    expect(region(p, MEMBER_A).organizationLevel[0].identifier).toBeUndefined();
    const md = renderPreviewMarkdown(p);
    expect(md).toContain('| Guardrail Foo version |');
    expect(md).not.toContain('TfToken');
    expect(JSON.stringify(p)).not.toContain('TfToken');
  });

  test('without a caller label, a token shows the document\'s label (the guardrail and its version)', () => {
    const p = previewEnforcement({
      organization: organization(),
      organizationPolicies: [policy('org', [ROOT], new BedrockPolicyDocument().addConfiguration({ name: 'b', version: fakeVersion({ tokens: true, path: 'App/Mgmt/Foo' }) }))],
    });
    expect(region(p, MGMT).organizationLevel[0].guardrail).toBe('guardrail hu1dlsv9wy1d (version set on deploy)');
  });

  test('policies at the same node: the first attached wins a conflict, which is reported', () => {
    const first = policy('first', [ou(OU_PROD)], new BedrockPolicyDocument().addConfiguration({ name: 'baseline', version: v2 }));
    const second = policy('second', [ou(OU_PROD)], new BedrockPolicyDocument().addConfiguration({ name: 'baseline', version: v3 }));
    const p = previewEnforcement({ organization: organization(), organizationPolicies: [first, second] });
    const c = region(p, MEMBER_A).organizationLevel[0];
    expect(c.identifier).toBe(v2.enforcementIdentifier);
    expect(c.guardrail).toBe('guardrail prodguard001 version 2');
    expect(c.conflicts).toEqual([expect.stringMatching(/^identifier: first \(OU Prod\) and second \(OU Prod\) .* the policy attached first \(first\) wins$/)]);
    expect(p.summary.conflicts).toBe(1);
    expect(summarizePreview(p)).toContain('1 same-node conflict resolved by attachment order');
  });

  test('every region named anywhere is shown for every account, sorted; direct account attachments count', () => {
    const eu = fakeVersion({ region: 'eu-west-1' });
    const p = previewEnforcement({
      organization: organization(),
      organizationPolicies: [policy('direct', [{ type: TargetType.ACCOUNT, id: MEMBER_B }], new BedrockPolicyDocument().addConfiguration({ name: 'b', version: eu }))],
      regions: ['us-west-2'],
    });
    expect(p.regions).toEqual(['eu-west-1', 'us-west-2']);
    expect(region(p, MEMBER_B, 'eu-west-1').organizationLevel[0].sources).toEqual([`direct (account ${MEMBER_B})`]);
    expect(region(p, MEMBER_A, 'eu-west-1').guarded).toBe(false);
    expect(region(p, MEMBER_B, 'us-west-2').guarded).toBe(false);
  });

  test('an organization with no enforcement shows every account unguarded', () => {
    const p = previewEnforcement({ organization: organization() });
    expect(p.accounts.every((a) => a.regions.length === 1 && a.regions[0].region === '*' && !a.regions[0].guarded)).toBe(true);
    expect(summarizePreview(p)).toBe('4 accounts across 0 regions (4 account-region pairs): 0 guarded by organization policy only, '
      + '0 by account-level enforcement only, 0 by both, 4 unguarded. 0 organization policies considered. '
      + `Unguarded: ${MGMT}, ${MEMBER_A}, ${MEMBER_B}, ${MEMBER_C}.`);
  });

  test('output is deterministic and JSON-serializable', () => {
    const input = () => ({
      organization: organization(),
      organizationPolicies: [rootBaseline],
      accountConfigurations: [
        { account: MEMBER_C, region: 'us-east-1', identifier: v2.enforcementIdentifier },
        { account: MEMBER_A, region: 'eu-west-1', identifier: v2.enforcementIdentifier },
      ],
    });
    const a = previewEnforcement(input());
    const reversed = { ...input(), accountConfigurations: [...input().accountConfigurations].reverse() };
    expect(JSON.stringify(previewEnforcement(reversed))).toBe(JSON.stringify(a));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(a.accounts.map((x) => x.account)).toEqual([MGMT, MEMBER_A, MEMBER_B, MEMBER_C].sort());
    expect(summarizePreview(a)).toBe('4 accounts across 2 regions (8 account-region pairs): 3 guarded by organization policy only, '
      + '1 by account-level enforcement only, 1 by both, 3 unguarded. 1 organization policy considered. '
      + `Unguarded: ${MGMT} in eu-west-1, ${MEMBER_B} in eu-west-1, ${MEMBER_C} in eu-west-1.`);
  });

  test('Markdown table header and an organization row', () => {
    const md = renderPreviewMarkdown(previewEnforcement({ organization: organization(), organizationPolicies: [rootBaseline] }));
    const lines = md.trim().split('\n');
    const header = lines.indexOf('| Account | Region | Configuration | Guardrail version | Included models | Excluded models | System prompts | Messages | Source |');
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toBe('|---|---|---|---|---|---|---|---|---|');
    expect(lines).toContain(`| ${MEMBER_A} (Root / Workloads / Prod) | us-east-1 | baseline | guardrail hu1dlsv9wy1d version 1 | ALL | amazon.titan-embed-text-v2:0 `
      + '| comprehensive (default) | comprehensive (default) | org: org-baseline (root r-ab12) |');
    // One row per account after the header, and no pending-stage table without pending stages.
    expect(lines.slice(header + 2)).toHaveLength(4);
    expect(md).not.toContain('## Pending rollout stages');
  });

  test('account-level settings are read in their normalized form, defaults filled in', () => {
    const p = previewEnforcement({
      organization: organization(),
      accountConfigurations: [{
        account: MEMBER_B, region: 'us-east-1', identifier: v2.enforcementIdentifier,
        settings: { messageGuarding: ContentGuarding.SELECTIVE, includedModels: ['amazon.nova-lite-v1:0', 'amazon.nova-pro-v1:0'] },
      }],
    });
    expect(region(p, MEMBER_B).accountLevel).toEqual({
      name: 'account-level',
      guardrail: v2.enforcementIdentifier,
      identifier: v2.enforcementIdentifier,
      systemPromptGuarding: ContentGuarding.COMPREHENSIVE,
      messageGuarding: ContentGuarding.SELECTIVE,
      includedModels: ['amazon.nova-lite-v1:0', 'amazon.nova-pro-v1:0'],
      excludedModels: [],
      defaulted: ['systemPromptGuarding', 'excludedModels'],
      sources: ['account-level'],
      conflicts: [],
      overrides: [],
    });
  });

  test('restrictPreview keeps the given accounts and counts the summary again over them', () => {
    const full = previewEnforcement({ organization: organization(), organizationPolicies: [policy('sandbox', [ou(OU_SANDBOX)], rootBaselineDocument)] });
    const restricted = restrictPreview(full, new Set([MEMBER_A, MEMBER_C]));
    expect(restricted.accounts.map((a) => a.account)).toEqual([MEMBER_A, MEMBER_C]);
    expect(restricted.regions).toEqual(full.regions);
    expect(restricted.summary).toEqual({ ...full.summary, accounts: 2, organizationOnly: 1, unguarded: 1 });
    expect(full.summary).toMatchObject({ accounts: 4, organizationOnly: 1, unguarded: 3 });
  });
});

describe('the preview a reviewer reads', () => {
  const staged = (): ReturnType<typeof previewEnforcement> => previewEnforcement({
    organization: organization(),
    organizationPolicies: [{
      ...policy('bedrock-guardrails', [ou(OU_WORKLOADS)], rootBaselineDocument),
      stack: 'management', rolloutStage: 1, targetStages: [1],
      pending: [{ ...ou(OU_SANDBOX), stage: 2 }, { type: TargetType.ACCOUNT, id: MGMT, stage: 3 }],
    }],
    accountConfigurations: [{ account: MEMBER_A, region: 'us-east-1', identifier: v2.enforcementIdentifier, label: 'bu-strict version 2' }],
  });

  test('the organization as a Mermaid diagram: root, OUs under their parents, each account marked by how it is guarded', () => {
    const diagram = renderPreviewDiagram(staged());
    const lines = diagram.split('\n');
    expect(lines[0]).toBe('flowchart TD');
    expect(lines).toContain('  root_r_ab12["Root r-ab12"]');
    // Prod sits under Workloads, Sandbox under the root.
    expect(lines).toContain(`  ou_${OU_WORKLOADS.replace(/-/g, '_')} --> ou_${OU_PROD.replace(/-/g, '_')}`);
    expect(lines).toContain(`  root_r_ab12 --> ou_${OU_SANDBOX.replace(/-/g, '_')}`);
    // Prod's account is guarded at both levels, Workloads' by the policy, the others not at all.
    expect(lines).toContain(`  acct_${MEMBER_A}("${MEMBER_A}<br/>organization + account level"):::both`);
    expect(lines).toContain(`  acct_${MEMBER_B}("${MEMBER_B}<br/>organization level"):::organization`);
    // Sandbox's account waits for stage 2, the management account for stage 3.
    expect(lines).toContain(`  acct_${MEMBER_C}("${MEMBER_C}<br/>unguarded<br/>rollout stage 2 pending"):::unguarded`);
    expect(lines).toContain(`  acct_${MGMT}("${MGMT}<br/>unguarded<br/>rollout stage 3 pending"):::unguarded`);
    expect(lines).toContain(`  root_r_ab12 --> acct_${MGMT}`);
    for (const cls of ['both', 'organization', 'account', 'mixed', 'unguarded']) expect(diagram).toMatch(new RegExp(`classDef ${cls} `));
    expect(renderPreviewMarkdown(staged())).toContain(`\`\`\`mermaid\n${diagram}\n\`\`\``);
  });

  test('an account guarded differently per region is marked per region', () => {
    const eu = fakeVersion({ region: 'eu-west-1' });
    const p = previewEnforcement({
      organization: organization(),
      organizationPolicies: [policy('eu-only', [ou(OU_SANDBOX)], new BedrockPolicyDocument().addConfiguration({ name: 'eu', version: eu }))],
      regions: ['us-east-1'],
    });
    expect(renderPreviewDiagram(p)).toContain(`  acct_${MEMBER_C}("${MEMBER_C}<br/>eu-west-1: org, us-east-1: unguarded"):::unguarded`);
  });

  test('pending rollout stages: in the JSON with the accounts each would add, and as a table', () => {
    const p = staged();
    expect(p.organizationPolicies).toEqual([{
      name: 'bedrock-guardrails', stack: 'management', rolloutStage: 1,
      attached: [{ type: TargetType.ORGANIZATIONAL_UNIT, id: OU_WORKLOADS, stage: 1, accounts: [MEMBER_A, MEMBER_B] }],
      pending: [
        { type: TargetType.ORGANIZATIONAL_UNIT, id: OU_SANDBOX, stage: 2, accounts: [MEMBER_C] },
        { type: TargetType.ACCOUNT, id: MGMT, stage: 3, accounts: [MGMT] },
      ],
    }]);
    const md = renderPreviewMarkdown(p);
    expect(md).toContain('## Pending rollout stages');
    expect(md).toContain(`| bedrock-guardrails | 2 | OU Sandbox (${OU_SANDBOX}) | ${MEMBER_C} |`);
    expect(md).toContain(`| bedrock-guardrails | 3 | account ${MGMT} | ${MGMT} |`);
    expect(summarizePreview(p)).toContain('Pending rollout stages: 2, 3.');
  });

  test('the summary names the unguarded pairs, at most `listUnguarded`, and where the preview is', () => {
    const p = staged();
    expect(summarizePreview(p, { previewPath: 'cdktf.out/enforcement-preview.md' }))
      .toMatch(new RegExp(`Unguarded: ${MGMT} in us-east-1, ${MEMBER_C} in us-east-1\\. Pending rollout stages: 2, 3\\. Preview: cdktf\\.out/enforcement-preview\\.md$`));
    expect(summarizePreview(p, { listUnguarded: 1 })).toContain(`Unguarded: ${MGMT} in us-east-1 and 1 more.`);
    expect(unguardedPairs(p)).toEqual([{ account: MGMT, region: 'us-east-1' }, { account: MEMBER_C, region: 'us-east-1' }]);
  });

  test('an override of a higher policy\'s setting is flagged in the table cell', () => {
    const prod = policy('prod-override', [ou(OU_PROD)], new BedrockPolicyDocument().addConfiguration({ name: 'baseline', version: v3 }));
    const md = renderPreviewMarkdown(previewEnforcement({ organization: organization(), organizationPolicies: [rootBaseline, prod] }));
    expect(md).toContain('⚠ overrides identifier: prod-override (OU Prod) replaces org-baseline (root r-ab12)');
  });

  test('a stack\'s own preview says where the app-wide one is and which accounts it enforces nothing in', () => {
    const scoped = restrictPreview(staged(), new Set([MEMBER_A]), { stack: 'bu', appPreview: '../../enforcement-preview.md' });
    expect(scoped.scope).toEqual({ stack: 'bu', appPreview: '../../enforcement-preview.md', accountsNotEnforcedHere: [MGMT, MEMBER_B, MEMBER_C].sort(), unguardedInApp: 2 });
    const md = renderPreviewMarkdown(scoped);
    expect(md).toContain("This is stack **bu**'s part of the app's preview");
    expect(md).toContain(`This stack enforces nothing in ${[MGMT, MEMBER_B, MEMBER_C].sort().join(', ')}; see the app-wide preview for what guards them (2 account-region pair(s) of the app are unguarded).`);
    expect(renderPreviewMarkdown(staged())).not.toContain('part of the app\'s preview');
  });
});
