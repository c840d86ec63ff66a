export * from './errors';
export * from './organization';
export * from './guardrail/types';
export * from './guardrail/filters';
export * from './guardrail/presets';
export * from './guardrail/guardrail-base';
export * from './guardrail/guardrail';
export * from './guardrail/guardrail-version';
