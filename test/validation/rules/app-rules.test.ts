import { Organization } from '../../../src/model/organization';
import { GuardrailFacts, ShimHostFacts } from '../../../src/validation/facts';
import {
  APP_ONE_ORGANIZATION, APP_RULES, GUARDRAIL_UNIQUE_NAMES, RESOURCE_POLICY_GRANTS_SOMEBODY, SHIM_POLICY_SIZE,
} from '../../../src/validation/rules/app-rules';
import { runRules } from '../../../src/validation/rules/engine';
import { ALL_RULES } from '../../../src/validation/rules';
import {
  appFacts, check, CLEAN, MEMBER_A, MGMT, organization, orgConfig, orgPolicy, resourcePolicy, versionFacts,
} from './fixtures';

function guardrail(overrides: Partial<GuardrailFacts> = {}): GuardrailFacts {
  return { path: 'App/Mgmt/Guardrail', name: 'baseline', region: 'us-east-1', placement: MGMT, ...overrides };
}

function shimHost(overrides: Partial<ShimHostFacts> = {}): ShimHostFacts {
  return { path: 'App/Mgmt/ShimHost', policyCharacters: 4_000, assumedRoles: 10, scopedResources: 3, ...overrides };
}

describe('app rules', () => {
  test('ids are unique and every rule explains itself', () => {
    expect(APP_RULES.map((r) => r.id)).toEqual(['GR-APP-001', 'GR-GRD-001', 'GR-POL-001', 'GR-SHIM-001']);
    for (const r of APP_RULES) {
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.rationale.length).toBeGreaterThan(30);
    }
  });

  test('compliant facts pass every rule', () => {
    const facts = appFacts({ guardrails: [guardrail()], shimHosts: [shimHost()] });
    expect(runRules(APP_RULES, facts)).toEqual({ findings: [], errors: [], warnings: [], acknowledged: [] });
  });

  describe('GR-APP-001 one organization', () => {
    test('passes one organization, and none', () => {
      expect(check(APP_ONE_ORGANIZATION, appFacts())).toEqual(CLEAN);
      expect(check(APP_ONE_ORGANIZATION, appFacts({ organizations: [] }))).toEqual(CLEAN);
    });
    test('fails two organizations, about the app as a whole, naming both, with the fix', () => {
      const other = new Organization({ organizationId: 'o-zzzzzzzzzz', rootId: 'r-zz99', managementAccountId: MEMBER_A });
      const report = runRules([APP_ONE_ORGANIZATION], appFacts({ organizations: [other, organization()] }));
      expect(report.findings).toEqual([expect.objectContaining({ ruleId: 'GR-APP-001', path: '' })]);
      expect(report.errors).toEqual([expect.stringContaining(
        'the app describes 2 organizations (o-abcdef1234, o-zzzzzzzzzz). Fix: Pass the same Organization object to every construct that takes one.')]);
    });
    test('two Organization objects for one organization are not silently dropped: GR-APP-001 or the organization rules still fire', () => {
      const memberOwned = versionFacts({ ownerAccount: MEMBER_A, identifier: `arn:aws:bedrock:us-east-1:${MEMBER_A}:guardrail/abc:1` });
      const facts = appFacts({
        organizations: [organization(), organization()],
        organizationPolicies: [orgPolicy({ configurations: [orgConfig({ version: memberOwned })] })],
      });
      const { errors } = runRules(ALL_RULES, facts);
      expect(errors.filter((e) => /^\[GR-(APP-001|ORG-003)\]/.test(e))).not.toEqual([]);
      // Identical declarations are one organization: no GR-APP-001, and the organization rules run.
      expect(check(APP_ONE_ORGANIZATION, facts)).toEqual(CLEAN);
      expect(errors.filter((e) => e.startsWith('[GR-ORG-003]'))).toHaveLength(1);
    });
    test('fails one organization ID declared twice with different OUs or accounts', () => {
      const props = { organizationId: 'o-abcdef1234', rootId: 'r-ab12', managementAccountId: '111111111111' };
      const a = new Organization({ ...props, rootAccounts: [MEMBER_A] });
      const b = new Organization(props);
      expect(check(APP_ONE_ORGANIZATION, appFacts({ organizations: [a, b] })).errors).toEqual([
        '[GR-APP-001] the app describes organization o-abcdef1234 2 times with different OUs or accounts. '
        + 'Fix: Declare the organization once and pass that Organization object to every construct that takes one.',
      ]);
    });
  });

  describe('GR-GRD-001 guardrail names unique per account and region', () => {
    test('passes one name in two regions, in two accounts, and two names in one account and region', () => {
      const facts = appFacts({
        guardrails: [
          guardrail(),
          guardrail({ path: 'App/Mgmt/GuardrailEu', region: 'eu-west-1' }),
          guardrail({ path: 'App/Bu/Guardrail', placement: MEMBER_A }),
          guardrail({ path: 'App/Mgmt/Strict', name: 'strict' }),
        ],
      });
      expect(check(GUARDRAIL_UNIQUE_NAMES, facts)).toEqual(CLEAN);
    });
    test('fails a name used twice in one account and region, on the later path, with the fix', () => {
      const facts = appFacts({ guardrails: [guardrail({ path: 'App/Mgmt/Second' }), guardrail()] });
      expect(check(GUARDRAIL_UNIQUE_NAMES, facts).errors).toEqual([
        '[GR-GRD-001] App/Mgmt/Second: guardrail name "baseline" is used 2 times in 111111111111, us-east-1 (App/Mgmt/Guardrail, App/Mgmt/Second). '
        + 'Fix: Give each guardrail in an account and region its own `name`.',
      ]);
    });
    test('compares placements as given (a stack and provider stand for an unknown account)', () => {
      const placement = 'stack Mgmt, provider aws';
      const facts = appFacts({ guardrails: [guardrail({ placement }), guardrail({ path: 'App/Mgmt/Copy', placement })] });
      expect(check(GUARDRAIL_UNIQUE_NAMES, facts).errors).toEqual([expect.stringContaining(`is used 2 times in ${placement}, us-east-1`)]);
    });
  });

  describe('GR-POL-001 a resource policy grants somebody', () => {
    test('passes a policy with a principal', () => expect(check(RESOURCE_POLICY_GRANTS_SOMEBODY, appFacts())).toEqual(CLEAN));
    test('fails a policy with no principal, with the fix', () => {
      const facts = appFacts({ resourcePolicies: [resourcePolicy({ principalCount: 0 })] });
      expect(check(RESOURCE_POLICY_GRANTS_SOMEBODY, facts).errors).toEqual([
        '[GR-POL-001] App/Mgmt/Guardrail/ResourcePolicy: `principals` and `statements` are empty, so the policy grants nobody. '
        + 'Fix: Add GuardrailPrincipal.organization(orgId) or the OUs to enforce in (guardrail.grantApply(...)).',
      ]);
    });
  });

  describe('GR-SHIM-001 shim role policy size', () => {
    test('passes a policy at IAM\'s limit', () => {
      expect(check(SHIM_POLICY_SIZE, appFacts({ shimHosts: [shimHost({ policyCharacters: 10_240 })] }))).toEqual(CLEAN);
    });
    test('fails a policy over the limit, saying how many accounts fit one stack', () => {
      const facts = appFacts({ shimHosts: [shimHost({ policyCharacters: 20_480, assumedRoles: 100, scopedResources: 7 })] });
      expect(check(SHIM_POLICY_SIZE, facts).errors).toEqual([
        '[GR-SHIM-001] App/Mgmt/ShimHost: the shim role\'s policy is about 20480 characters (it names 100 member roles and 7 resources), over '
        + 'IAM\'s 10240 for a role\'s inline policies, so the apply would fail. Fix: Spread member-account enforcement over several stacks with '
        + 'splitAccountEnforcement (about 50 accounts fit one stack).',
      ]);
    });
    test('gives no account count when the host assumes no member role', () => {
      const facts = appFacts({ shimHosts: [shimHost({ policyCharacters: 10_241, assumedRoles: 0 })] });
      expect(check(SHIM_POLICY_SIZE, facts).errors).toEqual([expect.stringMatching(/Fix: Spread member-account enforcement over several stacks with splitAccountEnforcement\.$/)]);
    });
  });
});
