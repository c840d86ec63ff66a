/** Predicates the rules share: each reads facts, none reads a construct. */
import { VERSION_NUMBER_PATTERN, parseEnforcementIdentifier } from '../../model/identifiers';
import { ModelId, ModelIdKind } from '../../model/model-id';
import { isToken } from '../../model/validate';
import { VersionFacts } from '../facts';

/** Why a version is not a numbered version, or `undefined` when it is (or is a token). */
export function versionProblem(v: VersionFacts): string | undefined {
  const candidates: Array<[string, string]> = [['version', v.version]];
  const parsed = parseEnforcementIdentifier(v.identifier);
  if (parsed) candidates.push(['identifier version', parsed.version]);
  for (const [what, value] of candidates) {
    if (isToken(value)) continue;
    if (value.toUpperCase() === 'DRAFT') return `its ${what} is "DRAFT"`;
    if (!VERSION_NUMBER_PATTERN.test(value)) return `its ${what} ${JSON.stringify(value)} is not a number from 1 to 99999999`;
  }
  return undefined;
}

/** The owning account: declared, else read from a literal identifier. */
export function ownerOf(v: VersionFacts): string | undefined {
  if (v.ownerAccount !== undefined && !isToken(v.ownerAccount)) return v.ownerAccount;
  return parseEnforcementIdentifier(v.identifier)?.account;
}

/** Regions that disagree with `region`: the version's and the identifier's. */
export function regionProblem(v: VersionFacts, region: string): string | undefined {
  if (isToken(region)) return undefined;
  if (!isToken(v.region) && v.region !== region) return `the version lives in ${v.region}`;
  const parsed = parseEnforcementIdentifier(v.identifier);
  if (parsed && parsed.region !== region) return `its identifier names region ${parsed.region}`;
  return undefined;
}

/** A problem found in a pair of model lists. */
export interface ModelListProblem {
  /** `includedModels[i]` / `excludedModels[i]`. */
  readonly property: string;
  /** What is wrong, with the value. */
  readonly message: string;
  /** The fix. */
  readonly fix: string;
}

/** Malformed entries and misplaced `ALL` in model lists (errors). */
export function malformedModels(included: readonly string[] | undefined, excluded: readonly string[] | undefined): ModelListProblem[] {
  const out: ModelListProblem[] = [];
  (included ?? []).forEach((id, i) => {
    const kind = ModelId.classify(id);
    if (kind === undefined) {
      out.push({ property: `includedModels[${i}]`, message: `${JSON.stringify(id)} is not a model ID (pattern provider.model[:version[:variant]][/12-character id], or ALL)`, fix: 'Use a ModelId constant or ModelId.of() with an ID from `aws bedrock list-foundation-models`.' });
    }
  });
  if ((included ?? []).includes('ALL') && (included ?? []).length > 1) {
    out.push({ property: 'includedModels', message: `mixes ALL with other models (${(included ?? []).join(', ')})`, fix: 'Give [ALL] alone, or list only specific models.' });
  }
  (excluded ?? []).forEach((id, i) => {
    const kind = ModelId.classify(id);
    if (kind === ModelIdKind.ALL) {
      out.push({ property: `excludedModels[${i}]`, message: '"ALL" is only valid in the include list', fix: 'List the models to exclude; to stop enforcing, remove the configuration.' });
    } else if (kind === undefined) {
      out.push({ property: `excludedModels[${i}]`, message: `${JSON.stringify(id)} is not a model ID (pattern provider.model[:version[:variant]][/12-character id])`, fix: 'Use a ModelId constant or ModelId.of() with an ID from `aws bedrock list-foundation-models`.' });
    }
  });
  return out;
}

/** Model IDs present in both lists (literal only). */
export function modelsInBothLists(included: readonly string[] | undefined, excluded: readonly string[] | undefined): string[] {
  const inc = new Set((included ?? []).filter((m) => !isToken(m) && m !== 'ALL'));
  return [...new Set((excluded ?? []).filter((m) => inc.has(m)))].sort();
}

/** Inference profile IDs in either list. */
export function inferenceProfileModels(included: readonly string[] | undefined, excluded: readonly string[] | undefined): string[] {
  return [...new Set([...(included ?? []), ...(excluded ?? [])].filter((m) => ModelId.classify(m) === ModelIdKind.INFERENCE_PROFILE))].sort();
}

/**
 * The groups of two or more items that share a key, in first-seen order; items whose key is
 * `undefined` (a token, say) are left out. What every "must be unique" rule reports.
 */
export function repeatedBy<T>(items: readonly T[], key: (item: T) => string | undefined): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}
