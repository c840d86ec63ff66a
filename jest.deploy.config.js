/**
 * The deploy tier (test/deploy/): real terraform apply, re-plan, update and destroy against the
 * local emulator. `npm run test:deploy`; kept out of `npm test`, which runs only the tier's own
 * checks of recorded calls (test/deploy/checks.test.ts, run there and not here).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/deploy'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/deploy/checks\\.test\\.ts$'],
  // Probes terraform and the emulator's Python once for the run instead of once per test file.
  globalSetup: '<rootDir>/test/deploy/global-setup.ts',
  transform: {
    // Type checking is done by `tsc --noEmit` in `npm test`; per-file transpilation keeps jest fast.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  // Each test file is one scenario with its own emulator; two run at once, one per core (a
  // terraform command keeps about one core busy while the provider starts).
  maxWorkers: 2,
  // Every terraform command has its own time limit (deploy.ts); this bounds a whole scenario step.
  testTimeout: 420000,
  // The slowest scenarios first, so the two workers finish together.
  testSequencer: '<rootDir>/test/deploy/sequencer.js',
};
