import {
  assignedLeaves, characterCountRange, PolicyConfigurationData, renderBedrockPolicy,
} from '../../src/model/bedrock-policy';
import { ContentGuarding } from '../../src/model/enforcement-settings';
import { GUARDRAIL_IDENTIFIER_MAX_LENGTH, GUARDRAIL_IDENTIFIER_MIN_LENGTH, MODEL_ID_MAX_LENGTH } from '../../src/model/limits';
import { IDENTIFIER_1, token } from '../validation/rules/fixtures';

const config = (overrides: Partial<PolicyConfigurationData> = {}): PolicyConfigurationData => ({
  region: 'us-east-1', name: 'baseline', identifier: IDENTIFIER_1, settings: {}, ...overrides,
});
const size = (configs: PolicyConfigurationData[]) => JSON.stringify(renderBedrockPolicy(configs)).length;

describe('renderBedrockPolicy', () => {
  test('renders regions and names sorted, settings after the identifier', () => {
    const content = renderBedrockPolicy([
      config({ region: 'us-west-2', name: 'zeta' }),
      config({ region: 'us-west-2', name: 'alpha', settings: { messageGuarding: ContentGuarding.SELECTIVE } }),
      config({ region: 'eu-west-1' }),
    ]);
    expect(Object.keys(content.bedrock.guardrail_inference)).toEqual(['eu-west-1', 'us-west-2']);
    expect(Object.keys(content.bedrock.guardrail_inference['us-west-2'])).toEqual(['alpha', 'zeta']);
    expect(content.bedrock.guardrail_inference['us-west-2'].alpha).toEqual({
      identifier: { '@@assign': IDENTIFIER_1 }, selective_content_guarding: { messages: { '@@assign': 'selective' } },
    });
  });

  test('refuses a name repeated in a region, case-insensitively, naming both', () => {
    expect(() => renderBedrockPolicy([config(), config({ name: 'BASELINE' })]))
      .toThrow(/`us-east-1\.baseline` repeats configuration name "BASELINE" in region us-east-1/);
    expect(() => renderBedrockPolicy([config(), config({ region: 'eu-west-1' })])).not.toThrow();
  });
});

describe('characterCountRange', () => {
  test('is exact without tokens', () => {
    const configs = [config({ settings: { excludedModels: ['cohere.embed-english-v3'] } })];
    expect(characterCountRange(configs)).toEqual({ lowerBound: size(configs), upperBound: size(configs), hasTokens: false });
  });

  test('counts a token identifier at its shortest and longest plausible length', () => {
    const t = token();
    const withToken = size([config({ identifier: t })]);
    expect(characterCountRange([config({ identifier: t })])).toEqual({
      lowerBound: withToken - t.length + GUARDRAIL_IDENTIFIER_MIN_LENGTH,
      upperBound: withToken - t.length + GUARDRAIL_IDENTIFIER_MAX_LENGTH,
      hasTokens: true,
    });
  });

  test('counts a token model ID from "a.b" up to the longest model ID', () => {
    const t = token();
    const range = characterCountRange([config({ settings: { includedModels: [t] } })]);
    expect(range.lowerBound).toBe(size([config({ settings: { includedModels: ['a.b'] } })]));
    expect(range.upperBound).toBe(size([config({ settings: { includedModels: ['a.b'] } })]) - 3 + MODEL_ID_MAX_LENGTH);
    expect(range.hasTokens).toBe(true);
  });
});

describe('assignedLeaves', () => {
  test('lists what a configuration assigns, leaf by leaf, and nothing it leaves out', () => {
    const content = renderBedrockPolicy([
      config({ settings: { systemPromptGuarding: ContentGuarding.SELECTIVE, excludedModels: ['cohere.embed-english-v3'] } }),
      config({ name: 'bare' }),
    ]).bedrock.guardrail_inference['us-east-1'];
    expect(assignedLeaves(content.baseline)).toEqual([
      ['identifier', IDENTIFIER_1], ['system', 'selective'], ['included', ['ALL']], ['excluded', ['cohere.embed-english-v3']],
    ]);
    expect(assignedLeaves(content.bare)).toEqual([['identifier', IDENTIFIER_1]]);
  });
});
