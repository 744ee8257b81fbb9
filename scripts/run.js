#!/usr/bin/env node
// `node scripts/run.js <command> [args...]`, what the npm scripts and cdk8s.yaml run: builds if a source changed
// (scripts/compile.js), then runs the bundled command build/bin/<command>.js in this same process with a V8 code
// cache beside it. Node 20 has no compile cache of its own, and compiling the bundle's functions anew at every
// start costs about a tenth of a one-deployment synth. The cache is named by the bundle's size and modification
// time (and scripts/compile.js deletes the caches when it rebuilds), so a bundle never runs with another's cache.
'use strict';
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');
const { buildIfStale, bundlePath, commands, writeAtomic } = require('./compile');

const [command, ...args] = process.argv.slice(2);
if (!commands.includes(command)) {
  process.stderr.write(`error: usage: node scripts/run.js <command> [args...], where <command> is one of ${commands.join(', ')}\n`);
  process.exit(2);
}
buildIfStale();

/** Runs the bundle `file` as node would, but compiled with the code cache `.<command>.<size>.<mtime>.cache`. */
function runWithCodeCache(file) {
  // One open file for both, so a bundle renamed into place meanwhile cannot pair its name with the other's code.
  const bundle = fs.openSync(file, 'r');
  const { size, mtimeMs } = fs.fstatSync(bundle);
  const source = fs.readFileSync(bundle, 'utf8');
  fs.closeSync(bundle);
  const cacheFile = path.join(path.dirname(file), `.${command}.${size}.${mtimeMs}.cache`);
  const cachedData = fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // Made at the exit of a run that succeeded, so it holds every function a real run compiles, not only the top level.
    process.once('exit', code => {
      if (code !== 0) return;
      try {
        writeAtomic(cacheFile, script.createCachedData());
      } catch {
        // a read-only build/ only loses the speed-up
      }
    });
  }
  const entry = new Module(file, module);
  entry.filename = file;
  script.runInThisContext()(entry.exports, Module.createRequire(file), entry, file, path.dirname(file));
}

const file = bundlePath(command);
process.argv = [process.argv[0], file, ...args];
if (process.sourceMapsEnabled) {
  require(file); // node maps stack traces (NODE_OPTIONS=--enable-source-maps) only for code its own loader compiled
} else {
  runWithCodeCache(file);
}
