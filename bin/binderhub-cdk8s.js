#!/usr/bin/env node
// `binderhub-cdk8s <command> [args...]`: runs the bundled command build/bin/<command>.js in this same process, with a
// V8 code cache beside it. Node 20 has no compile cache of its own, and compiling the bundle's functions anew at
// every start costs about a tenth of a one-deployment synth. The cache is named by the bundle's size and
// modification time (and scripts/compile.js deletes the caches when it rebuilds), so a bundle never runs with
// another's cache. In this repository, `node scripts/run.js <command>` (the npm scripts) builds first if a source
// changed, then runs the command here.
'use strict';
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

/** The commands an operator runs, with what each does. */
const COMMANDS = {
  'init': 'scaffold a project of your own that depends on binderhub-cdk8s',
  'init-secrets': 'generate each deployment\'s tokens into secrets/<deployment>.json',
  'synth': 'synthesize main.ts\'s deployments into dist/ and dist-secrets/, all or nothing',
  'diff': 'what a fresh synth would change, against dist/, a git ref or the cluster (--live)',
  'chart-update': 'move charts.lock to a newer binderhub chart, showing what changes; --check for CI',
  'check-dist': 'fail when dist/ differs from a fresh synth, holds Secret data it should not, or is not apply-ready',
  'apply': 'apply a deployment\'s files in order and wait for its rollouts',
  'patch-hub-url': 'put the address of Service proxy-public into a deployment\'s hub URL',
  'status': 'say whether a deployment works in the cluster, and why not',
  'teardown': 'take a deployment down: what it would delete, and with --yes delete it in order',
  'prune-command': 'print the kubectl apply --prune command of a deployment',
  'adopt': 'turn the guide\'s values files into a deployment module and its secrets file',
  'bench': 'measure a synth against a raw helm template',
};

const USAGE = `usage: binderhub-cdk8s <command> [options], where <command> is one of:

${Object.entries(COMMANDS).map(([name, what]) => `  ${name.padEnd(15)}${what}`).join('\n')}

binderhub-cdk8s <command> --help says more of each.`;

const bundles = path.join(__dirname, '..', 'build', 'bin');

function bundlePath(command) {
  return path.join(bundles, `${command}.js`);
}

/**
 * The commands that synthesize the app: before their bundle loads, helm starts on the calls the previous synth left
 * (bin/early-renders.ts), so a synth whose values did not change finds its renders under way or done.
 */
const SYNTHESIZING = new Set(['synth', 'diff', 'check-dist', 'apply', 'bench-app']);

/**
 * Starts helm on the previous synth's calls if `command` synthesizes and its bundle is built: first thing, so helm
 * renders while node loads the command.
 */
function startEarlyRenders(command, args) {
  if (!SYNTHESIZING.has(command) || args.includes('--help') || args.includes('-h')) return;
  const early = bundlePath('early-renders');
  if (fs.existsSync(early)) require(early).start();
}

/** Runs the bundle of `command` as node would, with `args`, but compiled with the code cache `.<command>.<size>.<mtime>.cache`. */
function run(command, args) {
  const file = bundlePath(command);
  process.argv = [process.argv[0], file, ...args];
  if (process.sourceMapsEnabled) {
    require(file); // node maps stack traces (NODE_OPTIONS=--enable-source-maps) only for code its own loader compiled
    return;
  }
  // One open file for both, so a bundle renamed into place meanwhile cannot pair its name with the other's code.
  const bundle = fs.openSync(file, 'r');
  const { size, mtimeMs } = fs.fstatSync(bundle);
  const source = fs.readFileSync(bundle, 'utf8');
  fs.closeSync(bundle);
  const cacheFile = path.join(bundles, `.${command}.${size}.${mtimeMs}.cache`);
  const cachedData = fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // Made at the exit of a run that succeeded, so it holds every function a real run compiles, not only the top level.
    process.once('exit', code => {
      if (code !== 0) return;
      try {
        writeAtomic(cacheFile, script.createCachedData());
      } catch {
        // a read-only build/ (an installed package) only loses the speed-up
      }
    });
  }
  const entry = new Module(file, module);
  entry.filename = file;
  script.runInThisContext()(entry.exports, Module.createRequire(file), entry, file, path.dirname(file));
}

/** Writes `file` whole or not at all, so a command started meanwhile never reads half of it. */
function writeAtomic(file, contents) {
  const temporary = `${file}.${process.pid}`;
  try {
    fs.writeFileSync(temporary, contents);
    fs.renameSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

module.exports = { COMMANDS, bundlePath, run, startEarlyRenders, writeAtomic };

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(USAGE);
  } else if (!Object.hasOwn(COMMANDS, command)) {
    process.stderr.write(`error: ${JSON.stringify(command)} is no command of binderhub-cdk8s; the commands are ${Object.keys(COMMANDS).join(', ')} (see --help)\n`);
    process.exitCode = 2;
  } else {
    startEarlyRenders(command, args);
    run(command, args);
  }
}
