/**
 * The hashicorp/aws version each flavor's stacks emit fits that flavor's provider bindings. Runs in
 * `npm test` (cdktf) and in `npm run test:cdktn`, where this file's cdktf imports are switched to
 * cdktn: each run asserts its own flavor's values.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { BEDROCK_POLICY_PROVIDER_CONSTRAINT, ContentGuarding, MemberAccountStack, baselineGuardrail } from '../../src';
import { buildDefaultApp } from '../../stacks/default-app';
import { synthApp } from '../app-helpers';
import { FLAVORS } from './flavors';


/** The flavor of this run: the name of the package that provides `App`. */
const framework = JSON.parse(fs.readFileSync(require.resolve('cdktf/package.json'), 'utf8')).name as string;
const flavor = FLAVORS[framework as keyof typeof FLAVORS];
const bindingsPackage = path.dirname(require.resolve('@cdktf/provider-aws/package.json'));

describe(`the provider constraint (${framework})`, () => {
  test('runs under a known flavor, with the bindings it was written for', () => {
    expect(Object.keys(FLAVORS)).toContain(framework);
    const installed = JSON.parse(fs.readFileSync(path.join(bindingsPackage, 'package.json'), 'utf8'));
    expect([installed.name, installed.version]).toEqual([flavor.bindings, flavor.bindingsVersion]);
  });

  test('the bindings\' README names the hashicorp/aws version the constraint starts from', () => {
    const readme = fs.readFileSync(path.join(bindingsPackage, 'README.md'), 'utf8');
    expect(readme).toMatch(new RegExp(`prebuilt bindings for hashicorp/aws provider version ${flavor.aws.replace(/\./g, '\\.')}\\b`));
  });

  test('BEDROCK_POLICY_PROVIDER_CONSTRAINT starts at the bindings\' version and stops before the next major', () => {
    expect(BEDROCK_POLICY_PROVIDER_CONSTRAINT).toBe(`>= ${flavor.aws}, < 7.0.0`);
  });

  test('a stack with organization enforcement emits the constraint; one without keeps the version the bindings pin', () => {
    const synthesized = synthApp((app: App) => {
      buildDefaultApp(app);
      new MemberAccountStack(app, 'unit', {
        accountId: '555555555555', region: 'us-east-1', guardrail: baselineGuardrail('unit-strict'), systemPromptGuarding: ContentGuarding.COMPREHENSIVE,
      });
    });
    try {
      expect(synthesized.stacks.management.terraform.required_providers.aws).toEqual({ source: flavor.source, version: BEDROCK_POLICY_PROVIDER_CONSTRAINT });
      expect(synthesized.stacks.unit.terraform.required_providers.aws).toEqual({ source: flavor.source, version: flavor.aws });
    } finally {
      fs.rmSync(path.dirname(synthesized.outdir), { recursive: true, force: true });
    }
  });
});
