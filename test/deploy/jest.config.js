/**
 * Jest configuration of the deploy tier as `npm run test:deploy` runs it: jest.deploy.config.js,
 * plus a globalSetup (test/deploy/global-setup.ts) that probes terraform and the emulator's Python
 * once for the run instead of once per test file.
 */
const path = require('path');
const base = require('../../jest.deploy.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: path.join(__dirname, '..', '..'),
  globalSetup: '<rootDir>/test/deploy/global-setup.ts',
};
