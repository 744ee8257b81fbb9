import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TODAY } from './adopt-fixtures';
import { git, runCommand, synthesizedExamplePerTest } from './helpers';
import { ConfigError, privateFolderProblem, publishedFolderProblems, publishManifests, SecretStore } from '../lib/internal';

/** A project folder with dist/ holding one manifest, and a folder outside it. */
function project(): { root: string; outside: string } {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'private-folders-'));
  const root = path.join(top, 'project');
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'a.k8s.yaml'), 'a: 1\n');
  fs.mkdirSync(path.join(top, 'outside'));
  return { root, outside: path.join(top, 'outside') };
}

/** Every file under `folder`, relative to it. */
const filesUnder = (folder: string) => (fs.readdirSync(folder, { recursive: true }) as string[]).sort();

describe('privateFolderProblem', () => {
  test('folders of their own, in the project or not there yet, and links out of the project are fine', () => {
    const { root, outside } = project();
    fs.mkdirSync(path.join(root, 'secrets'));
    fs.symlinkSync(outside, path.join(root, 'dist-secrets'));
    for (const folder of ['secrets', 'dist-secrets', 'not-yet', outside, path.join(root, 'secrets')]) {
      expect(privateFolderProblem(folder, { manifests: 'dist', root })).toBeUndefined();
    }
  });

  test('a project reached through a link is judged by where it really is', () => {
    const { root } = project();
    fs.mkdirSync(path.join(root, 'dist-secrets'));
    const linkedRoot = path.join(path.dirname(root), 'linked-project');
    fs.symlinkSync(root, linkedRoot);
    expect(privateFolderProblem('dist-secrets', { manifests: 'dist', root: linkedRoot })).toBeUndefined();
    expect(privateFolderProblem(path.join(root, 'dist-secrets'), { manifests: 'dist', root: linkedRoot })).toBeUndefined();
  });

  test.each([
    ['dist-secrets', 'dist', 'dist-secrets is a link to dist, inside the project'],
    ['secrets', 'docs/keys', 'secrets is a link to docs/keys, inside the project'],
    ['secrets', '.', 'secrets is a link to ., inside the project'],
    ['dist-secrets', 'dist/later', 'dist-secrets is a link to dist/later, inside the project'], // to a folder not made yet
  ])('%s as a link to %s is refused, naming both and the fix', (folder, target, expected) => {
    const { root } = project();
    fs.mkdirSync(path.join(root, 'docs', 'keys'), { recursive: true });
    fs.symlinkSync(target, path.join(root, folder));
    const problem = privateFolderProblem(folder, { root });
    expect(problem).toBe(`${expected}, where git may commit the secrets written there; make ${folder} a folder of its own (or a link to a folder outside any git repository)`);
    expect(privateFolderProblem(folder, { manifests: 'dist', root })).toBe(problem);
  });

  test('a folder inside the manifests, or the manifests folder itself, is refused even without a link', () => {
    const { root } = project();
    expect(privateFolderProblem('dist/secrets', { manifests: 'dist', root })).toMatch(/^dist\/secrets is inside dist, where git may commit .*; name a folder outside dist/);
    expect(privateFolderProblem('dist', { manifests: 'dist', root })).toMatch(/^dist is the folder dist, where git may commit/);
    // Without the manifests folder named (the early renders), only links are judged.
    expect(privateFolderProblem('dist/secrets', { root })).toBeUndefined();
  });

  test('a loop of links is refused, a link to itself too', () => {
    const { root } = project();
    fs.symlinkSync('b', path.join(root, 'a'));
    fs.symlinkSync('a', path.join(root, 'b'));
    fs.symlinkSync('self', path.join(root, 'self'));
    expect(privateFolderProblem('a', { manifests: 'dist', root })).toMatch(/^a is a loop of links; make a a folder of its own/);
    expect(privateFolderProblem('self', { manifests: 'dist', root })).toMatch(/^self is a loop of links; make self a folder of its own/);
  });

  test('a folder named through a link to the project (the shell\'s $PWD) is judged as the folder it is', () => {
    const { root } = project();
    fs.mkdirSync(path.join(root, 'dist-secrets'));
    fs.mkdirSync(path.join(root, 'docs'));
    fs.symlinkSync('docs', path.join(root, 'keys'));
    const linkedRoot = path.join(path.dirname(root), 'linked-project');
    fs.symlinkSync(root, linkedRoot);
    for (const folder of ['dist-secrets', 'not-yet']) {
      expect(privateFolderProblem(path.join(linkedRoot, folder), { manifests: 'dist', root })).toBeUndefined();
    }
    expect(privateFolderProblem(path.join(linkedRoot, 'keys', 'secrets'), { manifests: 'dist', root })).toMatch(/ is a link to docs\/secrets, inside the project/);
  });

  test('a link out of the project into a git work tree (the repository that holds the project, or another) is refused', () => {
    const { root, outside } = project();
    fs.mkdirSync(path.join(outside, '.git'));
    fs.mkdirSync(path.join(outside, 'docs'));
    fs.symlinkSync(path.join(outside, 'docs'), path.join(root, 'dist-secrets'));
    expect(privateFolderProblem('dist-secrets', { manifests: 'dist', root }))
      .toBe(`dist-secrets is a link to ${path.join(outside, 'docs')}, inside the git work tree ${outside}, where git may commit the secrets written there; `
        + 'make dist-secrets a folder of its own (or a link to a folder outside any git repository)');
  });
});

