import { ModelIdKind, ModelId } from '../enforcement/settings';
import { Organization } from '../organization';
import { isToken } from '../private/validate';
import { GuardrailVersionFacts, ResourcePolicyReach } from './facts';

/** Pattern of a numbered guardrail version (CloudFormation `AWS::Bedrock::EnforcedGuardrailConfiguration`). */
export const GUARDRAIL_VERSION_PATTERN = /^[1-9][0-9]{0,7}$/;

/** Pattern of an enforcement identifier: `arn:<partition>:bedrock:<region>:<account>:guardrail/<id>:<version>`. */
export const ENFORCEMENT_IDENTIFIER_PATTERN = /^arn:(aws[a-z-]*):bedrock:([a-z0-9-]{1,20}):(\d{12}):guardrail\/([a-z0-9]+):([^:/]+)$/;

/** The parts of a literal enforcement identifier. */
export interface ParsedIdentifier {
  /** Region in the ARN. */
  readonly region: string;
  /** Account in the ARN. */
  readonly account: string;
  /** Guardrail ID. */
  readonly guardrailId: string;
  /** Version after the last `:`. */
  readonly version: string;
}

/** Identifiers parsed so far: an app names a few versions from thousands of configurations. */
const parsedIdentifiers = new Map<string, ParsedIdentifier | undefined>();
const PARSED_IDENTIFIERS_KEPT = 1024;

/** Parses a literal identifier; `undefined` for a token or a malformed string. */
export function parseIdentifier(identifier: string): ParsedIdentifier | undefined {
  if (parsedIdentifiers.has(identifier)) return parsedIdentifiers.get(identifier);
  let parsed: ParsedIdentifier | undefined;
  if (!isToken(identifier)) {
    const m = ENFORCEMENT_IDENTIFIER_PATTERN.exec(identifier);
    parsed = m ? Object.freeze({ region: m[2], account: m[3], guardrailId: m[4], version: m[5] }) : undefined;
  }
  if (parsedIdentifiers.size >= PARSED_IDENTIFIERS_KEPT) parsedIdentifiers.clear();
  parsedIdentifiers.set(identifier, parsed);
  return parsed;
}

/** Readable name of a version for messages. */
export function describeVersion(v: GuardrailVersionFacts): string {
  return v.label ?? v.path;
}

/** Why a version is not a numbered version, or `undefined` when it is (or is a token). */
export function versionProblem(v: GuardrailVersionFacts): string | undefined {
  const candidates: Array<[string, string]> = [['version', v.version]];
  const parsed = parseIdentifier(v.identifier);
  if (parsed) candidates.push(['identifier version', parsed.version]);
  for (const [what, value] of candidates) {
    if (isToken(value)) continue;
    if (value.toUpperCase() === 'DRAFT') return `its ${what} is "DRAFT"`;
    if (!GUARDRAIL_VERSION_PATTERN.test(value)) return `its ${what} ${JSON.stringify(value)} is not a number from 1 to 99999999`;
  }
  return undefined;
}

/** The owning account: declared, else read from a literal identifier. */
export function ownerOf(v: GuardrailVersionFacts): string | undefined {
  if (v.ownerAccount !== undefined && !isToken(v.ownerAccount)) return v.ownerAccount;
  return parseIdentifier(v.identifier)?.account;
}

