/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The deploy tier runs on its own: npm run test:deploy (jest.deploy.config.js). Its checks
  // of recorded calls and state dumps (test/deploy/checks.test.ts) need neither terraform nor the
  // emulator, so they run here as well.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/deploy/(?!checks\\.test\\.ts$)'],
  transform: {
    // Type checking is done once by `tsc --noEmit` in `npm test`; per-file transpilation keeps jest fast.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  // One worker per core. Jest's default leaves one core for itself, which on two cores means one
  // worker, every suite in turn, and the Terraform tier's suites waiting on terraform alone.
  maxWorkers: '100%',
  testTimeout: 120000,
};
