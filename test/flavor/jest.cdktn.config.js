/**
 * Jest configuration of the cdktn run (`npm run test:cdktn`), used inside the copy of the
 * repository that scripts/test-cdktn.js writes to flavors/cdktn/build/repo: the repository's own
 * settings, plus a mapping that makes any import of cdktf or its provider bindings fail, so a
 * stray one cannot load the other flavor's classes from the repository's node_modules.
 */
const path = require('path');
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: path.join(__dirname, '..', '..'),
  // The repository's tests, and the cdktn run's own (a `.spec.ts`, which `npm test` leaves out).
  testMatch: ['**/*.test.ts', '<rootDir>/test/flavor/*.spec.ts'],
  moduleNameMapper: {
    '^(cdktf|@cdktf/provider-aws)(/.*)?$': '<rootDir>/test/flavor/not-this-flavor.js',
  },
};
