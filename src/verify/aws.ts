/**
 * AWS access for `verify`: the caller's own credentials (the management account), member roles
 * assumed with a session policy that allows only reads or only `bedrock:ApplyGuardrail`, SDK
 * clients built per region and credentials, and the retry wrapper every call goes through.
 *
 * Endpoints are not configured here: the SDK reads `AWS_ENDPOINT_URL` (and per-service variants)
 * itself, which is how the tests point the real clients at a local fake.
 */
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { APPLY_GUARDRAIL, SESSION_DURATION_SECONDS, allowSessionPolicy } from '../model/shim-contract';
import { memoize } from './concurrency';
import { CallRecord, RetryContext, RetrySettings, withRetry } from '../shim/handler/retry';

/** The session name verify's assumed-role sessions carry, so CloudTrail tells them from the shim's. */
export const VERIFY_SESSION_NAME = 'cdktf-bedrock-guardrails-verify';

/** What a member-role session may do. */
export type SessionPurpose = 'read' | 'probe';

/**
 * The IAM actions each kind of member session may call. The session's permissions are the
 * intersection of this and the member role's own policies, so a broad role such as
 * `OrganizationAccountAccessRole` is narrowed to reads, or to applying a guardrail.
 */
export const SESSION_ACTIONS: Readonly<Record<SessionPurpose, readonly string[]>> = {
  read: ['bedrock:GetGuardrail', 'bedrock:GetResourcePolicy', 'bedrock:ListEnforcedGuardrailsConfiguration', 'bedrock:ListGuardrails'],
  probe: [APPLY_GUARDRAIL],
};

/** The session policy passed to `sts:AssumeRole` for a member session of `purpose`. */
export function verifySessionPolicy(purpose: SessionPurpose): string {
  return allowSessionPolicy(`CdktfBedrockGuardrailsVerify${purpose === 'read' ? 'Read' : 'Probe'}`, SESSION_ACTIONS[purpose]);
}

/** The caller, as STS sees it. */
export interface CallerIdentity {
  /** The caller's account. */
  readonly account: string;
  /** The caller's ARN. */
  readonly arn: string;
  /** The partition, e.g. `aws`. */
  readonly partition: string;
}

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Organizations is a global service whose endpoint lives in one region per partition. */
const ORGANIZATIONS_REGION: Record<string, string> = { 'aws': 'us-east-1', 'aws-us-gov': 'us-gov-west-1', 'aws-cn': 'cn-northwest-1' };

/** Options of {@link AwsAccess}. */
export interface AwsAccessOptions {
  /** Retry settings for every call. */
  readonly retry: RetrySettings;
  /** Region for STS calls. */
  readonly stsRegion: string;
}

type Destroyable = { destroy(): void };

/**
 * Credentials, clients and retries for one verify run. Member sessions are assumed once per role
 * and purpose and shared by every check; clients are made once per region and credentials.
 */
export class AwsAccess {
  /** Every call made, with its attempts, for the closing summary. */
  readonly calls: CallRecord[] = [];
  private readonly retry: RetryContext;
  private readonly clients = new Map<string, Destroyable>();

  constructor(private readonly options: AwsAccessOptions) {
    // AccessDenied is an answer for verify, not a transient failure: the shim's retry window for
    // IAM propagation (SHIM_PERMISSION_RETRY_SECONDS, 120 s by default) would otherwise make every
    // denied read or probe wait for it, about a hundred attempts each, before its problem row.
    this.retry = { settings: options.retry, calls: this.calls, permissionRetry: { windowMs: 0 } };
  }

  /** Run one AWS call through the retry wrapper (throttling and server faults retried with backoff). */
  call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(this.retry, operation, fn);
  }

  private config(region: string, credentials?: Credentials) {
    return {
      region,
      // withRetry is the only retry layer, so its behaviour is the one tested.
      maxAttempts: 1,
      // HTTP/1.1 for every client: the runtime client defaults to HTTP/2 for its bidirectional
      // streams, which ApplyGuardrail (one request, one response) does not use.
      requestHandler: new NodeHttpHandler({
        connectionTimeout: this.options.retry.connectTimeoutMs,
        requestTimeout: this.options.retry.requestTimeoutMs,
        throwOnRequestTimeout: true,
      }),
      ...(credentials ? { credentials } : {}),
    };
  }

  private client<T extends Destroyable>(key: string, make: () => T): T {
    let c = this.clients.get(key) as T | undefined;
    if (!c) {
      c = make();
      this.clients.set(key, c);
    }
    return c;
  }

  /** The caller's identity (`sts:GetCallerIdentity`, which needs no permission). */
  readonly identity = memoize(() => '', async (): Promise<CallerIdentity> => {
    const sts = this.client(`sts:${this.options.stsRegion}`, () => new STSClient(this.config(this.options.stsRegion)));
    const out = await this.call('GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
    if (!out.Account || !out.Arn) throw new Error('GetCallerIdentity returned no account or ARN');
    return { account: out.Account, arn: out.Arn, partition: out.Arn.split(':')[1] ?? 'aws' };
  });

  /** The Organizations client, with the caller's credentials. */
  async organizations(): Promise<OrganizationsClient> {
    const { partition } = await this.identity();
    const region = ORGANIZATIONS_REGION[partition] ?? 'us-east-1';
    return this.client(`organizations:${region}`, () => new OrganizationsClient(this.config(region)));
  }

  /**
   * Credentials of `roleArn` narrowed to `purpose`, assumed once and shared. A failure stays
   * cached too: every check that needs the role reports the same error, and the role is not asked
   * again for each of them.
   * @throws CallFailedError when the role cannot be assumed
   */
  private readonly assume = memoize((roleArn: string, purpose: SessionPurpose) => `${purpose}\0${roleArn}`, async (roleArn: string, purpose: SessionPurpose): Promise<Credentials> => {
    const sts = this.client(`sts:${this.options.stsRegion}`, () => new STSClient(this.config(this.options.stsRegion)));
    const out = await this.call(`AssumeRole (${roleArn})`, () => sts.send(new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: VERIFY_SESSION_NAME,
      Policy: verifySessionPolicy(purpose),
      DurationSeconds: SESSION_DURATION_SECONDS,
    })));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole (${roleArn}) returned no credentials`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  });

  /**
   * A Bedrock control-plane client in `region`: the caller's own credentials when `roleArn` is
   * undefined, else the role assumed with the read-only session policy.
   */
  async bedrock(region: string, roleArn?: string): Promise<BedrockClient> {
    const credentials = roleArn ? await this.assume(roleArn, 'read') : undefined;
    return this.client(`bedrock:${region}:${roleArn ?? ''}`, () => new BedrockClient(this.config(region, credentials)));
  }

  /**
   * A Bedrock runtime client in `region`: the caller's own credentials when `roleArn` is undefined,
   * else the role assumed with a session policy allowing only `bedrock:ApplyGuardrail`.
   */
  async runtime(region: string, roleArn?: string): Promise<BedrockRuntimeClient> {
    const credentials = roleArn ? await this.assume(roleArn, 'probe') : undefined;
    return this.client(`runtime:${region}:${roleArn ?? ''}`, () => new BedrockRuntimeClient(this.config(region, credentials)));
  }

  /** Close every client's sockets. */
  destroy(): void {
    for (const c of this.clients.values()) {
      try {
        c.destroy();
      } catch {
        // Closing is best effort.
      }
    }
    this.clients.clear();
  }
}
