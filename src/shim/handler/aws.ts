/**
 * AWS access for one managed object: credentials for its target (the Lambda's own, or an assumed
 * role narrowed by a session policy), SDK clients built for the target's region, the caller
 * identity those credentials resolve to, and the retry wrapper every call goes through. Each client
 * carries a middleware that attaches the IAM action and resource of a failed call to its error, so
 * a permission failure names what was missing.
 *
 * Endpoints are not configured here: the SDK reads `AWS_ENDPOINT_URL` (and per-service variants)
 * itself, which is how the shim tests point the real clients at a local fake.
 */
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SESSION_DURATION_SECONDS, ShimKind, sessionPolicy } from '../../model/shim-contract';
import { attachRequestContext, RetryContext, RetrySettings, withRetry } from './retry';
import type { ShimTarget } from './event';

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Client settings shared by every client of one invocation. */
function clientConfig(region: string, settings: RetrySettings, credentials?: Credentials) {
  return {
    region,
    // Retries are done by withRetry (retry.ts) around each call, so the SDK must not add its own.
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: settings.connectTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      // Without this a request that outlives requestTimeout only logs a warning.
      throwOnRequestTimeout: true,
    },
    ...(credentials ? { credentials } : {}),
  };
}

type Destroyable = { destroy(): void };

/** The part of an SDK client the request-context middleware needs. */
interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: { input: object }) => Promise<unknown>, context: { commandName?: string }) => (args: { input: object }) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/** The resource an IAM action is asked on, from the command's input (`*` for actions without one). */
function resourceOf(input: Record<string, unknown>): string {
  for (const key of ['resourceArn', 'RoleArn', 'guardrailIdentifier']) {
    if (typeof input[key] === 'string') return input[key] as string;
  }
  if (typeof input.RootId === 'string') return `the organization root ${input.RootId}`;
  return '*';
}

/**
 * Adds a middleware that attaches the IAM action and resource of a failed call to its error, so a
 * permission failure can say what was missing (retry.ts, deniedRequest).
 */
function withRequestContext<T extends MiddlewareClient>(client: T, actionPrefix: string): T {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        const operation = (context.commandName ?? 'UnknownCommand').replace(/Command$/, '');
        attachRequestContext(err, { action: `${actionPrefix}:${operation}`, resource: resourceOf(args.input as Record<string, unknown>) });
        throw err;
      }
    },
    { step: 'initialize', name: 'cdktfBedrockGuardrailsRequestContext' },
  );
  return client;
}

/** Credentials, clients and identity for one target (account, region, optional role). */
export class TargetSession {
  private credentials?: Credentials;
  private identity?: string;
  private readonly clients: Destroyable[] = [];
  private bedrockClient?: BedrockClient;
  private organizationsClient?: OrganizationsClient;

  constructor(
    readonly kind: ShimKind,
    readonly target: ShimTarget,
    readonly retry: RetryContext,
  ) {}

  /** Run one AWS call through the retry wrapper. */
  call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(this.retry, operation, fn);
  }

  private track<T extends Destroyable>(client: T): T {
    this.clients.push(client);
    return client;
  }

  /** Assume the target role once per session, with the session policy for this kind. */
  private async resolveCredentials(): Promise<Credentials | undefined> {
    const { roleArn, sessionName, region } = this.target;
    if (!roleArn) return undefined;
    if (this.credentials) return this.credentials;
    const sts = this.track(withRequestContext(new STSClient(clientConfig(region, this.retry.settings)), 'sts'));
    const out = await this.call(`AssumeRole (${roleArn})`, () =>
      sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: sessionName,
          Policy: sessionPolicy(this.kind),
          DurationSeconds: SESSION_DURATION_SECONDS,
        }),
      ),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new Error(`AssumeRole (${roleArn}) returned no credentials`);
    }
    this.credentials = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
    return this.credentials;
  }

  async bedrock(): Promise<BedrockClient> {
    if (!this.bedrockClient) {
      const credentials = await this.resolveCredentials();
      this.bedrockClient = this.track(withRequestContext(new BedrockClient(clientConfig(this.target.region, this.retry.settings, credentials)), 'bedrock'));
    }
    return this.bedrockClient;
  }

  async organizations(): Promise<OrganizationsClient> {
    if (!this.organizationsClient) {
      const credentials = await this.resolveCredentials();
      this.organizationsClient = this.track(
        withRequestContext(new OrganizationsClient(clientConfig(this.target.region, this.retry.settings, credentials)), 'organizations'),
      );
    }
    return this.organizationsClient;
  }

  /**
   * The ARN the target credentials resolve to (for an assumed role, the assumed-role session ARN
   * with our session name). `sts:GetCallerIdentity` needs no permission.
   */
  async callerArn(): Promise<string> {
    if (this.identity) return this.identity;
    const credentials = await this.resolveCredentials();
    const sts = this.track(new STSClient(clientConfig(this.target.region, this.retry.settings, credentials)));
    const out = await this.call('GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
    if (!out.Arn) throw new Error('GetCallerIdentity returned no Arn');
    this.identity = out.Arn;
    return out.Arn;
  }

  /** Close the clients' sockets. */
  destroy(): void {
    for (const client of this.clients.splice(0)) {
      try {
        client.destroy();
      } catch {
        // Closing is best effort.
      }
    }
  }
}

interface Principal {
  readonly partition: string;
  readonly account: string;
  readonly role: string;
  readonly session?: string;
}

const ROLE_PRINCIPAL = /^arn:([^:]+):(?:iam|sts)::([0-9]{12}):(role|assumed-role)\/(.+)$/;

function parsePrincipal(arn: string): Principal | undefined {
  const m = ROLE_PRINCIPAL.exec(arn);
  if (!m) return undefined;
  const [, partition, account, type, rest] = m;
  const parts = rest.split('/');
  if (type === 'assumed-role') {
    if (parts.length < 2) return undefined;
    return { partition, account, role: parts[0], session: parts.slice(1).join('/') };
  }
  // An IAM role ARN may carry a path; the role name is its last segment.
  return { partition, account, role: parts[parts.length - 1] };
}

/**
 * How `recorded` (a configuration's createdBy or updatedBy) relates to the caller:
 * - `session`: the same principal (same ARN, or the same role and session name);
 * - `role`: the record names the caller's role without a session (Bedrock documents the field as
 *   "the ARN of the role"), so any session of that role matches;
 * - `none`: someone else.
 */
export function principalMatch(recorded: string | undefined, caller: string): 'session' | 'role' | 'none' {
  if (!recorded) return 'none';
  if (recorded === caller) return 'session';
  const a = parsePrincipal(recorded);
  const b = parsePrincipal(caller);
  if (!a || !b || a.partition !== b.partition || a.account !== b.account || a.role !== b.role) return 'none';
  if (a.session !== undefined && b.session !== undefined) return a.session === b.session ? 'session' : 'none';
  return 'role';
}
