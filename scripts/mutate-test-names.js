// The test names of each test file, as Stryker's jest runner saw them, so that a mutant's run loads only the files
// that hold a test covering it (scripts/mutate-jest-environment.js records, scripts/mutate-test-sequencer.js reads).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

/** The folder of the records, inside Stryker's sandbox (the jest root of its run). */
const recordsDir = rootDir => path.join(rootDir, '.stryker-test-names');

/** Records the names of every test that `testPath` defines. */
function record(rootDir, testPath, names) {
  const dir = recordsDir(rootDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${crypto.createHash('sha256').update(testPath).digest('hex').slice(0, 16)}.json`);
  fs.writeFileSync(file, JSON.stringify({ testPath, names }));
}

/** The recorded names by test file path; a file without a record is not in the map. */
function load(rootDir) {
  const dir = recordsDir(rootDir);
  const records = new Map();
  if (!fs.existsSync(dir)) return records;
  for (const name of fs.readdirSync(dir)) {
    try {
      const { testPath, names } = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
      records.set(testPath, names);
    } catch {
      // A record being written right now: that file is simply not filtered.
    }
  }
  return records;
}

module.exports = { record, load };
