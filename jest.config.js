/** Jest runs the TypeScript sources through ts-jest; `npm test` type-checks the whole project first. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  clearMocks: true,
  // Real helm renders and child processes: a loaded 2-core machine can take seconds where an idle one takes a fraction.
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/temp-folder-teardown.ts',
};