/** `act` run in `folder` as the working folder, as the commands run in the project's. */
function inFolder<T>(folder: string, act: () => T): T {
  const cwd = process.cwd();
  process.chdir(folder);
  try {
    return act();
  } finally {
    process.chdir(cwd);
  }
}

describe('nothing is written into a private folder that a link puts inside the project', () => {
  test('publishManifests refuses before writing; the review commands report it', () => {
    const { root } = project();
    fs.symlinkSync('dist', path.join(root, 'dist-secrets'));
    const targets = { manifests: 'dist', secrets: 'dist-secrets' };
    const files = new Map([['a.k8s.yaml', 'a: 2\n'], ['a-secrets.k8s.yaml', 'kind: Secret\n']]);
    expect(() => inFolder(root, () => publishManifests(files, targets))).toThrow(ConfigError);
    expect(filesUnder(path.join(root, 'dist'))).toEqual(['a.k8s.yaml']);
    expect(fs.readFileSync(path.join(root, 'dist', 'a.k8s.yaml'), 'utf8')).toBe('a: 1\n');
    expect(inFolder(root, () => publishedFolderProblems(targets))).toEqual([expect.stringMatching(/^dist-secrets is a link to dist, inside the project/)]);
  });

  test('SecretStore creates and rotates no secrets file there', () => {
    const { root } = project();
    fs.mkdirSync(path.join(root, 'dist', 'keys'));
    fs.symlinkSync(path.join('dist', 'keys'), path.join(root, 'secrets'));
    const store = new SecretStore('secrets');
    expect(() => inFolder(root, () => store.init('a'))).toThrow(/^secrets is a link to dist\/keys, inside the project/);
    expect(filesUnder(path.join(root, 'dist', 'keys'))).toEqual([]);
    // A file placed there by hand is not rotated in place either.
    fs.writeFileSync(path.join(root, 'dist', 'keys', 'a.json'), '{}', { mode: 0o600 });
    expect(() => inFolder(root, () => store.rotate('a', ['cookieSecret']))).toThrow(/^secrets is a link to dist\/keys/);
    expect(fs.readFileSync(path.join(root, 'dist', 'keys', 'a.json'), 'utf8')).toBe('{}');
  });
});

