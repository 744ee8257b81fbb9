// Preloaded (NODE_OPTIONS --require) into the node processes a test starts during Stryker's coverage run
// (scripts/mutate-jest-environment.js): at exit, writes which mutants the process reached, for the test that started it.
'use strict';
const fs = require('fs');
const path = require('path');

process.on('exit', () => {
  const dir = process.env.MUTATE_CHILD_COVERAGE_DIR;
  const test = process.env.MUTATE_CHILD_TEST;
  const context = globalThis.__stryker__;
  if (!dir || !test || !context || !context.mutantCoverage) return;
  const coverage = { ...context.mutantCoverage.static };
  for (const perTest of Object.values(context.mutantCoverage.perTest)) {
    for (const [id, count] of Object.entries(perTest)) coverage[id] = (coverage[id] || 0) + count;
  }
  try {
    fs.writeFileSync(path.join(dir, `${process.pid}-${Date.now()}.json`), JSON.stringify({ test, coverage }));
  } catch {
    // The test's file finished and its folder is gone: nothing is waiting for this coverage.
  }
});
