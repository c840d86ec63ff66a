/**
 * A refusal whose wording depends on when tokens are resolved still refuses in both flavors.
 * `App.synth` of both resolves every stack's tokens before it runs the validations; cdktf's
 * `Testing.synth(stack, true)` validates first, cdktn's (0.24) resolves first as `App.synth` does.
 * A policy document that cannot render (two configurations of one name in a region) therefore
 * stops cdktf's `Testing.synth` with rule GR-ORG-006's message, and every other synth with the
 * document's own error, raised while resolving the policy content. Both name the configuration
 * and the fix. Runs in both flavors.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ContentFilters, EnforcementTarget, Guardrail, GuardrailPrincipal, GuardrailsApp, Organization, OrganizationEnforcement } from '../../src';
import { MANAGEMENT_ACCOUNT, MEMBER_ACCOUNT, synth, testStack } from '../helpers';

const PILOT = 'ou-ab12-pilot001';
const ORG = new Organization({
  organizationId: 'o-abcdefghij', rootId: 'r-ab12', managementAccountId: MANAGEMENT_ACCOUNT,
  organizationalUnits: [{ id: PILOT, name: 'Pilot', accounts: [MEMBER_ACCOUNT] }],
});
/** GR-ORG-006's message or the document's: both name the configuration and the fix. */
const REPEATED = /(named "b"|repeats configuration name "b").* Give each configuration in a region its own name/;

/** A guardrail shared with the organization and a policy naming configuration "b" twice. */
function repeatConfigurationName(stack: TerraformStack): void {
  const guardrail = new Guardrail(stack, 'Guardrail', { name: 'baseline', contentFilters: ContentFilters.all() });
  const version = guardrail.addVersion();
  guardrail.grantApply(GuardrailPrincipal.ofOrganization(ORG));
  new OrganizationEnforcement(stack, 'Org', {
    organization: ORG, targets: [EnforcementTarget.organizationalUnit(PILOT)], configurations: [{ name: 'b', version }, { name: 'b', version }],
  });
}

describe('a repeated configuration name', () => {
  test('stops Testing.synth with validations, naming the configuration and the fix', () => {
    const { stack } = testStack();
    repeatConfigurationName(stack);
    expect(() => synth(stack)).toThrow(REPEATED);
  });

  test('stops a GuardrailsApp\'s synth, which writes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refusal-'));
    try {
      const app = new GuardrailsApp({ outdir: path.join(dir, 'cdktf.out') });
      const stack = new TerraformStack(app, 'management');
      new AwsProvider(stack, 'aws', { region: 'us-east-1', allowedAccountIds: [MANAGEMENT_ACCOUNT] });
      repeatConfigurationName(stack);
      expect(() => app.synth()).toThrow(REPEATED);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
