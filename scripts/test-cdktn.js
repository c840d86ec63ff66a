#!/usr/bin/env node
/**
 * `npm run test:cdktn`: the library's tests against CDK Terrain (cdktn) instead of cdktf.
 *
 * 1. Installs the cdktn flavor's packages (`npm ci --prefix flavors/cdktn`, skipped when current).
 * 2. Writes a copy of the repository to `flavors/cdktn/build/repo`: `src/` as the cdktn package is
 *    built from it (only the seam switched, see scripts/flavor.js), and `stacks/`, `examples/`,
 *    `bench/` and `test/` with their cdktf imports switched to cdktn.
 * 3. Type-checks the copy with tsc against the cdktn install: every provider class the seam
 *    imports must exist at its deep path in `@cdktn/provider-aws` with a compatible config.
 * 4. Runs jest there (config: test/flavor/jest.cdktn.config.js) on the tests in {@link SUITE}:
 *    the default app, every example (each stack through the Terraform tier), the constructs'
 *    tests, and the flavor's own (test/flavor: the same output as cdktf's, the emitted provider
 *    constraint). A jest module mapping makes any import of cdktf in that run fail at once. The
 *    tests in {@link CDKTF_ONLY}, which assert what only cdktf writes, are left out, then run alone
 *    and required to fail still.
 * 5. Runs the consumer test of the cdktn package (test/package/cdktn.spec.ts): pack, install with
 *    the README's cdktn line in a fresh project, compile and synthesize the README's example.
 *
 * The Terraform tier follows the same rule as in `npm test`: skipped with a message where
 * terraform or the provider mirror is missing, a failure under `CI=true`.
 */
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { CDKTN, FlavorError, ROOT, ensureInstall, flavorBin, writeFlavorSource, writeSwitchedTree } = require('./flavor');

/**
 * The test files of the cdktn run, relative to test/. Left out, each for a reason: the shim
 * handler's tier (the handler holds no cdktf code, and its bundle is byte for byte the same in
 * both flavors: test/package/cdktn.spec.ts), the bench (speed, not behaviour), and the
 * architecture test (it reads the cdktf source; test/flavor/seam.test.ts checks the cdktn seam and
 * test/package/cdktn.spec.ts that it is the only module that differs).
 */
const SUITE = [
  'access/', 'app.test.ts', 'enforcement/', 'examples/', 'flavor/', 'guardrail/', 'model/', 'stacks/', 'terraform/', 'validation/',
  'shim/shim-host.test.ts',
];

const SNAPSHOT = 'a snapshot of cdktf\'s JSON, whose required_providers.aws says `source = "aws"` and 6.25.0; '
  + 'test/flavor/same-output.spec.ts proves that cdktn writes the same JSON apart from that requirement';

/**
 * Tests of the suite that assert what only the cdktf flavor does, with the reason. The main run
 * leaves them out; a second run then requires each of them to fail under cdktn still, so one
 * made flavor-neutral (or renamed) must leave this list: it cannot hide a test for long.
 */
const CDKTF_ONLY = [
  { file: 'access/resource-policy.test.ts', name: 'GuardrailResourcePolicy grantApply to the organization: one CRUD invocation with the organization pattern (snapshot)', why: SNAPSHOT },
  { file: 'enforcement/account-enforcement.test.ts', name: 'AccountEnforcement in the stack\'s own account: one CRUD invocation, no role assumed (snapshot)', why: SNAPSHOT },
  { file: 'enforcement/organization-enforcement.test.ts', name: 'OrganizationEnforcement a BEDROCK_POLICY attached to one OU, after enabling the policy type (snapshot)', why: SNAPSHOT },
  { file: 'guardrail/guardrail.test.ts', name: 'Guardrail a full configuration synthesizes every policy (snapshot)', why: SNAPSHOT },
  { file: 'guardrail/guardrail-version.test.ts', name: 'GuardrailVersion snapshot of a guardrail with a version', why: SNAPSHOT },
];

/** Trees of the repository the copy holds, besides src/ (which gets only the seam switched). */
const TREES = ['stacks', 'examples', 'bench', 'test'];

