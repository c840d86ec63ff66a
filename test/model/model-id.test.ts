import { ModelId, ModelIdKind } from '../../src/model/model-id';
import { token } from '../validation/rules/fixtures';

describe('ModelId', () => {
  test.each([
    ['anthropic.claude-3-5-sonnet-20240620-v1:0', ModelIdKind.MODEL],
    ['amazon.titan-embed-text-v2:0', ModelIdKind.MODEL],
    ['cohere.embed-english-v3', ModelIdKind.MODEL],
    ['anthropic.claude-v2:1:18k', ModelIdKind.MODEL],
    ['amazon.titan-text-lite-v1:0:4k/ly16hhi765j4', ModelIdKind.MODEL],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', ModelIdKind.INFERENCE_PROFILE],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', ModelIdKind.INFERENCE_PROFILE],
  ])('ModelId.of accepts %s', (id, kind) => {
    expect(ModelId.of(id)).toMatchObject({ value: id, kind });
  });

  test.each([
    ['Anthropic.Claude', /not a model|must be a model ID/],
    ['claude', /must be a model ID/],
    ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0', /not ARNs/],
    ['all', /ModelId.ALL/],
  ])('ModelId.of refuses %s with a fix', (id, fix) => {
    expect(() => ModelId.of(id)).toThrow(fix);
  });

  test('ModelId.of names the pattern and the value it refused', () => {
    expect(() => ModelId.of('claude')).toThrow(
      expect.objectContaining({ name: 'GuardrailsValidationError', message: expect.stringContaining('(pattern provider.model[:version[:variant]][/12-character id], lowercase), got "claude"') }));
  });

  test('ModelId.of accepts a token unchecked', () => {
    expect(ModelId.of(token()).kind).toBe(ModelIdKind.UNRESOLVED);
  });

  test('classify reads raw strings without throwing', () => {
    expect(ModelId.classify('ALL')).toBe(ModelIdKind.ALL);
    expect(ModelId.classify('all')).toBeUndefined();
    expect(ModelId.classify('Claude')).toBeUndefined();
    expect(ModelId.classify(token())).toBe(ModelIdKind.UNRESOLVED);
  });

  test('every constant has the documented shape', () => {
    const constants = Object.values(ModelId).filter((v): v is ModelId => v instanceof ModelId && v !== ModelId.ALL);
    expect(constants.length).toBeGreaterThan(5);
    for (const c of constants) expect(ModelId.classify(c.value)).toBe(ModelIdKind.MODEL);
    expect(`${ModelId.AMAZON_NOVA_PRO_V1}`).toBe('amazon.nova-pro-v1:0');
  });
});
