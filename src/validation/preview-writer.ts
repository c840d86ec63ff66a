import * as fs from 'fs';
import * as path from 'path';
import { ACCOUNT_ID_PATTERN } from '../model/identifiers';
import { Organization } from '../model/organization';
import { accountsOfTarget } from '../model/reach';
import { AppFacts, theOrganization } from './facts';
import { EnforcementPreview, previewEnforcement, renderPreviewMarkdown, restrictPreview, summarizePreview } from './preview';

/** File name of the JSON preview, written at the top of the output and beside each stack that enforces something. */
export const PREVIEW_JSON = 'enforcement-preview.json';
/** File name of the Markdown preview. */
export const PREVIEW_MARKDOWN = 'enforcement-preview.md';

/** The organization the preview's rows come from: the one described, or one made of the enforced accounts. */
function previewOrganization(facts: AppFacts): { organization: Organization; declared: boolean } | undefined {
  const declared = theOrganization(facts);
  if (declared) return { organization: declared, declared: true };
  // Without a described organization, the rows are the accounts enforced at account level.
  const literal = [...new Set(facts.accountConfigurations.map((c) => c.account).filter((a): a is string => a !== undefined && ACCOUNT_ID_PATTERN.test(a)))].sort();
  if (literal.length === 0) return undefined;
  return {
    organization: new Organization({ organizationId: 'o-0000000000', rootId: 'r-0000', managementAccountId: literal[0], rootAccounts: literal.slice(1) }),
    declared: false,
  };
}

/**
 * The app-wide effective-enforcement preview: every organization policy (attached targets, in
 * attachment order) and every account-level configuration, merged per account and region.
 * Undefined when there is nothing to preview (no organization described, no account enforced).
 */
export function appEnforcementPreview(facts: AppFacts): EnforcementPreview | undefined {
  const found = previewOrganization(facts);
  return found && previewIn(facts, found.organization, found.declared);
}

/** The app-wide preview with `organization`'s accounts as the rows. */
function previewIn(facts: AppFacts, organization: Organization, declared: boolean): EnforcementPreview {
  const preview = previewEnforcement({
    organization,
    organizationPolicies: facts.organizationPolicies.filter((p) => p.content).map((p) => ({
      name: p.name,
      stack: p.stack,
      content: p.content!,
      labels: Object.fromEntries(p.configurations.map((c) => [c.version.identifier, c.version.label])),
      targets: p.attached.map((t) => ({ type: t.type, id: t.id })),
      targetStages: p.attached.map((t) => t.stage),
      rolloutStage: p.rolloutStage,
      pending: p.pending.map((t) => ({ type: t.type, id: t.id, stage: t.stage })),
    })),
    // An account only known at apply (the stack's own, unpinned) has no row: its ID is a token.
    accountConfigurations: facts.accountConfigurations.filter((c) => c.account !== undefined && ACCOUNT_ID_PATTERN.test(c.account)).map((c) => ({
      account: c.account!,
      region: c.region,
      identifier: c.version.identifier,
      label: c.version.label,
      settings: c.settings,
      source: `account-level (${c.path})`,
    })),
  });
  if (declared) return preview;
  return { ...preview, accounts: preview.accounts.map((a) => ({ ...a, location: 'no Organization described' })) };
}

/**
 * Writes the app-wide preview (JSON and Markdown) at the top of `outdir`, and beside every stack
 * that enforces something the rows of the accounts that stack reaches (organization policy targets
 * it attaches, accounts it enforces in), each saying where the app-wide one is. Returns the
 * app-wide one-paragraph summary, naming the unguarded accounts and the preview's path (empty
 * when there is nothing to preview).
 *
 * @param shownDir the directory the output ends up in, for the path the summary prints @default outdir
 */
export function writeEnforcementPreviews(facts: AppFacts, outdir: string, shownDir: string = outdir): string {
  const found = previewOrganization(facts);
  if (!found) return '';
  const { organization } = found;
  const preview = previewIn(facts, organization, found.declared);
  write(outdir, preview);
  const reached = new Map<string, Set<string>>();
  const reach = (stack: string, accounts: Iterable<string>) => {
    const set = reached.get(stack) ?? new Set<string>();
    for (const a of accounts) set.add(a);
    reached.set(stack, set);
  };
  for (const p of facts.organizationPolicies) reach(p.stack, p.attached.flatMap((t) => accountsOfTarget(organization, t)));
  for (const c of facts.accountConfigurations) if (c.account !== undefined && ACCOUNT_ID_PATTERN.test(c.account)) reach(c.stack, [c.account]);
  for (const [stack, accounts] of reached) {
    write(path.join(outdir, 'stacks', stack), restrictPreview(preview, accounts, { stack, appPreview: `../../${PREVIEW_MARKDOWN}` }));
  }
  const shown = path.relative(process.cwd(), path.join(shownDir, PREVIEW_MARKDOWN));
  return summarizePreview(preview, { previewPath: shown.startsWith('..') ? path.join(shownDir, PREVIEW_MARKDOWN) : shown });
}

function write(dir: string, preview: EnforcementPreview): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, PREVIEW_JSON), `${JSON.stringify(preview, undefined, 2)}\n`);
  fs.writeFileSync(path.join(dir, PREVIEW_MARKDOWN), renderPreviewMarkdown(preview));
}