function main() {
  const started = Date.now();
  const phase = (name, fn) => {
    const t = Date.now();
    const result = fn();
    console.error(`test:cdktn: ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    return result;
  };

  phase('install', () => ensureInstall());
  const repo = path.join(CDKTN.buildDir, 'repo');
  phase('copy with cdktn imports', () => writeCopy(repo));
  phase('tsc --noEmit against cdktn', () => run(flavorBin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], repo));
  const config = ['--config', path.join('test', 'flavor', 'jest.cdktn.config.js'), '--ci'];
  const names = (tests) => tests.map((t) => escapeRegExp(t.name)).join('|');
  phase('jest', () => run(flavorBin('jest'), [...config, '-t', `^(?!(?:${names(CDKTF_ONLY)})$)`, ...SUITE.map((s) => `test/${s}`)], repo));
  phase('the cdktf-only tests still fail under cdktn', () => checkCdktfOnly(repo, config, names));
  const rootJest = path.join(ROOT, 'node_modules', '.bin', 'jest');
  phase('consumer of the cdktn package', () => run(rootJest, ['--config', path.join('test', 'package', 'jest.config.js'), '--ci', 'test/package/cdktn.spec.ts'], ROOT));
  console.error(`test:cdktn: passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Runs the tests of {@link CDKTF_ONLY} alone and requires each to exist and to fail. */
function checkCdktfOnly(repo, config, names) {
  const report = path.join(CDKTN.buildDir, 'cdktf-only.json');
  const files = [...new Set(CDKTF_ONLY.map((t) => `test/${t.file}`))];
  spawnSync(flavorBin('jest'), [...config, '--json', '--outputFile', report, '-t', `^(?:${names(CDKTF_ONLY)})$`, ...files], {
    cwd: repo, stdio: 'ignore', env: runEnv(),
  });
  if (!fs.existsSync(report)) throw new FlavorError(`jest wrote no report of the cdktf-only tests (${report}).`);
  const results = JSON.parse(fs.readFileSync(report, 'utf8')).testResults.flatMap((f) => f.assertionResults.map((a) => ({ ...a, file: path.relative(path.join(repo, 'test'), f.name) })));
  const problems = [];
  for (const known of CDKTF_ONLY) {
    const found = results.find((r) => r.fullName === known.name && r.file === known.file);
    if (!found) problems.push(`"${known.name}" is not in test/${known.file} any more: remove it from CDKTF_ONLY in scripts/test-cdktn.js.`);
    else if (found.status !== 'failed') problems.push(`"${known.name}" (test/${known.file}) ${found.status} under cdktn: remove it from CDKTF_ONLY in scripts/test-cdktn.js, so the main run includes it.`);
  }
  if (problems.length) throw new FlavorError(problems.join('\n'));
  console.error(`test:cdktn: ${CDKTF_ONLY.length} tests assert what only cdktf writes and fail under cdktn, as listed:`);
  for (const t of CDKTF_ONLY) console.error(`  - test/${t.file}: ${t.name}\n      (${t.why})`);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The environment of the jest runs: the repository's path for test/flavor/same-output.spec.ts. */
function runEnv() {
  return { ...process.env, GUARDRAILS_CDKTF_REPO: ROOT };
}

/** Writes the cdktn copy of the repository into `repo` (replaced). */
function writeCopy(repo) {
  fs.rmSync(repo, { recursive: true, force: true });
  fs.mkdirSync(repo, { recursive: true });
  writeFlavorSource(path.join(ROOT, 'src'), path.join(repo, 'src'));
  for (const tree of TREES) writeSwitchedTree(path.join(ROOT, tree), path.join(repo, tree));
  fs.mkdirSync(path.join(repo, 'scripts'));
  for (const file of ['scripts/register.js', 'tsconfig.json', 'jest.config.js', 'cdktf.json', 'README.md']) fs.copyFileSync(path.join(ROOT, file), path.join(repo, file));
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: runEnv() });
  if (result.error) throw new FlavorError(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const line = `${path.basename(command)} ${args.join(' ')}`;
    throw new FlavorError(`\`${line.length > 160 ? `${line.slice(0, 160)}...` : line}\` failed in ${path.relative(ROOT, cwd) || '.'} (exit ${result.status}); its output is above.`);
  }
}

try {
  main();
} catch (e) {
  if (!(e instanceof FlavorError)) throw e;
  console.error(`test:cdktn: ${e.message}`);
  process.exit(1);
}
