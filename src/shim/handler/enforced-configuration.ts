/**
 * Account-level enforced guardrail configuration: one per account and region, managed through
 * Put (create without configId, update with it), List and Delete.
 *
 * Ownership: Terraform hands the handler its previous input, not its previous result, so the
 * configuration ID the handler created is not available on later actions. Ownership is read from
 * the configuration itself: it is ours when its `createdBy` is the identity the handler runs as in
 * that account (see principalMatch). A configuration someone else created is never overwritten or
 * deleted unless the object says `adoptExisting: true`.
 */
import {
  AccountEnforcedGuardrailOutputConfiguration,
  DeleteEnforcedGuardrailConfigurationCommand,
  ListEnforcedGuardrailsConfigurationCommand,
  PutEnforcedGuardrailConfigurationCommand,
  PutEnforcedGuardrailConfigurationRequest,
} from '@aws-sdk/client-bedrock';
import { principalMatch, TargetSession } from './aws';
import { EnforcedConfigurationEvent, EnforcedConfigurationProperties } from './event';
import { CallFailedError } from './retry';
import { ShimFailure } from './failure';

/** The result of an account-level configuration action. */
export interface EnforcedConfigurationResult {
  readonly kind: 'EnforcedGuardrailConfiguration';
  readonly action: string;
  readonly accountId: string;
  readonly region: string;
  readonly configId: string | null;
  readonly guardrailArn: string | null;
  readonly guardrailVersion: string;
  /** Whether this action wrote or deleted anything. */
  readonly changed: boolean;
  /** The configuration differed from what this object last wrote (changed behind its back). */
  readonly drift: boolean;
  readonly adopted?: boolean;
  readonly recreated?: boolean;
  readonly changedBy?: string;
  readonly skipped?: string;
  readonly createdBy?: string;
  readonly ownership?: 'session' | 'role' | 'adopted';
}

/** Rounds of read-decide-write before giving up when the configuration keeps changing under us. */
const CONVERGE_ROUNDS = 3;

type Config = AccountEnforcedGuardrailOutputConfiguration;

async function listConfigs(s: TargetSession): Promise<Config[]> {
  const client = await s.bedrock();
  const all: Config[] = [];
  let nextToken: string | undefined;
  const seen = new Set<string>();
  do {
    const out = await s.call('ListEnforcedGuardrailsConfiguration', () =>
      client.send(new ListEnforcedGuardrailsConfigurationCommand(nextToken ? { nextToken } : {})),
    );
    all.push(...(out.guardrailsConfig ?? []));
    nextToken = out.nextToken;
    if (nextToken && seen.has(nextToken)) break; // a repeated token would loop forever
    if (nextToken) seen.add(nextToken);
  } while (nextToken);
  // Only account-owned configurations are managed through this API; any other owner type a later
  // API version may list is left alone.
  return all.filter((c) => c.owner === undefined || c.owner === 'ACCOUNT');
}

function guardrailIdOf(identifier: string): string {
  const slash = identifier.lastIndexOf('/');
  return slash >= 0 ? identifier.slice(slash + 1) : identifier;
}

function modelSet(m: { includedModels?: readonly string[]; excludedModels?: readonly string[] } | undefined): string {
  // Without modelEnforcement the configuration applies to all models.
  const included = m?.includedModels && m.includedModels.length > 0 ? [...m.includedModels] : ['ALL'];
  const excluded = m?.excludedModels ? [...m.excludedModels] : [];
  return JSON.stringify([[...new Set(included)].sort(), [...new Set(excluded)].sort()]);
}

/**
 * Whether the configuration in AWS already says what `p` says. Selective guarding modes the
 * properties leave unset are not compared: AWS fills in its own default for them.
 */
export function configMatches(current: Config, p: EnforcedConfigurationProperties): boolean {
  if (p.guardrailIdentifier.startsWith('arn:') && current.guardrailArn) {
    if (current.guardrailArn !== p.guardrailIdentifier) return false;
  } else if ((current.guardrailId ?? guardrailIdOf(current.guardrailArn ?? '')) !== guardrailIdOf(p.guardrailIdentifier)) {
    return false;
  }
  if (current.guardrailVersion !== p.guardrailVersion) return false;
  const sel = p.selectiveContentGuarding ?? {};
  if (sel.system && current.selectiveContentGuarding?.system !== sel.system) return false;
  if (sel.messages && current.selectiveContentGuarding?.messages !== sel.messages) return false;
  return modelSet(current.modelEnforcement) === modelSet(p.modelEnforcement);
}

