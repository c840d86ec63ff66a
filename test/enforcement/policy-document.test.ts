import { App, Fn, TerraformOutput, TerraformStack, Testing, Token } from 'cdktf';
import { BedrockPolicyDocument } from '../../src/enforcement/policy-document';
import { GuardrailsValidationError } from '../../src/errors';
import { characterCountRange, renderBedrockPolicy } from '../../src/model/bedrock-policy';
import { ContentGuarding } from '../../src/model/enforcement-settings';
import { BEDROCK_POLICY_MAX_CHARACTERS, GUARDRAIL_IDENTIFIER_MAX_LENGTH, GUARDRAIL_IDENTIFIER_MIN_LENGTH } from '../../src/model/limits';
import { ModelId } from '../../src/model/model-id';
import { fakeVersion } from '../validation/rules/fixtures';

/**
 * AWS's documented example, copied verbatim from "Amazon Bedrock policy syntax and examples",
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html
 */
const AWS_EXAMPLE = `{
    "bedrock": {
        "guardrail_inference": {
            "us-east-1": {
                "config_1": {
                    "identifier": {
                        "@@assign": "arn:aws:bedrock:us-east-1:123456789012:guardrail/hu1dlsv9wy1d:1"
                    },
                    "selective_content_guarding": {
                        "system": {
                            "@@assign": "selective"
                        },
                        "messages": {
                            "@@assign": "comprehensive"
                        }
                    },
                    "model_enforcement": {
                        "included_models": {
                            "@@assign": ["ALL"]
                        },
                        "excluded_models": {
                            "@@assign": ["amazon.titan-embed-text-v2:0", "cohere.embed-english-v3"]
                        }
                    }
                }
            }
        }
    }
}`;

