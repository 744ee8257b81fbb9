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

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'run-'));
  fs.mkdirSync(path.join(project, 'scripts'));
  for (const script of ['run.js', 'compile.js']) fs.copyFileSync(path.join(ROOT, 'scripts', script), path.join(project, 'scripts', script));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
  fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, noEmit: true, types: ['node'], incremental: true, tsBuildInfoFile: 'build/.tsbuildinfo' },
    include: ['bin/**/*.ts'],
  }));
  fs.mkdirSync(path.join(project, 'bin'));
  writeCommand("const greeting: string = 'hello';\nconsole.log(greeting, process.argv.slice(2).join(' '));\nif (process.argv.includes('--fail')) process.exitCode = 1;\n");
});

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

test('builds the missing bundle, runs it with its arguments, and keeps no code cache of a failed run', () => {
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
  const [oldCache] = caches();
  writeCommand("console.log('hi', process.argv.slice(2).join(' '));\nif (process.argv.includes('--where')) console.log(new Error().stack!.split('\\n')[1]);\n");
  expect(run(['hello', 'd'])).toEqual({ status: 0, stdout: 'hi d\n', stderr: '' });
  expect(caches()).toHaveLength(1);
  expect(caches()[0]).not.toBe(oldCache);
});

test('with NODE_OPTIONS=--enable-source-maps, stack traces name the TypeScript source', () => {
  expect(run(['hello', '--where']).stdout).toMatch(/build\/bin\/hello\.js:\d+/);
  expect(run(['hello', '--where'], { NODE_OPTIONS: '--enable-source-maps' }).stdout).toMatch(/bin\/hello\.ts:2:/);
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
