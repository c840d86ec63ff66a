import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ContentFilterType, FilterStrength, Guardrail, GuardrailProps } from '../../src';
import { checkStacksWithTerraform, describeTerraform, prepareForCheck, synthStackDir, TerraformCheckResult } from './harness';

/**
 * Proves with real Terraform what GuardrailVersion promises: plan each configuration against the
 * state of an applied baseline and read what Terraform would do to the version.
 */
const base: GuardrailProps = {
  name: 'baseline',
  contentFilters: [{ type: ContentFilterType.HATE, inputStrength: FilterStrength.HIGH }],
  tags: { team: 'platform' },
};

function synthVersioned(id: string, props: GuardrailProps): string {
  const stack = new TerraformStack(Testing.app(), id);
  new AwsProvider(stack, 'aws', { region: 'us-east-1', allowedAccountIds: ['111111111111'] });
  new Guardrail(stack, 'Guardrail', props).addVersion();
  return synthStackDir(stack);
}

/** The state Terraform would hold after applying `stackDir`'s configuration (as checked). */
function appliedState(stackDir: string): Record<string, unknown> {
  const { config } = prepareForCheck(JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')), '5.100.0');
  const r = config.resource as any;
  const [gName, guardrail] = Object.entries(r.aws_bedrock_guardrail)[0] as [string, any];
  const [vName] = Object.keys(r.aws_bedrock_guardrail_version);
  const [dName, data] = Object.entries(r.terraform_data)[0] as [string, any];
  const arn = 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456';
  const aws = 'provider["registry.terraform.io/hashicorp/aws"]';
  const inputType = ['object', { guardrail_content_sha256: 'string' }];
  const instance = (attributes: object, dependencies: string[] = []) => ({ schema_version: 0, attributes, sensitive_attributes: [], dependencies });
  return {
    version: 4, terraform_version: '1.11.4', serial: 1, lineage: '6f1d0c55-0000-4000-8000-000000000001', outputs: {},
    resources: [
      { mode: 'managed', type: 'aws_bedrock_guardrail', name: gName, provider: aws, instances: [instance({
        ...guardrail, guardrail_arn: arn, guardrail_id: 'abc123def456', version: 'DRAFT', status: 'READY', created_at: '2026-11-01T00:00:00Z',
        tags_all: guardrail.tags ?? {}, description: guardrail.description ?? null, kms_key_arn: null, timeouts: null,
        contextual_grounding_policy_config: [], sensitive_information_policy_config: [], topic_policy_config: [], word_policy_config: [],
      })] },
      { mode: 'managed', type: 'aws_bedrock_guardrail_version', name: vName, provider: aws, instances: [instance(
        { guardrail_arn: arn, description: null, skip_destroy: true, version: '1', timeouts: null }, [`aws_bedrock_guardrail.${gName}`],
      )] },
      { mode: 'managed', type: 'terraform_data', name: dName, provider: 'provider["terraform.io/builtin/terraform"]', instances: [instance({
        id: '3c0f7a52-0000-4000-8000-000000000001', triggers_replace: null,
        input: { value: data.input, type: inputType }, output: { value: data.input, type: inputType },
      })] },
    ],
  };
}

const actionOn = (result: TerraformCheckResult, type: string) => result.resourceChanges.find((c) => c.type === type)?.action ?? 'no change';

describeTerraform('GuardrailVersion under terraform, against an applied baseline', () => {
  const checks: Record<string, Promise<TerraformCheckResult>> = {};
  beforeAll(() => {
    // Every configuration synthesizes into a stack of the same name, so addresses match the state.
    const state = appliedState(synthVersioned('versioned', base));
    const variants: Record<string, GuardrailProps> = {
      same: { ...base },
      filter: { ...base, contentFilters: [{ type: ContentFilterType.HATE, inputStrength: FilterStrength.LOW }] },
      tags: { ...base, tags: { team: 'security', cost: '42' } },
    };
    // One terraform run plans all three against the same applied baseline.
    const names = Object.keys(variants);
    checkStacksWithTerraform(names.map((name) => synthVersioned('versioned', variants[name])), { priorState: state }).forEach((check, i) => {
      checks[names[i]] = check;
      check.catch(() => undefined);
    });
  });

  test('same configuration: no change at all', async () => {
    expect((await checks.same).resourceChanges.filter((c) => c.action !== 'no-op' && c.action !== 'noop')).toEqual([]);
  });

  test('changed filter: the guardrail is updated and the version replaced (a new number published)', async () => {
    const result = await checks.filter;
    expect(actionOn(result, 'aws_bedrock_guardrail')).toBe('update');
    expect(actionOn(result, 'aws_bedrock_guardrail_version')).toBe('replace');
  });

  test('changed tags only: the guardrail is updated, the version left alone', async () => {
    const result = await checks.tags;
    expect(actionOn(result, 'aws_bedrock_guardrail')).toBe('update');
    expect(actionOn(result, 'aws_bedrock_guardrail_version')).toBe('no change');
    expect(actionOn(result, 'terraform_data')).toBe('no change');
  });
});
