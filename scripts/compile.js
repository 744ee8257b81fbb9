#!/usr/bin/env node
// Builds what the npm scripts run: type-checks the project with tsc, then bundles each command (bin/*.ts)
// with everything it imports into one file under build/bin/ (esbuild). A bundle starts faster than the same
// code spread over the ~170 modules of cdk8s and cdk8s-plus, which node would otherwise find and read one by one.
// With --if-stale it does nothing when no source changed since the last build, so a synth skips TypeScript's own
// start-up; `npm test` always builds.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const build = path.join(root, 'build');
const stamp = path.join(build, '.built');
const inputs = ['main.ts', 'lib', 'bin', 'imports', 'test', 'scripts', 'tsconfig.json', 'package-lock.json'];
const entryPoints = fs.readdirSync(path.join(root, 'bin')).filter(f => f.endsWith('.ts')).map(f => `bin/${f}`);

function newest(file) {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(file).map(name => newest(path.join(file, name))));
}

function isStale() {
  if (!fs.existsSync(stamp)) return true;
  const builtAt = fs.statSync(stamp).mtimeMs;
  return Math.max(...inputs.map(name => path.join(root, name)).filter(fs.existsSync).map(newest)) > builtAt
    || entryPoints.some(entry => !fs.existsSync(bundlePath(entry)));
}

function bundlePath(entry) {
  return path.join(build, entry.replace(/\.ts$/, '.js'));
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);
const startedAt = new Date(); // a source saved during the build must count as newer than it

const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
require('esbuild').buildSync({
  absWorkingDir: root,
  entryPoints,
  outbase: root,
  outdir: build,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Stack traces of unexpected errors can be mapped back to the sources with NODE_OPTIONS=--enable-source-maps.
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
});
fs.writeFileSync(stamp, '');
fs.utimesSync(stamp, startedAt, startedAt);
