// Jest's node environment for Stryker's runs (stryker.config.json). Stryker wraps it with its own, which names the
// test running while lib/ code runs (its per-test coverage). This one adds three things:
//
// - It records the full name of each test its file defines (scripts/mutate-test-names.js), the way jest-circus names
//   them for --testNamePattern, so that a mutant's run loads only the files holding a test that covers it.
// - Coverage while no test runs (the file loading, which runs the synths most suites make in describe blocks, and
//   beforeAll/afterAll) counts for every test of that file, instead of making the mutant "static", which Stryker runs
//   against every test of the project. Jest loads lib/ anew for each file and Stryker activates a mutant before the
//   files load, so those tests see everything the mutant changes.
// - Lib/ code run by a command a test starts (scripts/run.js and the bundles built from the instrumented sources)
//   counts for that test: children get a preload (scripts/mutate-child-coverage.js) that hands their coverage back.
//
// And in a mutant's run, once a test fails (the mutant is killed) the tests still to run are skipped: the bail that
// Stryker asks of every runner and cannot set through jest's programmatic interface.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { TestEnvironment } = require('jest-environment-node');
const testNames = require('./mutate-test-names');

const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';
const CHILD_PRELOAD = path.join(__dirname, 'mutate-child-coverage.js');
const CHILD_COVERAGE_DIR = 'MUTATE_CHILD_COVERAGE_DIR';
const CHILD_TEST = 'MUTATE_CHILD_TEST';

/** The mutant whose run saw a test fail: a process runs its test files one after another (Stryker runs jest in band). */
let killedMutant;

/** Stryker's id of a test: its describe names and its name, joined by spaces (as its own environment computes it). */
function fullName(test) {
  const parts = [];
  for (let block = test.parent; block && block.parent; block = block.parent) parts.unshift(block.name);
  return [...parts, test.name].join(' ').trimStart();
}

/** The full names of every test under `block`. */
function names(block, out = []) {
  for (const child of block.children) {
    if (child.type === 'describeBlock') names(child, out);
    else out.push(fullName(child));
  }
  return out;
}

/** Adds each count of `from` to `into`. */
function addCounts(into, from) {
  for (const [id, count] of Object.entries(from)) into[id] = (into[id] || 0) + count;
}

class MutateEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.rootDir = config.projectConfig.rootDir;
    this.testPath = context.testPath;
    this.activeMutant = process.env[ACTIVE_MUTANT];
    this.testsRun = [];
    this.childCoverageDir = undefined;
  }

  /** Stryker's instrumenter context, which its environment installs as a global after this constructor. */
  stryker() {
    return this.global[this.global.__strykerGlobalNamespace__ || '__stryker__'];
  }

  staticCoverage() {
    const coverage = this.stryker() && this.stryker().mutantCoverage;
    return coverage ? coverage.static : {};
  }

  async setup() {
    await super.setup();
    this.staticBefore = { ...this.staticCoverage() };
    if (this.activeMutant === undefined) {
      this.childCoverageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutate-child-coverage-'));
      this.realNodeOptions = process.env.NODE_OPTIONS;
      // Both: the tests' process.env is a copy, and a child started without an env option gets the real one.
      for (const env of [this.global.process.env, process.env]) {
        env[CHILD_COVERAGE_DIR] = this.childCoverageDir;
        env.NODE_OPTIONS = `${env.NODE_OPTIONS ? `${env.NODE_OPTIONS} ` : ''}--require ${CHILD_PRELOAD}`;
      }
    }
  }

  async handleTestEvent(event, state) {
    // run_start comes after the file defined all its tests (a run with a name filter defines them all too).
    if (event.name === 'run_start') testNames.record(this.rootDir, this.testPath, names(state.rootDescribeBlock));
    if (event.name === 'test_start') {
      if (this.activeMutant !== undefined && killedMutant === this.activeMutant) event.test.mode = 'skip';
      else this.global.process.env[CHILD_TEST] = process.env[CHILD_TEST] = fullName(event.test);
    }
    // Only a test that runs (not skipped, not filtered out) is one Stryker can run for a mutant.
    if (event.name === 'test_fn_start') this.testsRun.push(fullName(event.test));
    if (event.name === 'test_done' && event.test.errors.length > 0 && this.activeMutant !== undefined) killedMutant = this.activeMutant;
  }

  async teardown() {
    const context = this.stryker();
    if (context && context.mutantCoverage && this.staticBefore) this.attributeToFileTests(context.mutantCoverage);
    if (this.childCoverageDir) {
      fs.rmSync(this.childCoverageDir, { recursive: true, force: true });
      for (const name of [CHILD_COVERAGE_DIR, CHILD_TEST]) delete process.env[name];
      if (this.realNodeOptions === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = this.realNodeOptions;
    }
    await super.teardown();
  }

  /** Moves this file's coverage outside tests, and its children's coverage, to the tests that ran. */
  attributeToFileTests(coverage) {
    const during = {};
    for (const [id, count] of Object.entries(coverage.static)) {
      const added = count - (this.staticBefore[id] || 0);
      if (added <= 0) continue;
      during[id] = added;
      if (this.staticBefore[id]) coverage.static[id] = this.staticBefore[id];
      else delete coverage.static[id];
    }
    for (const test of this.testsRun) {
      coverage.perTest[test] = coverage.perTest[test] || {};
      addCounts(coverage.perTest[test], during);
    }
    if (!this.childCoverageDir) return;
    for (const file of fs.readdirSync(this.childCoverageDir)) {
      const child = JSON.parse(fs.readFileSync(path.join(this.childCoverageDir, file), 'utf8'));
      if (!this.testsRun.includes(child.test)) continue;
      coverage.perTest[child.test] = coverage.perTest[child.test] || {};
      addCounts(coverage.perTest[child.test], child.coverage);
    }
  }
}

module.exports = MutateEnvironment;