/**
 * Whether an update leaves unset a selective guarding mode the previous input set, while AWS still
 * shows the previous value: the Put must be sent so AWS falls back to its default, even though
 * configMatches (which ignores unset modes) sees no difference.
 */
function clearsMode(current: Config, prev: EnforcedConfigurationProperties | undefined, p: EnforcedConfigurationProperties): boolean {
  if (!prev) return false;
  return (['system', 'messages'] as const).some((field) => {
    const before = prev.selectiveContentGuarding?.[field];
    return before !== undefined && p.selectiveContentGuarding?.[field] === undefined && current.selectiveContentGuarding?.[field] === before;
  });
}

function putRequest(p: EnforcedConfigurationProperties, configId?: string): PutEnforcedGuardrailConfigurationRequest {
  return {
    ...(configId ? { configId } : {}),
    guardrailInferenceConfig: {
      guardrailIdentifier: p.guardrailIdentifier,
      guardrailVersion: p.guardrailVersion,
      ...(p.selectiveContentGuarding && Object.keys(p.selectiveContentGuarding).length > 0
        ? { selectiveContentGuarding: { ...p.selectiveContentGuarding } }
        : {}),
      ...(p.modelEnforcement
        ? { modelEnforcement: { includedModels: [...p.modelEnforcement.includedModels], excludedModels: [...p.modelEnforcement.excludedModels] } }
        : {}),
    },
  };
}

/** Errors on Put that mean the configuration changed between our read and our write. */
function isRaceOnWrite(err: unknown): boolean {
  return err instanceof CallFailedError && (err.code === 'ConflictException' || err.code === 'ResourceNotFoundException');
}

function describeConfig(c: Config): string {
  return `configuration ${c.configId ?? '(no id)'} (guardrail ${c.guardrailArn ?? c.guardrailId ?? '?'} version ${c.guardrailVersion ?? '?'}) created by ${c.createdBy ?? 'an unknown principal'}`;
}

function notOwnedFailure(c: Config, caller: string, region: string): ShimFailure {
  return new ShimFailure(
    `an enforced guardrail configuration already exists in this account and region and was not created by this stack: ` +
      `${describeConfig(c)}; this handler runs as ${caller}. There is one configuration per account and region, so ` +
      `it is not overwritten. To manage it from this stack, set adoptExisting: true on this object; or remove it ` +
      `(aws bedrock delete-enforced-guardrail-configuration --config-id ${c.configId ?? '<id>'} --region ${region}) and apply again.`,
  );
}

/** Creates, updates or deletes the account's enforced configuration, touching only one this object made (or adopts). */
export async function enforcedConfiguration(ev: EnforcedConfigurationEvent, s: TargetSession): Promise<EnforcedConfigurationResult> {
  return ev.action === 'delete' ? remove(ev, ev.properties, s) : converge(ev, s);
}

function base(ev: EnforcedConfigurationEvent, p: EnforcedConfigurationProperties) {
  return {
    kind: 'EnforcedGuardrailConfiguration' as const,
    action: ev.action,
    accountId: ev.target.accountId,
    region: ev.target.region,
    guardrailVersion: p.guardrailVersion,
  };
}

