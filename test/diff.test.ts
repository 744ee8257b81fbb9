/**
 * `npm run diff` end to end with real synths of the example (test chart), as operators and CI run it; and the diff
 * `npm run check-dist` prints when it fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { exampleWorkspace, git, runCommand as run } from './helpers';

/** Every file under dist/ and dist-secrets/ with its bytes and modification time. */
function snapshotOutput(cwd: string): Record<string, string> {
  return Object.fromEntries(['dist', 'dist-secrets'].flatMap(dir => fs.readdirSync(path.join(cwd, dir)).map(f => {
    const file = path.join(cwd, dir, f);
    return [`${dir}/${f}`, `${fs.statSync(file).mtimeMs}:${fs.readFileSync(file, 'base64')}`];
  })));
}

/** A workspace with secrets and a synth, as after `npm run init-secrets && npm run synth`. */
function synthesizedWorkspace(): string {
  const cwd = exampleWorkspace('diff-e2e-');
  expect(run('init-secrets', cwd).status).toBe(0);
  expect(run('synth', cwd).status).toBe(0);
  return cwd;
}

function secretsFile(cwd: string, deployment: string): { tokens: Record<string, string>; credentials: Record<string, string> } {
  return JSON.parse(fs.readFileSync(path.join(cwd, 'secrets', `${deployment}.json`), 'utf8'));
}

function setCredential(cwd: string, deployment: string, name: string, value: string): void {
  const file = path.join(cwd, 'secrets', `${deployment}.json`);
  const content = secretsFile(cwd, deployment);
  content.credentials[name] = value;
  fs.writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
}

function recordHubUrl(cwd: string, url: string): void {
  fs.mkdirSync(path.join(cwd, 'hub-urls'), { recursive: true });
  fs.writeFileSync(path.join(cwd, 'hub-urls', 'staging.url'), `${url}\n`);
}


const STAGING_HUB_URL = [
  'deployment staging:',
  '  changed: ConfigMap/binderhub-staging/binder-hub-url',
  '    metadata.annotations["binderhub-cdk8s.io/hub-url-source"]: "pending" → "discovered"',
  '    data.hub_url: "" → "http://203.0.113.9/"',
  '  restarts: Deployment/binderhub-staging/binder (checksum/hub-url changed)',
];

