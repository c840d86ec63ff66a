import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { AccountEnforcement } from './account-enforcement';
import { OrganizationEnforcement } from './organization-enforcement';
import { EnforcementPreview, previewEnforcement, renderPreviewMarkdown, restrictPreview, summarizePreview } from './preview';
import { ACCOUNT_ID_PATTERN, Organization } from '../organization';
import { RuleRegistry } from '../private/rule-registry';
import { TargetType } from '../rules/facts';

/** File name of the JSON preview, written at the top of the output and beside each stack that enforces something. */
export const PREVIEW_JSON = 'enforcement-preview.json';
/** File name of the Markdown preview. */
export const PREVIEW_MARKDOWN = 'enforcement-preview.md';

/**
 * The app-wide effective-enforcement preview: every organization policy (attached targets, in
 * attachment order) and every account-level configuration, merged per account and region.
 * Undefined when the app describes no organization (the preview's rows are its accounts).
 */
export function appEnforcementPreview(app: App): EnforcementPreview | undefined {
  const registry = RuleRegistry.of(app);
  const orgs = registry.organizationConstructs as OrganizationEnforcement[];
  const accounts = registry.accountConstructs as AccountEnforcement[];
  const declared = registry.knownOrganization;
  // Without a described organization, the rows are the accounts enforced at account level.
  const literalAccounts = [...new Set(accounts.map((a) => a.account).filter((a) => ACCOUNT_ID_PATTERN.test(a)))].sort();
  if (!declared && literalAccounts.length === 0) return undefined;
  const organization = declared ?? new Organization({
    organizationId: 'o-0000000000', rootId: 'r-0000', managementAccountId: literalAccounts[0], rootAccounts: literalAccounts.slice(1),
  });
  const preview = previewEnforcement({
    organization,
    organizationPolicies: orgs.map((o) => ({
      name: o.policyName,
      document: o.document,
      targets: o.attachedTargets.map((t) => t.factsIn(organization)),
    })),
    accountConfigurations: accounts.map((a) => ({
      account: a.account,
      region: a.region,
      identifier: a.version.enforcementIdentifier,
      label: a.version.node.path,
      settings: a.settings,
      source: `account-level (${a.node.path})`,
    })),
  });
  if (declared) return preview;
  return { ...preview, accounts: preview.accounts.map((a) => ({ ...a, location: 'no Organization described' })) };
}

/**
 * Writes the app-wide preview (JSON and Markdown) at the top of `outdir`, and beside every stack
 * that enforces something the rows of the accounts that stack reaches (organization policy targets
 * it attaches, accounts it enforces in). Returns the app-wide one-paragraph summary (empty when
 * there is nothing to preview).
 */
export function writeEnforcementPreviews(app: App, outdir: string): string {
  const preview = appEnforcementPreview(app);
  if (!preview) return '';
  write(outdir, preview);
  const registry = RuleRegistry.of(app);
  const reached = new Map<TerraformStack, Set<string>>();
  const reach = (c: IConstruct, accounts: Iterable<string>) => {
    const stack = TerraformStack.of(c);
    const set = reached.get(stack) ?? new Set<string>();
    for (const a of accounts) set.add(a);
    reached.set(stack, set);
  };
  const everyAccount = preview.accounts.map((a) => a.account);
  for (const o of registry.organizationConstructs as OrganizationEnforcement[]) {
    reach(o, o.attachedTargets.flatMap((t) => {
      const id = t.idIn(o.organization);
      switch (t.type) {
        case TargetType.ROOT: return everyAccount;
        case TargetType.ORGANIZATIONAL_UNIT: return o.organization.accountsUnder(id);
        default: return [id];
      }
    }));
  }
  for (const a of registry.accountConstructs as AccountEnforcement[]) reach(a, [a.account]);
  for (const [stack, accounts] of reached) {
    write(path.join(outdir, 'stacks', stack.node.id), restrictPreview(preview, accounts));
  }
  return summarizePreview(preview);
}

function write(dir: string, preview: EnforcementPreview): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, PREVIEW_JSON), `${JSON.stringify(preview, undefined, 2)}\n`);
  fs.writeFileSync(path.join(dir, PREVIEW_MARKDOWN), renderPreviewMarkdown(preview));
}
