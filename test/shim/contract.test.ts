/**
 * The shim contract, from both sides: every invocation input the library synthesizes, in the
 * default app and in every example, is read by the handler's own parser exactly as written, for
 * each action Terraform may send.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SHIM_KINDS } from '../../src/model/shim-contract';
import { parseEvent } from '../../src/shim/handler/event';
import { ALL_APPS } from '../apps';
import { shimInputs, synthApp } from '../app-helpers';

/** The region and account of a stack's provider (`aws` or `aws.<alias>`). */
function providerPlace(json: any, ref: string | undefined): { region: string; account: string } {
  const alias = ref?.split('.')[1];
  const providers: any[] = json.provider.aws;
  const p = providers.find((x) => (alias ? x.alias === alias : !x.alias));
  return { region: p.region, account: p.allowed_account_ids?.[0] ?? '111111111111' };
}

/**
 * Terraform interpolations resolved to values of the right shape, as they would be at apply: each
 * guardrail's ARN in its provider's region and account.
 */
function resolved(input: string, json: any): string {
  return input
    .replace(/\$\{aws_bedrock_guardrail\.([\w-]+)\.guardrail_arn\}/g, (_, name: string) => {
      const { region, account } = providerPlace(json, json.resource.aws_bedrock_guardrail[name].provider);
      return `arn:aws:bedrock:${region}:${account}:guardrail/${name.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
    })
    .replace(/\$\{aws_bedrock_guardrail_version\.[\w-]+\.version\}/g, '1')
    .replace(/\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/g, '111111111111');
}

const kinds = new Set<string>();

describe.each(Object.keys(ALL_APPS))('%s', (name) => {
  const app = synthApp(ALL_APPS[name]);
  afterAll(() => fs.rmSync(path.dirname(app.outdir), { recursive: true, force: true }));
  const inputs = Object.values(app.stacks).flatMap((json) => shimInputs(json).map((input) => ({ json, input })));
  for (const { input } of inputs) kinds.add(input.kind);

  test('every invocation input parses, for create, update and delete', () => {
    expect(inputs.length).toBeGreaterThan(0);
    for (const { json, input } of inputs) {
      const text = resolved(JSON.stringify(input), json);
      for (const action of ['create', 'update', 'delete'] as const) {
        const event = parseEvent(JSON.stringify({ ...JSON.parse(text), tf: { action, prev_input: action === 'create' ? null : JSON.parse(text) } }));
        expect(event.kind).toBe(input.kind);
        expect(event.name).toBe(input.name);
        expect(event.target).toEqual({ ...input.target, ...JSON.parse(text).target });
        expect(SHIM_KINDS).toContain(event.kind);
        // Nothing the constructs write is dropped or reshaped by the parser.
        expect(event.properties).toEqual(expect.objectContaining(JSON.parse(text).properties));
        if (action !== 'create') expect(event.prev?.kind).toBe(input.kind);
      }
    }
  });
});

test('the apps hold every kind of shim object between them', () => {
  expect([...kinds].sort()).toEqual([...SHIM_KINDS].sort());
});
