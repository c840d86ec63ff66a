/**
 * The consumer tests both flavors share: a fresh project installs the flavor's tarball with the
 * README's install line (and TypeScript), compiles the README's TypeScript for that flavor, runs
 * the first example and the business-unit program, checks what they synthesize, and puts their
 * stacks through the Terraform tier.
 *
 * For cdktf the programs are the README's blocks as written. For cdktn they are the same blocks
 * with their imports changed exactly as the README's cdktn block says, compiled together with
 * that block.
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as TypeScript from 'typescript';
import { FLAVORS } from '../flavor/flavors';
import { checkStacksWithTerraform, describeTerraform, TerraformCheckResult } from '../terraform/harness';
import { Consumer, completeFragment, createConsumer, packageExports, readZipEntry } from './consumer';
import { Flavor, applyImportChanges, blockUnder, cdktnImportChanges, installLine, packageName, typescriptBlocks } from './readme';

/** README headings of the two programs the consumer runs. */
export const FIRST_EXAMPLE = 'A first example';
export const BUSINESS_UNIT = 'Reusing it in a business unit';
/** Where the package keeps the handler bundle the shim Lambda runs. */
export const HANDLER_BUNDLE = 'lib/src/shim/handler-bundle/index.js';

/** What each flavor's stacks ask of the AWS provider (test/flavor/flavors.ts). */
const PROVIDER: Record<Flavor, { readonly source: string; readonly aws: string }> = FLAVORS;

/** What a consumer's node_modules holds after the README's line and TypeScript: the packages and nothing else. */
const INSTALLED: Record<Flavor, readonly string[]> = {
  cdktf: ['@cdktf', 'cdktf', 'cdktf-bedrock-guardrails', 'constructs', 'typescript'],
  cdktn: ['@cdktn', 'cdktn', 'cdktn-bedrock-guardrails', 'constructs', 'typescript'],
};

/** The files the consumer compiles, and which of them are the two programs. */
function programs(flavor: Flavor): { files: Record<string, string>; first: string; businessUnit: string } {
  const blocks = typescriptBlocks().filter((b) => b.flavor === flavor);
  const files: Record<string, string> = Object.fromEntries(blocks.map((b) => [`readme-line-${b.line}`, b.code]));
  if (flavor === 'cdktf') {
    const name = (heading: string) => `readme-line-${blockUnder(heading).line}`;
    return { files, first: name(FIRST_EXAMPLE), businessUnit: name(BUSINESS_UNIT) };
  }
  const changes = cdktnImportChanges();
  files['first-example'] = applyImportChanges(blockUnder(FIRST_EXAMPLE).code, changes);
  files['business-unit'] = applyImportChanges(blockUnder(BUSINESS_UNIT).code, changes);
  return { files, first: 'first-example', businessUnit: 'business-unit' };
}

/**
 * Registers the consumer tests of `flavor`; `tarball` gives the packed package (made by the
 * calling spec's `beforeAll`), `bundle` the handler bundle it ships.
 */
