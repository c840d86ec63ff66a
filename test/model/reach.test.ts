import {
  accountsOfTarget, Grants, mergeGrants, NO_GRANTS, reachOfAccount, reachOfOrganizationalUnit, reachOfRoot, reachOfTarget,
  ResourcePolicyKnowledge, ResourcePolicyReachInput,
} from '../../src/model/reach';
import {
  accountTarget, MEMBER_A, MEMBER_B, MEMBER_C, MGMT, organization, orgGrant, ORG_ID, OU_PROD, OU_SANDBOX, OU_WORKLOADS, ou, ouGrant, ROOT, token,
} from '../validation/rules/fixtures';

const org = organization();
const declared = (grants: Grants, ownerAccount = MGMT): ResourcePolicyReachInput => ({
  knowledge: ResourcePolicyKnowledge.DECLARED, grants, ownerAccount,
});
const ELSEWHERE: ResourcePolicyReachInput = { knowledge: ResourcePolicyKnowledge.MANAGED_ELSEWHERE, ownerAccount: MGMT };
const NONE: ResourcePolicyReachInput = { knowledge: ResourcePolicyKnowledge.NONE, ownerAccount: MGMT };
const OWNER_ONLY: Grants = { ...NO_GRANTS, owningAccount: true };

describe('mergeGrants', () => {
  test('is the union of the statements, IDs sorted and unique', () => {
    expect(mergeGrants([OWNER_ONLY, ouGrant(OU_SANDBOX, OU_PROD), ouGrant(OU_PROD), orgGrant('o-zzzzzzzzzz')])).toEqual({
      owningAccount: true,
      organizationWide: true,
      organizationIds: [ORG_ID, 'o-zzzzzzzzzz'],
      organizationalUnitIds: [OU_PROD, OU_SANDBOX],
    });
  });
  test('of nothing grants nobody', () => expect(mergeGrants([])).toEqual(NO_GRANTS));
});

describe('what every question starts with', () => {
  test.each([
    ['an account', (p: ResourcePolicyReachInput) => reachOfAccount(p, org, MEMBER_A)],
    ['an OU', (p: ResourcePolicyReachInput) => reachOfOrganizationalUnit(p, org, OU_PROD)],
    ['the root', (p: ResourcePolicyReachInput) => reachOfRoot(p, org)],
  ])('for %s: managed elsewhere cannot be told, none is not reached, another organization is not reached', (_, ask) => {
    expect(ask(ELSEWHERE)).toEqual({ reached: undefined, why: 'its resource policy is managed outside this app' });
    expect(ask(NONE)).toEqual({ reached: false, why: 'its guardrail has no resource policy in this app' });
    expect(ask({ knowledge: ResourcePolicyKnowledge.DECLARED })).toEqual({ reached: false, why: 'its guardrail has no resource policy in this app' });
    expect(ask(declared(orgGrant('o-zzzzzzzzzz')))).toEqual({ reached: false, why: `its resource policy grants organization o-zzzzzzzzzz, not ${ORG_ID}` });
  });

  test('a grant naming this organization beside another one still counts', () => {
    expect(reachOfRoot(declared(mergeGrants([orgGrant(), ouGrant(OU_PROD), { ...orgGrant('o-zzzzzzzzzz') }])), org).reached).toBe(true);
  });

  test('a token organization ID is not taken for another organization', () => {
    expect(reachOfRoot(declared({ ...NO_GRANTS, organizationWide: true, organizationIds: [token(ORG_ID)] }), org)).toEqual({ reached: true, why: 'organization-wide grant' });
  });

  test('without an Organization, an organization-wide grant of any ID reaches', () => {
    expect(reachOfRoot(declared(orgGrant('o-zzzzzzzzzz')), undefined).reached).toBe(true);
  });
});

describe('reachOfAccount', () => {
  test('the owning account is reached through its own grant only', () => {
    expect(reachOfAccount(declared(OWNER_ONLY), org, MGMT)).toEqual({ reached: true, why: 'the owning account is granted' });
    expect(reachOfAccount(declared(OWNER_ONLY), org, MEMBER_A)).toEqual({ reached: false, why: 'its resource policy grants no organization principal' });
    expect(reachOfAccount({ knowledge: ResourcePolicyKnowledge.DECLARED, grants: OWNER_ONLY }, org, MGMT).reached).toBe(false);
  });
  test('an organization-wide grant reaches any account, declared or not', () => {
    expect(reachOfAccount(declared(orgGrant()), org, '999999999999')).toEqual({ reached: true, why: 'organization-wide grant' });
  });
  test('an OU grant reaches accounts of the OU and of OUs below it', () => {
    expect(reachOfAccount(declared(ouGrant(OU_WORKLOADS)), org, MEMBER_B)).toEqual({ reached: true, why: `granted through OU ${OU_WORKLOADS}` });
    expect(reachOfAccount(declared(ouGrant(OU_WORKLOADS)), org, MEMBER_A)).toEqual({ reached: true, why: `granted through OU ${OU_WORKLOADS}` });
  });
  test('an OU grant does not reach an account elsewhere, saying where it sits', () => {
    expect(reachOfAccount(declared(ouGrant(OU_PROD)), org, MEMBER_C)).toEqual({
      reached: false, why: `its resource policy grants only OUs ${OU_PROD}, and account ${MEMBER_C} sits under ${OU_SANDBOX}`,
    });
    expect(reachOfAccount(declared(ouGrant(OU_PROD)), org, MEMBER_B)).toEqual({
      reached: false, why: `its resource policy grants only OUs ${OU_PROD}, and account ${MEMBER_B} sits under ${OU_WORKLOADS}`,
    });
    expect(reachOfAccount(declared(ouGrant(OU_PROD)), org, MGMT).why).toMatch(/sits under the root$/);
  });
  test('an OU grant cannot be judged without an Organization, for an undeclared account, or a token account', () => {
    expect(reachOfAccount(declared(ouGrant(OU_PROD)), undefined, MEMBER_A)).toEqual({ reached: undefined, why: 'no Organization was given to resolve OU membership' });
    expect(reachOfAccount(declared(ouGrant(OU_PROD)), org, '999999999999')).toEqual({ reached: undefined, why: 'account 999999999999 is not declared in the Organization' });
    expect(reachOfAccount(declared(ouGrant(OU_PROD)), org, token(MEMBER_A)).reached).toBeUndefined();
  });
});

