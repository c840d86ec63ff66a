import {
  checkEnforcementSettings, ContentGuarding, contentGuardingFromPolicyValue, contentGuardingToPolicyValue, effectiveSettings,
  NormalizedEnforcementSettings, normalizeSettings, renderAccountApiSettings, renderNativeSettings, renderPolicySettings, settingsOf,
} from '../../src/model/enforcement-settings';
import { ModelId } from '../../src/model/model-id';

const EMBEDDINGS = ['amazon.titan-embed-text-v2:0', 'cohere.embed-english-v3'];

describe('enforcement settings', () => {
  test('guarding modes map between the account API and the organization policy in one place', () => {
    expect(contentGuardingToPolicyValue(ContentGuarding.SELECTIVE)).toBe('selective');
    expect(contentGuardingToPolicyValue(ContentGuarding.COMPREHENSIVE)).toBe('comprehensive');
    expect(contentGuardingFromPolicyValue('selective')).toBe(ContentGuarding.SELECTIVE);
    expect(contentGuardingFromPolicyValue('COMPREHENSIVE')).toBe(ContentGuarding.COMPREHENSIVE);
    expect(() => contentGuardingFromPolicyValue('strict')).toThrow(/got "strict"/);
  });

  describe('normalizeSettings', () => {
    test('sorts and de-duplicates model lists into ID strings, and keeps the modes', () => {
      expect(normalizeSettings({
        systemPromptGuarding: ContentGuarding.SELECTIVE,
        includedModels: [ModelId.AMAZON_NOVA_PRO_V1, ModelId.AMAZON_NOVA_LITE_V1, ModelId.AMAZON_NOVA_PRO_V1],
        excludedModels: [ModelId.COHERE_EMBED_ENGLISH_V3, ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
      })).toEqual({
        systemPromptGuarding: ContentGuarding.SELECTIVE,
        includedModels: ['amazon.nova-lite-v1:0', 'amazon.nova-pro-v1:0'],
        excludedModels: EMBEDDINGS,
      });
    });

    test('leaves settings not given out, rather than undefined', () => {
      const n = normalizeSettings({ messageGuarding: ContentGuarding.COMPREHENSIVE, includedModels: undefined });
      expect(Object.keys(n)).toEqual(['messageGuarding']);
      expect(normalizeSettings({})).toEqual({});
    });

    test('keeps an empty exclude list (it is given, and renders)', () => {
      expect(normalizeSettings({ excludedModels: [] })).toEqual({ excludedModels: [] });
    });

    test('never keeps the caller\'s arrays', () => {
      const included = [ModelId.AMAZON_NOVA_LITE_V1];
      const n = normalizeSettings({ includedModels: included });
      included.push(ModelId.AMAZON_NOVA_MICRO_V1);
      expect(n.includedModels).toEqual(['amazon.nova-lite-v1:0']);
    });
  });

  describe('effectiveSettings', () => {
    test('defaults: comprehensive guarding, every model, none excluded', () => {
      expect(effectiveSettings({})).toEqual({
        systemPromptGuarding: ContentGuarding.COMPREHENSIVE,
        messageGuarding: ContentGuarding.COMPREHENSIVE,
        includedModels: ['ALL'],
        excludedModels: [],
        defaulted: ['systemPromptGuarding', 'messageGuarding', 'includedModels', 'excludedModels'],
      });
    });

    test('names only the settings that took a default', () => {
      expect(effectiveSettings({ messageGuarding: ContentGuarding.SELECTIVE, excludedModels: EMBEDDINGS })).toEqual({
        systemPromptGuarding: ContentGuarding.COMPREHENSIVE,
        messageGuarding: ContentGuarding.SELECTIVE,
        includedModels: ['ALL'],
        excludedModels: EMBEDDINGS,
        defaulted: ['systemPromptGuarding', 'includedModels'],
      });
    });
  });

  describe('one normalized form, three renderers', () => {
    const cases: Array<[string, NormalizedEnforcementSettings, { policy: unknown; api: unknown; native: unknown }]> = [
      ['nothing given', {}, {
        policy: {},
        api: {},
        native: { selective_content_guarding: { system: 'COMPREHENSIVE', messages: 'COMPREHENSIVE' } },
      }],
      ['one mode and the exclude list', { systemPromptGuarding: ContentGuarding.SELECTIVE, excludedModels: EMBEDDINGS }, {
        policy: {
          selective_content_guarding: { system: { '@@assign': 'selective' } },
          model_enforcement: { included_models: { '@@assign': ['ALL'] }, excluded_models: { '@@assign': EMBEDDINGS } },
        },
        api: {
          selectiveContentGuarding: { system: 'SELECTIVE' },
          modelEnforcement: { includedModels: ['ALL'], excludedModels: EMBEDDINGS },
        },
        native: {
          selective_content_guarding: { system: 'SELECTIVE', messages: 'COMPREHENSIVE' },
          model_enforcement: { included_models: ['ALL'], excluded_models: EMBEDDINGS },
        },
      }],
      ['the other mode and the include list', { messageGuarding: ContentGuarding.SELECTIVE, includedModels: ['amazon.nova-pro-v1:0'] }, {
        policy: {
          selective_content_guarding: { messages: { '@@assign': 'selective' } },
          model_enforcement: { included_models: { '@@assign': ['amazon.nova-pro-v1:0'] }, excluded_models: { '@@assign': [] } },
        },
        api: {
          selectiveContentGuarding: { messages: 'SELECTIVE' },
          modelEnforcement: { includedModels: ['amazon.nova-pro-v1:0'], excludedModels: [] },
        },
        native: {
          selective_content_guarding: { system: 'COMPREHENSIVE', messages: 'SELECTIVE' },
          model_enforcement: { included_models: ['amazon.nova-pro-v1:0'], excluded_models: [] },
        },
      }],
      ['both modes, no model list', { systemPromptGuarding: ContentGuarding.COMPREHENSIVE, messageGuarding: ContentGuarding.SELECTIVE }, {
        policy: { selective_content_guarding: { system: { '@@assign': 'comprehensive' }, messages: { '@@assign': 'selective' } } },
        api: { selectiveContentGuarding: { system: 'COMPREHENSIVE', messages: 'SELECTIVE' } },
        native: { selective_content_guarding: { system: 'COMPREHENSIVE', messages: 'SELECTIVE' } },
      }],
    ];

    test.each(cases)('%s', (_, settings, expected) => {
      expect(renderPolicySettings(settings)).toEqual(expected.policy);
      expect(renderAccountApiSettings(settings)).toEqual(expected.api);
      expect(renderNativeSettings(settings)).toEqual(expected.native);
    });

    test('the native resource always carries both guarding modes', () => {
      for (const [, settings] of cases) {
        expect(Object.keys(renderNativeSettings(settings).selective_content_guarding)).toEqual(['system', 'messages']);
      }
    });

    test('only the native resource fills in modes; the policy and the API leave them to AWS', () => {
      const onlySystem = { systemPromptGuarding: ContentGuarding.SELECTIVE };
      expect(renderPolicySettings(onlySystem).selective_content_guarding).not.toHaveProperty('messages');
      expect(renderAccountApiSettings(onlySystem).selectiveContentGuarding).not.toHaveProperty('messages');
      expect(renderNativeSettings(onlySystem).selective_content_guarding.messages).toBe(ContentGuarding.COMPREHENSIVE);
    });

    test('policy keys follow AWS\'s documented order', () => {
      const all: NormalizedEnforcementSettings = {
        excludedModels: EMBEDDINGS, includedModels: ['ALL'], messageGuarding: ContentGuarding.SELECTIVE, systemPromptGuarding: ContentGuarding.SELECTIVE,
      };
      const rendered = renderPolicySettings(all);
      expect(Object.keys(rendered)).toEqual(['selective_content_guarding', 'model_enforcement']);
      expect(Object.keys(rendered.selective_content_guarding!)).toEqual(['system', 'messages']);
      expect(Object.keys(rendered.model_enforcement!)).toEqual(['included_models', 'excluded_models']);
    });

    test('settingsOf keeps only the settings, with copies of the model lists', () => {
      const props = { systemPromptGuarding: ContentGuarding.SELECTIVE, excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2], name: 'other', account: '1' };
      const settings = settingsOf(props);
      expect(settings).toEqual({ systemPromptGuarding: ContentGuarding.SELECTIVE, messageGuarding: undefined, includedModels: undefined, excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2] });
      (settings.excludedModels as ModelId[]).push(ModelId.ALL);
      expect(props.excludedModels).toEqual([ModelId.AMAZON_TITAN_EMBED_TEXT_V2]);
    });

    test('renderers hand out copies: changing their output leaves the settings alone', () => {
      const settings: NormalizedEnforcementSettings = { includedModels: ['amazon.nova-pro-v1:0'], excludedModels: ['amazon.nova-lite-v1:0'] };
      renderPolicySettings(settings).model_enforcement!.included_models['@@assign'].push('x.y');
      (renderAccountApiSettings(settings).modelEnforcement!.excludedModels as string[]).push('x.y');
      renderNativeSettings(settings).model_enforcement!.included_models.push('x.y');
      expect(settings).toEqual({ includedModels: ['amazon.nova-pro-v1:0'], excludedModels: ['amazon.nova-lite-v1:0'] });
    });

    test('account-level rendering from ModelId settings: uppercase modes, both model lists, omitted settings omitted', () => {
      expect(renderAccountApiSettings(normalizeSettings({}))).toEqual({});
      expect(renderAccountApiSettings(normalizeSettings({ systemPromptGuarding: ContentGuarding.SELECTIVE, excludedModels: [ModelId.COHERE_EMBED_ENGLISH_V3] }))).toEqual({
        selectiveContentGuarding: { system: 'SELECTIVE' },
        modelEnforcement: { includedModels: ['ALL'], excludedModels: ['cohere.embed-english-v3'] },
      });
    });
  });

  describe('checkEnforcementSettings', () => {
    test('passes valid settings', () => {
      expect(() => checkEnforcementSettings('Owner', { includedModels: [ModelId.ALL], excludedModels: [ModelId.COHERE_EMBED_ENGLISH_V3] })).not.toThrow();
    });
    test('names the property with its prefix, the problem and the fix', () => {
      expect(() => checkEnforcementSettings('Owner', { includedModels: [] }, 'configurations[1].'))
        .toThrow(expect.objectContaining({ property: 'configurations[1].includedModels', message: expect.stringMatching(/^Owner: `configurations\[1\]\.includedModels` is empty\. Omit/) }));
      expect(() => checkEnforcementSettings('Owner', { excludedModels: [ModelId.AMAZON_NOVA_PRO_V1, ModelId.ALL] }))
        .toThrow(/`excludedModels\[1\]` is ModelId.ALL, which is only valid in an include list/);
      expect(() => checkEnforcementSettings('Owner', { includedModels: [ModelId.ALL, ModelId.AMAZON_NOVA_PRO_V1] }))
        .toThrow(/`includedModels` mixes ModelId.ALL with other models \(ALL, amazon.nova-pro-v1:0\)/);
    });
  });
});
