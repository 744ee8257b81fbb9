/** `npm run init-secrets` end to end, as its npm script runs it: --dir, --force, --rotate and --help. */
import * as fs from 'fs';
import * as path from 'path';
import { projectWorkspace, runCommand } from './helpers';

/** A project whose main.ts defines alpha and beta. */
const workspace = () => projectWorkspace(['alpha', 'beta']);
const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('npm run init-secrets', () => {
  test('--dir writes the named deployments\' files into that folder, mode 600, and nothing into secrets/', () => {
    const cwd = workspace();
    const result = runCommand('init-secrets', cwd, {}, ['--dir', 'keys', 'alpha', 'beta']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toBe('created keys/alpha.json (5 tokens)\ncreated keys/beta.json (5 tokens)\n');
    expect(fs.readdirSync(cwd).sort()).toEqual(['deployments', 'keys', 'main.ts']);
    expect(fs.readdirSync(path.join(cwd, 'keys')).sort()).toEqual(['alpha.json', 'beta.json']);
    expect(fs.statSync(path.join(cwd, 'keys', 'alpha.json')).mode & 0o777).toBe(0o600);
    expect(Object.keys(read(path.join(cwd, 'keys', 'alpha.json')).tokens).sort())
      .toEqual(['binderApiToken', 'buildTokenSecret', 'cookieSecret', 'cryptKeeperKey', 'proxySecretToken']);
  });

  test('--force rotates every token and keeps the credentials; without it the file stays as it is', () => {
    const cwd = workspace();
    expect(runCommand('init-secrets', cwd, {}, ['--dir', 'keys', 'alpha']).status).toBe(0);
    const file = path.join(cwd, 'keys', 'alpha.json');
    const before = read(file);
    fs.writeFileSync(file, JSON.stringify({ ...before, credentials: { githubAccessToken: 'ghp_initSecretsKeptToken42' } }), { mode: 0o600 });
    const written = fs.readFileSync(file, 'utf8');

    const kept = runCommand('init-secrets', cwd, {}, ['--dir', 'keys', 'alpha']);
    expect([kept.status, kept.stdout]).toEqual([0, 'kept keys/alpha.json: it exists already (--force rotates every token, --rotate <token> only that one)\n']);
    expect(fs.readFileSync(file, 'utf8')).toBe(written);

    const rotated = runCommand('init-secrets', cwd, {}, ['--dir', 'keys', '--force', 'alpha']);
    expect([rotated.status, rotated.stdout]).toEqual([0, 'rotated every token in keys/alpha.json (credentials kept); on the next apply '
      + 'Deployments hub, proxy and binder restart; every user is signed out; the hub cannot read the auth state it encrypted before '
      + '(users who have some sign in again); build tokens issued before are refused (a launch page opened before must be reloaded)\n']);
    const after = read(file);
    expect(after.credentials).toEqual({ githubAccessToken: 'ghp_initSecretsKeptToken42' });
    // Names only: a failure must not print a token.
    expect(Object.keys(before.tokens).filter(name => after.tokens[name] === before.tokens[name])).toEqual([]);
    expect(Object.keys(after.tokens).sort()).toEqual(Object.keys(before.tokens).sort());
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(rotated.output).not.toContain('ghp_initSecretsKeptToken42');
  });

  test('--rotate replaces only the tokens it names in each deployment named, says what restarts, and keeps the rest', () => {
    const cwd = workspace();
    expect(runCommand('init-secrets', cwd, {}, ['--dir', 'keys', 'alpha', 'beta']).status).toBe(0);
    const files = ['alpha', 'beta'].map(name => path.join(cwd, 'keys', `${name}.json`));
    const before = files.map(read);
    const result = runCommand('init-secrets', cwd, {}, ['--dir', 'keys', '--rotate', 'cookieSecret', 'alpha', 'beta']);
    const line = (file: string) => `rotated cookieSecret in ${file} (the other tokens and the credentials kept); `
      + 'on the next apply Deployment hub restarts; every user is signed out\n';
    expect([result.status, result.stdout, result.stderr]).toEqual([0, line('keys/alpha.json') + line('keys/beta.json'), '']);
    for (const [i, file] of files.entries()) {
      const after = read(file);
      // Names only: a failure must not print a token.
      expect(Object.keys(after.tokens).filter(name => after.tokens[name] !== before[i].tokens[name])).toEqual(['cookieSecret']);
      expect(after.credentials).toEqual(before[i].credentials);
    }
  });

  test.each([
    [['--rotate', 'cookie'], 'error: --rotate "cookie" names no token; the tokens are proxySecretToken, binderApiToken, cookieSecret, cryptKeeperKey, buildTokenSecret\n'],
    [['--force', '--rotate', 'cookieSecret'], 'error: --force rotates every token and --rotate only those it names: give one of them\n'],
  ])('%j is refused in one line and changes nothing', (args, message) => {
    const cwd = workspace();
    expect(runCommand('init-secrets', cwd, {}, ['--dir', 'keys', 'alpha']).status).toBe(0);
    const file = path.join(cwd, 'keys', 'alpha.json');
    const written = fs.readFileSync(file, 'utf8');
    const result = runCommand('init-secrets', cwd, {}, ['--dir', 'keys', ...args, 'alpha']);
    expect([result.status, result.stdout, result.stderr]).toEqual([1, '', message]);
    expect(fs.readFileSync(file, 'utf8')).toBe(written);
  });

  test('a bad deployment name after a good one is refused before any file is written', () => {
    const cwd = workspace();
    const result = runCommand('init-secrets', cwd, {}, ['--dir', 'keys', 'alpha', '../x']);
    expect([result.status, result.stdout, result.stderr]).toEqual([1, '', 'error: deployment name "../x" must be lowercase letters, digits and \'-\', '
      + 'start and end with a letter or digit, and be at most 63 characters\n']);
    expect(fs.readdirSync(cwd).sort()).toEqual(['deployments', 'main.ts']);
  });

  test('--help prints the usage and writes nothing', () => {
    const cwd = workspace();
    const help = runCommand('init-secrets', cwd, {}, ['--help']);
    expect([help.status, help.stdout]).toEqual([0, 'usage: npm run init-secrets -- [--force | --rotate <token>[,<token>...]] [--dir <folder>] [deployment...]\n']);
    expect(fs.readdirSync(cwd).sort()).toEqual(['deployments', 'main.ts']);
  });
});