/** Regions that disagree with `region`: the version's and the identifier's. */
export function regionProblem(v: GuardrailVersionFacts, region: string): string | undefined {
  if (isToken(region)) return undefined;
  if (!isToken(v.region) && v.region !== region) return `the version lives in ${v.region}`;
  const parsed = parseIdentifier(v.identifier);
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

/** Whether a resource policy reaches a principal: yes, no (with why), or unknown (with why). */
export interface Reach {
  /** `true` reached, `false` not reached, `undefined` cannot tell. */
  readonly reached: boolean | undefined;
  /** Why, for messages. */
  readonly why: string;
}

function basics(v: GuardrailVersionFacts, org: Organization | undefined): Reach | ResourcePolicyReach {
  if (v.resourcePolicyUnmanaged) return { reached: undefined, why: 'its resource policy is managed outside this app' };
  const rp = v.resourcePolicy;
  if (rp === undefined) return { reached: false, why: 'its guardrail has no resource policy in this app' };
  if (org && rp.organizationId !== undefined && !isToken(rp.organizationId) && rp.organizationId !== org.organizationId) {
    return { reached: false, why: `its resource policy grants organization ${rp.organizationId}, not ${org.organizationId}` };
  }
  return rp;
}

function isReach(x: Reach | ResourcePolicyReach): x is Reach {
  return (x as Reach).why !== undefined;
}

function grantsText(rp: ResourcePolicyReach): string {
  const ous = rp.organizationalUnitIds ?? [];
  return ous.length ? `its resource policy grants only OUs ${ous.join(', ')}` : 'its resource policy grants no organization principal';
}

/** Whether the version's resource policy lets `account` apply the guardrail. */
export function reachesAccount(v: GuardrailVersionFacts, org: Organization | undefined, account: string): Reach {
  const b = basics(v, org);
  if (isReach(b)) return b;
  if (b.organizationWide) return { reached: true, why: 'organization-wide grant' };
  const ous = b.organizationalUnitIds ?? [];
  if (ous.length === 0) return { reached: false, why: grantsText(b) };
  if (!org) return { reached: undefined, why: 'no Organization was given to resolve OU membership' };
  if (isToken(account) || !org.hasAccount(account)) return { reached: undefined, why: `account ${account} is not declared in the Organization` };
  const path = org.pathOf(account);
  const hit = ous.find((ou) => path.includes(ou));
  if (hit) return { reached: true, why: `granted through OU ${hit}` };
  return { reached: false, why: `${grantsText(b)}, and account ${account} sits under ${path.length ? path.join(' / ') : 'the root'}` };
}

/** Whether the version's resource policy reaches every account under OU `ouId`. */
export function reachesOrganizationalUnit(v: GuardrailVersionFacts, org: Organization | undefined, ouId: string): Reach {
  const b = basics(v, org);
  if (isReach(b)) return b;
  if (b.organizationWide) return { reached: true, why: 'organization-wide grant' };
  const ous = b.organizationalUnitIds ?? [];
  if (ous.length === 0) return { reached: false, why: grantsText(b) };
  if (ous.includes(ouId)) return { reached: true, why: `granted through OU ${ouId}` };
  if (!org) return { reached: undefined, why: 'no Organization was given to resolve OU ancestry' };
  if (!org.hasOrganizationalUnit(ouId)) return { reached: undefined, why: `OU ${ouId} is not declared in the Organization` };
  const ancestors = ancestorsOf(org, ouId);
  if (ancestors === undefined) return { reached: undefined, why: `OU ${ouId} has no declared accounts to place it in the tree` };
  const hit = ous.find((ou) => ancestors.includes(ou));
  if (hit) return { reached: true, why: `granted through ancestor OU ${hit}` };
  return { reached: false, why: `${grantsText(b)}, none of which is ${ouId} or above it` };
}

/** Whether the version's resource policy reaches the whole organization (for a root attachment). */
export function reachesRoot(v: GuardrailVersionFacts, org: Organization | undefined): Reach {
  const b = basics(v, org);
  if (isReach(b)) return b;
  if (b.organizationWide) return { reached: true, why: 'organization-wide grant' };
  return { reached: false, why: `${grantsText(b)}, which leaves accounts elsewhere in the organization unreached` };
}

/**
 * OU IDs from the root down to `ouId` (inclusive), found through a declared account under it:
 * `Organization` exposes paths of accounts only. `undefined` when no account is declared under it.
 */
export function ancestorsOf(org: Organization, ouId: string): string[] | undefined {
  const account = org.accountsUnder(ouId)[0];
  if (account === undefined) return undefined;
  const path = org.pathOf(account);
  const at = path.indexOf(ouId);
  return at < 0 ? undefined : path.slice(0, at + 1);
}
