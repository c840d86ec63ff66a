/**
 * Single account: one account guards its own Bedrock calls, with no AWS Organizations involved.
 * A guardrail, an immutable version of it, a resource policy that lets the account apply it, and
 * account-level enforcement of that version in the same account and region.
 */
import { App } from 'cdktf';
import { ContentGuarding, MemberAccountStack, ModelId } from '../../src';
import { baselineGuardrail } from '../shared/guardrails';
import { runExample } from '../shared/run';

/** The account that owns the guardrail and is guarded by it (replace with yours). */
export const ACCOUNT_ID = '123456789012';
/** Where the guardrail and the enforcement live. */
export const REGION = 'eu-west-1';

/** Builds the example: one stack, `guardrails`, deployed with the account's own credentials. */
export function build(app: App): MemberAccountStack {
  return new MemberAccountStack(app, 'guardrails', {
    accountId: ACCOUNT_ID,
    region: REGION,
    guardrail: {
      ...baselineGuardrail('app-guardrail'),
      description: 'Guardrail enforced on every Bedrock call in this account',
    },
    // Every prompt and response is evaluated, whatever guard-content tags the caller sets.
    systemPromptGuarding: ContentGuarding.COMPREHENSIVE,
    messageGuarding: ContentGuarding.COMPREHENSIVE,
    // Guardrails do not apply to embedding models: leave them out of enforcement.
    excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2, ModelId.COHERE_EMBED_ENGLISH_V3],
    defaultTags: { 'cost-center': 'ml-platform' },
  });
}

if (require.main === module) runExample(__dirname, build);
