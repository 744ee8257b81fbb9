#!/usr/bin/env node
// `npm run mutate [-- --mutate lib/redact.ts,lib/address.ts] [--concurrency 2] [other StrykerJS options]`: mutation
// testing of lib/ with StrykerJS (stryker.config.json). Not part of `npm test`: a run of all of lib/ takes hours on
// two cores. It prints each surviving mutant and the mutation score per file, and writes reports/mutation/.
//
// Coverage is measured per test: a mutant runs against the tests that reach it, but a mutant of code that runs while
// test files load (module-level tables and expressions, and the synths most suites make in their describe blocks)
// runs against the whole suite, about a minute each on two cores.
//
// Incremental: each focus (all of lib/, or one --mutate list) keeps the report of its last run in
// reports/mutation/incremental/ (git-ignored), and Stryker tests again only the mutants whose code or covering tests
// changed since, so a re-run after a change takes minutes (the initial test run, which measures coverage, always runs).
// A focus with no report of its own starts from the full run's, when that one is newer. `--force` tests everything.
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const reports = path.join(root, 'reports', 'mutation', 'incremental');

const USAGE = `usage: npm run mutate [-- --mutate <files>] [--concurrency <n>] [--force] [StrykerJS options]

  --mutate <files>     comma-separated files or globs to mutate (default: lib/**/*.ts), such as lib/redact.ts
  --concurrency <n>    test runners in parallel (default: 2)
  --force              test every mutant again, ignoring the previous run's results
Other options go to StrykerJS unchanged (npx stryker run --help lists them).`;

/** The --mutate lists among `args` (as `--mutate x` or `--mutate=x`), and the other arguments. */
function splitArgs(args) {
  const mutate = [];
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--mutate' || arg === '-m') {
      if (args[i + 1] === undefined) fail('--mutate needs a value, such as lib/redact.ts');
      mutate.push(...args[++i].split(','));
    } else if (arg.startsWith('--mutate=')) {
      mutate.push(...arg.slice('--mutate='.length).split(','));
    } else {
      rest.push(arg);
    }
  }
  return { mutate: mutate.map(m => m.trim()).filter(Boolean), rest };
}

function fail(message) {
  process.stderr.write(`error: ${message}; see --help\n`);
  process.exit(2);
}

/** The incremental report of a focus: all.json for all of lib/, else a name made from the sorted --mutate list. */
function incrementalFileFor(mutate) {
  if (mutate.length === 0) return path.join(reports, 'all.json');
  const key = [...mutate].sort().join(',');
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

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const { mutate, rest } = splitArgs(args);
for (const file of mutate.filter(m => !/[*?{[]/.test(m))) {
  if (!fs.existsSync(path.join(root, file.replace(/:\d+(:\d+)?-\d+(:\d+)?$/, '')))) fail(`--mutate ${file} does not exist`);
}
const incrementalFile = incrementalFileFor(mutate);
fs.mkdirSync(reports, { recursive: true });
seedFromFullRun(incrementalFile);

const env = { ...process.env };
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
