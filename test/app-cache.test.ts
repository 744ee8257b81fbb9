/**
 * The compiled app file is kept in node_modules/.cache/binderhub-cdk8s/ and used while every file the compile read
 * (and the names beside them, and the compiler's settings) stays the same, so a command does not start esbuild for
 * an unchanged main.ts; any change compiles again.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { APP_CACHE_DIR, AppCompiler, compileApp, loadApp } from '../lib/internal';
import * as library from '../lib/index';

let compiles = 0;
/** The real compiler, counted. */
const counted: AppCompiler = (...args) => {
  compiles++;
  return compileApp(...args);
};

/** Loads main.ts of the working folder; returns the value it gave the module `probe`. */
function load(compiler: AppCompiler = counted): unknown {
  const probe: { value?: unknown } = {};
  loadApp({ 'binderhub-cdk8s': library, probe }, 'main.ts', compiler);
  return probe.value;
}

/** Dates every file and folder under the working folder a minute back: saved well before the next compile. */
function settle(folder = '.'): void {
  const past = new Date(Date.now() - 60_000);
  for (const name of fs.readdirSync(folder)) {
    const file = path.join(folder, name);
    if (fs.statSync(file).isDirectory()) settle(file);
    fs.utimesSync(file, past, past);
  }
  fs.utimesSync(folder, past, past);
}

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  settle();
}

const entries = () => fs.existsSync(APP_CACHE_DIR) ? fs.readdirSync(APP_CACHE_DIR) : [];

const MAIN = [
  'import { BinderHubApp } from \'binderhub-cdk8s\';',
  'import probe from \'probe\';',
  'import { VALUE } from \'./deployments/site\';',
  'probe.value = VALUE;',
  'export default new BinderHubApp(() => undefined);',
  '',
].join('\n');

const cwd = process.cwd();
beforeEach(() => {
  process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), 'app-cache-')));
  fs.mkdirSync('node_modules');
  write('main.ts', MAIN);
  write('deployments/site.ts', 'export const VALUE = \'one\';\n');
  compiles = 0;
});
afterEach(() => process.chdir(cwd));

test('an unchanged app is compiled once, then taken from the cache: a private file', () => {
  expect([load(), load(), load()]).toEqual(['one', 'one', 'one']);
  expect(compiles).toBe(1);
  expect(entries()).toHaveLength(1);
  expect(fs.statSync(path.join(APP_CACHE_DIR, entries()[0])).mode & 0o777).toBe(0o600);
});

test('an edit to a module main.ts imports (same size) is compiled', () => {
  load();
  write('deployments/site.ts', 'export const VALUE = \'two\';\n');
  expect(load()).toBe('two');
  expect(load()).toBe('two');
  expect(compiles).toBe(2);
});

test('a new file beside an import, which the import now resolves to, is compiled', () => {
  load();
  write('deployments/site.tsx', 'export const VALUE = \'tsx\';\n');
  expect(load()).toBe('tsx');
  expect(compiles).toBe(2);
});

test('a tsconfig.json that appears or changes compiles again; one that extends another is not followed, so not kept', () => {
  load();
  write('tsconfig.json', '{ "compilerOptions": { "strict": true } }\n');
  load();
  write('tsconfig.json', '{ "compilerOptions": { "strict": false } }\n');
  load();
  load();
  expect(compiles).toBe(3);
  write('tsconfig.json', '{ "extends": "./base.json" }\n');
  load();
  load();
  expect(compiles).toBe(5);
});

test('a file saved while it was compiled is compiled again next time, not trusted', () => {
  const saveDuring: AppCompiler = (...args) => {
    const compiled = counted(...args);
    fs.writeFileSync('deployments/site.ts', 'export const VALUE = \'two\';\n');
    return compiled;
  };
  expect(load(saveDuring)).toBe('one');
  expect(load()).toBe('two');
  expect(compiles).toBe(2);
});

test('a module of secrets/ is never kept: the cache holds no secret', () => {
  write('main.ts', MAIN.replace('./deployments/site', './secrets/site'));
  write('secrets/site.ts', 'export const VALUE = \'secret\';\n');
  expect([load(), load()]).toEqual(['secret', 'secret']);
  expect(compiles).toBe(2);
  expect(entries()).toEqual([]);
});

test('without node_modules, or where the cache cannot be written, every load compiles and nothing is written', () => {
  fs.rmdirSync('node_modules');
  expect([load(), load()]).toEqual(['one', 'one']);
  expect(fs.existsSync('node_modules')).toBe(false);
  fs.mkdirSync('node_modules');
  fs.writeFileSync(path.join('node_modules', '.cache'), '');
  expect([load(), load()]).toEqual(['one', 'one']);
  expect(compiles).toBe(4);
});

test('an entry this project\'s commands did not write (mode 0644, as git checks a file out) is not run', () => {
  load();
  const entry = path.join(APP_CACHE_DIR, entries()[0]);
  fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').replace(/\.value = [^;]*;/, '.value = \\"forged\\";'));
  expect(load()).toBe('forged'); // the entry is what runs while it is the project's own
  fs.chmodSync(entry, 0o644);
  expect(load()).toBe('one');
  expect(compiles).toBe(2);
});

test('a damaged entry is no entry', () => {
  load();
  fs.writeFileSync(path.join(APP_CACHE_DIR, entries()[0]), '{"key":');
  expect(load()).toBe('one');
  expect(load()).toBe('one');
  expect(compiles).toBe(2);
});

test('a folder of an import that became a file misses the cache, with the compiler\'s one-line error', () => {
  load();
  fs.rmSync('deployments', { recursive: true });
  write('deployments', 'not a folder\n');
  expect(() => load()).toThrow('main.ts: Cannot read directory "deployments": not a directory; fix it, then run the command again');
});

test('with the cache warm, a syntax error is still one line naming its place', () => {
  load();
  write('main.ts', 'export default new (;\n');
  expect(() => load()).toThrow(/^main\.ts:1:21: Unexpected ";"; fix it, then run the command again$/);
});
