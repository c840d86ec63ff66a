import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EMPTY_APP_FACTS } from '../../src/validation/facts';
import { appEnforcementPreview, PREVIEW_JSON, PREVIEW_MARKDOWN, writeEnforcementPreviews } from '../../src/validation/preview-writer';
import {
  accountConfig, appFacts, IDENTIFIER_1, MEMBER_A, MEMBER_B, MEMBER_C, MGMT, orgConfig, orgPolicy, otherVersion, OU_PROD, OU_SANDBOX, ou, token,
  versionFacts,
} from './rules/fixtures';

describe('appEnforcementPreview', () => {
  test('merges the attached targets of every policy and the account-level configurations', () => {
    const facts = appFacts({
      organizationPolicies: [orgPolicy({ attached: [ou(OU_SANDBOX)], pending: [ou(OU_PROD)] })],
      accountConfigurations: [accountConfig({ version: otherVersion('2') })],
    });
    const preview = appEnforcementPreview(facts)!;
    const row = (account: string) => preview.accounts.find((a) => a.account === account)!.regions[0];
    expect(row(MEMBER_C).organizationLevel).toEqual([expect.objectContaining({ name: 'baseline', identifier: IDENTIFIER_1, sources: ['bedrock-baseline (OU Sandbox)'] })]);
    // OU Prod is a later stage: not attached yet.
    expect(row(MEMBER_A).organizationLevel).toEqual([]);
    expect(row(MEMBER_A).accountLevel).toMatchObject({
      identifier: otherVersion('2').identifier, sources: ['account-level (App/Mgmt/AccountEnforcement-A)'],
    });
    expect(preview.summary).toMatchObject({ accounts: 4, organizationOnly: 1, accountOnly: 1, unguarded: 2 });
    // The later stage is listed with the accounts it would add.
    expect(preview.organizationPolicies).toEqual([{
      name: 'bedrock-baseline', stack: 'Mgmt', rolloutStage: 1,
      attached: [{ type: 'ORGANIZATIONAL_UNIT', id: OU_SANDBOX, stage: 1, accounts: [MEMBER_C] }],
      pending: [{ type: 'ORGANIZATIONAL_UNIT', id: OU_PROD, stage: 2, accounts: [MEMBER_A] }],
    }]);
  });

  test('shows token identifiers by their version label', () => {
    const tokenVersion = versionFacts({ identifier: token(), version: token(), label: 'baseline (version published on deploy)' });
    const facts = appFacts({ organizationPolicies: [orgPolicy({ configurations: [orgConfig({ version: tokenVersion })] })] });
    const preview = appEnforcementPreview(facts)!;
    expect(preview.accounts.find((a) => a.account === MEMBER_B)!.regions[0].organizationLevel[0].guardrail).toBe('baseline (version published on deploy)');
    expect(JSON.stringify(preview)).not.toContain('TfToken');
  });

  test('without an Organization, the rows are the accounts enforced at account level', () => {
    const facts = appFacts({
      organizations: [],
      accountConfigurations: [accountConfig({ account: MEMBER_C }), accountConfig({ path: 'App/Mgmt/B', account: MEMBER_B })],
    });
    const preview = appEnforcementPreview(facts)!;
    expect(preview.accounts.map((a) => a.account)).toEqual([MEMBER_B, MEMBER_C]);
    expect(preview.accounts.every((a) => a.location === 'no Organization described')).toBe(true);
  });

  test('an account that is a token at synth time (the stack\'s own account) gets no row holding the raw token', () => {
    const facts = appFacts({ accountConfigurations: [accountConfig(), accountConfig({ path: 'App/Own/AccountEnforcement', account: token(MGMT) })] });
    const preview = appEnforcementPreview(facts)!;
    expect(preview.accounts.map((a) => a.account)).toEqual([MGMT, MEMBER_A, MEMBER_B, MEMBER_C]);
    expect(JSON.stringify(preview)).not.toContain('TfToken');
  });

  test('is undefined when there is nothing to preview', () => {
    expect(appEnforcementPreview(EMPTY_APP_FACTS)).toBeUndefined();
  });
});

describe('writeEnforcementPreviews', () => {
  test('writes the app-wide preview and, beside each stack, the rows of the accounts it reaches', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-'));
    try {
      const facts = appFacts({
        organizationPolicies: [orgPolicy({ attached: [ou(OU_SANDBOX)] })],
        accountConfigurations: [accountConfig({ stack: 'BU' })],
      });
      const summary = writeEnforcementPreviews(facts, outdir, '/final/out');
      expect(summary).toBe('4 accounts across 1 region (4 account-region pairs): 1 guarded by organization policy only, '
        + `1 by account-level enforcement only, 0 by both, 2 unguarded. 1 organization policy considered. Unguarded: ${MGMT} in us-east-1, ${MEMBER_B} in us-east-1. `
        + 'Preview: /final/out/enforcement-preview.md');
      expect(fs.existsSync(path.join(outdir, PREVIEW_MARKDOWN))).toBe(true);
      const accountsIn = (stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, PREVIEW_JSON), 'utf8')).accounts.map((a: { account: string }) => a.account);
      expect(accountsIn('Mgmt')).toEqual([MEMBER_C]);
      expect(accountsIn('BU')).toEqual([MEMBER_A]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
