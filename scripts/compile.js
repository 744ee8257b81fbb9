#!/usr/bin/env node
// Builds what the npm scripts run: type-checks the project with tsc, then bundles each command (bin/*.ts) with
// everything it imports into one file under build/bin/ (esbuild). A bundle starts faster than the same code spread
// over the ~170 modules of cdk8s and cdk8s-plus, which node would otherwise find and read one by one.
// `node scripts/compile.js` always builds (`npm test` does); scripts/run.js builds only when a source changed.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const buildDir = path.join(root, 'build');
const bundles = path.join(buildDir, 'bin');
const stamp = path.join(buildDir, '.built');
// What the bundles are made from (tests are type-checked by every build, but no bundle holds them).
const inputs = ['main.ts', 'lib', 'bin', 'imports', 'scripts', 'tsconfig.json', 'package-lock.json'];

/** The commands: bin/<name>.ts, bundled to build/bin/<name>.js. */
const commands = fs.readdirSync(path.join(root, 'bin')).filter(f => f.endsWith('.ts')).map(f => f.slice(0, -3));

function bundlePath(command) {
  return path.join(bundles, `${command}.js`);
}

/** Writes `file` whole or not at all, so a command started meanwhile (another npm script) never reads half of it. */
function writeAtomic(file, contents) {
  const temporary = `${file}.${process.pid}`;
  try {
    fs.writeFileSync(temporary, contents);
    fs.renameSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function newest(file) {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(file).map(name => newest(path.join(file, name))));
}

function isStale() {
  if (!fs.existsSync(stamp)) return true;
  const builtAt = fs.statSync(stamp).mtimeMs;
  return Math.max(...inputs.map(name => path.join(root, name)).filter(fs.existsSync).map(newest)) > builtAt
    || commands.some(command => !fs.existsSync(bundlePath(command)));
}

/** Type-checks and bundles; on a type error it exits with tsc's status, after tsc has printed the errors. */
function build() {
  const startedAt = new Date(); // a source saved during the build must count as newer than it
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  const { outputFiles } = require('esbuild').buildSync({
    absWorkingDir: root,
    entryPoints: commands.map(command => `bin/${command}.ts`),
    outdir: bundles,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // The app file is compiled at run time by esbuild itself, which finds its own binary in its package.
    external: ['esbuild'],
    // Stack traces of unexpected errors can be mapped back to the sources with NODE_OPTIONS=--enable-source-maps.
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    write: false,
  });
  fs.mkdirSync(bundles, { recursive: true });
  for (const output of outputFiles) writeAtomic(output.path, output.contents);
  // Code caches (scripts/run.js) belong to the bundles they were made from.
  for (const file of fs.readdirSync(bundles).filter(f => f.endsWith('.cache'))) fs.rmSync(path.join(bundles, file), { force: true });
  fs.writeFileSync(stamp, '');
  fs.utimesSync(stamp, startedAt, startedAt);
}

function buildIfStale() {
  if (isStale()) build();
}

module.exports = { commands, bundlePath, buildIfStale, writeAtomic };

if (require.main === module) build();
