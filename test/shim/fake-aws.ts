/**
 * A local HTTP server that speaks just enough of three AWS protocols for the shim handler's tests,
 * so the real SDK clients (pointed here with AWS_ENDPOINT_URL) do the serialization, signing and
 * error parsing exactly as they would against AWS:
 *
 * - Bedrock, REST-JSON (routes as in @aws-sdk/client-bedrock's schemas):
 *   GET/PUT /enforcedGuardrailsConfiguration, DELETE /enforcedGuardrailsConfiguration/{configId},
 *   POST /resource-policy (201), GET/DELETE /resource-policy/{resourceArn},
 *   GET /guardrails (ListGuardrails), GET /guardrails/{guardrailIdentifier} (GetGuardrail);
 * - Bedrock runtime (signed as service `bedrock` too, as @aws-sdk/client-bedrock-runtime does):
 *   POST /guardrail/{guardrailIdentifier}/version/{guardrailVersion}/apply (ApplyGuardrail), which
 *   evaluates the guardrail's resource policy for callers from another account;
 * - STS, query protocol with XML responses: AssumeRole, GetCallerIdentity;
 * - Organizations, JSON 1.1 (X-Amz-Target AWSOrganizationsV20161128.*): ListRoots,
 *   EnablePolicyType, DisablePolicyType, and for an organization described with
 *   {@link FakeAws.setOrganization}: DescribeOrganization, ListParents, ListAccountsForParent,
 *   ListOrganizationalUnitsForParent, ListPolicies, DescribePolicy, ListTargetsForPolicy,
 *   DescribeEffectivePolicy (policies merged root to account, `@@assign` at a lower node
 *   overriding, the first attached winning at one node, operators removed from the result),
 *   ListAccountsWithInvalidEffectivePolicy and ListEffectivePolicyValidationErrors.
 *
 * The caller is identified from the SigV4 Credential scope (access key, region, service). State is
 * kept per account and region. Sessions created by AssumeRole carry their session policy, and
 * every later call in that session is checked against it (Allow statements, action wildcards), so
 * a session policy that lacks an action the handler needs fails the tests.
 *
 * Modelling choices where AWS behaviour is not documented: Put without configId while a
 * configuration exists answers ConflictException (one configuration per account and region);
 * a configuration written without selectiveContentGuarding reads back with COMPREHENSIVE for both;
 * GetResourcePolicy returns the stored policy re-serialized (different whitespace), so callers
 * must compare documents semantically.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export const HOST_ACCESS_KEY = 'AKIDSHIMHOSTEXAMPLE';
export const HOST_SECRET_KEY = 'host-secret-key-not-for-logs';
export const HOST_SESSION_TOKEN = 'host-session-token-not-for-logs';
export const MANAGEMENT_ACCOUNT = '999988887777';
export const HOST_PRINCIPAL = `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/bedrock-guardrails-shim/bedrock-guardrails-shim-fn`;

export type FaultType = 'throttle' | 'server-error' | 'slow' | 'conflict' | 'not-found' | 'access-denied' | 'custom';

export interface FaultSpec {
  /** Operation name, e.g. PutEnforcedGuardrailConfiguration, AssumeRole, ListRoots. */
  readonly operation: string;
  readonly type: FaultType;
  /** How many matching calls the fault applies to (default 1; Infinity for persistent). */
  times?: number;
  /** For `slow`: how long to hold the response (default 1500 ms). */
  readonly delayMs?: number;
  /** For `slow`: carry out the request before holding the response (a write that "succeeded" unseen). */
  readonly applyBeforeDelay?: boolean;
  /** For `custom`: the HTTP status and error code to answer. */
  readonly status?: number;
  readonly code?: string;
  readonly account?: string;
  readonly region?: string;
  /** Runs when the fault fires, before the answer: state changed by someone else meanwhile. */
  readonly before?: () => void;
  /**
   * Instead of a number of calls: the fault applies to every matching call for this many ms after
   * it is injected (a policy change IAM has not propagated yet).
   */
  readonly activeForMs?: number;
  /** For `access-denied` and `custom`: the error message. */
  readonly message?: string;
}

export interface RecordedCall {
  readonly service: string;
  readonly operation: string;
  readonly account: string;
  readonly region: string;
  readonly principal: string;
  readonly accessKeyId: string;
  readonly input: Record<string, unknown>;
  status: number;
  errorCode?: string;
  fault?: FaultType;
}

