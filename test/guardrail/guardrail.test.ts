import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  ContentFilterType, ContentFilters, ContextualGroundingType, DEFAULT_BLOCKED_MESSAGING, DeniedTopics, FilterStrength, Guardrail,
  GuardrailAction, GuardrailProfile, GuardrailProps, GuardrailTier, GuardrailsValidationError, ManagedWordListType, Modality,
  PiiEntityType, SensitiveInformationAction,
} from '../../src';
import { MANAGEMENT_ACCOUNT, onlyResource, synth, testStack } from '../helpers';

const minimal: GuardrailProps = { name: 'org-default', contentFilters: [{ type: ContentFilterType.HATE, inputStrength: FilterStrength.HIGH }] };

function guardrailJson(props: GuardrailProps): any {
  const { stack } = testStack();
  new Guardrail(stack, 'Guardrail', props);
  return onlyResource(synth(stack), 'aws_bedrock_guardrail');
}

describe('Guardrail', () => {
  test('a full configuration synthesizes every policy (snapshot)', () => {
    const { stack } = testStack();
    new Guardrail(stack, 'Guardrail', {
      name: 'org-default',
      description: 'Organization-wide baseline',
      blockedInputMessaging: 'This request is not allowed by company policy.',
      blockedOutputsMessaging: 'The answer was withheld by company policy.',
      contentFilters: [
        ...ContentFilters.all(FilterStrength.MEDIUM).filter((f) => f.type !== ContentFilterType.VIOLENCE),
        { type: ContentFilterType.VIOLENCE, inputStrength: FilterStrength.HIGH, outputStrength: FilterStrength.LOW,
          inputModalities: [Modality.TEXT, Modality.IMAGE], outputAction: GuardrailAction.NONE },
      ],
      contentFiltersTier: GuardrailTier.STANDARD,
      deniedTopics: [DeniedTopics.financialAdvice(), DeniedTopics.medicalAdvice()],
      topicsTier: GuardrailTier.STANDARD,
      wordFilters: [{ text: 'project-zeus' }, { text: 'internal only', outputEnabled: false }],
      managedWordLists: [{ type: ManagedWordListType.PROFANITY }],
      piiFilters: [
        { type: PiiEntityType.EMAIL, action: SensitiveInformationAction.ANONYMIZE },
        { type: PiiEntityType.US_SOCIAL_SECURITY_NUMBER, action: SensitiveInformationAction.BLOCK, outputAction: SensitiveInformationAction.ANONYMIZE },
      ],
      regexFilters: [{ name: 'employee-id', pattern: '^EMP-\\d{6}$', description: 'Employee IDs', action: SensitiveInformationAction.ANONYMIZE }],
      contextualGrounding: [
        { type: ContextualGroundingType.GROUNDING, threshold: 0.75 },
        { type: ContextualGroundingType.RELEVANCE, threshold: 0.5 },
      ],
      crossRegionProfile: GuardrailProfile.US,
      kmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      tags: { team: 'platform' },
      timeouts: { create: '10m' },
    });
    expect(Testing.synth(stack, true)).toMatchSnapshot();
  });

  test('applies the documented defaults', () => {
    const g = guardrailJson(minimal);
    expect(g.blocked_input_messaging).toBe(DEFAULT_BLOCKED_MESSAGING);
    expect(g.blocked_outputs_messaging).toBe(DEFAULT_BLOCKED_MESSAGING);
    expect(g.description).toBeUndefined();
    expect(g.kms_key_arn).toBeUndefined();
    expect(g.tags).toBeUndefined();
    expect(g.cross_region_config).toBeUndefined();
    const policy = g.content_policy_config[0];
    expect(policy.tier_config).toBeUndefined();
    expect(policy.filters_config).toEqual([{
      type: 'HATE', input_strength: 'HIGH', output_strength: 'HIGH',
      input_action: 'BLOCK', output_action: 'BLOCK', input_enabled: true, output_enabled: true,
      input_modalities: ['TEXT'], output_modalities: ['TEXT'],
    }]);
    for (const absent of ['topic_policy_config', 'word_policy_config', 'sensitive_information_policy_config', 'contextual_grounding_policy_config', 'timeouts']) {
      expect(g[absent]).toBeUndefined();
    }
  });

  test('prompt attack defaults to input only with output strength NONE', () => {
    const g = guardrailJson({ name: 'g', contentFilters: [{ type: ContentFilterType.PROMPT_ATTACK, inputStrength: FilterStrength.HIGH }] });
    expect(g.content_policy_config[0].filters_config[0]).toEqual({
      type: 'PROMPT_ATTACK', input_strength: 'HIGH', output_strength: 'NONE', input_action: 'BLOCK', input_enabled: true, input_modalities: ['TEXT'],
    });
  });

  test('PII and regex directions default to the filter action', () => {
    const g = guardrailJson({
      name: 'g',
      piiFilters: [{ type: PiiEntityType.NAME, action: SensitiveInformationAction.ANONYMIZE, inputAction: SensitiveInformationAction.NONE }],
      regexFilters: [{ name: 'r', pattern: 'x+', action: SensitiveInformationAction.BLOCK }],
    });
    const s = g.sensitive_information_policy_config[0];
    expect(s.pii_entities_config[0]).toMatchObject({ type: 'NAME', action: 'ANONYMIZE', input_action: 'NONE', output_action: 'ANONYMIZE' });
    expect(s.regexes_config[0]).toMatchObject({ name: 'r', action: 'BLOCK', input_action: 'BLOCK', output_action: 'BLOCK', input_enabled: true, output_enabled: true });
    expect(s.regexes_config[0].description).toBeUndefined();
  });

  test('word filters and the profanity list share one word policy; topics are DENY', () => {
    const g = guardrailJson({ name: 'g', wordFilters: [{ text: 'zeus' }], managedWordLists: [{ type: ManagedWordListType.PROFANITY }], deniedTopics: [DeniedTopics.legalAdvice()] });
    expect(g.word_policy_config).toEqual([{
      words_config: [{ text: 'zeus', input_action: 'BLOCK', output_action: 'BLOCK', input_enabled: true, output_enabled: true }],
      managed_word_lists_config: [{ type: 'PROFANITY', input_action: 'BLOCK', output_action: 'BLOCK', input_enabled: true, output_enabled: true }],
    }]);
    expect(g.topic_policy_config[0].topics_config[0]).toMatchObject({ name: 'Legal advice', type: 'DENY' });
  });

  test('tiers and the cross-region profile are emitted when set', () => {
    const g = guardrailJson({ ...minimal, contentFiltersTier: GuardrailTier.STANDARD, crossRegionProfile: GuardrailProfile.US });
    expect(g.content_policy_config[0].tier_config).toEqual([{ tier_name: 'STANDARD' }]);
    expect(g.cross_region_config).toEqual([{ guardrail_profile_identifier: 'us.guardrail.v1:0' }]);
  });

  test('open enums accept values AWS adds later', () => {
    const g = guardrailJson({ name: 'g', contentFilters: [{ type: ContentFilterType.of('SELF_HARM'), inputStrength: FilterStrength.LOW }],
      piiFilters: [{ type: PiiEntityType.of('NZ_IRD_NUMBER'), action: SensitiveInformationAction.BLOCK }] });
    expect(g.content_policy_config[0].filters_config[0].type).toBe('SELF_HARM');
    expect(g.sensitive_information_policy_config[0].pii_entities_config[0].type).toBe('NZ_IRD_NUMBER');
  });

  test('does not mutate the props it was given', () => {
    const props: GuardrailProps = { name: 'g', contentFilters: [{ type: ContentFilterType.HATE, inputStrength: FilterStrength.LOW }], tags: { a: '1' } };
    const before = JSON.stringify(props);
    guardrailJson(props);
    expect(JSON.stringify(props)).toBe(before);
  });

  test('region and account come from the provider', () => {
    const { stack } = testStack('eu-west-1', MANAGEMENT_ACCOUNT);
    const g = new Guardrail(stack, 'G', minimal);
    expect(g.region).toBe('eu-west-1');
    expect(g.account).toBe(MANAGEMENT_ACCOUNT);
  });

  test('an aliased provider puts the guardrail in its region', () => {
    const { stack } = testStack('us-east-1');
    const west = new AwsProvider(stack, 'west', { region: 'us-west-2', alias: 'west' });
    const g = new Guardrail(stack, 'G', { ...minimal, provider: west });
    expect(g.region).toBe('us-west-2');
    expect(g.account).toBeUndefined();
    expect(onlyResource(synth(stack), 'aws_bedrock_guardrail').provider).toBe('aws.west');
  });

  test('every preset denied topic is within the API limits', () => {
    const presets = Object.getOwnPropertyNames(DeniedTopics).filter((k) => typeof (DeniedTopics as any)[k] === 'function' && k !== 'prototype');
    expect(presets.length).toBeGreaterThanOrEqual(5);
    for (const name of presets) {
      const topic = (DeniedTopics as any)[name]();
      expect(topic.name).toMatch(/^[0-9a-zA-Z-_ !?.]{1,100}$/);
      expect(topic.definition.length).toBeGreaterThan(20);
      expect(topic.definition.length).toBeLessThanOrEqual(200);
      expect(topic.examples.length).toBeGreaterThanOrEqual(2);
      expect(topic.examples.length).toBeLessThanOrEqual(5);
      for (const e of topic.examples) expect(e.length).toBeLessThanOrEqual(100);
      // A definition describes; it does not instruct the model.
      expect(topic.definition).not.toMatch(/^(do not|don't|never|block)/i);
      expect(guardrailJson({ name: 'g', deniedTopics: [topic] }).topic_policy_config[0].topics_config[0].definition).toBe(topic.definition);
    }
  });

  test('fromGuardrailAttributes reads region, account and id from a literal ARN', () => {
    const { stack } = testStack('us-east-1');
    const g = Guardrail.fromGuardrailAttributes(stack, 'Imported', { guardrailArn: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456' });
    expect(g.region).toBe('us-east-1');
    expect(g.account).toBe('111111111111');
    expect(g.guardrailId).toBe('abc123def456');
    expect(g.hasAutomatedReasoningPolicy).toBe(false);
  });
});

describe('Guardrail validation', () => {
  const longText = (n: number) => 'x'.repeat(n);
  const cases: Array<[string, Partial<GuardrailProps> & { name?: string }, RegExp]> = [
    ['name too long', { name: longText(51) }, /`name` must be 1-50 characters, got 51/],
    ['name with spaces', { name: 'my guardrail' }, /`name` must be letters, digits, - and _ only, got "my guardrail"/],
    ['empty name', { name: '' }, /`name` must be 1-50 characters, got 0/],
    ['description too long', { description: longText(201) }, /`description` must be 1-200 characters, got 201/],
    ['blocked input message too long', { blockedInputMessaging: longText(501) }, /`blockedInputMessaging` must be 1-500 characters, got 501/],
    ['empty blocked output message', { blockedOutputsMessaging: '' }, /`blockedOutputsMessaging` must be 1-500 characters, got 0/],
    ['no policy at all', { contentFilters: [] }, /every other policy .* are empty, so the guardrail would block nothing/],
    ['duplicate content filter', { contentFilters: [{ type: ContentFilterType.HATE, inputStrength: FilterStrength.LOW }, { type: ContentFilterType.HATE, inputStrength: FilterStrength.HIGH }] },
      /`contentFilters\[1\]` repeats the content filter type "HATE" already given at contentFilters\[0\]/],
    ['prompt attack output strength', { contentFilters: [{ type: ContentFilterType.PROMPT_ATTACK, inputStrength: FilterStrength.HIGH, outputStrength: FilterStrength.HIGH }] },
      /`contentFilters\[0\].outputStrength` must be NONE for PROMPT_ATTACK .* got "HIGH"/],
    ['prompt attack output action', { contentFilters: [{ type: ContentFilterType.PROMPT_ATTACK, inputStrength: FilterStrength.HIGH, outputAction: GuardrailAction.BLOCK }] },
      /`contentFilters\[0\].outputAction` is set to "BLOCK" but PROMPT_ATTACK evaluates prompts only/],
    ['content filter with both strengths NONE', { contentFilters: [{ type: ContentFilterType.INSULTS, inputStrength: FilterStrength.NONE }] },
      /`contentFilters\[0\].inputStrength` and `outputStrength` are both NONE/],
    ['unknown modality', { contentFilters: [{ type: ContentFilterType.HATE, inputStrength: FilterStrength.LOW, inputModalities: ['VIDEO' as Modality] }] },
      /`contentFilters\[0\].inputModalities\[0\]` must be one of TEXT, IMAGE, got "VIDEO"/],
    ['empty modality list', { contentFilters: [{ type: ContentFilterType.HATE, inputStrength: FilterStrength.LOW, outputModalities: [] }] },
      /`contentFilters\[0\].outputModalities` is empty/],
    ['unknown strength', { contentFilters: [{ type: ContentFilterType.HATE, inputStrength: 'EXTREME' as FilterStrength }] },
      /`contentFilters\[0\].inputStrength` must be one of NONE, LOW, MEDIUM, HIGH, got "EXTREME"/],
    ['both directions disabled', { wordFilters: [{ text: 'zeus', inputEnabled: false, outputEnabled: false }] },
      /`wordFilters\[0\].inputEnabled` and `outputEnabled` are both false/],
    ['topic name with bad characters', { deniedTopics: [{ name: 'Crypto/NFT', definition: 'Cryptocurrency trading.' }] },
      /`deniedTopics\[0\].name` must be letters, digits, spaces and -_!\?. only, got "Crypto\/NFT"/],
    ['topic definition too long', { deniedTopics: [{ name: 'Crypto', definition: longText(201) }] }, /`deniedTopics\[0\].definition` must be 1-200 characters, got 201/],
    ['too many topic examples', { deniedTopics: [{ name: 'Crypto', definition: 'Crypto.', examples: ['a', 'b', 'c', 'd', 'e', 'f'] }] },
      /`deniedTopics\[0\].examples` may hold at most 5 examples, got 6/],
    ['topic example too long', { deniedTopics: [{ name: 'Crypto', definition: 'Crypto.', examples: [longText(101)] }] }, /`deniedTopics\[0\].examples\[0\]` must be 1-100 characters, got 101/],
    ['duplicate topic names (case-insensitive)', { deniedTopics: [DeniedTopics.legalAdvice(), { ...DeniedTopics.legalAdvice(), name: 'LEGAL ADVICE' }] },
      /`deniedTopics\[1\]` repeats the topic name "LEGAL ADVICE"/],
    ['too many topics', { deniedTopics: Array.from({ length: 31 }, (_, i) => ({ name: `t${i}`, definition: 'd' })) }, /`deniedTopics` may hold at most 30 topics, got 31/],
    ['word too long', { wordFilters: [{ text: longText(101) }] }, /`wordFilters\[0\].text` must be 1-100 characters, got 101/],
    ['blank word', { wordFilters: [{ text: '   ' }] }, /`wordFilters\[0\].text` is only white space/],
    ['duplicate words', { wordFilters: [{ text: 'zeus' }, { text: 'Zeus ' }] }, /`wordFilters\[1\]` repeats the word "Zeus"/],
    ['duplicate PII entity', { piiFilters: [{ type: PiiEntityType.EMAIL, action: SensitiveInformationAction.BLOCK }, { type: PiiEntityType.EMAIL, action: SensitiveInformationAction.ANONYMIZE }] },
      /`piiFilters\[1\]` repeats the PII entity type "EMAIL"/],
    ['unknown PII action', { piiFilters: [{ type: PiiEntityType.EMAIL, action: 'MASK' as SensitiveInformationAction }] }, /`piiFilters\[0\].action` must be one of BLOCK, ANONYMIZE, NONE, got "MASK"/],
    ['duplicate regex names', { regexFilters: [{ name: 'id', pattern: 'a', action: SensitiveInformationAction.BLOCK }, { name: 'id', pattern: 'b', action: SensitiveInformationAction.BLOCK }] },
      /`regexFilters\[1\]` repeats the regex name "id"/],
    ['regex pattern too long', { regexFilters: [{ name: 'id', pattern: longText(501), action: SensitiveInformationAction.BLOCK }] }, /`regexFilters\[0\].pattern` must be 1-500 characters, got 501/],
    ['invalid regex', { regexFilters: [{ name: 'id', pattern: '([a-z]+', action: SensitiveInformationAction.BLOCK }] }, /`regexFilters\[0\].pattern` is not a valid regular expression/],
    ['too many regexes', { regexFilters: Array.from({ length: 11 }, (_, i) => ({ name: `r${i}`, pattern: 'a', action: SensitiveInformationAction.BLOCK })) }, /`regexFilters` may hold at most 10 regexes, got 11/],
    ['grounding threshold above 0.99', { contextualGrounding: [{ type: ContextualGroundingType.GROUNDING, threshold: 1 }] }, /`contextualGrounding\[0\].threshold` must be between 0 and 0.99, got 1/],
    ['negative relevance threshold', { contextualGrounding: [{ type: ContextualGroundingType.RELEVANCE, threshold: -0.1 }] }, /`contextualGrounding\[0\].threshold` must be between 0 and 0.99, got -0.1/],
    ['duplicate grounding check', { contextualGrounding: [{ type: ContextualGroundingType.GROUNDING, threshold: 0.5 }, { type: ContextualGroundingType.GROUNDING, threshold: 0.6 }] },
      /`contextualGrounding\[1\]` repeats the contextual grounding type "GROUNDING"/],
    ['STANDARD tier without a profile', { contentFiltersTier: GuardrailTier.STANDARD }, /`contentFiltersTier` is STANDARD, which needs a cross-region guardrail profile/],
    ['topics tier without topics', { topicsTier: GuardrailTier.CLASSIC }, /`topicsTier` is set to CLASSIC but `deniedTopics` is empty/],
    ['profile of another geography', { crossRegionProfile: GuardrailProfile.EU }, /`crossRegionProfile` is "eu.guardrail.v1:0", which cannot be used from us-east-1/],
    ['KMS key that is not an ARN', { kmsKeyArn: 'alias/guardrails' }, /`kmsKeyArn` must be a KMS key ARN .* got "alias\/guardrails"/],
    ['KMS key in another region', { kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/abcd' }, /`kmsKeyArn` is a key in eu-west-1 but the guardrail is in us-east-1/],
    ['reserved tag prefix', { tags: { 'aws:owner': 'x' } }, /`tags\["aws:owner"\]` uses the reserved "aws:" prefix/],
    ['tag value too long', { tags: { owner: longText(257) } }, /`tags\["owner"\]` must be 0-256 characters, got 257/],
  ];

  test.each(cases)('refuses %s', (_label, override, message) => {
    const { stack } = testStack();
    const props = { ...minimal, ...override } as GuardrailProps;
    let error: unknown;
    try {
      new Guardrail(stack, 'Guardrail', props);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GuardrailsValidationError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^Guardrail\(test\/Guardrail\): `/);
    // Every message ends with a fix.
    expect((error as Error).message).toMatch(/\. [A-Z].+$/);
  });

  test('counts at least 20 distinct refusals', () => {
    expect(new Set(cases.map((c) => c[0])).size).toBeGreaterThanOrEqual(20);
  });

  test('skips checks on values known only at apply time', () => {
    const { stack } = testStack();
    const key = new KmsKey(stack, 'Key', {});
    const name = new TerraformVariable(stack, 'guardrail_name', { type: 'string' });
    new Guardrail(stack, 'Guardrail', { ...minimal, name: name.stringValue, kmsKeyArn: key.arn });
    const g = onlyResource(synth(stack), 'aws_bedrock_guardrail');
    expect(g.kms_key_arn).toBe('${aws_kms_key.Key.arn}');
    expect(g.name).toBe('${var.guardrail_name}');
  });

  test('an unknown region is refused with the fix', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'noregion');
    new AwsProvider(stack, 'aws', {});
    expect(() => new Guardrail(stack, 'G', minimal)).toThrow(/`region` is unknown at synth time .* Give the AwsProvider a literal `region`/);
  });

  test('an open enum refuses a malformed value', () => {
    expect(() => ContentFilterType.of('self harm')).toThrow(/ContentFilterType: `value` must match/);
    expect(() => GuardrailProfile.of('us-guardrail')).toThrow(/must be a guardrail profile ID like "us.guardrail.v1:0", got "us-guardrail"/);
  });

  test('an imported ARN with a version suffix is refused', () => {
    const { stack } = testStack();
    expect(() => Guardrail.fromGuardrailAttributes(stack, 'I', { guardrailArn: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123:3' }))
      .toThrow(/`guardrailArn` must be a guardrail ARN without version .* Drop any ":<version>" suffix/);
  });
});
