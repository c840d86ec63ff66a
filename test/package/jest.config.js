/**
 * Jest configuration of the package tests (`npm run test:package`, and the cdktn consumer test that
 * `npm run test:cdktn` runs): they pack the repository, install the tarball into fresh projects
 * and run what a user would, so they take minutes and stay out of `npm test` (they are
 * `.spec.ts` files, which its `*.test.ts` pattern leaves out).
 */
const path = require('path');
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: path.join(__dirname, '..', '..'),
  roots: ['<rootDir>/test/package'],
  testMatch: ['**/*.spec.ts'],
  // Packing and installing run one after the other; one worker keeps the two cores for them.
  maxWorkers: 1,
  testTimeout: 600000,
};
