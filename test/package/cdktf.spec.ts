/**
 * The cdktf package as a user gets it (`npm run test:package`): `npm pack` of the repository, what
 * the tarball holds, and a fresh project that installs it with the README's line and nothing else
 * (plus TypeScript), compiles every TypeScript block of the README, runs the first example and the
 * business-unit program, and puts what they synthesize through the Terraform tier.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as TypeScript from 'typescript';
import { checkWithTerraform, describeTerraform, TerraformCheckResult } from '../terraform/harness';
import { Consumer, TarballFiles, completeFragment, createConsumer, packCdktf, packageExports, tarballFiles } from './consumer';
import { blockUnder, installLine, packageName, typescriptBlocks } from './readme';

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE = packageName('cdktf');
const HANDLER_BUNDLE = 'lib/src/shim/handler-bundle/index.js';
const FIRST_EXAMPLE = 'A first example';
const BUSINESS_UNIT = 'Reusing it in a business unit';

let work: string;
let tarball: string;
let files: TarballFiles;
let consumer: Consumer;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'package-cdktf-'));
  tarball = packCdktf(work);
  files = tarballFiles(tarball);
  consumer = createConsumer(installLine('cdktf'), PACKAGE, tarball);
}, 600_000);

afterAll(() => {
  consumer?.remove();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** The README's cdktf TypeScript blocks, each as the file it is compiled as. */
const blocks = typescriptBlocks().filter((b) => b.flavor === 'cdktf').map((b) => ({ ...b, file: `readme-line-${b.line}` }));
const fileOf = (heading: string) => blocks.find((b) => b.line === blockUnder(heading).line)!.file;

let diagnostics: string[] | undefined;
/** Compiles every block once (fragments completed, see completeFragment) with the consumer's tsc. */
function compiled(): string[] {
  if (!diagnostics) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const typescript = require(path.join(consumer.dir, 'node_modules', 'typescript')) as typeof TypeScript;
    const exported = packageExports(typescript, consumer.dir, PACKAGE);
    diagnostics = consumer.compile({
      ...Object.fromEntries(blocks.map((b) => [`${b.file}.ts`, completeFragment(typescript, b.code, PACKAGE, exported)])),
      'exports.ts': [
        `import { AccountEnforcementStack, GuardrailsApp, ManagementAccountStack, MemberAccountStack, splitAccountEnforcement } from '${PACKAGE}';`,
        // The project has no Node types (the README does not install them).
        'declare const console: { log(text: string): void };',
        'console.log(JSON.stringify([AccountEnforcementStack, GuardrailsApp, ManagementAccountStack, MemberAccountStack, splitAccountEnforcement].map((x) => typeof x)));',
        '',
      ].join('\n'),
    });
  }
  return diagnostics;
}

const runs = new Map<string, { stdout: string; outdir: string }>();
/** Runs a compiled block once; its output directory is `<its own directory>/cdktf.out`. */
function ran(file: string): { stdout: string; outdir: string } {
  let r = runs.get(file);
  if (!r) {
    expect(compiled()).toEqual([]);
    const { result, cwd } = consumer.runCompiled(file);
    r = { stdout: result.stdout, outdir: path.join(cwd, 'cdktf.out') };
    runs.set(file, r);
  }
  return r;
}

function stackJson(outdir: string, stack: string): any {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
}

/** The handler archive a stack's shim Lambda deploys, as a path inside the stack directory. */
function shimArchive(json: any): string {
  const functions = Object.values<any>(json.resource.aws_lambda_function ?? {});
  expect(functions).toHaveLength(1);
  return functions[0].filename;
}

describe('the cdktf tarball', () => {
  test('holds the compiled library, its declarations, the handler bundle, package.json and the README, nothing else', () => {
    const names = [...files.keys()];
    expect(names.filter((f) => !/^(README\.md|package\.json|lib\/src\/.+\.(js|d\.ts))$/.test(f))).toEqual([]);
    // No sources, tests, snapshots or repository folders: only what lib/src compiles to.
    expect(names.filter((f) => /^(src|test|examples|stacks|bench|scripts|flavors)\/|(^|\/)__snapshots__\/|\.(test|spec)\.|(?<!\.d)\.ts$/.test(f))).toEqual([]);
    expect(names).toContain(HANDLER_BUNDLE);
    expect(files.get(HANDLER_BUNDLE)!.length).toBeGreaterThan(100_000);
    expect(files.get(HANDLER_BUNDLE)!.toString('utf8')).toMatch(/\bhandler\b/);
  });

  test('has the compiled module and declarations of every source module', () => {
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory() && entry.name !== 'handler-bundle') walk(full);
        else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) sources.push(path.relative(ROOT, full).split(path.sep).join('/'));
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(sources.length).toBeGreaterThan(40);
    const missing = sources.flatMap((s) => [`lib/${s.replace(/\.ts$/, '.js')}`, `lib/${s.replace(/\.ts$/, '.d.ts')}`]).filter((f) => !files.has(f));
    expect(missing).toEqual([]);
  });

  test('package.json: main and types in the tarball, the peer dependencies the README names, no dependencies', () => {
    const pkg = JSON.parse(files.get('package.json')!.toString('utf8'));
    expect(pkg.name).toBe(PACKAGE);
    expect(files.has(pkg.main)).toBe(true);
    expect(files.has(pkg.types)).toBe(true);
    expect(pkg.dependencies).toBeUndefined();
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['@cdktf/provider-aws', 'cdktf', 'constructs']);
    const readme = files.get('README.md')!.toString('utf8');
    const line = installLine('cdktf');
    for (const [name, range] of Object.entries<string>(pkg.peerDependencies)) {
      expect(readme).toContain(`\`${range}\``);
      // The README's install line pins a version the range admits (same major and minor here).
      const pinned = line.find((s) => s.startsWith(`${name}@`))!.slice(name.length + 1);
      expect([name, range.replace(/^\^/, '').split('.').slice(0, 2).join('.')]).toEqual([name, pinned.split('.').slice(0, 2).join('.')]);
    }
  });
});

