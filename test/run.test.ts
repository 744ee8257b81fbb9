/**
 * scripts/run.js and scripts/compile.js, the way every npm script starts a command: build when a source changed,
 * then run the bundle with a V8 code cache. Exercised on a small project of their own (one command, bin/hello.ts),
 * so the test can edit sources without touching this project's build.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** The command's first source: it prints its arguments, fails on --fail, and prints where it runs on --where. */
const HELLO = [
  "import { GREETING as greeting } from '../deployments/greeting';",
  "console.log(greeting, process.argv.slice(2).join(' '));",
  "if (process.argv.includes('--fail')) process.exitCode = 1;",
  "if (process.argv.includes('--where')) console.log(new Error().stack!.split('\\n')[1]);",
  '',
].join('\n');

/** The small project, built once: each test copies it, so no test depends on what another did to it. */
let template: string;
/** This test's copy. */
let project: string;
const bundles = () => path.join(project, 'build', 'bin');
const caches = () => fs.readdirSync(bundles()).filter(f => f.endsWith('.cache'));
const mtime = (file: string) => fs.statSync(file).mtimeMs;

function writeCommand(body: string): void {
  fs.writeFileSync(path.join(project, 'bin', 'hello.ts'), body);
}

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [path.join(project, 'scripts', 'run.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of the template in a fresh folder, with its build (timestamps kept, so it stays current) unless `built` is false. */
function copyTemplate(built: boolean): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'run-'));
  for (const entry of ['scripts', 'bin', 'lib', 'deployments', 'tsconfig.json', ...(built ? ['build'] : [])]) {
    fs.cpSync(path.join(template, entry), path.join(copy, entry), { recursive: true, preserveTimestamps: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  return copy;
}

beforeAll(() => {
  template = fs.mkdtempSync(path.join(os.tmpdir(), 'run-template-'));
  fs.mkdirSync(path.join(template, 'scripts'));
  for (const script of ['run.js', 'compile.js']) fs.copyFileSync(path.join(ROOT, 'scripts', script), path.join(template, 'scripts', script));
  fs.mkdirSync(path.join(template, 'bin'));
  fs.copyFileSync(path.join(ROOT, 'bin', 'binderhub-cdk8s.js'), path.join(template, 'bin', 'binderhub-cdk8s.js'));
  // The library the package ships (here a stand-in) and a module of the command's own, outside bin/ and lib/.
  fs.mkdirSync(path.join(template, 'lib'));
  fs.writeFileSync(path.join(template, 'lib', 'index.ts'), 'export const library = 1;\n');
  fs.mkdirSync(path.join(template, 'deployments'));
  fs.writeFileSync(path.join(template, 'deployments', 'greeting.ts'), "export const GREETING: string = 'hello';\n");
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(template, 'node_modules'));
  fs.writeFileSync(path.join(template, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, noEmit: true, types: ['node'], incremental: true, tsBuildInfoFile: 'build/.tsbuildinfo' },
    include: ['bin/**/*.ts', 'lib/**/*.ts', 'deployments/**/*.ts'],
  }));
  fs.writeFileSync(path.join(template, 'bin', 'hello.ts'), HELLO);
  const built = spawnSync(process.execPath, [path.join(template, 'scripts', 'compile.js')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the template project does not build: ${built.stdout}${built.stderr}`);
});

beforeEach(() => {
  project = copyTemplate(true);
});

afterEach(() => fs.rmSync(project, { recursive: true, force: true }));
afterAll(() => fs.rmSync(template, { recursive: true, force: true }));

test('builds the missing bundle, runs it with its arguments, and keeps no code cache of a failed run', () => {
  fs.rmSync(project, { recursive: true, force: true });
  project = copyTemplate(false);
  expect(fs.existsSync(path.join(project, 'build'))).toBe(false);
  const failed = run(['hello', 'a', '--fail']);
  expect(failed.stdout).toBe('hello a --fail\n');
  expect(failed.status).toBe(1);
  expect(fs.existsSync(path.join(bundles(), 'hello.js'))).toBe(true);
  expect(caches()).toEqual([]);
});

test('a run that succeeds leaves a code cache, which the next run uses instead of rewriting it', () => {
  expect(run(['hello', 'a', 'b'])).toEqual({ status: 0, stdout: 'hello a b\n', stderr: '' });
  expect(caches()).toHaveLength(1);
  const cache = path.join(bundles(), caches()[0]);
  const [cachedAt, builtAt] = [mtime(cache), mtime(path.join(project, 'build', '.built'))];
  expect(run(['hello', 'c']).stdout).toBe('hello c\n');
  expect(mtime(cache)).toBe(cachedAt);
  expect(mtime(path.join(project, 'build', '.built'))).toBe(builtAt); // nothing changed, so nothing was built
});

test('rebuilds when a source changed, and the old bundle\'s code cache goes with it', () => {
  expect(run(['hello', 'c']).status).toBe(0);
  const [oldCache] = caches();
  expect(oldCache).toBeDefined();
  writeCommand("console.log('hi', process.argv.slice(2).join(' '));\n");
  expect(run(['hello', 'd'])).toEqual({ status: 0, stdout: 'hi d\n', stderr: '' });
  expect(caches()).toHaveLength(1);
  expect(caches()[0]).not.toBe(oldCache);
});

test('rebuilds when any module a bundle imports changed, wherever it is, and only then', () => {
  expect(run(['hello', 'e']).stdout).toBe('hello e\n');
  const builtAt = mtime(path.join(project, 'build', '.built'));
  fs.writeFileSync(path.join(project, 'deployments', 'unused.ts'), 'export const UNUSED = 1;\n');
  expect(run(['hello', 'f']).stdout).toBe('hello f\n');
  expect(mtime(path.join(project, 'build', '.built'))).toBe(builtAt);
  fs.writeFileSync(path.join(project, 'deployments', 'greeting.ts'), "export const GREETING: string = 'howdy';\n");
  expect(run(['hello', 'g']).stdout).toBe('howdy g\n');
});

test('a module that is gone counts as a change: the build runs (and here fails, as the command imports it)', () => {
  fs.rmSync(path.join(project, 'deployments', 'greeting.ts'));
  const result = run(['hello']);
  expect(result.status).not.toBe(0);
  expect(result.stdout).toMatch(/TS2307/);
});

test('finding that nothing changed takes one stat of each file: the stamp, every input, each settings file and bundle', () => {
  const counting = [
    "const fs = require('fs');",
    'let calls = 0;',
    "for (const name of ['statSync', 'lstatSync', 'existsSync', 'accessSync', 'openSync']) {",
    '  const original = fs[name];',
    '  fs[name] = (...args) => { calls++; return original(...args); };',
    '}',
    `const { buildIfStale } = require(${JSON.stringify(path.join(project, 'scripts', 'compile.js'))});`,
    'calls = 0;',
    'buildIfStale();',
    'console.log(calls);',
  ].join('\n');
  const inputs: string[] = JSON.parse(fs.readFileSync(path.join(project, 'build', '.inputs.json'), 'utf8'));
  const settings = 3; // tsconfig.json, package-lock.json, scripts/compile.js
  const result = spawnSync(process.execPath, ['-e', counting], { encoding: 'utf8' });
  // the stamp and the list of inputs, then each input, settings file and bundle (one command here)
  expect(Number(result.stdout)).toBe(2 + inputs.length + settings + 1);
});

test('with NODE_OPTIONS=--enable-source-maps, stack traces name the TypeScript source', () => {
  expect(run(['hello', '--where']).stdout).toMatch(/build\/bin\/hello\.js:\d+/);
  expect(run(['hello', '--where'], { NODE_OPTIONS: '--enable-source-maps' }).stdout).toMatch(/bin\/hello\.ts:4:/);
});

test('a command\'s bundle is compacted (no indentation), yet stack traces name its classes and functions', () => {
  writeCommand([
    'class Greeter {',
    '  greet(): string {',
    "    return new Error().stack!.split('\\n')[1];",
    '  }',
    '}',
    'console.log(new Greeter().greet());',
    '',
  ].join('\n'));
  expect(run(['hello']).stdout).toMatch(/^ +at Greeter\.greet /);
  expect(fs.readFileSync(path.join(bundles(), 'hello.js'), 'utf8')).not.toMatch(/^[ \t]+\S/m);
});

test('a type error stops the command before it runs', () => {
  writeCommand("const greeting: number = 'hello';\nconsole.log(greeting);\n");
  const result = run(['hello']);
  expect(result.status).not.toBe(0);
  expect(result.stdout).toMatch(/TS2322/); // tsc prints its diagnostics on stdout
  expect(result.stdout).not.toMatch(/^hello/m);
});

test('an unknown command gets the list of commands', () => {
  expect(run(['helo'])).toEqual({ status: 2, stdout: '', stderr: expect.stringMatching(/^error: usage: node scripts\/run\.js <command>.* one of hello\n$/) });
});
