import { Testing } from 'cdktf';
import {
  ContentFilterType, FilterStrength, Guardrail, GuardrailProps, GuardrailVersion, GuardrailsValidationError,
} from '../../src';
import { onlyResource, resourcesOf, synth, testStack } from '../helpers';

const base: GuardrailProps = {
  name: 'org-default',
  contentFilters: [{ type: ContentFilterType.HATE, inputStrength: FilterStrength.HIGH }],
  tags: { team: 'platform' },
};

/** Synthesizes a guardrail with one version and returns the version resource and its digest. */
function versionOf(props: GuardrailProps) {
  const { stack } = testStack();
  new Guardrail(stack, 'Guardrail', props).addVersion();
  const json = synth(stack);
  return { version: onlyResource(json, 'aws_bedrock_guardrail_version'), trigger: onlyResource(json, 'terraform_data'), json };
}

describe('GuardrailVersion', () => {
  test('snapshot of a guardrail with a version', () => {
    const { stack } = testStack();
    new Guardrail(stack, 'Guardrail', base).addVersion('V1', { description: 'Baseline' });
    expect(Testing.synth(stack, true)).toMatchSnapshot();
  });

  test('is retained in AWS when replaced, and replaced when the content digest changes', () => {
    const { version, trigger, json } = versionOf(base);
    expect(version.skip_destroy).toBe(true);
    expect(version.guardrail_arn).toMatch(/^\$\{aws_bedrock_guardrail\.Guardrail_[0-9A-F]{8}\.guardrail_arn\}$/);
    const triggerId = Object.keys(resourcesOf(json, 'terraform_data'))[0];
    expect(version.lifecycle.replace_triggered_by).toEqual([`terraform_data.${triggerId}`]);
    expect(trigger.input.guardrail_content_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('same configuration: same version resource, byte for byte', () => {
    const a = versionOf(base);
    const b = versionOf({ ...base, contentFilters: [...base.contentFilters!] });
    expect(b.version).toEqual(a.version);
    expect(b.trigger).toEqual(a.trigger);
  });

  test('changed filter: the digest changes, so Terraform publishes a new version', () => {
    const a = versionOf(base);
    const b = versionOf({ ...base, contentFilters: [{ type: ContentFilterType.HATE, inputStrength: FilterStrength.MEDIUM }] });
    expect(b.trigger.input.guardrail_content_sha256).not.toBe(a.trigger.input.guardrail_content_sha256);
  });

  test('changed messaging or description also changes the digest', () => {
    const a = versionOf(base);
    expect(versionOf({ ...base, blockedInputMessaging: 'No.' }).trigger).not.toEqual(a.trigger);
    expect(versionOf({ ...base, description: 'new' }).trigger).not.toEqual(a.trigger);
  });

  test('changed tags or timeouts only: no new version', () => {
    const a = versionOf(base);
    const b = versionOf({ ...base, tags: { team: 'security', cost: '42' }, timeouts: { create: '5m' } });
    expect(b.trigger).toEqual(a.trigger);
    expect(b.version).toEqual(a.version);
  });

  test('an escape-hatch override of the guardrail counts as content', () => {
    const a = versionOf(base);
    const { stack } = testStack();
    const g = new Guardrail(stack, 'Guardrail', base);
    g.resource.addOverride('blocked_outputs_messaging', 'Overridden.');
    g.addVersion();
    expect(onlyResource(synth(stack), 'terraform_data')).not.toEqual(a.trigger);
  });

  test('exposes the guardrail attributes and the enforcement identifier', () => {
    const { stack } = testStack();
    const g = new Guardrail(stack, 'Guardrail', base);
    const v = g.addVersion();
    expect(v.guardrailArn).toBe(g.guardrailArn);
    expect(v.guardrailId).toBe(g.guardrailId);
    expect(v.region).toBe('us-east-1');
    new (require('cdktf').TerraformOutput)(stack, 'identifier', { value: v.enforcementIdentifier });
    const out = synth(stack).output.identifier.value;
    expect(out).toMatch(/^\$\{aws_bedrock_guardrail\.Guardrail_[0-9A-F]{8}\.guardrail_arn\}:\$\{aws_bedrock_guardrail_version\.Guardrail_Version_[0-9A-F]{8}\.version\}$/);
  });

  test('retainOnReplace: false lets Terraform delete replaced versions', () => {
    const { stack } = testStack();
    new Guardrail(stack, 'Guardrail', base).addVersion('Version', { retainOnReplace: false });
    expect(onlyResource(synth(stack), 'aws_bedrock_guardrail_version').skip_destroy).toBe(false);
  });

  test('fromVersionAttributes builds the identifier from a literal version', () => {
    const { stack } = testStack();
    const g = Guardrail.fromGuardrailAttributes(stack, 'G', { guardrailArn: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123' });
    const v = GuardrailVersion.fromVersionAttributes(stack, 'V', { guardrail: g, version: '7' });
    expect(v.enforcementIdentifier).toBe('arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123:7');
    expect(v.region).toBe('us-east-1');
  });

  test('refuses a malformed version number and a long description', () => {
    const { stack } = testStack();
    const g = Guardrail.fromGuardrailAttributes(stack, 'G', { guardrailArn: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123' });
    expect(() => GuardrailVersion.fromVersionAttributes(stack, 'V', { guardrail: g, version: 'v2' }))
      .toThrow(/`version` must be a version number like "3" \(or DRAFT\), got "v2"/);
    const own = new Guardrail(stack, 'Own', base);
    expect(() => own.addVersion('Long', { description: 'x'.repeat(201) })).toThrow(GuardrailsValidationError);
    expect(() => own.addVersion('Long2', { description: 'x'.repeat(201) })).toThrow(/`description` must be 1-200 characters, got 201/);
  });
});
