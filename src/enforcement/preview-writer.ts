import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { AccountEnforcement } from './account-enforcement';
import { OrganizationEnforcement } from './organization-enforcement';
import { EnforcementPreview, previewEnforcement, renderPreviewMarkdown, summarizePreview } from './preview';
import { ACCOUNT_ID_PATTERN, Organization } from '../organization';
import { RuleRegistry } from '../private/rule-registry';

/** File names of the preview written beside each stack that enforces something. */
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
 * Writes the preview (JSON and Markdown) into the directory of every stack in `outdir` that holds
 * enforcement, and returns the one-paragraph summary (empty when there is nothing to preview).
 */
export function writeEnforcementPreviews(app: App, outdir: string): string {
  const preview = appEnforcementPreview(app);
  if (!preview) return '';
  const registry = RuleRegistry.of(app);
  const stacks = new Set([...registry.organizationConstructs, ...registry.accountConstructs].map((c) => TerraformStack.of(c)));
  const json = `${JSON.stringify(preview, undefined, 2)}\n`;
  const markdown = renderPreviewMarkdown(preview);
  for (const stack of stacks) {
    const dir = path.join(outdir, 'stacks', stack.node.id);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, PREVIEW_JSON), json);
    fs.writeFileSync(path.join(dir, PREVIEW_MARKDOWN), markdown);
  }
  return summarizePreview(preview);
}
