/**
 * The order Terraform creates and destroys things in, read from the dependency graph every example
 * and the default app synthesize. Enforcement must never reach an account before the guardrail's
 * resource policy lets that account apply the guardrail (else its Bedrock calls fail with
 * AccessDenied), and must be gone before the guardrail is deleted (DeleteGuardrail is refused while
 * an enforcement uses it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ALL_APPS as APPS } from '../apps';
import { all, synthApp, SynthesizedApp } from '../app-helpers';

const synthesized = new Map<string, SynthesizedApp>();
function app(name: string): SynthesizedApp {
  let s = synthesized.get(name);
  if (!s) {
    s = synthApp(APPS[name]);
    synthesized.set(name, s);
  }
  return s;
}
afterAll(() => {
  for (const s of synthesized.values()) fs.rmSync(path.dirname(s.outdir), { recursive: true, force: true });
});

/** `${aws_bedrock_guardrail.<name>.` references in a string: the guardrails it names. */
function guardrailsNamedIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{aws_bedrock_guardrail\.([\w-]+)\./g)].map((m) => m[1]))].sort();
}

interface Grant {
  readonly address: string;
  /** Construct path of the resource policy the invocation belongs to. */
  readonly policyPath: string;
  readonly resourceArn: string;
}

/** Every resource-policy invocation in a stack. */
function grants(json: any): Grant[] {
  return Object.entries<any>(json.resource?.aws_lambda_invocation ?? {})
    .map(([name, r]) => ({ name, input: JSON.parse(r.input) }))
    .filter(({ input }) => input.kind === 'GuardrailResourcePolicy')
    .map(({ name, input }) => ({
      address: `aws_lambda_invocation.${name}`,
      policyPath: input.name.slice(0, input.name.lastIndexOf('/')),
      resourceArn: input.properties.resourceArn,
    }));
}

/**
 * The invocations that put the resource policies of `guardrail` (its own and its profiles'): those
 * of the resource policy whose guardrail invocation names it.
 */
function grantsOf(json: any, guardrail: string): string[] {
  const list = grants(json);
  const policies = new Set(list.filter((g) => guardrailsNamedIn(g.resourceArn).includes(guardrail)).map((g) => g.policyPath));
  return list.filter((g) => policies.has(g.policyPath)).map((g) => g.address).sort();
}

const names = Object.keys(APPS);

describe.each(names)('%s', (name) => {
  test('every organization policy and attachment waits for every resource policy that grants its guardrails', () => {
    const s = app(name);
    let checked = 0;
    for (const json of Object.values(s.stacks)) {
      for (const [policyName, policy] of Object.entries<any>(json.resource?.aws_organizations_policy ?? {})) {
        const needed = guardrailsNamedIn(policy.content).flatMap((g) => grantsOf(json, g));
        expect(needed.length).toBeGreaterThan(0);
        expect(policy.depends_on).toEqual(expect.arrayContaining(needed));
        const attachments = all(json, 'aws_organizations_policy_attachment').filter((a) => a.policy_id === `\${aws_organizations_policy.${policyName}.id}`);
        for (const a of attachments) {
          expect(a.depends_on).toEqual(expect.arrayContaining(needed));
          checked++;
        }
      }
    }
    // Apps without organization enforcement have nothing to order; the rest must have been checked.
    const attachments = Object.values(s.stacks).flatMap((json) => all(json, 'aws_organizations_policy_attachment'));
    expect(checked).toBe(attachments.length);
  });

  test('every account-level enforcement waits for the resource policy of its guardrail in the same stack, and names the guardrail', () => {
    for (const json of Object.values(app(name).stacks)) {
      for (const r of all(json, 'aws_lambda_invocation')) {
        const input = JSON.parse(r.input);
        if (input.kind !== 'EnforcedGuardrailConfiguration') continue;
        const guardrail = guardrailsNamedIn(input.properties.guardrailIdentifier);
        // A guardrail of this stack is referenced, so Terraform destroys the enforcement before it;
        // one of another workspace is named by literal ARN and ordered by the stacks.
        if (guardrail.length === 0) {
          expect(input.properties.guardrailIdentifier).toMatch(/^arn:aws:bedrock:/);
          continue;
        }
        const needed = grantsOf(json, guardrail[0]);
        expect(needed.length).toBeGreaterThan(0);
        expect(r.depends_on).toEqual(expect.arrayContaining(needed));
      }
    }
  });

  test('the stack asks for the Terraform version its language features need', () => {
    for (const json of Object.values(app(name).stacks)) {
      const usesImport = Array.isArray(json.import) && json.import.length > 0;
      const usesTerraformData = Object.keys(json.resource?.terraform_data ?? {}).length > 0;
      const expected = usesImport ? '>= 1.5.0' : usesTerraformData ? '>= 1.4.0' : undefined;
      expect(json.terraform.required_version).toBe(expected);
    }
  });
});