/** Every object key path in document order, e.g. `bedrock.guardrail_inference.us-east-1`. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
}

function awsExampleDocument(): BedrockPolicyDocument {
  return new BedrockPolicyDocument().addConfiguration({
    name: 'config_1',
    version: fakeVersion({ account: '123456789012', id: 'hu1dlsv9wy1d', version: '1' }),
    systemPromptGuarding: ContentGuarding.SELECTIVE,
    messageGuarding: ContentGuarding.COMPREHENSIVE,
    includedModels: [ModelId.ALL],
    excludedModels: [ModelId.COHERE_EMBED_ENGLISH_V3, ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
  });
}

describe('BedrockPolicyDocument', () => {
  test('renders AWS\'s documented example key for key, byte for byte in compact form', () => {
    const doc = awsExampleDocument();
    expect(keyPaths(doc.render())).toEqual(keyPaths(JSON.parse(AWS_EXAMPLE)));
    expect(doc.toJson()).toBe(JSON.stringify(JSON.parse(AWS_EXAMPLE)));
  });

  test('tryRender gives the content, its JSON and its size at once, and undefined where render throws', () => {
    const doc = awsExampleDocument();
    expect(doc.tryRender()).toEqual({ content: doc.render(), json: doc.toJson(), characterCountRange: doc.characterCountRange });
    expect(doc.tryRender()!.characterCountRange).toEqual({ lowerBound: doc.toJson().length, upperBound: doc.toJson().length, hasTokens: false });
    const clash = new BedrockPolicyDocument({ configurations: [{ name: 'b', version: fakeVersion() }, { name: 'B', version: fakeVersion() }] });
    expect(() => clash.render()).toThrow(GuardrailsValidationError);
    expect(clash.tryRender()).toBeUndefined();
  });

  test('a configuration with only a version renders only the identifier (AWS defaults apply)', () => {
    const doc = new BedrockPolicyDocument({ configurations: [{ name: 'baseline', version: fakeVersion() }] });
    expect(doc.render()).toEqual({
      bedrock: { guardrail_inference: { 'us-east-1': { baseline: { identifier: { '@@assign': 'arn:aws:bedrock:us-east-1:111111111111:guardrail/hu1dlsv9wy1d:1' } } } } },
    });
  });

  test('one model list given renders both, the other at its default', () => {
    const doc = new BedrockPolicyDocument().addConfiguration({
      name: 'baseline', version: fakeVersion(), excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
    });
    expect(doc.render().bedrock.guardrail_inference['us-east-1'].baseline.model_enforcement).toEqual({
      included_models: { '@@assign': ['ALL'] },
      excluded_models: { '@@assign': ['amazon.titan-embed-text-v2:0'] },
    });
  });

  test('only the guarding mode given is rendered', () => {
    const doc = new BedrockPolicyDocument().addConfiguration({ name: 'b', version: fakeVersion(), messageGuarding: ContentGuarding.SELECTIVE });
    expect(doc.render().bedrock.guardrail_inference['us-east-1'].b.selective_content_guarding).toEqual({ messages: { '@@assign': 'selective' } });
  });

  test('regions, names and model lists are sorted and de-duplicated; the same input gives the same JSON', () => {
    const build = (order: number[]): string => {
      const configs = [
        { name: 'zeta', version: fakeVersion({ region: 'us-west-2' }) },
        { name: 'alpha', version: fakeVersion({ region: 'us-west-2' }) },
        { name: 'mid', version: fakeVersion({ region: 'eu-west-1' }), includedModels: [ModelId.AMAZON_NOVA_PRO_V1, ModelId.ANTHROPIC_CLAUDE_3_HAIKU, ModelId.AMAZON_NOVA_PRO_V1] },
      ];
      return new BedrockPolicyDocument({ configurations: order.map((i) => configs[i]) }).toJson();
    };
    const a = build([0, 1, 2]);
    expect(a).toBe(build([2, 1, 0]));
    const content = JSON.parse(a);
    expect(Object.keys(content.bedrock.guardrail_inference)).toEqual(['eu-west-1', 'us-west-2']);
    expect(Object.keys(content.bedrock.guardrail_inference['us-west-2'])).toEqual(['alpha', 'zeta']);
    expect(content.bedrock.guardrail_inference['eu-west-1'].mid.model_enforcement.included_models['@@assign'])
      .toEqual(['amazon.nova-pro-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0']);
  });

  test('toJson indents on request', () => {
    expect(awsExampleDocument().toJson({ indent: 2 })).toContain('\n  "bedrock": {');
  });

  test('identifier tokens stay intact in render() and toJson()', () => {
    const v = fakeVersion({ tokens: true });
    const doc = new BedrockPolicyDocument().addConfiguration({ name: 'baseline', version: v });
    expect(doc.render().bedrock.guardrail_inference['us-east-1'].baseline.identifier['@@assign']).toBe(v.enforcementIdentifier);
    expect(doc.toJson()).toContain(v.enforcementIdentifier);
  });

  test('Fn.jsonencode(render()) resolves identifier tokens at synth', () => {
    const app = new App();
    const stack = new TerraformStack(app, 'Stack');
    const doc = new BedrockPolicyDocument().addConfiguration({ name: 'baseline', version: fakeVersion({ tokens: true }) });
    new TerraformOutput(stack, 'content', { value: Fn.jsonencode(doc.render()) });
    const out = JSON.parse(Testing.synth(stack)).output.content.value as string;
    expect(out).toContain('jsonencode(');
    expect(out).toContain('arn:aws:bedrock:us-east-1:111111111111:guardrail/hu1dlsv9wy1d');
    expect(out).not.toContain('TfToken');
  });

  test('characterCount is exact without tokens', () => {
    const doc = awsExampleDocument();
    expect(doc.characterCount).toBe(doc.toJson().length);
    expect(doc.characterCountRange).toEqual({ lowerBound: doc.toJson().length, upperBound: doc.toJson().length, hasTokens: false });
  });

  test('characterCount counts a token identifier at its longest plausible length', () => {
    const literal = new BedrockPolicyDocument().addConfiguration({ name: 'baseline', version: fakeVersion() });
    const tokenized = new BedrockPolicyDocument().addConfiguration({ name: 'baseline', version: fakeVersion({ tokens: true }) });
    const withoutIdentifier = literal.toJson().length - fakeVersion().enforcementIdentifier.length;
    expect(tokenized.characterCount).toBe(withoutIdentifier + GUARDRAIL_IDENTIFIER_MAX_LENGTH);
    expect(tokenized.characterCountRange.lowerBound).toBe(withoutIdentifier + GUARDRAIL_IDENTIFIER_MIN_LENGTH);
    expect(tokenized.characterCountRange.hasTokens).toBe(true);
    expect(GUARDRAIL_IDENTIFIER_MAX_LENGTH).toBe(140);
    expect(BEDROCK_POLICY_MAX_CHARACTERS).toBe(10000);
  });

  test('region defaults to the version\'s region, and may be set', () => {
    const doc = new BedrockPolicyDocument()
      .addConfiguration({ name: 'a', version: fakeVersion({ region: 'eu-central-1' }) })
      .addConfiguration({ name: 'b', version: fakeVersion(), region: 'us-west-2' });
    expect(doc.regions).toEqual(['eu-central-1', 'us-west-2']);
  });

  test('label defaults to the guardrail and its version (the number, or set on deploy), unless given', () => {
    const doc = new BedrockPolicyDocument()
      .addConfiguration({ name: 'a', version: fakeVersion({ path: 'App/Mgmt/Foo' }) })
      .addConfiguration({ name: 'b', version: fakeVersion({ path: 'App/Mgmt/Bar', tokens: true }) })
      .addConfiguration({ name: 'c', version: fakeVersion(), label: 'Given' });
    expect(doc.configurations.map((c) => c.label)).toEqual(['guardrail hu1dlsv9wy1d version 1', 'guardrail hu1dlsv9wy1d (version set on deploy)', 'Given']);
  });

  test('does not keep the caller\'s model arrays', () => {
    const included = [ModelId.AMAZON_NOVA_LITE_V1];
    const doc = new BedrockPolicyDocument().addConfiguration({ name: 'a', version: fakeVersion(), includedModels: included });
    included.push(ModelId.AMAZON_NOVA_MICRO_V1);
    expect(doc.configurations[0].settings.includedModels).toEqual([ModelId.AMAZON_NOVA_LITE_V1]);
  });

  test.each([
    ['has space', 'name'],
    ['@@assign', 'name'],
    ['x'.repeat(65), 'name'],
  ])('refuses configuration name %j', (name, property) => {
    expect(() => new BedrockPolicyDocument().addConfiguration({ name, version: fakeVersion() }))
      .toThrow(expect.objectContaining({ name: 'GuardrailsValidationError', property }));
  });

  test('refuses a malformed region key, naming the property and value', () => {
    expect(() => new BedrockPolicyDocument().addConfiguration({ name: 'a', version: fakeVersion(), region: 'US-EAST-1' }))
      .toThrow(/`region` must be an AWS region like "us-east-1", got "US-EAST-1"/);
  });

  test('refuses a token as configuration name or region key: both are policy keys', () => {
    const token = Token.asString(Fn.lower('BASELINE'));
    expect(() => new BedrockPolicyDocument().addConfiguration({ name: token, version: fakeVersion() }))
      .toThrow(/BedrockPolicyDocument: `name` is a Terraform token, known only at apply time, but configuration names are policy keys\. Give a literal name\./);
    expect(() => new BedrockPolicyDocument({ configurations: [{ name: 'a', version: fakeVersion(), region: token }] }))
      .toThrow(/BedrockPolicyDocument: `configurations\[0\]\.region` is a Terraform token, known only at apply time, but region keys must be known at synth time\. Give a literal region like "us-east-1"\./);
  });

  test('refuses ALL in excludedModels, ALL mixed with models, and an empty include list', () => {
    const v = fakeVersion();
    expect(() => new BedrockPolicyDocument().addConfiguration({ name: 'a', version: v, excludedModels: [ModelId.ALL] }))
      .toThrow(/excludedModels\[0\]` is ModelId.ALL/);
    expect(() => new BedrockPolicyDocument().addConfiguration({ name: 'a', version: v, includedModels: [ModelId.ALL, ModelId.AMAZON_NOVA_PRO_V1] }))
      .toThrow(/mixes ModelId.ALL/);
    expect(() => new BedrockPolicyDocument({ configurations: [{ name: 'a', version: v, includedModels: [] }] }))
      .toThrow(expect.objectContaining({ property: 'configurations[0].includedModels' }));
  });

  test('render() refuses two configurations with one name in a region', () => {
    const doc = new BedrockPolicyDocument()
      .addConfiguration({ name: 'baseline', version: fakeVersion() })
      .addConfiguration({ name: 'Baseline', version: fakeVersion({ id: 'other1234567' }) });
    expect(() => doc.render()).toThrow(GuardrailsValidationError);
    expect(doc.configurations).toHaveLength(2);
  });

  test('renders through the model: render() and the size are those of its plain data', () => {
    const doc = awsExampleDocument().addConfiguration({ name: 'tokens', version: fakeVersion({ tokens: true, region: 'eu-west-1' }) });
    const data = doc.data();
    expect(data.map((d) => [d.region, d.name])).toEqual([['eu-west-1', 'tokens'], ['us-east-1', 'config_1']]);
    expect(data[1].settings).toEqual({
      systemPromptGuarding: ContentGuarding.SELECTIVE, messageGuarding: ContentGuarding.COMPREHENSIVE,
      includedModels: ['ALL'], excludedModels: ['amazon.titan-embed-text-v2:0', 'cohere.embed-english-v3'],
    });
    expect(doc.render()).toEqual(renderBedrockPolicy(data));
    expect(doc.characterCountRange).toEqual(characterCountRange(data));
  });

  test('each configuration keeps its settings as given and normalized', () => {
    const doc = new BedrockPolicyDocument().addConfiguration({
      name: 'a', version: fakeVersion(), includedModels: [ModelId.AMAZON_NOVA_PRO_V1, ModelId.AMAZON_NOVA_LITE_V1, ModelId.AMAZON_NOVA_PRO_V1],
    });
    expect(doc.configurations[0].settings.includedModels).toEqual([ModelId.AMAZON_NOVA_PRO_V1, ModelId.AMAZON_NOVA_LITE_V1, ModelId.AMAZON_NOVA_PRO_V1]);
    expect(doc.configurations[0].normalized).toEqual({ includedModels: ['amazon.nova-lite-v1:0', 'amazon.nova-pro-v1:0'] });
  });
});
