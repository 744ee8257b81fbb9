#!/usr/bin/env node
// `npm run mutate [-- --mutate lib/core/redact.ts,lib/cluster/address.ts] [--concurrency 2] [other StrykerJS options]`: mutation
// testing of lib/ with StrykerJS (stryker.config.json). Not part of `npm test`: a run of all of lib/ takes hours on
// two cores. It prints each surviving mutant and the mutation score per file, and writes reports/mutation/.
//
// Coverage is measured per test: a mutant runs against the tests that reach it, but a mutant of code that runs while
// test files load (module-level tables and expressions, and the synths most suites make in their describe blocks)
// runs against the whole suite, about a minute each on two cores. A run loads only the test files that hold a test
// it runs (scripts/mutate-test-sequencer.js); `--testFiles` limits every run to the files named, which cuts the time
// of those mutants, and gives a lower bound of the score.
//
// Incremental: each focus (all of lib/, or one --mutate and --testFiles list) keeps the report of its last run in
// reports/mutation/incremental/ (git-ignored), and Stryker tests again only the mutants whose code or covering tests
// changed since, so a re-run after a change takes minutes (the initial test run, which measures coverage, always runs).
// A focus with no report of its own starts from the full run's, when that one is newer. `--force` tests everything:
// needed after changing only a table of cases (test.each), which Stryker does not count as a change of its tests.
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const reports = path.join(root, 'reports', 'mutation', 'incremental');

const USAGE = `usage: npm run mutate [-- --mutate <files>] [--testFiles <files>] [--concurrency <n>] [--force] [StrykerJS options]
       npm run mutate -- --summary

  --mutate <files>     comma-separated files or globs to mutate (default: lib/**/*.ts), such as lib/core/redact.ts
  --testFiles <files>  comma-separated test files (no globs) to run (default: every test that reaches the code), such
                       as test/redact.test.ts: quicker, and a lower bound of the score (a mutant only other tests
                       would kill counts as survived)
  --concurrency <n>    test runners in parallel (default: 2)
  --force              test every mutant again, ignoring the previous run's results
  --summary            print the score of each file of lib/ and of all of them from the runs kept so far (full and
                       focused, merged: a mutant any run detected counts as detected), without running anything
Other options go to StrykerJS unchanged (npx stryker run --help lists them).`;

/** The values of option `name` among `args` (as `name x` or `name=x`, comma-separated), and the other arguments. */
function takeList(args, names) {
  const values = [];
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const inline = names.find(name => arg.startsWith(`${name}=`));
    if (names.includes(arg)) {
      if (args[i + 1] === undefined) fail(`${arg} needs a value, such as ${EXAMPLES[names[0]]}`);
      values.push(...args[++i].split(','));
    } else if (inline) {
      values.push(...arg.slice(inline.length + 1).split(','));
    } else {
      rest.push(arg);
    }
  }
  return { values: values.map(m => m.trim()).filter(Boolean), rest };
}

const EXAMPLES = { '--mutate': 'lib/core/redact.ts', '--testFiles': 'test/redact.test.ts' };

function fail(message) {
  process.stderr.write(`error: ${message}; see --help\n`);
  process.exit(2);
}

/**
 * The incremental report of a focus: all.json for all of lib/ and every test, else a name made from the sorted
 * --mutate and --testFiles lists.
 */
function incrementalFileFor(mutate, testFiles) {
  if (mutate.length === 0 && testFiles.length === 0) return path.join(reports, 'all.json');
  const key = [...mutate].sort().join(',') + (testFiles.length > 0 ? `;tests=${[...testFiles].sort().join(',')}` : '');
  const readable = key.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  const hash = crypto.createHash('sha256').update(key).digest('hex').slice(0, 8);
  return path.join(reports, `${readable}-${hash}.json`);
}

/** Each report is consistent on its own (mutants and the tests they were run with): start from the newer one. */
function seedFromFullRun(file) {
  const full = path.join(reports, 'all.json');
  if (file === full || !fs.existsSync(full)) return;
  if (!fs.existsSync(file) || fs.statSync(full).mtimeMs > fs.statSync(file).mtimeMs) fs.copyFileSync(full, file);
}

/** The real binderhub chart the tests use beside this checkout (test/real-chart.ts), which Stryker's sandbox cannot see. */
function realChart() {
  if (process.env.BINDERHUB_REAL_CHART) return path.resolve(process.env.BINDERHUB_REAL_CHART);
  const shared = path.join(root, '..', 'shared', 'charts');
  const packages = fs.existsSync(shared) ? fs.readdirSync(shared).filter(f => /^binderhub-.*\.tgz$/.test(f)).sort() : [];
  return packages.length > 0 ? path.join(shared, packages[packages.length - 1]) : undefined;
}

/** The files stryker.config.json mutates: every .ts under lib/ but those its `!` patterns name. */
function mutatedFiles() {
  const config = JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
  const excluded = new Set(config.mutate.filter(p => p.startsWith('!')).map(p => p.slice(1)));
  const walk = dir => fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory() ? walk(`${dir}/${entry.name}`) : entry.name.endsWith('.ts') ? [`${dir}/${entry.name}`] : []);
  return walk('lib').filter(file => !excluded.has(file)).sort();
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
if (args.includes('--summary')) {
  console.log(require('./mutate-summary').summary(root, reports, mutatedFiles()));
  process.exit(0);
}
const { values: mutate, rest: afterMutate } = takeList(args, ['--mutate', '-m']);
const { values: testFiles, rest } = takeList(afterMutate, ['--testFiles', '-t']);
for (const [option, files] of [['--mutate', mutate], ['--testFiles', testFiles]]) {
  for (const file of option === '--testFiles' ? files : files.filter(m => !/[*?{[]/.test(m))) {
    if (!fs.existsSync(path.join(root, file.replace(/:\d+(:\d+)?-\d+(:\d+)?$/, '')))) fail(`${option} ${file} does not exist`);
  }
}
const incrementalFile = incrementalFileFor(mutate, testFiles);
fs.mkdirSync(reports, { recursive: true });
seedFromFullRun(incrementalFile);

const env = { ...process.env };
// Read by scripts/mutate-test-sequencer.js in every run, the initial one included.
if (testFiles.length > 0) env.MUTATE_TEST_FILES = testFiles.map(file => path.relative(root, path.resolve(root, file))).join(',');
const chart = realChart();
if (chart) env.BINDERHUB_REAL_CHART = chart;
// The package exports no bin path: find its folder through its package.json, which it does export.
const stryker = path.join(path.dirname(require.resolve('@stryker-mutator/core/package.json', { paths: [root] })), 'bin', 'stryker.js');
const strykerArgs = ['run', 'stryker.config.json', '--incrementalFile', path.relative(root, incrementalFile),
  ...(mutate.length > 0 ? ['--mutate', mutate.join(',')] : []), ...rest];
console.log(`mutate: stryker ${strykerArgs.join(' ')}`);
const result = spawnSync(process.execPath, [stryker, ...strykerArgs], { cwd: root, env, stdio: 'inherit' });
if (result.status === 0) {
  console.log(`mutate: the report is reports/mutation/mutation.html; the next run of this focus reuses ${path.relative(root, incrementalFile)}`);
}
process.exit(result.status ?? 1);