export interface FakeConfig {
  configId: string;
  guardrailArn: string;
  guardrailId: string;
  guardrailVersion: string;
  selectiveContentGuarding?: { system?: string; messages?: string };
  modelEnforcement?: { includedModels: string[]; excludedModels: string[] };
  owner: 'ACCOUNT';
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface AssumedSession {
  readonly accessKeyId: string;
  readonly account: string;
  readonly roleArn: string;
  readonly sessionName: string;
  readonly principal: string;
  readonly policy?: string;
  readonly durationSeconds?: number;
  readonly assumedBy: string;
}

interface Identity {
  readonly account: string;
  readonly principal: string;
  readonly session?: AssumedSession;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface OrgState {
  rootId: string;
  policyTypes: Map<string, string>;
  /** Organization ID; `o-exampleorg` unless set with setOrganization. */
  orgId?: string;
  /** OU ID -> its parent (root or OU) ID. */
  ous?: Map<string, string>;
  /** Account ID -> its parent (root or OU) ID. */
  accounts?: Map<string, string>;
  policies?: FakePolicy[];
  /** Accounts whose effective policy is invalid, with their validation errors. */
  invalid?: Map<string, Array<{ ErrorCode: string; ErrorMessage: string; PathToError: string; ContributingPolicies: string[] }>>;
}

/** An Organizations policy of a fake organization. */
export interface FakePolicy {
  readonly id: string;
  name: string;
  readonly type: string;
  content: string;
  /** Target IDs in attachment order. */
  readonly targets: string[];
}

/** An organization for {@link FakeAws.setOrganization}. */
export interface FakeOrganizationSpec {
  readonly managementAccount: string;
  readonly id: string;
  readonly rootId: string;
  /** OUs with their parents (the root when omitted), parents first. */
  readonly ous?: Array<{ id: string; parentId?: string }>;
  /** Accounts with their parents (the root when omitted). */
  readonly accounts?: Record<string, string | undefined>;
  /** Policy types enabled on the root. @default SERVICE_CONTROL_POLICY */
  readonly policyTypes?: string[];
}

/** A guardrail of the fake, with its versions. */
export interface FakeGuardrail {
  readonly arn: string;
  readonly id: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  /** Version -> its state; `DRAFT` is always there. */
  readonly versions: Map<string, { status: string; automatedReasoningPolicies?: string[] }>;
  crossRegionProfile?: string;
}

const BEDROCK_PREFIX = 'bedrock';

function id(n = 12): string {
  return randomBytes(n).toString('hex').slice(0, n).replace(/[^a-z0-9]/g, 'a');
}

function iso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(action);
}

/** Whether a session policy allows an IAM action (Allow statements with Action; explicit Deny wins). */
export function sessionPolicyAllows(policy: string, action: string): boolean {
  const doc = JSON.parse(policy) as { Statement: unknown };
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Array<{ Effect: string; Action?: string | string[] }>;
  const matches = (s: { Action?: string | string[] }) => (Array.isArray(s.Action) ? s.Action : s.Action ? [s.Action] : []).some((a) => actionMatches(a, action));
  if (statements.some((s) => s.Effect === 'Deny' && matches(s))) return false;
  return statements.some((s) => s.Effect === 'Allow' && matches(s));
}

export class FakeAws {
  readonly calls: RecordedCall[] = [];
  readonly sessions: AssumedSession[] = [];
  /** How a writer is recorded in createdBy/updatedBy: its session ARN, or only its role's ARN. */
  recordWriterAs: 'session' | 'role' = 'session';
  /** Answer the first ListEnforcedGuardrailsConfiguration page empty, with a nextToken. */
  emptyFirstListPage = false;

  private server?: http.Server;
  private faults: FaultSpec[] = [];
  private readonly configs = new Map<string, FakeConfig[]>();
  private readonly policies = new Map<string, string>();
  private readonly orgs = new Map<string, OrgState>();
  private readonly guardrails = new Map<string, FakeGuardrail>();
  private readonly keys = new Map<string, Identity>();
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly injectedAt = new WeakMap<FaultSpec, number>();

  url = '';

