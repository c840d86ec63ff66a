/**
 * The emulator itself: its Python tests (policy evaluator, Bedrock fake, Organizations and Lambda
 * patches, effective policies, ApplyGuardrail, IAM checks and delay, call log), the error shapes
 * the handler's JavaScript SDK clients parse from it, so a denial in the deploy tier reaches the
 * handler as it would from AWS, and the shapes of the reads only verify makes.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { BedrockClient, PutResourcePolicyCommand } from '@aws-sdk/client-bedrock';
import { ApplyGuardrailCommand, BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import {
  AttachPolicyCommand, CreatePolicyCommand, DescribeEffectivePolicyCommand, EnablePolicyTypeCommand, ListAccountsWithInvalidEffectivePolicyCommand,
  ListRootsCommand, OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { deniedRequest, isPermissionDenied } from '../../src/shim/handler/retry';
import { DEFAULT_ORGANIZATION } from '../../stacks/default-app';
import { describeEmulator } from './deploy';
import { Emulator, pythonBinary } from './emulator';

const MANAGEMENT = DEFAULT_ORGANIZATION.managementAccountId;

// Python with moto is all these need: they run wherever the emulator can, terraform or not.
describeEmulator('deploy tier: the emulator', () => {
  test('its Python tests pass', () => {
    const dir = path.join(__dirname, 'emulator');
    const run = spawnSync(pythonBinary(), ['-m', 'unittest', 'discover', '-s', 'tests'], {
      cwd: dir, encoding: 'utf8', timeout: 180_000, env: { ...process.env, NODE_BINARY: process.execPath, PYTHONDONTWRITEBYTECODE: '1' },
    });
    if (run.status !== 0) throw new Error(`python -m unittest failed (status ${run.status}, ${run.error?.message ?? ''}):\n${run.stderr}\n${run.stdout}`);
    expect(run.stderr).toMatch(/^OK$/m);
  });

  describe('through the handler\'s SDK clients', () => {
    let emulator: Emulator;
    let credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
    let sessionArn = '';
    const roleName = 'sdk-shapes';

    beforeAll(async () => {
      emulator = await Emulator.start(DEFAULT_ORGANIZATION, { name: 'sdk-shapes' });
      // An execution role that may do nothing, created with a query-protocol call like the provider's.
      const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
      const res = await fetch(emulator.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIADEPLOYTIER000001/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: new URLSearchParams({ Action: 'CreateRole', Version: '2010-05-08', RoleName: roleName, AssumeRolePolicyDocument: trust }).toString(),
        signal: AbortSignal.timeout(30_000),
      });
      expect(res.status).toBe(200);
      const minted = await emulator.control<{ accessKeyId: string; secretAccessKey: string; sessionToken: string; arn: string }>(
        'POST', '/_emulator/sessions', { roleArn: `arn:aws:iam::${MANAGEMENT}:role/${roleName}`, sessionName: roleName });
      credentials = { accessKeyId: minted.accessKeyId, secretAccessKey: minted.secretAccessKey, sessionToken: minted.sessionToken };
      sessionArn = minted.arn;
    });

    afterAll(async () => {
      await emulator?.stop();
    });

    const config = () => ({ region: 'us-east-1', endpoint: emulator.url, credentials, maxAttempts: 1 });

    test('GetCallerIdentity names the execution session and needs no permission', async () => {
      const out = await new STSClient(config()).send(new GetCallerIdentityCommand({}));
      expect(out.Arn).toBe(`arn:aws:sts::${MANAGEMENT}:assumed-role/${roleName}/${roleName}`);
      expect(out.Arn).toBe(sessionArn);
    });

    test.each([
      ['Bedrock', 'AccessDeniedException', 403, 'bedrock:PutResourcePolicy', `arn:aws:bedrock:us-east-1:${MANAGEMENT}:guardrail/abc123`,
        () => new BedrockClient(config()).send(new PutResourcePolicyCommand({
          resourceArn: `arn:aws:bedrock:us-east-1:${MANAGEMENT}:guardrail/abc123`, resourcePolicy: '{}',
        }))],
      ['Organizations', 'AccessDeniedException', 400, 'organizations:ListRoots', '*', () => new OrganizationsClient(config()).send(new ListRootsCommand({}))],
      ['STS', 'AccessDenied', 403, 'sts:AssumeRole', 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole',
        () => new STSClient(config()).send(new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole', RoleSessionName: 'cdktf-bedrock-guardrails',
        }))],
    ] as const)('%s: a denied call is %s (HTTP %s), and the handler reads what was denied from it', async (_service, code, status, action, resource, call) => {
      const err = await call().then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ name: code, $metadata: { httpStatusCode: status } });
      expect(isPermissionDenied(err)).toBe(true);
      expect(deniedRequest(err)).toEqual({ principal: sessionArn, action, resource });
    });

    test('verify\'s reads parse as the SDK expects: an effective policy (its timestamp a Date), the invalid-account listing, a missing guardrail on ApplyGuardrail', async () => {
      const operator = await emulator.operatorSession('sdk-shapes');
      const asOperator = { region: 'us-east-1', endpoint: emulator.url, credentials: operator, maxAttempts: 1 };
      const org = new OrganizationsClient(asOperator);
      // HTTP/1.1, as verify's clients: the runtime client's default handler speaks HTTP/2, which the emulator does not.
      const runtime = new BedrockRuntimeClient({ ...asOperator, requestHandler: new NodeHttpHandler() });
      try {
        const notEnabled = await org.send(new ListAccountsWithInvalidEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY' })).then(() => undefined, (e: unknown) => e);
        expect(notEnabled).toMatchObject({ name: 'EffectivePolicyNotFoundException' });
        await org.send(new EnablePolicyTypeCommand({ RootId: DEFAULT_ORGANIZATION.rootId, PolicyType: 'BEDROCK_POLICY' }));
        const content = JSON.stringify({ bedrock: { guardrail_inference: { 'us-east-1': { baseline: { identifier: { '@@assign': `arn:aws:bedrock:us-east-1:${MANAGEMENT}:guardrail/abc123:1` } } } } } });
        const policy = await org.send(new CreatePolicyCommand({ Name: 'sdk-shapes', Description: 'd', Type: 'BEDROCK_POLICY', Content: content }));
        await org.send(new AttachPolicyCommand({ PolicyId: policy.Policy!.PolicySummary!.Id!, TargetId: 'ou-ex12-pilot001' }));
        const effective = (await org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: '222222222222' }))).EffectivePolicy!;
        expect(JSON.parse(effective.PolicyContent!)).toEqual({ bedrock: { guardrail_inference: { 'us-east-1': { baseline: { identifier: `arn:aws:bedrock:us-east-1:${MANAGEMENT}:guardrail/abc123:1` } } } } });
        expect(effective.LastUpdatedTimestamp).toBeInstanceOf(Date);
        expect((await org.send(new ListAccountsWithInvalidEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY' }))).Accounts).toEqual([]);
        const missing = await runtime.send(new ApplyGuardrailCommand({
          guardrailIdentifier: `arn:aws:bedrock:us-east-1:${MANAGEMENT}:guardrail/abc123`, guardrailVersion: '1', source: 'INPUT', content: [{ text: { text: 'hello' } }],
        })).then(() => undefined, (e: unknown) => e);
        expect(missing).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
      } finally {
        org.destroy();
        runtime.destroy();
      }
    });

    test('every denial is in the call log with the action, resource and reason', async () => {
      const denied = (await emulator.calls()).filter((c) => c.authorization && !c.authorization.allowed);
      expect(denied.map((c) => c.authorization!.action).sort()).toEqual(['bedrock:PutResourcePolicy', 'organizations:ListRoots', 'sts:AssumeRole']);
      for (const c of denied) expect(c.authorization!.reason).toMatch(/no identity-based policy allows the \S+ action/);
    });
  });
});