describe('a pull request that commits dist-secrets as a link to dist/', () => {
  const example = synthesizedExamplePerTest('private-folders-example-');

  test('makes synth fail in one line before it writes a Secret into dist/; check-dist names it', () => {
    const dir = example.folder();
    const before = filesUnder(path.join(dir, 'dist'));
    git(dir, 'init', '-q');
    fs.rmSync(path.join(dir, 'dist-secrets'), { recursive: true });
    fs.symlinkSync('dist', path.join(dir, 'dist-secrets'));
    // git ignores the folder dist-secrets/, not a link of that name: a pull request can carry one.
    fs.writeFileSync(path.join(dir, '.gitignore'), 'dist-secrets/\nsecrets/\n');
    git(dir, 'add', 'dist-secrets');
    expect(git(dir, 'ls-files', 'dist-secrets')).toBe('dist-secrets\n');

    const synth = runCommand('synth', dir);
    expect(synth.status).toBe(1);
    expect(synth.stderr).toBe('error: dist-secrets is a link to dist, inside the project, where git may commit the secrets written there; '
      + 'make dist-secrets a folder of its own (or a link to a folder outside any git repository)\n');
    expect(filesUnder(path.join(dir, 'dist'))).toEqual(before);
    const check = runCommand('check-dist', dir);
    expect(check.status).toBe(1);
    expect(check.output).toContain('problem: dist-secrets is a link to dist, inside the project');
    // diff --live would have kubectl copy the live Secrets there: refused before kubectl is asked anything.
    const live = runCommand('diff', dir, { KUBECTL: '/nonexistent/kubectl' }, ['--live']);
    expect(live.status).toBe(2);
    expect(live.stderr).toMatch(/^error: dist-secrets is a link to dist, inside the project/);
    expect(filesUnder(path.join(dir, 'dist'))).toEqual(before);
  });

  test('or files there added with git add -f: nothing is written over them, check-dist names them', () => {
    const dir = example.folder();
    git(dir, 'init', '-q');
    fs.writeFileSync(path.join(dir, '.gitignore'), 'dist-secrets/\nsecrets/\n');
    fs.writeFileSync(path.join(dir, 'dist-secrets', 'staging-secrets.k8s.yaml'), 'forged: 1\n');
    fs.writeFileSync(path.join(dir, 'secrets', '.helm-renders.json'), '{}');
    fs.writeFileSync(path.join(dir, 'secrets', '.gitkeep'), ''); // no file the commands write: fine
    git(dir, 'add', '-f', 'dist-secrets/staging-secrets.k8s.yaml', 'secrets/.helm-renders.json', 'secrets/.gitkeep');

    const refusal = (file: string, folder: string) => `error: ${file} is tracked by git, so the secrets the commands write into ${folder} `
      + `would be committed; remove it from git (\`git rm --cached ${file}\`) and find out who added it\n`;
    expect(runCommand('synth', dir).stderr).toBe(refusal('dist-secrets/staging-secrets.k8s.yaml', 'dist-secrets'));
    expect(runCommand('init-secrets', dir).stderr).toBe(refusal('secrets/.helm-renders.json', 'secrets'));
    git(dir, 'rm', '-q', '--cached', 'dist-secrets/staging-secrets.k8s.yaml');
    const synth = runCommand('synth', dir);
    expect(synth.status).toBe(1);
    expect(synth.stderr).toBe(refusal('secrets/.helm-renders.json', 'secrets'));
    expect(fs.readFileSync(path.join(dir, 'secrets', '.helm-renders.json'), 'utf8')).toBe('{}');
    // The review commands synthesize too: with only the file in dist-secrets/ tracked, check-dist names it.
    git(dir, 'rm', '-q', '--cached', 'secrets/.helm-renders.json');
    git(dir, 'add', '-f', 'dist-secrets/staging-secrets.k8s.yaml');
    const check = runCommand('check-dist', dir);
    expect(check.output).toContain('problem: dist-secrets/staging-secrets.k8s.yaml is tracked by git, so the secrets the commands write into dist-secrets');
    expect(fs.readFileSync(path.join(dir, 'dist-secrets', 'staging-secrets.k8s.yaml'), 'utf8')).toBe('forged: 1\n');

    git(dir, 'rm', '-q', '--cached', 'dist-secrets/staging-secrets.k8s.yaml');
    expect(runCommand('synth', dir).status).toBe(0);
  });

  test('or secrets as such a link: synth, init-secrets and adopt write no token, value or plan there', () => {
    const dir = example.folder();
    const before = filesUnder(path.join(dir, 'dist'));
    fs.rmSync(path.join(dir, 'secrets'), { recursive: true });
    fs.symlinkSync('dist', path.join(dir, 'secrets'));
    for (const [command, args] of [['synth', []], ['init-secrets', []], ['adopt', ['--name', 'adopted', '--secret', TODAY[0], '--config', TODAY[1]]]] as const) {
      const result = runCommand(command, dir, {}, [...args]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^error: secrets is a link to dist, inside the project, where git may commit the secrets written there; make secrets a folder of its own/);
    }
    expect(filesUnder(path.join(dir, 'dist'))).toEqual(before);
  });
});