describe('a project that installs the tarball with the README\'s install line', () => {
  test('installs nothing but the README\'s packages and TypeScript', () => {
    const installed = fs.readdirSync(path.join(consumer.dir, 'node_modules')).filter((n) => !n.startsWith('.')).sort();
    expect(installed).toEqual(['@cdktf', 'cdktf', PACKAGE, 'constructs', 'typescript'].sort());
  });

  test('compiles every cdktf TypeScript block of the README, strictly, against the installed declarations', () => {
    expect(blocks.map((b) => b.heading)).toEqual(expect.arrayContaining([FIRST_EXAMPLE, BUSINESS_UNIT]));
    expect(compiled()).toEqual([]);
  });

  test('gets the stacks and the app from the package', () => {
    expect(compiled()).toEqual([]);
    expect(JSON.parse(consumer.runCompiled('exports').result.stdout)).toEqual(['function', 'function', 'function', 'function', 'function']);
  });

  test('the first example synthesizes its stack with the shim archive, and the preview beside it', () => {
    const { stdout, outdir } = ran(fileOf(FIRST_EXAMPLE));
    expect(fs.readdirSync(path.join(outdir, 'stacks'))).toEqual(['management']);
    const stackDir = path.join(outdir, 'stacks', 'management');
    const json = stackJson(outdir, 'management');
    expect(Object.keys(json.resource).sort()).toEqual(expect.arrayContaining([
      'aws_bedrock_guardrail', 'aws_bedrock_guardrail_version', 'aws_lambda_function', 'aws_lambda_invocation', 'aws_organizations_policy',
      'aws_organizations_policy_attachment',
    ]));
    expect(json.terraform.required_providers.aws).toEqual({ source: 'aws', version: '>= 6.25.0, < 7.0.0' });
    const archive = path.join(stackDir, shimArchive(json));
    expect(fs.existsSync(archive)).toBe(true);
    expect(fs.statSync(archive).size).toBeGreaterThan(50_000);
    expect(fs.readFileSync(path.join(stackDir, 'enforcement-preview.md'), 'utf8')).toMatch(/^\| Account \| Region \|/);
    const preview = JSON.parse(fs.readFileSync(path.join(stackDir, 'enforcement-preview.json'), 'utf8'));
    expect(preview.accounts.map((a: any) => a.account)).toEqual(['222222222222']);
    expect(stdout).toBe('');
  });

  test('the business-unit program synthesizes its member stack from MemberAccountStack', () => {
    const { outdir } = ran(fileOf(BUSINESS_UNIT));
    expect(fs.readdirSync(path.join(outdir, 'stacks'))).toEqual(['retail-banking']);
    const json = stackJson(outdir, 'retail-banking');
    expect(Object.values<any>(json.resource.aws_bedrock_guardrail).map((g) => g.name)).toEqual(['retail-banking-strict']);
    expect(json.provider.aws).toEqual([expect.objectContaining({ region: 'us-east-1', allowed_account_ids: ['555555555555'] })]);
    const inputs = Object.values<any>(json.resource.aws_lambda_invocation).map((i) => JSON.parse(i.input));
    const enforced = inputs.find((i) => i.kind === 'EnforcedGuardrailConfiguration');
    expect(enforced.target).toMatchObject({ accountId: '555555555555', region: 'us-east-1', roleArn: null });
    expect(enforced.properties.selectiveContentGuarding.system).toBe('COMPREHENSIVE');
    expect(fs.existsSync(path.join(outdir, 'stacks', 'retail-banking', shimArchive(json)))).toBe(true);
    expect(json.output).toEqual(expect.objectContaining({ guardrail_arn: expect.anything(), guardrail_version: expect.anything() }));
  });
});

describeTerraform('what the README\'s programs synthesize from the package, under terraform', () => {
  const programs = [[FIRST_EXAMPLE, 'management'], [BUSINESS_UNIT, 'retail-banking']] as const;
  const checks = new Map<string, Promise<TerraformCheckResult>>();
  beforeAll(() => {
    // Both checks at once: the harness runs two terraform commands at a time.
    for (const [heading, stack] of programs) {
      const check = (async () => checkWithTerraform(path.join(ran(fileOf(heading)).outdir, 'stacks', stack), { validate: true }))();
      check.catch(() => undefined);
      checks.set(heading, check);
    }
  });

  test.each(programs)('%s: stack %s validates and plans offline', async (heading, stack) => {
    const result = await checks.get(heading)!;
    const synthesized = Object.values<Record<string, unknown>>(stackJson(ran(fileOf(heading)).outdir, stack).resource).reduce((n, r) => n + Object.keys(r).length, 0);
    expect(result.resourceChanges.length).toBe(synthesized);
    expect(result.resourceChanges.every((c) => c.action === 'create')).toBe(true);
  }, 600_000);
});