describe('npm run diff', () => {
  test('an unchanged app: one line "no changes", exit 0, and nothing under dist/ or dist-secrets/ touched', () => {
    const cwd = synthesizedWorkspace();
    const before = snapshotOutput(cwd);
    const result = run('diff', cwd);
    expect(result.stdout).toBe('no changes: a fresh synth of every deployment matches dist/ and dist-secrets/\n');
    expect(result.status).toBe(0);
    expect(snapshotOutput(cwd)).toEqual(before);
  });

  test('a changed hub URL record and a changed credential show exactly their objects, fields and restarts; --deployment filters', () => {
    const cwd = synthesizedWorkspace();
    recordHubUrl(cwd, 'http://203.0.113.9/');
    setCredential(cwd, 'prod', 'githubAccessToken', 'ghp_diffTestToken0123456789');
    const before = snapshotOutput(cwd);

    const all = run('diff', cwd);
    expect(all.stdout.split('\n')).toEqual([
      'deployment prod:',
      '  changed: SealedSecret/binderhub-prod/binder-secret key values.yaml re-sealed',
      '  restarts: Deployment/binderhub-prod/binder (checksum/config changed)',
      ...STAGING_HUB_URL,
      'a fresh synth of every deployment against dist/ and dist-secrets/: 2 changed, 0 added, 0 removed; 2 workload(s) restart',
      '',
    ]);
    expect(all.stderr).toBe('');
    expect(all.status).toBe(1);
    expect(all.output).not.toContain('diffTestToken');

    const staging = run('diff', cwd, {}, ['--deployment', 'staging']);
    expect(staging.stdout.split('\n')).toEqual([
      ...STAGING_HUB_URL,
      'a fresh synth of staging against dist/ and dist-secrets/: 1 changed, 0 added, 0 removed; 1 workload(s) restart',
      '',
    ]);
    expect(staging.status).toBe(1);
    expect(snapshotOutput(cwd)).toEqual(before);
  });

  test('a rotated token shows only the Secret keys that changed and the pods that restart, never a value', () => {
    const cwd = synthesizedWorkspace();
    const old = secretsFile(cwd, 'staging').tokens;
    expect(run('init-secrets', cwd, {}, ['--force', 'staging']).status).toBe(0);
    const rotated = secretsFile(cwd, 'staging').tokens;

    const result = run('diff', cwd);
    expect(result.stdout.split('\n')).toEqual([
      'deployment staging:',
      '  changed: Secret/binderhub-staging/hub key hub.config.ConfigurableHTTPProxy.auth_token',
      '  changed: Secret/binderhub-staging/hub key hub.config.CryptKeeper.keys',
      '  changed: Secret/binderhub-staging/hub key hub.config.JupyterHub.cookie_secret',
      '  changed: Secret/binderhub-staging/hub key hub.services.binder.apiToken',
      '  changed: Secret/binderhub-staging/hub key values.yaml',
      '  changed: Secret/binderhub-staging/binder-secret key values.yaml',
      '  restarts: Deployment/binderhub-staging/hub (checksum/secret changed)',
      '  restarts: Deployment/binderhub-staging/proxy (checksum/auth-token changed)',
      '  restarts: Deployment/binderhub-staging/binder (checksum/binder-api-token, checksum/config changed)',
      'a fresh synth of every deployment against dist/ and dist-secrets/: 2 changed, 0 added, 0 removed; 3 workload(s) restart',
      '',
    ]);
    expect(result.status).toBe(1);
    for (const token of [...Object.values(old), ...Object.values(rotated)]) {
      expect(result.output).not.toContain(token);
      expect(result.output).not.toContain(Buffer.from(token).toString('base64'));
    }

    // check-dist fails on the same change and shows it the same way, on stderr.
    const checked = run('check-dist', cwd);
    expect(checked.status).toBe(1);
    expect(checked.stderr).toContain(['what a fresh synth changes (npm run diff):', ...result.stdout.split('\n').slice(0, 10), 'problem: '].join('\n'));
    for (const token of Object.values(rotated)) expect(checked.output).not.toContain(token);
  });

  test('--against a git ref in a fresh clone: dist/ at that commit against a fresh synth', () => {
    const origin = synthesizedWorkspace();
    fs.writeFileSync(path.join(origin, '.gitignore'), 'secrets/\ndist-secrets/\n');
    git(origin, 'init', '-q', '-b', 'main');
    git(origin, 'add', '.');
    git(origin, 'commit', '-q', '-m', 'first synth');
    recordHubUrl(origin, 'http://203.0.113.9/');
    expect(run('synth', origin).status).toBe(0);
    git(origin, 'add', '.');
    git(origin, 'commit', '-q', '-m', 'hub URL');
    const first = git(origin, 'rev-parse', 'HEAD~').trim();

    const clone = fs.mkdtempSync(path.join(path.dirname(origin), 'diff-clone-'));
    git(clone, 'clone', '-q', origin, '.');
    fs.cpSync(path.join(origin, 'secrets'), path.join(clone, 'secrets'), { recursive: true }); // as CI gets them from its secret store
    expect(fs.existsSync(path.join(clone, 'dist-secrets'))).toBe(false);

    for (const ref of ['HEAD~', first]) {
      const result = run('diff', clone, {}, ['--against', ref]);
      expect(result.stdout.split('\n')).toEqual([
        ...STAGING_HUB_URL,
        `a fresh synth of every deployment against dist/ at ${ref}: 1 changed, 0 added, 0 removed; 1 workload(s) restart`,
        '',
      ]);
      expect(result.status).toBe(1);
    }
    const head = run('diff', clone, {}, ['--against', 'HEAD']);
    expect(head.stdout).toBe('no changes: a fresh synth of every deployment matches dist/ at HEAD\n');
    expect(head.status).toBe(0);
    expect(fs.existsSync(path.join(clone, 'dist-secrets'))).toBe(false);
    expect(git(clone, 'status', '--porcelain')).toBe('');
  });

  describe('errors: one line naming the setting and the fix, exit 2', () => {
    let cwd: string;
    beforeAll(() => {
      cwd = synthesizedWorkspace();
    });

    test.each([
      [['--deployment', 'nope'], 'error: --deployment nope: no such deployment in main.ts or dist/; name one of prod, staging\n'],
      [['--against', 'no-such-branch'], 'error: --against no-such-branch needs a git repository, and the folder here is not in one: run it in a clone\n'],
      [['--against=--output=x'], 'error: --against "--output=x": not a git ref; name a branch, tag or commit, such as --against origin/main\n'],
      // Node's own words for an unknown option differ between versions: only the start and the end are ours.
      [['--bogus'], /^error: Unknown option '--bogus'.*; see --help\n$/],
    ])('%j', (args, expected) => {
      const result = run('diff', cwd, { GIT_CEILING_DIRECTORIES: path.dirname(cwd) }, args); // no repository above the workspace
      expect(result.stderr).toMatch(expected);
      expect(result.stdout).toBe('');
      expect(result.status).toBe(2);
    });

    test('--help prints the usage and synthesizes nothing; an argument that is no option is refused', () => {
      const dir = exampleWorkspace('diff-args-');
      const help = run('diff', dir, {}, ['--help']);
      expect(help.stdout).toMatch(/^usage: npm run diff \[-- --deployment <name>\.\.\.\] \[--against <git-ref>\]\n +npm run diff -- --live \[--deployment <name>\.\.\.\] \[--prune\]/);
      expect(help.status).toBe(0);
      const extra = run('diff', dir, {}, ['prod']);
      expect(extra.stderr).toMatch(/^error: Unexpected argument 'prod'.*; see --help\n$/);
      expect(extra.status).toBe(2);
      expect(fs.readdirSync(dir).sort()).toEqual(['main.ts', 'sealed-secrets']);
    });

    test('a ref that is not in the repository names git fetch', () => {
      // A repository of its own: the shared workspace must stay outside any, for the case above, in any order.
      const repo = fs.mkdtempSync(path.join(path.dirname(cwd), 'diff-repo-'));
      fs.cpSync(cwd, repo, { recursive: true });
      git(repo, 'init', '-q');
      const result = run('diff', repo, {}, ['--against', 'origin/main']);
      expect(result.stderr).toBe('error: --against origin/main: not a commit of the git repository here; fetch it first '
        + '(in a shallow CI clone: git fetch --depth=1 origin main) or name another ref\n');
      expect(result.status).toBe(2);
    });
  });
});