  async start(): Promise<this> {
    this.reset();
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Forget all state, calls, sessions and faults; the organization starts with SCPs enabled. */
  reset(): void {
    this.calls.length = 0;
    this.sessions.length = 0;
    this.faults = [];
    this.configs.clear();
    this.policies.clear();
    this.orgs.clear();
    this.keys.clear();
    this.guardrails.clear();
    this.recordWriterAs = 'session';
    this.emptyFirstListPage = false;
    this.keys.set(HOST_ACCESS_KEY, { account: MANAGEMENT_ACCOUNT, principal: HOST_PRINCIPAL });
    this.orgs.set(MANAGEMENT_ACCOUNT, { rootId: 'r-ab12', policyTypes: new Map([['SERVICE_CONTROL_POLICY', 'ENABLED']]) });
  }

  inject(fault: FaultSpec): void {
    const spec = { ...fault, times: fault.times ?? (fault.activeForMs !== undefined ? Infinity : 1) };
    this.injectedAt.set(spec, Date.now());
    this.faults.push(spec);
  }

  callsTo(operation: string): RecordedCall[] {
    return this.calls.filter((c) => c.operation === operation);
  }

  // ----- state seen and changed "behind the handler's back" -----

  configsIn(account: string, region: string): FakeConfig[] {
    return this.configs.get(`${account}/${region}`) ?? [];
  }

  /** Create a configuration as another principal would. */
  seedConfig(account: string, region: string, by: string, guardrailArn: string, version: string): FakeConfig {
    const now = iso();
    const config: FakeConfig = {
      configId: id(),
      guardrailArn,
      guardrailId: guardrailArn.split('/').pop()!,
      guardrailVersion: version,
      selectiveContentGuarding: { system: 'COMPREHENSIVE', messages: 'COMPREHENSIVE' },
      owner: 'ACCOUNT',
      createdAt: now,
      createdBy: by,
      updatedAt: now,
      updatedBy: by,
    };
    this.configs.set(`${account}/${region}`, [...this.configsIn(account, region), config]);
    return config;
  }

  /** Change a configuration as another principal would. */
  changeConfig(account: string, region: string, by: string, patch: Partial<Pick<FakeConfig, 'guardrailVersion' | 'guardrailArn' | 'selectiveContentGuarding' | 'modelEnforcement'>>): FakeConfig {
    const config = this.configsIn(account, region)[0];
    if (!config) throw new Error(`no configuration in ${account}/${region}`);
    Object.assign(config, patch, { updatedBy: by, updatedAt: iso() });
    if (patch.guardrailArn) config.guardrailId = patch.guardrailArn.split('/').pop()!;
    return config;
  }

  deleteConfigs(account: string, region: string): void {
    this.configs.delete(`${account}/${region}`);
  }

  policyOf(resourceArn: string): string | undefined {
    return this.policies.get(resourceArn);
  }

  setPolicy(resourceArn: string, policy: string | undefined): void {
    if (policy === undefined) this.policies.delete(resourceArn);
    else this.policies.set(resourceArn, policy);
  }

  policyTypeStatus(account: string, policyType: string): string | undefined {
    return this.orgs.get(account)?.policyTypes.get(policyType);
  }

  setPolicyType(account: string, policyType: string, status: string | undefined): void {
    const org = this.orgs.get(account)!;
    if (status === undefined) org.policyTypes.delete(policyType);
    else org.policyTypes.set(policyType, status);
  }

  /** Lets another access key in: calls signed with it are made by `principal` of `account`. */
  addIdentity(accessKeyId: string, account: string, principal: string): void {
    this.keys.set(accessKeyId, { account, principal });
  }

  /** Describes an organization managed from `spec.managementAccount`: its tree and root policy types. */
  setOrganization(spec: FakeOrganizationSpec): void {
    this.orgs.set(spec.managementAccount, {
      rootId: spec.rootId,
      orgId: spec.id,
      policyTypes: new Map((spec.policyTypes ?? ['SERVICE_CONTROL_POLICY']).map((t) => [t, 'ENABLED'])),
      ous: new Map((spec.ous ?? []).map((ou) => [ou.id, ou.parentId ?? spec.rootId])),
      accounts: new Map(Object.entries(spec.accounts ?? {}).map(([a, parent]) => [a, parent ?? spec.rootId])),
      policies: [],
      invalid: new Map(),
    });
  }

  private orgOf(managementAccount: string): OrgState & Required<Pick<OrgState, 'orgId' | 'ous' | 'accounts' | 'policies' | 'invalid'>> {
    const org = this.orgs.get(managementAccount);
    if (!org?.ous || !org.accounts || !org.policies || !org.invalid || !org.orgId) throw new Error(`no organization set for ${managementAccount}: call setOrganization first`);
    return org as OrgState & Required<Pick<OrgState, 'orgId' | 'ous' | 'accounts' | 'policies' | 'invalid'>>;
  }

  /** Moves an account to another parent (root or OU), as someone in the console would. */
  moveAccount(managementAccount: string, account: string, parentId: string): void {
    this.orgOf(managementAccount).accounts.set(account, parentId);
  }

  /** Creates an Organizations policy as a deploy would; returns it. */
  createPolicy(managementAccount: string, name: string, type: string, content: string): FakePolicy {
    const policy: FakePolicy = { id: `p-${id(8)}`, name, type, content, targets: [] };
    this.orgOf(managementAccount).policies.push(policy);
    return policy;
  }

  /** The policy named `name`, if any. */
  policyNamed(managementAccount: string, name: string): FakePolicy | undefined {
    return this.orgOf(managementAccount).policies.find((p) => p.name === name);
  }

  /** Attaches a policy to a target. */
  attachPolicy(managementAccount: string, policyId: string, targetId: string): void {
    const policy = this.orgOf(managementAccount).policies.find((p) => p.id === policyId);
    if (!policy) throw new Error(`no policy ${policyId}`);
    if (!policy.targets.includes(targetId)) policy.targets.push(targetId);
  }

  /** Detaches a policy from a target. */
  detachPolicy(managementAccount: string, policyId: string, targetId: string): void {
    const policy = this.orgOf(managementAccount).policies.find((p) => p.id === policyId);
    if (policy) policy.targets.splice(policy.targets.indexOf(targetId) >>> 0, policy.targets.includes(targetId) ? 1 : 0);
  }

  /** Marks an account's effective policy of `BEDROCK_POLICY` invalid, with the errors Organizations would list. */
  setInvalidEffectivePolicy(managementAccount: string, account: string, errors: Array<{ ErrorCode: string; ErrorMessage: string; PathToError: string; ContributingPolicies: string[] }>): void {
    this.orgOf(managementAccount).invalid.set(account, errors);
  }

  /** Creates a guardrail (its DRAFT) as a deploy would. */
  seedGuardrail(account: string, region: string, name: string): FakeGuardrail {
    const gid = id(12);
    const g: FakeGuardrail = {
      arn: `arn:aws:bedrock:${region}:${account}:guardrail/${gid}`,
      id: gid,
      name,
      account,
      region,
      versions: new Map([['DRAFT', { status: 'READY' }]]),
    };
    this.guardrails.set(g.arn, g);
    return g;
  }

  /** Publishes the next numbered version of a guardrail; returns its number. */
  publishVersion(arn: string, options: { status?: string; automatedReasoningPolicies?: string[] } = {}): string {
    const g = this.guardrails.get(arn);
    if (!g) throw new Error(`no guardrail ${arn}`);
    const next = String(Math.max(0, ...[...g.versions.keys()].filter((v) => v !== 'DRAFT').map(Number)) + 1);
    g.versions.set(next, { status: options.status ?? 'READY', ...(options.automatedReasoningPolicies ? { automatedReasoningPolicies: options.automatedReasoningPolicies } : {}) });
    return next;
  }

  /** The guardrail with this ARN, if any. */
  guardrail(arn: string): FakeGuardrail | undefined {
    return this.guardrails.get(arn);
  }

  // ----- HTTP plumbing -----

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let reply: Reply;
      let call: RecordedCall | undefined;
      let hold: { ms: number } | undefined;
      try {
        const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
        if (!scope) throw new AwsError(403, 'MissingAuthenticationToken', 'Request is missing a SigV4 Authorization header');
        const [, accessKeyId, region, service] = scope;
        const identity = this.keys.get(accessKeyId);
        const { operation, input } = this.parse(service, req, body);
        call = {
          service,
          operation,
          account: identity?.account ?? 'unknown',
          region,
          principal: identity?.principal ?? 'unknown',
          accessKeyId,
          input,
          status: 0,
        };
        this.calls.push(call);
        if (!identity) throw new AwsError(403, service === 'sts' ? 'InvalidClientTokenId' : 'UnrecognizedClientException', 'The security token included in the request is invalid.');
        if (service === 'sts' && req.headers['x-amz-security-token'] === undefined && accessKeyId !== HOST_ACCESS_KEY) {
          throw new AwsError(403, 'InvalidClientTokenId', 'Temporary credentials need a session token.');
        }
        const fault = this.takeFault(operation, identity.account, region);
        if (fault) call.fault = fault.type;
        fault?.before?.();
        if (fault && !(fault.type === 'slow' && fault.applyBeforeDelay)) {
          if (fault.type === 'slow') {
            hold = { ms: fault.delayMs ?? 1500 };
            reply = this.dispatchSafely(service, operation, input, identity, region);
          } else {
            throw this.faultError(service, fault);
          }
        } else {
          if (fault?.type === 'slow') hold = { ms: fault.delayMs ?? 1500 };
          this.authorize(service, operation, identity);
          reply = this.dispatch(service, operation, input, identity, region);
        }
      } catch (err) {
        const e = err instanceof AwsError ? err : new AwsError(500, 'InternalFailure', (err as Error).message);
        const service = call?.service ?? 'bedrock';
        reply = this.errorReply(service, e);
        if (call) call.errorCode = e.code;
      }
      if (call) call.status = reply.status;
      const send = () => {
        if (res.destroyed || res.writableEnded) return;
        res.writeHead(reply.status, { 'x-amzn-requestid': id(16), ...(reply.headers ?? {}) });
        res.end(reply.body);
      };
      if (hold) {
        const t = setTimeout(() => {
          this.pending.delete(t);
          send();
        }, hold.ms);
        this.pending.add(t);
      } else {
        send();
      }
    });
  }

  /** For a slow fault that is not applied: answer what the call would have answered, without changing state. */
  private dispatchSafely(service: string, operation: string, input: Record<string, unknown>, identity: Identity, region: string): Reply {
    if (/^(List|Get)/.test(operation)) return this.dispatch(service, operation, input, identity, region);
    return { status: 500, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' }, body: '{"message":"late"}' };
  }

  private takeFault(operation: string, account: string, region: string): FaultSpec | undefined {
    const fault = this.faults.find(
      (f) => f.operation === operation && (f.times ?? 1) > 0 && (!f.account || f.account === account) && (!f.region || f.region === region)
        && (f.activeForMs === undefined || Date.now() - (this.injectedAt.get(f) ?? 0) < f.activeForMs),
    );
    if (fault) fault.times = (fault.times ?? 1) - 1;
    return fault;
  }

  private faultError(service: string, fault: FaultSpec): AwsError {
    switch (fault.type) {
      case 'throttle':
        if (service === 'sts') return new AwsError(400, 'Throttling', 'Rate exceeded');
        if (service === 'organizations') return new AwsError(400, 'TooManyRequestsException', 'AWS Organizations can\'t complete your request because another request is already in progress. Try again later.');
        return new AwsError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
      case 'server-error':
        if (service === 'sts') return new AwsError(500, 'InternalFailure', 'An internal error occurred.');
        if (service === 'organizations') return new AwsError(500, 'ServiceException', 'AWS Organizations can\'t complete your request because of an internal service error.');
        return new AwsError(500, 'InternalServerException', 'An internal server error occurred. Retry your request.');
      case 'conflict':
        return new AwsError(400, 'ConflictException', 'The request conflicts with the current state of the resource.');
      case 'not-found':
        return new AwsError(404, 'ResourceNotFoundException', 'The specified resource was not found.');
      case 'access-denied':
        return new AwsError(403, service === 'sts' ? 'AccessDenied' : 'AccessDeniedException', fault.message ?? 'User is not authorized to perform this action.');
      case 'custom':
        return new AwsError(fault.status ?? 400, fault.code ?? 'ValidationException', fault.message ?? `Injected ${fault.code ?? 'error'}`);
      case 'slow':
        return new AwsError(500, 'InternalFailure', 'unreachable');
    }
  }

  private errorReply(service: string, e: AwsError): Reply {
    if (service === 'sts') {
      const type = e.status >= 500 ? 'Receiver' : 'Sender';
      return {
        status: e.status,
        headers: { 'content-type': 'text/xml' },
        body:
          `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type>` +
          `<Code>${xmlEscape(e.code)}</Code><Message>${xmlEscape(e.message)}</Message></Error><RequestId>${id(16)}</RequestId></ErrorResponse>`,
      };
    }
    if (service === 'organizations') {
      return {
        status: e.status,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ __type: e.code, Message: e.message }),
      };
    }
    return {
      status: e.status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': e.code },
      body: JSON.stringify({ message: e.message }),
    };
  }

  private parse(service: string, req: http.IncomingMessage, body: string): { operation: string; input: Record<string, unknown> } {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    if (service === 'sts') {
      const params = Object.fromEntries(new URLSearchParams(body));
      return { operation: params.Action ?? 'Unknown', input: params };
    }
    if (service === 'organizations') {
      const target = String(req.headers['x-amz-target'] ?? '');
      const [prefix, operation] = target.split('.');
      if (prefix !== 'AWSOrganizationsV20161128') throw new AwsError(400, 'UnknownOperationException', `Unknown target ${target}`);
      return { operation, input: body ? JSON.parse(body) : {} };
    }
    if (service !== BEDROCK_PREFIX) throw new AwsError(400, 'UnknownService', `Unknown service ${service}`);
    const json = body ? JSON.parse(body) : {};
    const p = url.pathname;
    if (p === '/enforcedGuardrailsConfiguration' && method === 'GET') {
      return { operation: 'ListEnforcedGuardrailsConfiguration', input: { nextToken: url.searchParams.get('nextToken') ?? undefined } };
    }
    if (p === '/enforcedGuardrailsConfiguration' && method === 'PUT') return { operation: 'PutEnforcedGuardrailConfiguration', input: json };
    let m = /^\/enforcedGuardrailsConfiguration\/([^/]+)$/.exec(p);
    if (m && method === 'DELETE') return { operation: 'DeleteEnforcedGuardrailConfiguration', input: { configId: decodeURIComponent(m[1]) } };
    if (p === '/resource-policy' && method === 'POST') return { operation: 'PutResourcePolicy', input: json };
    m = /^\/resource-policy\/(.+)$/.exec(p);
    if (m && method === 'GET') return { operation: 'GetResourcePolicy', input: { resourceArn: decodeURIComponent(m[1]) } };
    if (m && method === 'DELETE') return { operation: 'DeleteResourcePolicy', input: { resourceArn: decodeURIComponent(m[1]) } };
    if (p === '/guardrails' && method === 'GET') {
      return { operation: 'ListGuardrails', input: { guardrailIdentifier: url.searchParams.get('guardrailIdentifier') ?? undefined, nextToken: url.searchParams.get('nextToken') ?? undefined } };
    }
    m = /^\/guardrails\/([^/]+)$/.exec(p);
    if (m && method === 'GET') return { operation: 'GetGuardrail', input: { guardrailIdentifier: decodeURIComponent(m[1]), guardrailVersion: url.searchParams.get('guardrailVersion') ?? undefined } };
    m = /^\/guardrail\/([^/]+)\/version\/([^/]+)\/apply$/.exec(p);
    if (m && method === 'POST') return { operation: 'ApplyGuardrail', input: { ...json, guardrailIdentifier: decodeURIComponent(m[1]), guardrailVersion: decodeURIComponent(m[2]) } };
    throw new AwsError(404, 'UnknownOperationException', `No route for ${method} ${p}`);
  }

  private authorize(service: string, operation: string, identity: Identity): void {
    if (service === 'sts') return; // GetCallerIdentity needs no permission; AssumeRole is checked by the target role's trust, not modelled
    const action = `${service}:${operation}`;
    const policy = identity.session?.policy;
    if (policy !== undefined && !sessionPolicyAllows(policy, action)) {
      throw new AwsError(403, 'AccessDeniedException', `User: ${identity.principal} is not authorized to perform: ${action} because no session policy allows the ${action} action`);
    }
  }

  private writer(identity: Identity): string {
    if (this.recordWriterAs === 'role' && identity.principal.includes(':assumed-role/')) {
      const [, account, role] = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(identity.principal)!;
      return `arn:aws:iam::${account}:role/${role}`;
    }
    return identity.principal;
  }

  private dispatch(service: string, operation: string, input: Record<string, unknown>, identity: Identity, region: string): Reply {
    if (service === 'sts') return this.sts(operation, input, identity);
    if (service === 'organizations') return this.organizations(operation, input, identity);
    return this.bedrock(operation, input, identity, region);
  }

  // ----- STS -----

  private sts(operation: string, input: Record<string, unknown>, identity: Identity): Reply {
    const xml = (op: string, inner: string): Reply => ({
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body:
        `<${op}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${op}Result>${inner}</${op}Result>` +
        `<ResponseMetadata><RequestId>${id(16)}</RequestId></ResponseMetadata></${op}Response>`,
    });
    if (operation === 'GetCallerIdentity') {
      return xml('GetCallerIdentity', `<Arn>${xmlEscape(identity.principal)}</Arn><UserId>AROAFAKE:${id(6)}</UserId><Account>${identity.account}</Account>`);
    }
    if (operation === 'AssumeRole') {
      const roleArn = String(input.RoleArn ?? '');
      const sessionName = String(input.RoleSessionName ?? '');
      const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
      if (!m) throw new AwsError(400, 'ValidationError', `Invalid RoleArn ${roleArn}`);
      if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new AwsError(400, 'ValidationError', 'Invalid RoleSessionName');
      const policy = input.Policy === undefined ? undefined : String(input.Policy);
      if (policy !== undefined) JSON.parse(policy);
      const accessKeyId = `ASIAFAKE${id(12).toUpperCase()}`;
      const principal = `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${sessionName}`;
      const session: AssumedSession = {
        accessKeyId,
        account: m[1],
        roleArn,
        sessionName,
        principal,
        policy,
        durationSeconds: input.DurationSeconds === undefined ? undefined : Number(input.DurationSeconds),
        assumedBy: identity.principal,
      };
      this.sessions.push(session);
      this.keys.set(accessKeyId, { account: m[1], principal, session });
      const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      return xml(
        'AssumeRole',
        `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${id(20)}</SecretAccessKey>` +
          `<SessionToken>${id(32)}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
          `<AssumedRoleUser><AssumedRoleId>AROAFAKE:${xmlEscape(sessionName)}</AssumedRoleId><Arn>${xmlEscape(principal)}</Arn></AssumedRoleUser>` +
          `<PackedPolicySize>${policy ? 10 : 0}</PackedPolicySize>`,
      );
    }
    throw new AwsError(400, 'InvalidAction', `Unknown STS action ${operation}`);
  }

  // ----- Organizations -----

  private organizations(operation: string, input: Record<string, unknown>, identity: Identity): Reply {
    const org = this.orgs.get(identity.account);
    if (!org) throw new AwsError(400, 'AccessDeniedException', 'You don\'t have permissions to access this resource.');
    const root = () => ({
      Id: org.rootId,
      Arn: `arn:aws:organizations::${identity.account}:root/${org.orgId ?? 'o-exampleorg'}/${org.rootId}`,
      Name: 'Root',
      PolicyTypes: [...org.policyTypes.entries()].map(([Type, Status]) => ({ Type, Status })),
    });
    const json = (value: unknown): Reply => ({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(value) });
    const checkRoot = () => {
      if (input.RootId !== org.rootId) throw new AwsError(400, 'RootNotFoundException', `Root ${String(input.RootId)} not found`);
    };
    switch (operation) {
      case 'ListRoots':
        return json({ Roots: [root()] });
      case 'EnablePolicyType': {
        checkRoot();
        const type = String(input.PolicyType);
        if (org.policyTypes.get(type) === 'ENABLED') throw new AwsError(400, 'PolicyTypeAlreadyEnabledException', 'The specified policy type is already enabled.');
        org.policyTypes.set(type, 'ENABLED');
        return json({ Root: root() });
      }
      case 'DisablePolicyType': {
        checkRoot();
        const type = String(input.PolicyType);
        if (!org.policyTypes.has(type)) throw new AwsError(400, 'PolicyTypeNotEnabledException', 'This operation can be performed only for enabled policy types.');
        org.policyTypes.delete(type);
        return json({ Root: root() });
      }
      default:
        return this.organizationTree(operation, input, identity, org, json);
    }
  }

  /** The operations that read an organization described with setOrganization. */
  private organizationTree(operation: string, input: Record<string, unknown>, identity: Identity, org: OrgState, json: (value: unknown) => Reply): Reply {
    const known = ['DescribeOrganization', 'ListParents', 'ListAccountsForParent', 'ListOrganizationalUnitsForParent', 'ListPolicies', 'DescribePolicy',
      'ListTargetsForPolicy', 'DescribeEffectivePolicy', 'ListAccountsWithInvalidEffectivePolicy', 'ListEffectivePolicyValidationErrors'];
    if (!known.includes(operation)) throw new AwsError(400, 'UnknownOperationException', `Unknown Organizations operation ${operation}`);
    if (!org.ous || !org.accounts || !org.policies || !org.invalid || !org.orgId) {
      throw new AwsError(400, 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
    }
    const { ous, accounts, policies, invalid, orgId, rootId } = { ...org, ous: org.ous, accounts: org.accounts, policies: org.policies, invalid: org.invalid, orgId: org.orgId };
    const arnOf = (kind: string, targetId: string) => `arn:aws:organizations::${identity.account}:${kind}/${orgId}/${targetId}`;
    const typeOf = (targetId: string) => (targetId === rootId ? 'ROOT' : ous.has(targetId) ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT');
    const policyOf = (policyId: unknown) => {
      const policy = policies.find((p) => p.id === policyId);
      if (!policy) throw new AwsError(400, 'PolicyNotFoundException', `We can't find a policy with the PolicyId that you specified: ${String(policyId)}`);
      return policy;
    };
    const summary = (p: FakePolicy) => ({ Id: p.id, Arn: arnOf(`policy`, `${p.type.toLowerCase()}/${p.id}`), Name: p.name, Description: '', Type: p.type, AwsManaged: false });
    switch (operation) {
      case 'DescribeOrganization':
        return json({ Organization: { Id: orgId, Arn: `arn:aws:organizations::${identity.account}:organization/${orgId}`, FeatureSet: 'ALL',
          MasterAccountArn: arnOf('account', identity.account), MasterAccountId: identity.account, MasterAccountEmail: 'management@example.com' } });
      case 'ListParents': {
        const child = String(input.ChildId);
        const parent = accounts.get(child) ?? ous.get(child);
        if (parent === undefined) throw new AwsError(400, 'ChildNotFoundException', `We can't find an organizational unit (OU) or account with the ChildId that you specified: ${child}`);
        return json({ Parents: [{ Id: parent, Type: parent === rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] });
      }
      case 'ListAccountsForParent':
      case 'ListOrganizationalUnitsForParent': {
        const parent = String(input.ParentId);
        if (parent !== rootId && !ous.has(parent)) throw new AwsError(400, 'ParentNotFoundException', `We can't find a root or OU with the ParentId that you specified: ${parent}`);
        if (operation === 'ListAccountsForParent') {
          const list = [...accounts.entries()].filter(([, p]) => p === parent).map(([a]) => a).sort();
          return json({ Accounts: list.map((a) => ({ Id: a, Arn: arnOf('account', a), Name: `Account ${a}`, Email: `${a}@example.com`, Status: 'ACTIVE', State: 'ACTIVE' })) });
        }
        const list = [...ous.entries()].filter(([, p]) => p === parent).map(([o]) => o).sort();
        return json({ OrganizationalUnits: list.map((o) => ({ Id: o, Arn: arnOf('ou', o), Name: o })) });
      }
      case 'ListPolicies':
        return json({ Policies: policies.filter((p) => p.type === input.Filter).map(summary) });
      case 'DescribePolicy': {
        const p = policyOf(input.PolicyId);
        return json({ Policy: { PolicySummary: summary(p), Content: p.content } });
      }
      case 'ListTargetsForPolicy': {
        const p = policyOf(input.PolicyId);
        return json({ Targets: p.targets.map((t) => ({ TargetId: t, Arn: arnOf(typeOf(t) === 'ROOT' ? 'root' : typeOf(t) === 'ACCOUNT' ? 'account' : 'ou', t), Name: t, Type: typeOf(t) })) });
      }
      case 'DescribeEffectivePolicy': {
        const target = String(input.TargetId ?? identity.account);
        if (!accounts.has(target) && target !== identity.account) throw new AwsError(400, 'TargetNotFoundException', `We can't find a root, OU, account, or policy with the TargetId that you specified: ${target}`);
        const type = String(input.PolicyType);
        if (org.policyTypes.get(type) !== 'ENABLED') throw new AwsError(400, 'EffectivePolicyNotFoundException', 'We can\'t find an effective policy of the specified type.');
        const merged = this.effectiveContent(policies.filter((p) => p.type === type), this.pathOf(target, accounts, ous, rootId));
        if (merged === undefined) throw new AwsError(400, 'EffectivePolicyNotFoundException', 'We can\'t find an effective policy of the specified type.');
        return json({ EffectivePolicy: { PolicyContent: JSON.stringify(merged), LastUpdatedTimestamp: Math.floor(Date.now() / 1000), TargetId: target, PolicyType: type } });
      }
      case 'ListAccountsWithInvalidEffectivePolicy':
        return json({ Accounts: [...invalid.keys()].sort().map((a) => ({ Id: a, Arn: arnOf('account', a), Name: `Account ${a}`, Status: 'ACTIVE' })), PolicyType: input.PolicyType });
      case 'ListEffectivePolicyValidationErrors': {
        const account = String(input.AccountId);
        if (!accounts.has(account)) throw new AwsError(400, 'AccountNotFoundException', `We can't find an AWS account with the AccountId that you specified: ${account}`);
        return json({ AccountId: account, PolicyType: input.PolicyType, Path: this.pathOf(account, accounts, ous, rootId).join('/'), EvaluationTimestamp: Math.floor(Date.now() / 1000),
          EffectivePolicyValidationErrors: invalid.get(account) ?? [] });
      }
      default:
        throw new AwsError(400, 'UnknownOperationException', `Unknown Organizations operation ${operation}`);
    }
  }

  // ----- Bedrock -----

  private bedrock(operation: string, input: Record<string, unknown>, identity: Identity, region: string): Reply {
    const key = `${identity.account}/${region}`;
    const json = (value: unknown, status = 200): Reply => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
    switch (operation) {
      case 'ListEnforcedGuardrailsConfiguration': {
        if (this.emptyFirstListPage && input.nextToken === undefined) return json({ guardrailsConfig: [], nextToken: 'page2' });
        return json({ guardrailsConfig: this.configsIn(identity.account, region) });
      }
      case 'PutEnforcedGuardrailConfiguration': {
        const cfg = input.guardrailInferenceConfig as Record<string, unknown> | undefined;
        if (!cfg || typeof cfg.guardrailIdentifier !== 'string' || typeof cfg.guardrailVersion !== 'string') {
          throw new AwsError(400, 'ValidationException', 'guardrailInferenceConfig with guardrailIdentifier and guardrailVersion is required');
        }
        if (!/^[1-9][0-9]{0,7}$/.test(cfg.guardrailVersion)) throw new AwsError(400, 'ValidationException', `Invalid guardrailVersion ${cfg.guardrailVersion}`);
        const identifier = cfg.guardrailIdentifier;
        const guardrailArn = identifier.startsWith('arn:') ? identifier : `arn:aws:bedrock:${region}:${identity.account}:guardrail/${identifier}`;
        const fields = {
          guardrailArn,
          guardrailId: guardrailArn.split('/').pop()!,
          guardrailVersion: cfg.guardrailVersion,
          selectiveContentGuarding: {
            system: 'COMPREHENSIVE',
            messages: 'COMPREHENSIVE',
            ...((cfg.selectiveContentGuarding as object | undefined) ?? {}),
          },
          modelEnforcement: cfg.modelEnforcement as FakeConfig['modelEnforcement'],
        };
        const list = this.configsIn(identity.account, region);
        const now = iso();
        const by = this.writer(identity);
        if (input.configId === undefined) {
          if (list.length > 0) throw new AwsError(400, 'ConflictException', 'An enforced guardrail configuration already exists for this account in this Region.');
          const config: FakeConfig = { configId: id(), ...fields, owner: 'ACCOUNT', createdAt: now, createdBy: by, updatedAt: now, updatedBy: by };
          if (!config.modelEnforcement) delete config.modelEnforcement;
          this.configs.set(key, [config]);
          return json({ configId: config.configId, updatedAt: now, updatedBy: by });
        }
        const config = list.find((c) => c.configId === input.configId);
        if (!config) throw new AwsError(404, 'ResourceNotFoundException', `Enforced guardrail configuration ${String(input.configId)} not found`);
        Object.assign(config, fields, { updatedAt: now, updatedBy: by });
        if (!fields.modelEnforcement) delete config.modelEnforcement;
        return json({ configId: config.configId, updatedAt: now, updatedBy: by });
      }
      case 'DeleteEnforcedGuardrailConfiguration': {
        const list = this.configsIn(identity.account, region);
        const rest = list.filter((c) => c.configId !== input.configId);
        if (rest.length === list.length) throw new AwsError(404, 'ResourceNotFoundException', `Enforced guardrail configuration ${String(input.configId)} not found`);
        this.configs.set(key, rest);
        return json({});
      }
      case 'PutResourcePolicy': {
        const arn = String(input.resourceArn ?? '');
        const policy = String(input.resourcePolicy ?? '');
        this.checkResource(arn, identity, region);
        let doc: unknown;
        try {
          doc = JSON.parse(policy);
        } catch {
          throw new AwsError(400, 'ValidationException', 'The resource policy is not valid JSON');
        }
        this.policies.set(arn, JSON.stringify(doc, null, 1));
        return json({ resourceArn: arn }, 201);
      }
      case 'GetResourcePolicy': {
        const arn = String(input.resourceArn);
        this.checkResource(arn, identity, region);
        const policy = this.policies.get(arn);
        if (policy === undefined) throw new AwsError(404, 'ResourceNotFoundException', `No resource policy for ${arn}`);
        return json({ resourcePolicy: policy });
      }
      case 'DeleteResourcePolicy': {
        const arn = String(input.resourceArn);
        this.checkResource(arn, identity, region);
        if (!this.policies.delete(arn)) throw new AwsError(404, 'ResourceNotFoundException', `No resource policy for ${arn}`);
        return json({});
      }
      case 'ListGuardrails': {
        const created = '2026-01-01T00:00:00Z';
        const entry = (g: FakeGuardrail, version: string) => ({
          id: g.id, arn: g.arn, status: g.versions.get(version)!.status, name: g.name, version, createdAt: created, updatedAt: created,
          ...(g.crossRegionProfile ? { crossRegionDetails: { guardrailProfileId: g.crossRegionProfile, guardrailProfileArn: `arn:aws:bedrock:${region}:${g.account}:guardrail-profile/${g.crossRegionProfile}` } } : {}),
        });
        const identifier = input.guardrailIdentifier === undefined ? undefined : String(input.guardrailIdentifier);
        if (identifier === undefined) {
          const mine = [...this.guardrails.values()].filter((g) => g.account === identity.account && g.region === region).sort((a, b) => (a.arn < b.arn ? -1 : 1));
          return json({ guardrails: mine.map((g) => entry(g, 'DRAFT')) });
        }
        const g = this.findGuardrail(identifier, identity, region);
        return json({ guardrails: [...g.versions.keys()].map((v) => entry(g, v)) });
      }
      case 'GetGuardrail': {
        const g = this.findGuardrail(String(input.guardrailIdentifier), identity, region);
        const version = input.guardrailVersion === undefined ? 'DRAFT' : String(input.guardrailVersion);
        const v = g.versions.get(version);
        if (!v) throw new AwsError(404, 'ResourceNotFoundException', `Guardrail ${g.id} has no version ${version}`);
        return json({
          name: g.name, guardrailId: g.id, guardrailArn: g.arn, version, status: v.status, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
          blockedInputMessaging: 'Blocked.', blockedOutputsMessaging: 'Blocked.',
          ...(v.automatedReasoningPolicies ? { automatedReasoningPolicy: { policies: v.automatedReasoningPolicies } } : {}),
        });
      }
      case 'ApplyGuardrail': {
        const identifier = String(input.guardrailIdentifier);
        const g = this.guardrails.get(identifier) ?? [...this.guardrails.values()].find((x) => x.id === identifier && x.account === identity.account);
        if (!g || g.region !== region) throw new AwsError(404, 'ResourceNotFoundException', `Guardrail ${identifier} not found in ${region}`);
        if (g.account !== identity.account && !this.grantsApply(g.arn, identity.account)) {
          throw new AwsError(403, 'AccessDeniedException', `User: ${identity.principal} is not authorized to perform: bedrock:ApplyGuardrail on resource: ${g.arn} because no resource-based policy allows the bedrock:ApplyGuardrail action`);
        }
        const version = String(input.guardrailVersion);
        if (!g.versions.has(version)) throw new AwsError(404, 'ResourceNotFoundException', `Guardrail ${g.id} has no version ${version}`);
        const units = { topicPolicyUnits: 1, contentPolicyUnits: 1, wordPolicyUnits: 1, sensitiveInformationPolicyUnits: 1, sensitiveInformationPolicyFreeUnits: 0, contextualGroundingPolicyUnits: 0 };
        return json({ usage: units, action: 'NONE', outputs: [], assessments: [{}] });
      }
      default:
        throw new AwsError(400, 'UnknownOperationException', `Unknown Bedrock operation ${operation}`);
    }
  }

  private findGuardrail(identifier: string, identity: Identity, region: string): FakeGuardrail {
    const g = this.guardrails.get(identifier) ?? [...this.guardrails.values()].find((x) => x.id === identifier && x.account === identity.account && x.region === region);
    if (!g || g.account !== identity.account || g.region !== region) throw new AwsError(404, 'ResourceNotFoundException', `Guardrail ${identifier} not found in ${identity.account} ${region}`);
    return g;
  }

  /** Root, OUs and the account itself, from the top: the nodes whose policies reach the account. */
  private pathOf(account: string, accounts: Map<string, string>, ous: Map<string, string>, rootId: string): string[] {
    const out: string[] = [account];
    for (let at = accounts.get(account); at !== undefined; at = at === rootId ? undefined : ous.get(at)) out.unshift(at);
    return out;
  }

  /**
   * The merged content of the policies attached along `path`: a lower node's `@@assign` overrides
   * a higher one's; at one node the policy attached first wins; operators are not in the result.
   */
  private effectiveContent(policies: FakePolicy[], path: string[]): Record<string, unknown> | undefined {
    const merged: Record<string, unknown> = {};
    let any = false;
    for (const node of path) {
      const setHere = new Set<string>();
      for (const p of policies.filter((x) => x.targets.includes(node))) {
        any = true;
        const walk = (value: unknown, at: Record<string, unknown>, keyPath: string) => {
          for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            const here = `${keyPath}/${k}`;
            if (v !== null && typeof v === 'object' && !Array.isArray(v) && '@@assign' in (v as object)) {
              if (!setHere.has(here)) {
                at[k] = (v as Record<string, unknown>)['@@assign'];
                setHere.add(here);
              }
            } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
              const child = (at[k] ?? {}) as Record<string, unknown>;
              at[k] = child;
              walk(v, child, here);
            }
          }
        };
        walk(JSON.parse(p.content), merged, '');
      }
    }
    return any ? merged : undefined;
  }

  /**
   * Whether the guardrail's resource policy lets `account` apply it: an Allow of
   * bedrock:ApplyGuardrail (or a wildcard) on the guardrail, to `arn:aws:iam::<account>:root`, or to
   * `*` with aws:PrincipalOrgID equal to the account's organization and, when present,
   * aws:PrincipalOrgPaths matching its path. Kept apart from the code under test on purpose.
   */
  private grantsApply(arn: string, account: string): boolean {
    const text = this.policies.get(arn);
    if (!text) return false;
    const org = [...this.orgs.values()].find((o) => o.accounts?.has(account));
    const orgPath = org ? `${org.orgId}/${this.pathOf(account, org.accounts!, org.ous!, org.rootId).slice(0, -1).join('/')}/` : undefined;
    const statements = ([] as Array<Record<string, any>>).concat(JSON.parse(text).Statement ?? []);
    return statements.some((s) => {
      if (s.Effect !== 'Allow') return false;
      if (![].concat(s.Action ?? []).some((a: string) => a === 'bedrock:ApplyGuardrail' || a === 'bedrock:*' || a === '*')) return false;
      if (![].concat(s.Resource ?? []).some((r: string) => r === arn || r === '*')) return false;
      const aws = s.Principal === '*' ? '*' : s.Principal?.AWS;
      if (aws === `arn:aws:iam::${account}:root` || aws === account) return true;
      if (aws !== '*' || !org) return false;
      if (s.Condition?.StringEquals?.['aws:PrincipalOrgID'] !== org.orgId) return false;
      const paths = s.Condition?.['ForAnyValue:StringLike']?.['aws:PrincipalOrgPaths'];
      if (paths === undefined) return true;
      return ([] as string[]).concat(paths).some((p) => new RegExp(`^${p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(orgPath!));
    });
  }

  private checkResource(arn: string, identity: Identity, region: string): void {
    const m = /^arn:aws:bedrock:([^:]+):(\d{12}):/.exec(arn);
    if (!m || m[1] !== region || m[2] !== identity.account) {
      throw new AwsError(400, 'ValidationException', `Resource ${arn} is not in account ${identity.account}, ${region}`);
    }
  }
}