describe('reachOfOrganizationalUnit', () => {
  test('a grant of the OU itself reaches it, even without an Organization', () => {
    expect(reachOfOrganizationalUnit(declared(ouGrant(OU_PROD)), undefined, OU_PROD)).toEqual({ reached: true, why: `granted through OU ${OU_PROD}` });
  });
  test('a grant of an ancestor OU reaches it', () => {
    expect(reachOfOrganizationalUnit(declared(ouGrant(OU_WORKLOADS)), org, OU_PROD)).toEqual({ reached: true, why: `granted through ancestor OU ${OU_WORKLOADS}` });
  });
  test('a grant of a child OU or a sibling does not reach it', () => {
    expect(reachOfOrganizationalUnit(declared(ouGrant(OU_PROD)), org, OU_WORKLOADS)).toEqual({
      reached: false, why: `its resource policy grants only OUs ${OU_PROD}, none of which is ${OU_WORKLOADS} or above it`,
    });
    expect(reachOfOrganizationalUnit(declared(ouGrant(OU_SANDBOX)), org, OU_PROD).reached).toBe(false);
  });
  test('an organization-wide grant reaches it; a grant of nobody does not', () => {
    expect(reachOfOrganizationalUnit(declared(orgGrant()), org, OU_PROD).reached).toBe(true);
    expect(reachOfOrganizationalUnit(declared(OWNER_ONLY), org, OU_PROD)).toEqual({ reached: false, why: 'its resource policy grants no organization principal' });
  });
  test('ancestry cannot be judged without an Organization or for an undeclared OU', () => {
    expect(reachOfOrganizationalUnit(declared(ouGrant(OU_WORKLOADS)), undefined, OU_PROD)).toEqual({ reached: undefined, why: 'no Organization was given to resolve OU ancestry' });
    expect(reachOfOrganizationalUnit(declared(ouGrant(OU_WORKLOADS)), org, 'ou-ab12-unknown11')).toEqual({ reached: undefined, why: 'OU ou-ab12-unknown11 is not declared in the Organization' });
  });
});

describe('reachOfRoot', () => {
  test('only an organization-wide grant reaches the whole organization', () => {
    expect(reachOfRoot(declared(orgGrant()), org)).toEqual({ reached: true, why: 'organization-wide grant' });
    expect(reachOfRoot(declared(ouGrant(OU_WORKLOADS, OU_SANDBOX)), org)).toEqual({
      reached: false, why: `its resource policy grants only OUs ${OU_WORKLOADS}, ${OU_SANDBOX}, which leaves accounts elsewhere in the organization unreached`,
    });
  });
});

describe('reachOfTarget', () => {
  test('asks the question of the target\'s kind', () => {
    const policy = declared(ouGrant(OU_WORKLOADS));
    expect(reachOfTarget(policy, org, ROOT)).toEqual(reachOfRoot(policy, org));
    expect(reachOfTarget(policy, org, ou(OU_PROD))).toEqual({ reached: true, why: `granted through ancestor OU ${OU_WORKLOADS}` });
    expect(reachOfTarget(policy, org, ou(OU_SANDBOX)).reached).toBe(false);
    expect(reachOfTarget(policy, org, accountTarget(MEMBER_A))).toEqual({ reached: true, why: `granted through OU ${OU_WORKLOADS}` });
    expect(reachOfTarget(policy, org, accountTarget(MEMBER_C)).reached).toBe(false);
  });
});

describe('accountsOfTarget', () => {
  test('the root holds every declared account, the management account included, sorted', () => {
    expect(accountsOfTarget(org, ROOT)).toEqual([MGMT, MEMBER_A, MEMBER_B, MEMBER_C]);
  });
  test('an OU holds the accounts of its subtree, sorted', () => {
    expect(accountsOfTarget(org, ou(OU_WORKLOADS))).toEqual([MEMBER_A, MEMBER_B]);
    expect(accountsOfTarget(org, ou(OU_PROD))).toEqual([MEMBER_A]);
  });
  test('an account is itself, declared or not', () => {
    expect(accountsOfTarget(org, accountTarget('999999999999'))).toEqual(['999999999999']);
  });
});
