/** `binderhub-cdk8s init`: the scaffold of an operator's project, never over a file that is there. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { keptFileWarnings, scaffoldFiles, scaffoldNextStep, scaffoldPackageName } from '../lib/internal';
import { runCommand } from './helpers';

const VERSIONS = {
  'binderhub-cdk8s': '^1.2.3', 'cdk8s': '^2.70.0', 'constructs': '^10.0.0', 'cdk8s-cli': '^2.200.0', 'typescript': '~5.9', 'jest': '^30.0.0',
  'ts-jest': '^29.0.0', '@types/jest': '^30.0.0', '@types/node': '^20.0.0',
};
const folder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'init-'));
const FILES = ['.gitignore', 'README.md', 'cdk8s.yaml', 'main.ts', 'package.json', 'test/main.test.ts', 'tsconfig.json'];

test('the scaffold depends on this version, runs every command as an npm script of the same name, and its main.ts is short', () => {
  const files = scaffoldFiles('ops', VERSIONS);
  expect([...files.keys()].sort()).toEqual(FILES);
  const pkg = JSON.parse(files.get('package.json')!);
  expect(pkg.dependencies).toEqual({ 'binderhub-cdk8s': '^1.2.3', 'cdk8s': '^2.70.0', 'constructs': '^10.0.0' });
  expect(pkg.scripts.synth).toBe('binderhub-cdk8s synth');
  expect(pkg.scripts['patch-hub-url']).toBe('binderhub-cdk8s patch-hub-url');
  const code = files.get('main.ts')!.split('\n').filter(line => line.trim() !== '' && !/^\s*(\/\/|\/\*\*|\*)/.test(line));
  expect(code.length).toBeLessThanOrEqual(40);
  expect(files.get('cdk8s.yaml')).toMatch(/^app: npx binderhub-cdk8s synth$/m);
  expect(files.get('.gitignore')!.split('\n')).toEqual(expect.arrayContaining(['secrets/', 'dist-secrets/']));
  expect(files.get('.gitignore')).not.toMatch(/^dist\//m);
});

test('init writes every file of the scaffold into a new folder and says what to run next', () => {
  const cwd = folder();
  const result = runCommand('init', cwd, {}, ['my ops']);
  expect(result.status).toBe(0);
  const lines = result.stdout.split('\n');
  expect(lines.slice(0, FILES.length).sort()).toEqual(FILES.map(f => `wrote ${path.join('my ops', f)}`));
  expect(lines.slice(FILES.length)).toEqual(['next: cd \'my ops\' && npm install && npm run init-secrets && npm run chart-update && npm run synth', '']);
  expect(JSON.parse(fs.readFileSync(path.join(cwd, 'my ops', 'package.json'), 'utf8')).name).toBe('my-ops');
});

test('a folder with files is refused in one line, nothing written; --existing adds only the missing files', () => {
  const cwd = folder();
  fs.writeFileSync(path.join(cwd, 'main.ts'), '// mine\n');
  const refused = runCommand('init', cwd);
  expect([refused.status, refused.stdout, refused.stderr]).toEqual([1, '', 'error: . is not empty (main.ts); name a new folder, or add --existing to write only the files that are missing\n']);
  expect(fs.readdirSync(cwd)).toEqual(['main.ts']);
  const added = runCommand('init', cwd, {}, ['--existing']);
  expect(added.status).toBe(0);
  expect(added.stdout).toContain('kept main.ts: it exists\n');
  expect(fs.readFileSync(path.join(cwd, 'main.ts'), 'utf8')).toBe('// mine\n');
  expect(fs.existsSync(path.join(cwd, 'package.json'))).toBe(true);
});

test('a file where the folder should be, or two folders, are refused in one line', () => {
  const cwd = folder();
  fs.writeFileSync(path.join(cwd, 'taken'), '');
  expect(runCommand('init', cwd, {}, ['taken']).stderr).toBe('error: taken is no folder; name a new or empty one\n');
  expect(runCommand('init', cwd, {}, ['a', 'b']).stderr).toBe('error: init takes one folder, got 2: a, b; see --help\n');
  expect(fs.readdirSync(cwd)).toEqual(['taken']);
});

test('the next step is a line a shell runs as printed, whatever the folder is called', () => {
  expect(scaffoldNextStep('ops', false)).toBe('next: cd ops && npm install && npm run init-secrets && npm run chart-update && npm run synth');
  expect(scaffoldNextStep('my ops', false)).toBe('next: cd \'my ops\' && npm install && npm run init-secrets && npm run chart-update && npm run synth');
  expect(scaffoldNextStep('it\'s $(here)', false)).toBe('next: cd \'it\'\\\'\'s $(here)\' && npm install && npm run init-secrets && npm run chart-update && npm run synth');
  expect(scaffoldNextStep('.', true)).toBe('next: npm install && npm run init-secrets && npm run chart-update && npm run synth');
});

test('the package name follows the folder\'s, but is never one of the scaffold\'s own dependencies (npm refuses to install those)', () => {
  expect(scaffoldPackageName('My Ops')).toBe('my-ops');
  expect(scaffoldPackageName('_ops')).toBe('ops');
  expect(scaffoldPackageName('')).toBe('binderhub-deployments');
  expect(scaffoldPackageName('binderhub-cdk8s')).toBe('binderhub-cdk8s-deployments');
  expect(scaffoldPackageName('CDK8s')).toBe('cdk8s-deployments');
  expect(scaffoldPackageName('typescript')).toBe('typescript-deployments');
  const deps = JSON.parse(scaffoldFiles('ops', VERSIONS).get('package.json')!);
  for (const dependency of [...Object.keys(deps.dependencies), ...Object.keys(deps.devDependencies)]) {
    expect(scaffoldPackageName(dependency)).not.toBe(dependency);
  }
});

test('--existing with a file where the scaffold puts a folder is refused in one line before anything is written', () => {
  const cwd = folder();
  fs.writeFileSync(path.join(cwd, 'test'), '');
  const refused = runCommand('init', cwd, {}, ['--existing']);
  expect([refused.status, refused.stdout, refused.stderr]).toEqual([1, '', 'error: test is a file, where init writes the folder of test/main.test.ts; move it away, then run init again\n']);
  expect(fs.readdirSync(cwd)).toEqual(['test']);
});

describe('--existing names what a kept file lacks, and changes it not', () => {
  test.each([
    ['a .gitignore without the secret folders', '.gitignore', 'node_modules/\n', [
      'warning: the kept .gitignore does not ignore secrets/: add the line secrets/, or tokens can reach git',
      'warning: the kept .gitignore does not ignore dist-secrets/: add the line dist-secrets/, or tokens can reach git',
    ]],
    ['a .gitignore with them, rooted or not', '.gitignore', '/secrets/\r\ndist-secrets/\n', []],
    ['a package.json of another project', 'package.json', '{"name":"x","scripts":{"synth":"x"}}', [
      'warning: the kept package.json lacks the dependency binderhub-cdk8s, the script init-secrets, the script diff, the script chart-update, the script check-dist, '
      + 'the script apply, the script patch-hub-url, the script status, the script teardown, the script prune-command, the script adopt: add them as a new scaffold\'s package.json has them',
    ]],
    ['a package.json that is not JSON', 'package.json', '{', ['warning: the kept package.json is not JSON: npm cannot install the scaffold\'s dependencies from it']],
    ['a main.ts of its own', 'main.ts', '// mine\n', []],
  ])('%s', (_name, file, text, warnings) => {
    expect(keptFileWarnings(file, text)).toEqual(warnings);
  });

  test('the command prints them after the kept file, and the file stays as it was', () => {
    const cwd = folder();
    fs.writeFileSync(path.join(cwd, '.gitignore'), 'node_modules/\n');
    const result = runCommand('init', cwd, {}, ['--existing']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('kept .gitignore: it exists\n');
    expect(result.stderr).toBe('warning: the kept .gitignore does not ignore secrets/: add the line secrets/, or tokens can reach git\n'
      + 'warning: the kept .gitignore does not ignore dist-secrets/: add the line dist-secrets/, or tokens can reach git\n');
    expect(fs.readFileSync(path.join(cwd, '.gitignore'), 'utf8')).toBe('node_modules/\n');
  });
});
