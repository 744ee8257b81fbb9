/** Jest runs the TypeScript sources through ts-jest; `npm test` type-checks the whole project first. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // The example imports the library as a project of its own does.
  moduleNameMapper: { '^binderhub-cdk8s$': '<rootDir>/lib/index.ts' },
  clearMocks: true,
  // Real helm renders and child processes: a loaded 2-core machine can take seconds where an idle one takes a fraction.
  testTimeout: 30000,
  // A worker per core: most tests wait on child processes (helm, kubectl, our commands), so jest's default of one
  // worker fewer than the cores leaves one of two cores idle; two workers take the suite from ~165 s to ~100 s.
  maxWorkers: '100%',
  // A worker leaves no handle open, but on a loaded machine node takes 150-550 ms from a worker's last event to its
  // exit (measured: its heap is large), near jest's default of 500 ms, past which jest kills it and blames a leak.
  // A real leak still shows, after 5 s.
  workerGracefulExitTimeout: 5000,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/temp-folder-teardown.ts',
};
