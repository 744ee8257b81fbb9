/**
 * A project's own main.ts, as the commands run it: compiled with every local module it imports whenever one changed
 * (so an edit is never missed), its deployments found by the commands instead of a fixed list (so renaming or
 * removing one just works), and its mistakes as one-line errors before anything is written.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { BinderHub, BinderHubApp, discoverApp } from '../lib/internal';
import example from '../main';
import { fakeTokens, projectWorkspace as project, runCommand as run, TEST_REGISTRY, writeSite } from './helpers';

const files = (dir: string, folder: string) => fs.existsSync(path.join(dir, folder)) ? fs.readdirSync(path.join(dir, folder)).sort() : [];

describe('an edit to a module that main.ts imports', () => {
  const dir = project(['alpha'], { replicas: 1 });

  beforeAll(() => {
    expect(run('init-secrets', dir).status).toBe(0);
    expect(run('synth', dir).status).toBe(0);
    writeSite(dir, ['alpha'], { replicas: 2 });
  });

  test('shows in diff and check-dist at once, and synth writes it', () => {
    const diff = run('diff', dir);
    expect(diff.status).toBe(1);
    expect(diff.stdout).toMatch(/a fresh synth of every deployment against dist\/ and dist-secrets\/: /);
    const check = run('check-dist', dir);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('problem: dist/alpha.k8s.yaml differs from a fresh synth');
    const synth = run('synth', dir);
    expect(synth.stdout).toContain('wrote dist/alpha.k8s.yaml');
    expect(run('diff', dir).stdout).toMatch(/^no changes: /);
  });
});

describe('renaming a deployment in main.ts', () => {
  const dir = project(['alpha']);

  test('init-secrets follows main.ts: only its deployments get files', () => {
    const init = run('init-secrets', dir);
    expect(init.stdout).toBe('created secrets/alpha.json (5 tokens)\n');
    expect(files(dir, 'secrets')).toEqual(['alpha.json']);
    expect(run('synth', dir).status).toBe(0);
    expect(files(dir, 'dist')).toEqual(['alpha.k8s.yaml']);
  });

  test('the renamed deployment needs its secrets first; nothing is written until then, then the old files go', () => {
    writeSite(dir, ['beta']);
    const before = fs.readFileSync(path.join(dir, 'dist', 'alpha.k8s.yaml'));
    const refused = run('synth', dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe('error: secrets file secrets/beta.json for deployment "beta" does not exist; run `npm run init-secrets -- beta` to generate its tokens\n');
    expect(fs.readFileSync(path.join(dir, 'dist', 'alpha.k8s.yaml'))).toEqual(before);
    expect(run('init-secrets', dir).stdout).toBe('created secrets/beta.json (5 tokens)\n');
    const synth = run('synth', dir);
    expect(synth.status).toBe(0);
    expect(synth.output).not.toMatch(/warning/);
    expect(files(dir, 'dist')).toEqual(['beta.k8s.yaml']);
    expect(files(dir, 'dist-secrets')).toEqual(['beta-secrets.k8s.yaml']);
  });

  test('a deployment named to init-secrets whose secrets main.ts does not read gets tokens, and a warning', () => {
    const init = run('init-secrets', dir, {}, ['gamma']);
    expect(init.stdout).toBe('created secrets/gamma.json (5 tokens)\n');
    expect(init.stderr).toBe('warning: main.ts reads no secrets of gamma (`app.secrets(\'gamma\')`); its file holds tokens only\n');
  });
});

describe('a main.ts the commands cannot use: one line, nothing written', () => {
  const cases: Array<[string, string | undefined, RegExp]> = [
    ['no main.ts', undefined, /^error: main\.ts does not exist here: run the command in your project's folder \(`npx binderhub-cdk8s init` makes one\)\n$/],
    ['no default export', 'export const app = 1;\n', /^error: main\.ts exports no BinderHubApp by default; end it with `export default new BinderHubApp\(app => \{ \.\.\. \}\)`\n$/],
    ['a syntax error', 'export default new (;\n', /^error: main\.ts:1:21: Unexpected ";"; fix it, then run the command again\n$/],
    ['an import of a module that is not there', 'import { X } from \'./nowhere\';\nexport default X;\n', /^error: main\.ts:1:19: Could not resolve "\.\/nowhere"; fix it, then run the command again\n$/],
    ['an error its code throws when loaded', 'import { BinderHubApp } from \'binderhub-cdk8s\';\nthrow new RangeError(\'no site\');\n',
      /^error: main\.ts:2:7: RangeError: no site; fix it, then run the command again\n$/],
    ['an error a module it imports throws while defining the deployments', [
      'import { BinderHubApp } from \'binderhub-cdk8s\';',
      'import { defineSite } from \'./deployments/site\';',
      'export default new BinderHubApp(app => defineSite(app));',
      '',
    ].join('\n'), /^error: deployments\/site\.ts:3:19: TypeError: Cannot read properties of undefined \(reading 'registry'\); fix it, then run the command again\n$/],
  ];
  test.each(cases)('%s', (_name, text, message) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-app-'));
    if (text !== undefined) fs.writeFileSync(path.join(dir, 'main.ts'), text);
    fs.mkdirSync(path.join(dir, 'deployments'));
    fs.writeFileSync(path.join(dir, 'deployments', 'site.ts'), 'export function defineSite(app: object) {\n  const settings: any = undefined;\n  return settings.registry;\n}\n');
    // Saved a while ago, in a project with node_modules: the second command runs main.ts from the cache of compiled apps.
    fs.mkdirSync(path.join(dir, 'node_modules'));
    const past = new Date(Date.now() - 60_000);
    for (const file of ['main.ts', 'deployments/site.ts', 'deployments', '.']) if (fs.existsSync(path.join(dir, file))) fs.utimesSync(path.join(dir, file), past, past);
    for (const command of ['synth', 'init-secrets']) {
      const result = run(command, dir);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
    expect(files(dir, '').filter(f => !['main.ts', 'deployments', 'node_modules'].includes(f))).toEqual([]);
    const compiles = !/does not exist|Unexpected|Could not resolve/.test(message.source);
    expect(files(dir, 'node_modules/.cache/binderhub-cdk8s')).toHaveLength(compiles ? 1 : 0);
  });
});

test('discoverApp: the example\'s names, namespaces and the credentials it asks for, without reading secrets/', () => {
  const cwd = process.cwd();
  process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), 'discover-')));
  fs.mkdirSync('sealed-secrets');
  fs.copyFileSync(path.join(__dirname, '..', 'sealed-secrets', 'prod.pem'), path.join('sealed-secrets', 'prod.pem'));
  try {
    expect(discoverApp(example)).toEqual({
      deployments: [{ name: 'staging', namespace: 'binderhub-staging' }, { name: 'prod', namespace: 'binderhub-prod' }],
      secrets: [{ name: 'staging', credentials: [] }, { name: 'prod', credentials: ['registryPassword'] }],
    });
  } finally {
    process.chdir(cwd);
  }
});

test('the previous dist/ is read only for sealed values: a project without them is not told of a file it cannot read', () => {
  const dir = project(['alpha']);
  expect(run('init-secrets', dir).status).toBe(0);
  expect(run('synth', dir).status).toBe(0);
  fs.writeFileSync(path.join(dir, 'dist', 'alpha.k8s.yaml'), '<<<<<<< ours\n');
  const synth = run('synth', dir);
  expect(synth.status).toBe(0);
  expect(synth.stderr).toBe('');
  expect(synth.stdout).toBe('wrote dist/alpha.k8s.yaml\nunchanged dist-secrets/alpha-secrets.k8s.yaml\n');
});

describe('a deployment defined inside another construct of main.ts', () => {
  const message = 'main.ts defines deployment alpha inside site: define each BinderHub in the app itself (`new BinderHub(app, \'alpha\', ...)`), '
    + 'whose files are dist/alpha.k8s.yaml and dist-secrets/alpha-secrets.k8s.yaml';

  test('is refused in one line when the deployments are discovered', () => {
    const app = new BinderHubApp(scope => {
      new BinderHub(new Construct(scope, 'site'), 'alpha', { tokens: fakeTokens(), registry: TEST_REGISTRY });
    });
    expect(() => discoverApp(app)).toThrow(message);
  });

  test('is refused by synth before anything is written, so its Secrets never land in dist/', () => {
    const dir = project(['alpha']);
    expect(run('init-secrets', dir).status).toBe(0);
    const main = path.join(dir, 'main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8')
      .replace('import {', 'import { Construct } from \'constructs\';\nimport {')
      .replace('new BinderHub(app, name,', 'new BinderHub(new Construct(app, \'site\'), name,'));
    const synth = run('synth', dir);
    expect([synth.status, synth.stdout, synth.stderr]).toEqual([1, '', `error: ${message}\n`]);
    expect(files(dir, 'dist')).toEqual([]);
  });
});

test('init-secrets writes the secrets files main.ts reads, named as it reads them, with the credentials it asks of each', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-names-'));
  fs.writeFileSync(path.join(dir, 'main.ts'), [
    'import { BinderHub, BinderHubApp, Registry } from \'binderhub-cdk8s\';',
    'export default new BinderHubApp(app => {',
    '  // One registry account for every deployment, in a secrets file of its own.',
    '  const password = app.credential(\'shared\', \'registryPassword\');',
    '  const registry = Registry.dockerHub({ username: \'testbot\', password, imagePrefix: \'testorg/alpha-\' });',
    '  new BinderHub(app, \'alpha\', { tokens: app.secrets(\'site-alpha\').tokens, registry });',
    '});',
    '',
  ].join('\n'));
  const init = run('init-secrets', dir);
  expect([init.stdout, init.stderr]).toEqual([
    'created secrets/shared.json (5 tokens; replace the placeholder in credentials.registryPassword)\ncreated secrets/site-alpha.json (5 tokens)\n', '',
  ]);
  expect(files(dir, 'secrets')).toEqual(['shared.json', 'site-alpha.json']);
  const synth = run('synth', dir);
  expect(synth.status).toBe(0);
  expect(files(dir, 'dist')).toEqual(['alpha.k8s.yaml']);
  // check-dist names the placeholder of the file the deployment's credential came from, not a file named after it.
  const check = run('check-dist', dir);
  expect(check.status).toBe(0);
  expect(check.stderr).toBe('warning: secrets/shared.json credentials.registryPassword is still the placeholder that npm run init-secrets wrote: '
    + 'put the real value there before you apply alpha\'s manifests\n');
});
