/** `manifestTextsAtRef`: what `npm run diff -- --against <ref>` reads from git, on small repositories made here. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { manifestTextsAtRef } from '../lib/internal';
import { git } from './helpers';


/** A repository with `files` committed on main; the working folder is moved into it for the test (git runs there). */
function repository(files: Record<string, string>): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'git-files-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.join(repo, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
  }
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'synth');
  process.chdir(repo);
  return repo;
}

/** Deletes the stored object `spec` names (`main:dist`), as a partial clone that never fetched it lacks it. */
function dropObject(repo: string, spec: string): void {
  const id = git(repo, 'rev-parse', spec).trim();
  fs.rmSync(path.join(repo, '.git', 'objects', id.slice(0, 2), id.slice(2)));
}

const home = process.cwd();
const gitSetting = process.env.GIT;
afterEach(() => {
  process.chdir(home);
  if (gitSetting === undefined) delete process.env.GIT; else process.env.GIT = gitSetting;
});

test('the *.k8s.yaml files of the folder at the ref, by name, with their text; other files are left out', () => {
  repository({ 'dist/staging.k8s.yaml': 'staging\n', 'dist/README.md': 'readme\n', 'dist/prod.k8s.yml': 'prod\n', 'main.ts': 'code\n' });
  expect([...manifestTextsAtRef('main', 'dist')]).toEqual([['dist/prod.k8s.yml', 'prod\n'], ['dist/staging.k8s.yaml', 'staging\n']]);
});

test.each([
  ['', '--against "": not a git ref; name a branch, tag or commit, such as --against origin/main'],
  ['-x', '--against "-x": not a git ref; name a branch, tag or commit, such as --against origin/main'],
])('a ref git would take for an option or nothing (%j) is refused', (ref, message) => {
  repository({ 'dist/prod.k8s.yaml': 'prod\n' });
  expect(() => manifestTextsAtRef(ref, 'dist')).toThrow(message);
});

test.each([
  ['origin/release', 'git fetch --depth=1 origin release'],
  ['fix/origin/header', 'git fetch --depth=1 origin fix/origin/header'],
])('a ref not in the repository (%s) names the fetch that gets it: only a leading origin/ is dropped', (ref, fetch) => {
  repository({ 'dist/prod.k8s.yaml': 'prod\n' });
  expect(() => manifestTextsAtRef(ref, 'dist'))
    .toThrow(`--against ${ref}: not a commit of the git repository here; fetch it first (in a shallow CI clone: ${fetch}) or name another ref`);
});

test('git not found where GIT points: one line that says to install git or set GIT', () => {
  const repo = repository({ 'dist/prod.k8s.yaml': 'prod\n' });
  process.env.GIT = path.join(repo, 'no-such-git');
  expect(() => manifestTextsAtRef('main', 'dist'))
    .toThrow(`--against needs git, but ${path.join(repo, 'no-such-git')} was not found: install git or set GIT to its path`);
});

test('a commit whose folder git cannot list (its tree missing, as in a partial clone) names the folder', () => {
  const repo = repository({ 'dist/prod.k8s.yaml': 'prod\n' });
  dropObject(repo, 'main:dist');
  expect(() => manifestTextsAtRef('main', 'dist')).toThrow(/^--against main: git ls-tree cannot list dist\/ there$/);
});

test('a file git cannot read at the commit (its content missing, as in a partial clone) is named', () => {
  const repo = repository({ 'dist/prod.k8s.yaml': 'prod\n', 'dist/staging.k8s.yaml': 'staging\n' });
  dropObject(repo, 'main:dist/staging.k8s.yaml');
  expect(() => manifestTextsAtRef('main', 'dist')).toThrow(/^--against main: git show cannot read dist\/staging\.k8s\.yaml there$/);
});