export function describeConsumer(flavor: Flavor, tarball: () => string, bundle: () => Buffer): void {
  const pkg = packageName(flavor);
  const { files, first, businessUnit } = programs(flavor);
  let consumer: Consumer;
  let diagnostics: string[] | undefined;
  const runs = new Map<string, { stdout: string; outdir: string }>();

  /** Compiles every file once (README fragments completed, see completeFragment) with the consumer's tsc. */
  const compiled = (): string[] => {
    if (!diagnostics) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const typescript = require(path.join(consumer.dir, 'node_modules', 'typescript')) as typeof TypeScript;
      const exported = packageExports(typescript, consumer.dir, pkg);
      diagnostics = consumer.compile({
        ...Object.fromEntries(Object.entries(files).map(([name, code]) => [`${name}.ts`, completeFragment(typescript, code, pkg, exported)])),
        'exports.ts': [
          `import { AccountEnforcementStack, GuardrailsApp, ManagementAccountStack, MemberAccountStack, splitAccountEnforcement } from '${pkg}';`,
          // The project has no Node types (the README does not install them).
          'declare const console: { log(text: string): void };',
          'console.log(JSON.stringify([AccountEnforcementStack, GuardrailsApp, ManagementAccountStack, MemberAccountStack, splitAccountEnforcement].map((x) => typeof x)));',
          '',
        ].join('\n'),
      });
    }
    return diagnostics;
  };
  /** Runs a compiled program once; its output is `<its own directory>/cdktf.out`. */
  const ran = (name: string) => {
    let r = runs.get(name);
    if (!r) {
      const errors = compiled();
      if (errors.length) throw new Error(`the consumer project does not compile:\n${errors.join('\n')}`);
      const { result, cwd } = consumer.runCompiled(name);
      r = { stdout: result.stdout, outdir: path.join(cwd, 'cdktf.out') };
      runs.set(name, r);
    }
    return r;
  };
  const stackJson = (outdir: string, stack: string): any => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
  /** The handler archive of a stack's shim Lambda: it exists in the stack directory and deploys the bundle the package ships. */
  const expectShimArchive = (outdir: string, stack: string) => {
    const functions = Object.values<any>(stackJson(outdir, stack).resource.aws_lambda_function ?? {});
    expect(functions).toHaveLength(1);
    const archive = path.join(outdir, 'stacks', stack, functions[0].filename);
    expect(fs.existsSync(archive)).toBe(true);
    expect(readZipEntry(archive, 'index.js').equals(bundle())).toBe(true);
  };

  describe(`a project that installs ${pkg} with the README's install line`, () => {
    beforeAll(() => {
      consumer = createConsumer(installLine(flavor), pkg, tarball());
    }, 600_000);
    afterAll(() => consumer?.remove());

    test('installs nothing but the README\'s packages and TypeScript', () => {
      const installed = fs.readdirSync(path.join(consumer.dir, 'node_modules')).filter((n) => !n.startsWith('.')).sort();
      expect(installed).toEqual([...INSTALLED[flavor]].sort());
    });

    test(`compiles the README's ${flavor} TypeScript, strictly, against the installed declarations`, () => {
      if (flavor === 'cdktf') {
        expect(Object.keys(files)).toEqual(expect.arrayContaining([first, businessUnit]));
        expect(Object.keys(files).length).toBeGreaterThan(2);
      } else {
        // The README's import changes reach every cdktf import of the programs.
        const changes = cdktnImportChanges();
        expect([...changes.keys()].sort()).toEqual(['@cdktf/provider-aws/lib/provider', 'cdktf', 'cdktf-bedrock-guardrails']);
        for (const name of [first, businessUnit]) expect([name, files[name].match(/from\s+'[^']*cdktf[^']*'/g)]).toEqual([name, null]);
      }
      expect(compiled()).toEqual([]);
    });

    test('gets the stacks and the app from the package', () => {
      expect(compiled()).toEqual([]);
      expect(JSON.parse(consumer.runCompiled('exports').result.stdout)).toEqual(['function', 'function', 'function', 'function', 'function']);
    });

    test('the first example synthesizes its stack with the shim archive, and the preview beside it', () => {
      const { stdout, outdir } = ran(first);
      expect(stdout).toBe('');
      expect(fs.readdirSync(path.join(outdir, 'stacks'))).toEqual(['management']);
      const json = stackJson(outdir, 'management');
      expect(Object.keys(json.resource).sort()).toEqual(expect.arrayContaining([
        'aws_bedrock_guardrail', 'aws_bedrock_guardrail_version', 'aws_lambda_function', 'aws_lambda_invocation', 'aws_organizations_policy',
        'aws_organizations_policy_attachment',
      ]));
      expect(json.terraform.required_providers.aws).toEqual({ source: PROVIDER[flavor].source, version: `>= ${PROVIDER[flavor].aws}, < 7.0.0` });
      expectShimArchive(outdir, 'management');
      const stackDir = path.join(outdir, 'stacks', 'management');
      expect(fs.readFileSync(path.join(stackDir, 'enforcement-preview.md'), 'utf8')).toMatch(/^# Enforcement preview\n[\s\S]*```mermaid\n[\s\S]*\n\| Account \| Region \|/);
      const preview = JSON.parse(fs.readFileSync(path.join(stackDir, 'enforcement-preview.json'), 'utf8'));
      expect(preview.accounts.map((a: any) => a.account)).toEqual(['222222222222']);
    });

    test('the business-unit program synthesizes its member stack from MemberAccountStack', () => {
      const { outdir } = ran(businessUnit);
      expect(fs.readdirSync(path.join(outdir, 'stacks'))).toEqual(['retail-banking']);
      const json = stackJson(outdir, 'retail-banking');
      expect(json.terraform.required_providers.aws).toEqual({ source: PROVIDER[flavor].source, version: PROVIDER[flavor].aws });
      expect(Object.values<any>(json.resource.aws_bedrock_guardrail).map((g) => g.name)).toEqual(['retail-banking-strict']);
      expect(json.provider.aws).toEqual([expect.objectContaining({ region: 'us-east-1', allowed_account_ids: ['555555555555'] })]);
      const inputs = Object.values<any>(json.resource.aws_lambda_invocation).map((i) => JSON.parse(i.input));
      const enforced = inputs.find((i) => i.kind === 'EnforcedGuardrailConfiguration');
      expect(enforced.target).toMatchObject({ accountId: '555555555555', region: 'us-east-1', roleArn: null });
      expect(enforced.properties.selectiveContentGuarding.system).toBe('COMPREHENSIVE');
      expectShimArchive(outdir, 'retail-banking');
      expect(Object.keys(json.output)).toEqual(expect.arrayContaining(['guardrail_arn', 'guardrail_id', 'guardrail_version']));
    });

    describeTerraform(`what the README's programs synthesize from ${pkg}, under terraform`, () => {
      const stacks = [
        { label: 'the first example', program: first, stack: 'management' },
        { label: 'the business-unit program', program: businessUnit, stack: 'retail-banking' },
      ];
      const checks = new Map<string, Promise<TerraformCheckResult>>();
      beforeAll(() => {
        // Both with one set of terraform commands (plan runs validate's checks too).
        const results = checkStacksWithTerraform(stacks.map(({ program, stack }) => path.join(ran(program).outdir, 'stacks', stack)));
        stacks.forEach(({ program }, i) => {
          results[i].catch(() => undefined);
          checks.set(program, results[i]);
        });
      });

      test.each(stacks)('$label: stack $stack validates and plans offline', async ({ program, stack }) => {
        const result = await checks.get(program)!;
        const synthesized = Object.values<Record<string, unknown>>(stackJson(ran(program).outdir, stack).resource).reduce((n, r) => n + Object.keys(r).length, 0);
        expect(result.resourceChanges.length).toBe(synthesized);
        expect(result.resourceChanges.every((c) => c.action === 'create')).toBe(true);
      }, 600_000);
    });
  });
}