async function converge(ev: EnforcedConfigurationEvent, s: TargetSession): Promise<EnforcedConfigurationResult> {
  const p = ev.properties;
  const prev = ev.action === 'update' && ev.prev?.kind === 'EnforcedGuardrailConfiguration' ? ev.prev.properties : undefined;
  const caller = await s.callerArn();
  const client = await s.bedrock();
  const desiredArn = p.guardrailIdentifier.startsWith('arn:') ? p.guardrailIdentifier : null;
  let lastRace: unknown;

  for (let round = 1; round <= CONVERGE_ROUNDS; round++) {
    const configs = await listConfigs(s);
    let ownership: 'session' | 'role' | 'adopted' | undefined;
    let current: Config | undefined;
    for (const c of configs) {
      const m = principalMatch(c.createdBy, caller);
      if (m !== 'none' && (!ownership || (ownership === 'role' && m === 'session'))) {
        ownership = m;
        current = c;
      }
    }
    if (!current && configs.length > 0) {
      // A configuration adopted by the previous input stays managed after the flag is dropped.
      if (!p.adoptExisting && !prev?.adoptExisting) throw notOwnedFailure(configs[0], caller, ev.target.region);
      current = configs[0];
      ownership = 'adopted';
    }

    if (!current) {
      // Nothing there: create. On update this means ours vanished behind our back.
      try {
        const out = await s.call('PutEnforcedGuardrailConfiguration', () => client.send(new PutEnforcedGuardrailConfigurationCommand(putRequest(p))));
        return {
          ...base(ev, p),
          configId: out.configId ?? null,
          guardrailArn: desiredArn,
          changed: true,
          drift: ev.action === 'update',
          ...(ev.action === 'update' ? { recreated: true } : {}),
        };
      } catch (err) {
        if (!isRaceOnWrite(err)) throw err;
        lastRace = err;
        continue;
      }
    }

    const matchesDesired = configMatches(current, p);
    // Drift: the configuration says neither what we last wrote nor what we are about to write.
    // An adopted configuration is someone else's by definition, so adopting it is not drift.
    const drift = ownership !== 'adopted' && !matchesDesired && !(prev !== undefined && configMatches(current, prev));
    const common = {
      ...base(ev, p),
      configId: current.configId ?? null,
      guardrailArn: desiredArn ?? current.guardrailArn ?? null,
      drift,
      ownership,
      ...(ownership === 'adopted' ? { adopted: true, createdBy: current.createdBy } : {}),
      ...(drift && current.updatedBy ? { changedBy: current.updatedBy } : {}),
    };
    if (matchesDesired && !clearsMode(current, prev, p)) {
      return { ...common, changed: false };
    }
    try {
      const out = await s.call('PutEnforcedGuardrailConfiguration', () =>
        client.send(new PutEnforcedGuardrailConfigurationCommand(putRequest(p, current!.configId))),
      );
      return { ...common, configId: out.configId ?? current.configId ?? null, changed: true };
    } catch (err) {
      if (!isRaceOnWrite(err)) throw err;
      lastRace = err;
    }
  }
  throw new ShimFailure(
    `the configuration kept changing while it was being written (${CONVERGE_ROUNDS} read-and-write rounds); last error: ${(lastRace as Error).message}`,
  );
}

async function remove(ev: EnforcedConfigurationEvent, p: EnforcedConfigurationProperties, s: TargetSession): Promise<EnforcedConfigurationResult> {
  const caller = await s.callerArn();
  const client = await s.bedrock();
  const configs = await listConfigs(s);
  let current: Config | undefined;
  let ownership: 'session' | 'role' | 'adopted' | undefined;
  for (const c of configs) {
    const m = principalMatch(c.createdBy, caller);
    if (m !== 'none' && (!ownership || (ownership === 'role' && m === 'session'))) {
      ownership = m;
      current = c;
    }
  }
  if (!current && configs.length > 0 && p.adoptExisting) {
    current = configs[0];
    ownership = 'adopted';
  }
  const common = { ...base(ev, p), guardrailArn: p.guardrailIdentifier.startsWith('arn:') ? p.guardrailIdentifier : null, drift: false };
  if (!current) {
    if (configs.length > 0) {
      // Someone else's configuration: leave it, and say so in the result and the log.
      return {
        ...common,
        configId: configs[0].configId ?? null,
        changed: false,
        skipped: 'not owned',
        createdBy: configs[0].createdBy ?? 'unknown',
      };
    }
    return { ...common, configId: null, changed: false };
  }
  const configId = current.configId;
  if (!configId) throw new ShimFailure(`ListEnforcedGuardrailsConfiguration returned a configuration without a configId (${describeConfig(current)})`);
  try {
    await s.call('DeleteEnforcedGuardrailConfiguration', () => client.send(new DeleteEnforcedGuardrailConfigurationCommand({ configId })));
  } catch (err) {
    // Already gone (deleted by a replay of this action or by hand): the goal is reached.
    if (!(err instanceof CallFailedError && err.code === 'ResourceNotFoundException')) throw err;
    return { ...common, configId, changed: false, ownership };
  }
  return { ...common, configId, changed: true, ownership, ...(ownership === 'adopted' ? { adopted: true, createdBy: current.createdBy } : {}) };
}

/** Delete the configuration a previous input described (used when an update moves the target). */
export async function removePrevious(ev: EnforcedConfigurationEvent, s: TargetSession): Promise<EnforcedConfigurationResult> {
  return remove({ ...ev, action: 'delete' }, ev.properties, s);
}
