#!/usr/bin/env node
// Builds what the package ships and the npm scripts run: type-checks the project with tsc (which also writes the
// library's declarations to build/types/), bundles each command (bin/*.ts) with everything it imports into one file
// under build/bin/, and the library (lib/index.ts, the public API) into build/lib/index.js with its packages left
// outside (esbuild); the commands' bundles compacted, the library as written. A bundle starts faster than the same
// code spread over the ~170 modules of cdk8s and cdk8s-plus, which node would otherwise find and read one by one.
// `node scripts/compile.js` always builds (`npm test` does); scripts/run.js builds only when a file a bundle is made
// from changed: esbuild lists every one of them (the whole import graph), so none is missed.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { bundlePath, writeAtomic } = require('../bin/binderhub-cdk8s.js');

const root = path.join(__dirname, '..');
const buildDir = path.join(root, 'build');
const stamp = path.join(buildDir, '.built');
/** What the last build was made from: every input esbuild read, and the build's own settings. */
const inputsFile = path.join(buildDir, '.inputs.json');
const settings = ['tsconfig.json', 'package-lock.json', 'scripts/compile.js'].map(file => path.join(root, file));

/** The commands: bin/<name>.ts, bundled to build/bin/<name>.js. */
const commands = fs.readdirSync(path.join(root, 'bin')).filter(f => f.endsWith('.ts')).map(f => f.slice(0, -3));

/** When `file` last changed; undefined when there is none. One stat, as npm scripts run this check every time. */
function modifiedAt(file) {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
}

function isStale() {
  const builtAt = modifiedAt(stamp);
  if (builtAt === undefined || !fs.existsSync(inputsFile)) return true;
  // An input that is gone counts (a module removed); a settings file the project does not have does not.
  // Joined as text, not path.join (a third of the check's time): root is a real path (node resolves this script's
  // links), so the system reads the `..` of an input as esbuild wrote it, relative to root.
  const changed = input => !(modifiedAt(root + path.sep + input) <= builtAt);
  return JSON.parse(fs.readFileSync(inputsFile, 'utf8')).some(changed) || settings.some(file => modifiedAt(file) > builtAt)
    || commands.some(command => modifiedAt(bundlePath(command)) === undefined);
}

const COMMON = { absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', write: false, metafile: true };

/** Type-checks and bundles; on a type error it exits with tsc's status, after tsc has printed the errors. */
function build() {
  const startedAt = new Date(); // a source saved during the build must count as newer than it
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  const esbuild = require('esbuild');
  const commandBuild = esbuild.buildSync({
    ...COMMON,
    entryPoints: commands.map(command => `bin/${command}.ts`),
    outdir: path.join(buildDir, 'bin'),
    // The app file is compiled at run time by esbuild itself, which finds its own binary in its package.
    external: ['esbuild'],
    // Stack traces of unexpected errors can be mapped back to the sources with NODE_OPTIONS=--enable-source-maps.
    sourcemap: 'linked',
    sourcesContent: false,
    // Two thirds of the bytes for node to read at every start (1.4 -> 0.9 MB). Identifiers are not minified: that
    // saves no more time, and stack traces and CPU profiles would name `ir.define` where they name BinderHubApp.define.
    minifyWhitespace: true,
    minifySyntax: true,
  });
  // The library as a project's own code (its tests) imports it: its packages are the project's.
  const libraryBuild = esbuild.buildSync({ ...COMMON, entryPoints: ['lib/index.ts'], outdir: path.join(buildDir, 'lib'), packages: 'external' });
  for (const output of [...commandBuild.outputFiles, ...libraryBuild.outputFiles]) {
    fs.mkdirSync(path.dirname(output.path), { recursive: true });
    writeAtomic(output.path, output.contents);
  }
  // Code caches (bin/binderhub-cdk8s.js) belong to the bundles they were made from.
  for (const file of fs.readdirSync(path.join(buildDir, 'bin')).filter(f => f.endsWith('.cache'))) fs.rmSync(path.join(buildDir, 'bin', file), { force: true });
  const inputs = new Set([...Object.keys(commandBuild.metafile.inputs), ...Object.keys(libraryBuild.metafile.inputs)]);
  writeAtomic(inputsFile, JSON.stringify([...inputs].sort()));
  fs.writeFileSync(stamp, '');
  fs.utimesSync(stamp, startedAt, startedAt);
}

function buildIfStale() {
  if (isStale()) build();
}

module.exports = { commands, buildIfStale };

if (require.main === module) build();
