/**
 * The `BEDROCK_POLICY` effective policy of an account (Organizations `DescribeEffectivePolicy`),
 * read into configurations, and compared field by field with what the enforcement preview
 * predicts for that account.
 *
 * The effective policy's `PolicyContent` is a JSON string with the merged settings,
 * `bedrock.guardrail_inference.<region>.<name>.{identifier, selective_content_guarding.{system,
 * messages}, model_enforcement.{included_models, excluded_models}}`. The Organizations guide shows
 * effective policies with the inheritance operators removed (a bare value where the policy wrote
 * `{"@@assign": value}`); both forms are read.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_effective.html
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/inheritance-examples.html
 */
import { compare, isObject } from './common';
/** The mode AWS applies when a guarding mode is not set. */
const DEFAULT_MODE = 'comprehensive';
/** The model list AWS applies when `included_models` is not set. */
const DEFAULT_INCLUDED = ['ALL'];

/** One configuration as an effective policy holds it, with AWS's defaults filled in. */
export interface EffectiveConfiguration {
  /** Region key. */
  readonly region: string;
  /** Configuration name. */
  readonly name: string;
  /** `<guardrail ARN>:<version>`, or undefined when the merged policy assigns none. */
  readonly identifier?: string;
  /** `selective` or `comprehensive`, lowercase. */
  readonly system: string;
  /** `selective` or `comprehensive`, lowercase. */
  readonly messages: string;
  /** Included models, sorted. */
  readonly includedModels: string[];
  /** Excluded models, sorted. */
  readonly excludedModels: string[];
}

/** The `field` of an {@link EffectiveDrift} for a configuration present on one side only. */
export const WHOLE_CONFIGURATION = '(configuration)';

/** One field that differs between the prediction and the live effective policy. */
export interface EffectiveDrift {
  /** Region key. */
  readonly region: string;
  /** Configuration name. */
  readonly name: string;
  /** The policy path of the field, e.g. `selective_content_guarding.system`; `(configuration)` for a whole configuration. */
  readonly field: string;
  /** What the preview predicts, as text. */
  readonly expected: string;
  /** What the effective policy holds, as text. */
  readonly found: string;
}

/**
 * A policy leaf's value: `{"@@assign": v}` as written in a policy, or the bare value as an
 * effective policy shows it (the Organizations guide's inheritance examples show effective
 * policies without operators).
 */
export function assigned(value: unknown): unknown {
  if (isObject(value) && '@@assign' in value) return value['@@assign'];
  return value;
}

function sortedStrings(value: unknown): string[] | undefined {
  const v = assigned(value);
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).map(String).sort();
}

function mode(value: unknown): string {
  const v = assigned(value);
  return typeof v === 'string' ? v.toLowerCase() : DEFAULT_MODE;
}

/**
 * Reads an effective policy's content.
 * @throws Error when the content is not JSON
 */
export function parseEffectiveContent(content: string | undefined): EffectiveConfiguration[] {
  if (content === undefined || content.trim() === '') return [];
  return configurationsOf(JSON.parse(content) as unknown);
}

/**
 * The configurations of a parsed `BEDROCK_POLICY` document (a policy as written, with operators,
 * or an effective policy), AWS's defaults filled in, sorted by region then name.
 */
export function configurationsOf(doc: unknown): EffectiveConfiguration[] {
  const inference = isObject(doc) && isObject(doc.bedrock) ? doc.bedrock.guardrail_inference : undefined;
  const out: EffectiveConfiguration[] = [];
  if (!isObject(inference)) return out;
  for (const region of Object.keys(inference).sort()) {
    const byName = inference[region];
    if (!isObject(byName)) continue;
    for (const name of Object.keys(byName).sort()) {
      const c = byName[name];
      if (!isObject(c)) continue;
      const id = assigned(c.identifier);
      const g = isObject(c.selective_content_guarding) ? c.selective_content_guarding : {};
      const m = isObject(c.model_enforcement) ? c.model_enforcement : {};
      out.push({
        region,
        name,
        ...(typeof id === 'string' ? { identifier: id } : {}),
        system: mode(g.system),
        messages: mode(g.messages),
        includedModels: sortedStrings(m.included_models) ?? [...DEFAULT_INCLUDED],
        excludedModels: sortedStrings(m.excluded_models) ?? [],
      });
    }
  }
  return out;
}

function text(value: string | string[] | undefined): string {
  if (value === undefined) return '(none)';
  return Array.isArray(value) ? (value.length ? value.join(', ') : '(empty)') : value;
}

/**
 * The fields where `live` differs from `expected`, sorted by region, name and field. Configurations
 * present on one side only are one entry each. `identifier` is compared only when the expected one
 * is known (`expected.identifier` undefined: it could not be resolved, and is reported elsewhere).
 */
export function compareEffective(expected: readonly EffectiveConfiguration[], live: readonly EffectiveConfiguration[]): EffectiveDrift[] {
  const key = (c: EffectiveConfiguration) => `${c.region}\0${c.name}`;
  const liveBy = new Map(live.map((c) => [key(c), c]));
  const expectedBy = new Map(expected.map((c) => [key(c), c]));
  const out: EffectiveDrift[] = [];
  for (const e of expected) {
    const l = liveBy.get(key(e));
    if (!l) {
      out.push({ region: e.region, name: e.name, field: WHOLE_CONFIGURATION, expected: `enforced (${text(e.identifier)})`, found: 'absent' });
      continue;
    }
    const fields: Array<[string, string | string[] | undefined, string | string[] | undefined]> = [
      ['identifier', e.identifier, l.identifier],
      ['selective_content_guarding.system', e.system, l.system],
      ['selective_content_guarding.messages', e.messages, l.messages],
      ['model_enforcement.included_models', e.includedModels, l.includedModels],
      ['model_enforcement.excluded_models', e.excludedModels, l.excludedModels],
    ];
    for (const [field, want, got] of fields) {
      if (field === 'identifier' && want === undefined) continue;
      if (JSON.stringify(want) !== JSON.stringify(got)) out.push({ region: e.region, name: e.name, field, expected: text(want), found: text(got) });
    }
  }
  for (const l of live) {
    if (!expectedBy.has(key(l))) out.push({ region: l.region, name: l.name, field: WHOLE_CONFIGURATION, expected: 'absent', found: `enforced (${text(l.identifier)})` });
  }
  return out.sort((a, b) => compare(`${a.region}\0${a.name}\0${a.field}`, `${b.region}\0${b.name}\0${b.field}`));
}
