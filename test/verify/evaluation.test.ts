import { compareEffective, parseEffectiveContent } from '../../src/verify/effective-policy';
import { evaluateApplyGrant } from '../../src/verify/grant';
import { mapLimit, memoize } from '../../src/verify/concurrency';
import { renderTable, sortFindings, totalsOf } from '../../src/verify/report';

const ARN = 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123';
const member = { account: '222222222222', organizationId: 'o-exampleorg1', orgPath: 'o-exampleorg1/r-ex12/ou-ex12-pilot001/' };
const policy = (statement: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'S1', Effect: 'Allow', Action: 'bedrock:ApplyGuardrail', Resource: ARN, ...statement }] });

describe('resource-policy grant', () => {
  test('the organization pattern grants a member of that organization, not of another', () => {
    const doc = policy({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } } });
    expect(evaluateApplyGrant(doc, ARN, '111111111111', member)).toEqual({ granted: true, reason: 'statement S1 grants 222222222222 (o-exampleorg1/r-ex12/ou-ex12-pilot001/)', unevaluated: [] });
    expect(evaluateApplyGrant(doc, ARN, '111111111111', { ...member, organizationId: 'o-otherorg22' }).granted).toBe(false);
  });

  test('the OU pattern grants by the live path: an account moved out of the OU is not granted', () => {
    const doc = policy({ Principal: '*', Condition: { 'StringEquals': { 'aws:PrincipalOrgID': 'o-exampleorg1' }, 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-exampleorg1/*/ou-ex12-pilot001/*'] } } });
    expect(evaluateApplyGrant(doc, ARN, '111111111111', member).granted).toBe(true);
    // A child OU of the pilot OU is still under it.
    expect(evaluateApplyGrant(doc, ARN, '111111111111', { ...member, orgPath: 'o-exampleorg1/r-ex12/ou-ex12-pilot001/ou-ex12-child001/' }).granted).toBe(true);
    const moved = evaluateApplyGrant(doc, ARN, '111111111111', { ...member, orgPath: 'o-exampleorg1/r-ex12/ou-ex12-sandbox01/' });
    expect(moved).toEqual({ granted: false, reason: 'no statement grants bedrock:ApplyGuardrail to 222222222222 at o-exampleorg1/r-ex12/ou-ex12-sandbox01/', unevaluated: [] });
  });

  test('the owning-account pattern grants only the owner; no policy grants only the owner', () => {
    const doc = policy({ Principal: { AWS: 'arn:aws:iam::111111111111:root' } });
    expect(evaluateApplyGrant(doc, ARN, '111111111111', member).granted).toBe(false);
    expect(evaluateApplyGrant(doc, ARN, '111111111111', { ...member, account: '111111111111' }).granted).toBe(true);
    expect(evaluateApplyGrant(undefined, ARN, '111111111111', member)).toMatchObject({ granted: false, reason: 'the resource has no resource policy' });
    expect(evaluateApplyGrant(undefined, ARN, '111111111111', { ...member, account: '111111111111' }).granted).toBe(true);
  });

  test('a statement for another action or resource grants nothing; a Deny wins; unknown conditions are not guessed', () => {
    expect(evaluateApplyGrant(policy({ Principal: '*', Action: 'bedrock:InvokeGuardrail', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } } }), ARN, '111111111111', member).granted).toBe(false);
    expect(evaluateApplyGrant(policy({ Principal: '*', Resource: `${ARN}x`, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } } }), ARN, '111111111111', member).granted).toBe(false);
    const withDeny = JSON.stringify({ Statement: [
      { Sid: 'A', Effect: 'Allow', Principal: '*', Action: 'bedrock:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } } },
      { Sid: 'D', Effect: 'Deny', Principal: { AWS: '222222222222' }, Action: 'bedrock:ApplyGuardrail', Resource: ARN },
    ] });
    expect(evaluateApplyGrant(withDeny, ARN, '111111111111', member)).toMatchObject({ granted: false, reason: 'statement D denies bedrock:ApplyGuardrail to 222222222222' });
    const odd = evaluateApplyGrant(policy({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), ARN, '111111111111', member);
    expect(odd).toEqual({ granted: false, reason: expect.stringMatching(/^no statement grants/), unevaluated: ['statement S1: condition operator IpAddress'] });
  });
});

describe('effective policy', () => {
  const preview = [{ region: 'us-east-1', name: 'baseline', identifier: `${ARN}:1`, system: 'selective', messages: 'comprehensive', includedModels: ['ALL'], excludedModels: ['amazon.titan-embed-text-v2:0'] }];

  test('reads bare values (as effective policies show them) and @@assign values alike, with AWS defaults', () => {
    const bare = JSON.stringify({ bedrock: { guardrail_inference: { 'us-east-1': { baseline: {
      identifier: `${ARN}:1`, selective_content_guarding: { system: 'selective', messages: 'comprehensive' },
      model_enforcement: { included_models: ['ALL'], excluded_models: ['amazon.titan-embed-text-v2:0'] } } } } } });
    const assigned = JSON.stringify({ bedrock: { guardrail_inference: { 'us-east-1': { baseline: {
      identifier: { '@@assign': `${ARN}:1` }, selective_content_guarding: { system: { '@@assign': 'selective' } },
      model_enforcement: { included_models: { '@@assign': ['ALL'] }, excluded_models: { '@@assign': ['amazon.titan-embed-text-v2:0'] } } } } } } });
    expect(parseEffectiveContent(bare)).toEqual(preview);
    expect(parseEffectiveContent(assigned)).toEqual(preview);
    expect(parseEffectiveContent(undefined)).toEqual([]);
    expect(parseEffectiveContent(JSON.stringify({ bedrock: { guardrail_inference: { 'eu-west-1': { c: { identifier: 'x:1' } } } } })))
      .toEqual([{ region: 'eu-west-1', name: 'c', identifier: 'x:1', system: 'comprehensive', messages: 'comprehensive', includedModels: ['ALL'], excludedModels: [] }]);
  });

  test('field-by-field drift, and configurations on one side only', () => {
    expect(compareEffective(preview, preview)).toEqual([]);
    const live = [{ ...preview[0], system: 'comprehensive', excludedModels: [] }, { ...preview[0], name: 'other', identifier: `${ARN}:2` }];
    expect(compareEffective(preview, live)).toEqual([
      { region: 'us-east-1', name: 'baseline', field: 'model_enforcement.excluded_models', expected: 'amazon.titan-embed-text-v2:0', found: '(empty)' },
      { region: 'us-east-1', name: 'baseline', field: 'selective_content_guarding.system', expected: 'selective', found: 'comprehensive' },
      { region: 'us-east-1', name: 'other', field: '(configuration)', expected: 'absent', found: `enforced (${ARN}:2)` },
    ]);
    expect(compareEffective(preview, [])).toEqual([{ region: 'us-east-1', name: 'baseline', field: '(configuration)', expected: `enforced (${ARN}:1)`, found: 'absent' }]);
    // An identifier that could not be resolved is not compared (its row reports why).
    const { identifier: _unused, ...unresolved } = preview[0];
    expect(compareEffective([unresolved], [{ ...preview[0], identifier: `${ARN}:9` }])).toEqual([]);
  });
});

describe('report', () => {
  test('findings sort organization first, then account, region and check order; totals count them', () => {
    const findings = sortFindings([
      { account: '222222222222', region: 'us-east-1', check: 'probe', status: 'ok', summary: 'p' },
      { account: '222222222222', region: 'us-east-1', check: 'guardrail access', status: 'problem', summary: 'a', fix: 'f' },
      { account: 'organization', region: '-', check: 'policy type', status: 'ok', summary: 't' },
      { account: '111111111111', region: 'us-east-1', check: 'guardrail version', status: 'note', summary: 'n' },
    ]);
    expect(findings.map((f) => `${f.account}/${f.check}`)).toEqual(['organization/policy type', '111111111111/guardrail version', '222222222222/guardrail access', '222222222222/probe']);
    expect(totalsOf(findings)).toEqual({ checks: 4, ok: 2, problems: 1, notes: 1, accounts: 2, regions: 1 });
    const table = renderTable({ appDir: '/app', stacks: ['s'], probe: false, resolved: [], findings, totals: totalsOf(findings) });
    expect(table).toContain('222222222222  us-east-1  guardrail access   PROBLEM: a\n');
    const lines = table.split('\n');
    const fixLine = lines[lines.findIndex((l) => l.includes('PROBLEM: a')) + 1];
    // Details and fixes are indented under the RESULT column.
    expect(fixLine).toBe(`${' '.repeat(lines.find((l) => l.startsWith('ACCOUNT'))!.indexOf('RESULT') + 2)}fix: f`);
    expect(table.trimEnd().split('\n').pop()).toBe('Total: 4 checks over 2 accounts and 1 region: 2 ok, 1 problem, 1 note.');
  });
});

describe('bounded concurrency', () => {
  test('never more than the limit in flight, results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0, 6, 2], 3, async (ms, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      inFlight--;
      return i;
    });
    expect(peak).toBe(3);
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });

  test('memoize shares one call between concurrent callers, and its failure too', async () => {
    let calls = 0;
    const f = memoize((k: string) => k, async (k: string) => {
      calls++;
      if (k === 'bad') throw new Error('no');
      return k.length;
    });
    expect(await Promise.all([f('abc'), f('abc'), f('ab')])).toEqual([3, 3, 2]);
    await expect(f('bad')).rejects.toThrow('no');
    await expect(f('bad')).rejects.toThrow('no');
    expect(calls).toBe(3);
  });
});
