/** `npm run init-secrets` end to end, as its npm script runs it: --dir, --force and --help. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCommand } from './helpers';

const workspace = () => fs.mkdtempSync(path.join(os.tmpdir(), 'init-secrets-'));
const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('npm run init-secrets', () => {
  test('--dir writes the named deployments\' files into that folder, mode 600, and nothing into secrets/', () => {
    const cwd = workspace();
    const result = runCommand('init-secrets', cwd, {}, ['--dir', 'keys', 'alpha', 'beta']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toBe('created keys/alpha.json (5 tokens)\ncreated keys/beta.json (5 tokens)\n');
    expect(fs.readdirSync(cwd)).toEqual(['keys']);
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
    expect([kept.status, kept.stdout]).toEqual([0, 'kept keys/alpha.json: it exists already (--force rotates its tokens)\n']);
    expect(fs.readFileSync(file, 'utf8')).toBe(written);

    const rotated = runCommand('init-secrets', cwd, {}, ['--dir', 'keys', '--force', 'alpha']);
    expect([rotated.status, rotated.stdout])
      .toEqual([0, 'rotated the tokens in keys/alpha.json (credentials kept; the hub and proxy restart on the next apply)\n']);
    const after = read(file);
    expect(after.credentials).toEqual({ githubAccessToken: 'ghp_initSecretsKeptToken42' });
    // Names only: a failure must not print a token.
    expect(Object.keys(before.tokens).filter(name => after.tokens[name] === before.tokens[name])).toEqual([]);
    expect(Object.keys(after.tokens).sort()).toEqual(Object.keys(before.tokens).sort());
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(rotated.output).not.toContain('ghp_initSecretsKeptToken42');
  });

  test('--help prints the usage and writes nothing', () => {
    const cwd = workspace();
    const help = runCommand('init-secrets', cwd, {}, ['--help']);
    expect([help.status, help.stdout]).toEqual([0, 'usage: npm run init-secrets -- [--force] [--dir <folder>] [deployment...]\n']);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});
