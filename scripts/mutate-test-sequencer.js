// Jest's test order for Stryker's runs, minus the test files that cannot hold a test Stryker asked for. Stryker runs
// each mutant with --testNamePattern set to the tests that cover it, but jest still loads every related test file
// (and runs its describe blocks, which synthesize) to find them. The names are those the initial test run recorded
// (scripts/mutate-test-names.js): a file none of whose tests match is dropped. Without records (the initial run)
// or a pattern (mutants of code that runs while files load, which run every test), every file runs. Which tests run,
// and so the result, is what jest alone would give.
//
// MUTATE_TEST_FILES (set by `npm run mutate -- --testFiles`) limits every run to those files, relative to the root:
// Stryker's own --testFiles cannot, as it makes jest look for tests named after the files when a mutant runs at load.
'use strict';
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;
const testNames = require('./mutate-test-names');

class CoveringFilesSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.globalConfig = options.globalConfig;
  }

  async sort(tests) {
    const { rootDir, testNamePattern } = this.globalConfig;
    const only = process.env.MUTATE_TEST_FILES ? new Set(process.env.MUTATE_TEST_FILES.split(',')) : undefined;
    const sorted = (await super.sort(tests)).filter(test => only === undefined || only.has(path.relative(rootDir, test.path)));
    const ordered = process.env.__STRYKER_ACTIVE_MUTANT__ === undefined ? sorted : this.quickestFirst(sorted);
    const records = testNames.load(rootDir);
    if (records.size === 0 || !testNamePattern) return ordered;
    // The same test jest-circus applies to each test's full name.
    const wanted = new RegExp(testNamePattern, 'i');
    return ordered.filter(test => {
      const names = records.get(test.path);
      return names === undefined || names.some(name => wanted.test(name));
    });
  }

  /**
   * A mutant's run stops at its first failing test (scripts/mutate-jest-environment.js): the files that failed last
   * time first (they likely kill this mutant too), then the quickest, instead of jest's slowest first.
   */
  quickestFirst(tests) {
    const rank = test => [this.hasFailed(test) ? 0 : 1, test.duration ?? Infinity];
    return [...tests].sort((a, b) => {
      const [failedA, timeA] = rank(a);
      const [failedB, timeB] = rank(b);
      return failedA - failedB || timeA - timeB;
    });
  }
}

module.exports = CoveringFilesSequencer;
