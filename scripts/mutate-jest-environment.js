// Jest's node environment that also records the full name of each test its file defines (scripts/mutate-test-names.js),
// the way jest-circus names them for --testNamePattern: the describe names and the test's name, joined by spaces.
'use strict';
const { TestEnvironment } = require('jest-environment-node');
const testNames = require('./mutate-test-names');

function names(block, prefix, out) {
  for (const child of block.children) {
    const name = prefix === undefined ? child.name : `${prefix} ${child.name}`;
    if (child.type === 'describeBlock') names(child, name, out);
    else out.push(name);
  }
  return out;
}

class RecordingEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.rootDir = config.projectConfig.rootDir;
    this.testPath = context.testPath;
  }

  async handleTestEvent(event, state) {
    // run_start comes after the file defined all its tests (a run with a name filter defines them all too).
    if (event.name === 'run_start') testNames.record(this.rootDir, this.testPath, names(state.rootDescribeBlock, undefined, []));
  }
}

module.exports = RecordingEnvironment;
