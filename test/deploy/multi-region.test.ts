/**
 * Deploy tier, examples/multi-region: the guardrail, its version and resource policy in two
 * regions, one BEDROCK_POLICY with a configuration per region, account-level enforcement in each
 * region, all from one shim host; a content change moves both regions to version 2.
 */
import * as multiRegion from '../../examples/multi-region/main';
import { ACCOUNTS, EXAMPLE_ORGANIZATION, HOME_REGION } from '../../examples/shared/organization';
import { Guardrail } from '../../src';
import { SynthesizedApp } from '../app-helpers';
import { applyOrderViolations } from './checks';
import { describeCall, describeDeploy } from './deploy';
import { APPLY_RACE, deniedCalls, identifiersIn, memberSession, useScenario, expectCleanDestroy } from './scenario';
import { okRows, runVerify } from './verify';

const REGIONS = [HOME_REGION, ...multiRegion.EXTRA_REGIONS].sort();
const REVISED_MESSAGE = 'This response was blocked by the organization AI policy (revised).';

describeDeploy('deploy tier: examples/multi-region', () => {
  const s = useScenario('multi-region', EXAMPLE_ORGANIZATION);
  const arns: Record<string, string> = {};
  let app: SynthesizedApp;

  test('apply: a guardrail, version 1 and resource policy per region, one policy naming both, enforcement per region', async () => {
    app = s.synth(multiRegion.build);
    s.deployment.use(app.stackDir('management'));
    await s.emulator.setLatency(APPLY_RACE);
    const { calls, hazards } = await s.phase(() => s.deployment.apply());
    await s.emulator.setLatency([]);
    const state = await s.emulator.state();

    expect(state.bedrock.guardrails.map((g) => g.region).sort()).toEqual(REGIONS);
    for (const g of state.bedrock.guardrails) {
      arns[g.region] = g.arn;
      expect(Object.keys(g.versions)).toEqual(['1']);
      expect(state.bedrock.resourcePolicies[g.arn]).toBeDefined();
    }
    expect(state.organizations.policies).toHaveLength(1);
    expect(identifiersIn(state.organizations.policies[0].content)).toEqual(REGIONS.map((r) => `${arns[r]}:1`).sort());
    expect(state.bedrock.enforcedConfigurations.map((c) => [c.region, c.account, c.guardrailArn, c.guardrailVersion, c.createdBy]).sort())
      .toEqual(REGIONS.map((r) => [r, ACCOUNTS.workloads, arns[r], '1', memberSession(ACCOUNTS.workloads)]));
    // One shim host, in the home region, serves both regions.
    expect(state.lambda.functions.map((f) => f.region)).toEqual([HOME_REGION]);
    expect(deniedCalls(calls).map(describeCall)).toEqual([]);
    expect(applyOrderViolations(calls)).toEqual([]);
    expect(hazards).toEqual([]);
  });

  test('verify finds both regions as the app wants: versions, resource policies, effective policies, configurations, ApplyGuardrail', async () => {
    const operator = await s.emulator.operatorSession('platform-admin');
    const found = okRows(await runVerify(s.emulator.url, operator, ['--app-dir', app.outdir, '--probe']));
    for (const region of REGIONS) {
      expect(found).toEqual(expect.arrayContaining([
        `${ACCOUNTS.management} ${region} guardrail version: ok`, `${ACCOUNTS.management} ${region} resource policy: ok`,
        `${ACCOUNTS.pilot} ${region} effective policy: ok`, `${ACCOUNTS.pilot} ${region} probe: ok`,
        `${ACCOUNTS.workloads} ${region} account-level configuration: ok`, `${ACCOUNTS.workloads} ${region} probe: ok`,
      ]));
    }
  });

  test('a re-plan shows no changes', async () => {
    expect(await s.deployment.plan()).toEqual([]);
  });

  test('a content change publishes version 2 in both regions; the policy and both configurations move to it', async () => {
    s.deployment.use(s.synth((app) => {
      multiRegion.build(app);
      for (const g of app.node.findAll().filter((c): c is Guardrail => c instanceof Guardrail)) g.resource.blockedOutputsMessaging = REVISED_MESSAGE;
    }).stackDir('management'));
    const { calls, hazards } = await s.phase(() => s.deployment.apply());
    const state = await s.emulator.state();
    for (const g of state.bedrock.guardrails) {
      expect(Object.keys(g.versions).sort()).toEqual(['1', '2']);
      expect(g.versions['2'].definition.blockedOutputsMessaging).toBe(REVISED_MESSAGE);
    }
    expect(identifiersIn(state.organizations.policies[0].content)).toEqual(REGIONS.map((r) => `${arns[r]}:2`).sort());
    expect(state.bedrock.enforcedConfigurations.map((c) => [c.region, c.guardrailVersion]).sort()).toEqual(REGIONS.map((r) => [r, '2']));
    expect(deniedCalls(calls).map(describeCall)).toEqual([]);
    expect(hazards).toEqual([]);
  });

  test('destroy removes enforcement before what it depends on, and leaves nothing behind', async () => {
    await expectCleanDestroy(s);
  });
});
