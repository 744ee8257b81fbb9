#!/usr/bin/env node
// `node scripts/run.js <command> [args...]`, what this repository's npm scripts and cdk8s.yaml run: builds if a
// source changed (scripts/compile.js), then runs the bundled command as `binderhub-cdk8s <command>` does
// (bin/binderhub-cdk8s.js), including the ones only other commands run (bench-app, kubectl-diff-program).
'use strict';
const [command, ...args] = process.argv.slice(2);
const launcher = require('../bin/binderhub-cdk8s.js');
// Before the check of the build, so helm renders meanwhile: an early bundle older than the sources still only runs helm,
// whose result a render takes only for the very same call.
launcher.startEarlyRenders(command, args);
const { buildIfStale, commands } = require('./compile');

if (!commands.includes(command)) {
  process.stderr.write(`error: usage: node scripts/run.js <command> [args...], where <command> is one of ${commands.join(', ')}\n`);
  process.exit(2);
}
buildIfStale();
launcher.run(command, args);
