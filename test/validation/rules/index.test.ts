import { EMPTY_APP_FACTS } from '../../../src/validation/facts';
import { ALL_RULES } from '../../../src/validation/rules';
import { ACCOUNT_RULES } from '../../../src/validation/rules/account-rules';
import { APP_RULES } from '../../../src/validation/rules/app-rules';
import { runRules } from '../../../src/validation/rules/engine';
import { ORGANIZATION_RULES } from '../../../src/validation/rules/organization-rules';
import { accountConfig, appFacts, orgPolicy } from './fixtures';

describe('ALL_RULES', () => {
  test('ids are unique and shaped GR-<AREA>-<nnn>', () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^GR-[A-Z]+-\d{3}$/);
  });

  test('every rule has a title and a rationale', () => {
    for (const r of ALL_RULES) {
      expect({ id: r.id, title: r.title.trim().length > 10, rationale: r.rationale.trim().length > 30 }).toEqual({ id: r.id, title: true, rationale: true });
    }
  });

  test('holds every app, organization and account rule, app-wide first', () => {
    expect(ALL_RULES).toEqual([...APP_RULES, ...ORGANIZATION_RULES, ...ACCOUNT_RULES]);
    expect(ALL_RULES.map((r) => r.id)).toEqual(expect.arrayContaining([
      'GR-APP-001', 'GR-GRD-001', 'GR-POL-001', 'GR-SHIM-001', 'GR-ORG-015', 'GR-ORG-016', 'GR-ORG-017', 'GR-ACC-001', 'GR-ACC-009',
    ]));
    expect(ALL_RULES).toHaveLength(4 + 17 + 9);
  });

  test('an empty app and a compliant app pass every rule', () => {
    const clean = { findings: [], errors: [], warnings: [], acknowledged: [] };
    expect(runRules(ALL_RULES, EMPTY_APP_FACTS)).toEqual(clean);
    expect(runRules(ALL_RULES, appFacts({ organizationPolicies: [orgPolicy()], accountConfigurations: [accountConfig()] }))).toEqual(clean);
  });
});
