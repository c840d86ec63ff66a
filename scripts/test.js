#!/usr/bin/env node
/**
 * `npm test`: the type check and jest side by side (the type check needs one core for ~10 s and
 * jest's suites mostly wait on terraform), failing when either fails. Arguments go to jest.
 * The type check is incremental, with its build info kept under node_modules/.cache.
 */
const { spawn } = require('child_process');
const path = require('path');

const bin = (name) => path.join(__dirname, '..', 'node_modules', '.bin', name);
const run = (command, args) => new Promise((resolve) => {
  const child = spawn(command, args, { stdio: 'inherit' });
  child.on('error', (err) => {
    console.error(`${path.basename(command)} could not start: ${err.message}`);
    resolve(1);
  });
  child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
});

(async () => {
  const [tsc, jest] = await Promise.all([
    run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', 'node_modules/.cache/tsc-test.tsbuildinfo']),
    run(bin('jest'), process.argv.slice(2)),
  ]);
  if (tsc !== 0) console.error('npm test: the type check failed (tsc -p tsconfig.json --noEmit).');
  process.exit(tsc !== 0 ? tsc : jest);
})();
