import {
  Acknowledgements, formatFinding, GuardrailRule, RULE_ID_PATTERN, RuleSeverity, runRules,
} from '../../../src/validation/rules/engine';

interface Input { readonly values: Array<{ path: string; value: number }> }

const tooBig: GuardrailRule<Input> = {
  id: 'GR-TEST-001',
  severity: RuleSeverity.ERROR,
  title: 'Values are small',
  rationale: 'Big values break things.',
  evaluate: (input) => input.values.filter((v) => v.value > 10).map((v) => ({ path: v.path, message: `value is ${v.value}, limit 10`, fix: 'Use 10 or less.' })),
};

const odd: GuardrailRule<Input> = {
  id: 'GR-TEST-002',
  severity: RuleSeverity.WARNING,
  title: 'Values are even',
  rationale: 'Odd values are unusual.',
  evaluate: (input) => input.values.filter((v) => v.value % 2 === 1).map((v) => ({ path: v.path, message: `value is ${v.value}.`, fix: 'Use an even value.' })),
};

const input: Input = { values: [{ path: 'App/S/B', value: 11 }, { path: 'App/S/A', value: 3 }, { path: 'App/T/C', value: 4 }] };

describe('runRules', () => {
  test('prefixes messages with the rule id and names path, value and fix, sorted by path', () => {
    const report = runRules([tooBig, odd], input);
    expect(report.errors).toEqual(['[GR-TEST-001] App/S/B: value is 11, limit 10. Fix: Use 10 or less.']);
    expect(report.warnings).toEqual([
      '[GR-TEST-002] App/S/A: value is 3. Fix: Use an even value.',
      '[GR-TEST-002] App/S/B: value is 11. Fix: Use an even value.',
    ]);
    expect(report.acknowledged).toEqual([]);
  });

  test('findings are ordered by rule as given, then path, each with id, severity and text', () => {
    const report = runRules([odd, tooBig], input);
    expect(report.findings).toEqual([
      { ruleId: 'GR-TEST-002', severity: RuleSeverity.WARNING, path: 'App/S/A', text: '[GR-TEST-002] App/S/A: value is 3. Fix: Use an even value.' },
      { ruleId: 'GR-TEST-002', severity: RuleSeverity.WARNING, path: 'App/S/B', text: '[GR-TEST-002] App/S/B: value is 11. Fix: Use an even value.' },
      { ruleId: 'GR-TEST-001', severity: RuleSeverity.ERROR, path: 'App/S/B', text: '[GR-TEST-001] App/S/B: value is 11, limit 10. Fix: Use 10 or less.' },
    ]);
  });

  test('findings on one path are ordered by message', () => {
    const two: GuardrailRule<Input> = {
      ...odd,
      evaluate: () => [{ path: 'App/X', message: 'zeta', fix: 'f' }, { path: 'App/X', message: 'alpha', fix: 'f' }],
    };
    expect(runRules([two], input).warnings).toEqual(['[GR-TEST-002] App/X: alpha. Fix: f', '[GR-TEST-002] App/X: zeta. Fix: f']);
  });

  test('a compliant input gives an empty report', () => {
    expect(runRules([tooBig, odd], { values: [{ path: 'App/X', value: 2 }] })).toEqual({ findings: [], errors: [], warnings: [], acknowledged: [] });
  });

  test('warnings acknowledged for a scope move to `acknowledged` with the reason; errors stay', () => {
    const acks = new Acknowledgements()
      .acknowledge('App/S', 'GR-TEST-002', 'legacy values, reviewed')
      .acknowledge('App/S', 'GR-TEST-001', 'errors cannot be acknowledged');
    const report = runRules([tooBig, odd], input, acks);
    expect(report.errors).toHaveLength(1);
    expect(report.warnings).toEqual([]);
    expect(report.acknowledged).toEqual([
      '[GR-TEST-002] App/S/A: value is 3. Fix: Use an even value. (acknowledged at "App/S": legacy values, reviewed)',
      '[GR-TEST-002] App/S/B: value is 11. Fix: Use an even value. (acknowledged at "App/S": legacy values, reviewed)',
    ]);
    expect(report.findings.filter((f) => f.acknowledgement).map((f) => f.acknowledgement))
      .toEqual([{ scope: 'App/S', ruleId: 'GR-TEST-002', reason: 'legacy values, reviewed' }, { scope: 'App/S', ruleId: 'GR-TEST-002', reason: 'legacy values, reviewed' }]);
    expect(report.findings.find((f) => f.ruleId === 'GR-TEST-001')).not.toHaveProperty('acknowledgement');
  });

  test('an acknowledgement covers its scope and descendants only, never a sibling prefix', () => {
    const acks = new Acknowledgements().acknowledge('App/S/A', 'GR-TEST-002', 'ok');
    const report = runRules([odd], { values: [{ path: 'App/S/A', value: 1 }, { path: 'App/S/AB', value: 1 }, { path: 'App/S/A/x', value: 1 }] }, acks);
    expect(report.warnings).toEqual(['[GR-TEST-002] App/S/AB: value is 1. Fix: Use an even value.']);
    expect(report.acknowledged).toHaveLength(2);
  });

  test('an empty scope covers the whole app, including a finding about the app itself', () => {
    const acks = new Acknowledgements().acknowledge('', 'GR-TEST-002', 'accepted app-wide');
    const report = runRules([odd], { values: [{ path: '', value: 1 }, { path: 'App/Deep/Path', value: 1 }] }, acks);
    expect(report.warnings).toEqual([]);
    expect(report.acknowledged).toHaveLength(2);
  });

  test('the nearest acknowledgement wins', () => {
    const acks = new Acknowledgements().acknowledge('App', 'GR-TEST-002', 'broad').acknowledge('App/S/A', 'GR-TEST-002', 'narrow');
    expect(acks.find('GR-TEST-002', 'App/S/A')?.reason).toBe('narrow');
    expect(acks.find('GR-TEST-002', 'App/S/A/deeper')?.reason).toBe('narrow');
    expect(acks.find('GR-TEST-002', 'App/T')?.reason).toBe('broad');
    expect(acks.find('GR-TEST-001', 'App/T')).toBeUndefined();
    expect(acks.all.map((a) => a.reason)).toEqual(['broad', 'narrow']);
  });

  test('refuses an acknowledgement without a reason or with a malformed id', () => {
    expect(() => new Acknowledgements().acknowledge('App', 'GR-TEST-002', '  ')).toThrow(/`reason` for GR-TEST-002 at "App" is empty/);
    expect(() => new Acknowledgements().acknowledge('App', 'W001', 'x')).toThrow(/`ruleId` must look like "GR-ORG-013", got "W001"/);
  });

  test('refuses two rules with one id', () => {
    expect(() => runRules([odd, odd], input)).toThrow(/GR-TEST-002 appears twice/);
  });

  test('formatFinding keeps one final period and appends the fix', () => {
    expect(formatFinding('GR-X-001', { path: 'App/P', message: 'it broke.', fix: 'Mend it.' })).toBe('[GR-X-001] App/P: it broke. Fix: Mend it.');
    expect(formatFinding('GR-X-001', { path: 'App/P', message: 'it broke', fix: 'Mend it.' })).toBe('[GR-X-001] App/P: it broke. Fix: Mend it.');
  });

  test('RULE_ID_PATTERN takes GR-<AREA>-<three digits> only', () => {
    expect(['GR-ORG-001', 'GR-SHIM-001', 'GR-APP-100'].every((id) => RULE_ID_PATTERN.test(id))).toBe(true);
    expect(['GR-ORG-1', 'GR-org-001', 'GR-ORG-0001', 'ORG-001'].some((id) => RULE_ID_PATTERN.test(id))).toBe(false);
  });
});
