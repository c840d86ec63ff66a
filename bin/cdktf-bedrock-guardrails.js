#!/usr/bin/env node
'use strict';
/**
 * The package's command (`npx cdktf-bedrock-guardrails verify`). Its code is one bundle written
 * by the build (lib/src/verify/cli-bundle/index.js), so starting it reads one file and the AWS SDK
 * clients need not be installed beside the package.
 */
const fs = require('node:fs');
const path = require('node:path');

const bundle = path.join(__dirname, '..', 'lib', 'src', 'verify', 'cli-bundle', 'index.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write(`cdktf-bedrock-guardrails: ${bundle} is missing, so this copy of the package was not built. In a source checkout, run npm run build.\n`);
  process.exit(2);
}
require(bundle)
  .main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr })
  .then((code) => {
    process.exitCode = code;
  });
