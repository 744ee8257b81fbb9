/** What `binderhub-cdk8s init` writes: an operator's project that depends on this package. Pure: files as text. */
import { HELP_OPTION, parseCliArgs } from './cli';
import { HELP_USAGE, ParsedArgs } from './command-args';
import { ConfigError } from '../core/errors';
import { shellWord } from '../core/shell';

export const INIT_USAGE = `usage: binderhub-cdk8s init [<folder>] [--existing]

Scaffolds a project of your own that depends on binderhub-cdk8s: package.json (with the npm scripts), cdk8s.yaml,
tsconfig.json, .gitignore, a main.ts with one deployment as the guide's quick start has it, a jest snapshot test of
it and a README of the workflow. The folder (default: the working folder) must be empty or new.

  --existing             write into a folder that has files: only the files that are missing, none replaced
${HELP_USAGE}`;

/** `binderhub-cdk8s init`'s arguments. */
export interface InitOptions {
  readonly folder: string;
  readonly existing: boolean;
}

/** `binderhub-cdk8s init`'s arguments, checked; bad ones are one-line ConfigErrors. */
export function parseInitArgs(argv: string[]): ParsedArgs<InitOptions> {
  const { values: args, positionals } = parseCliArgs({ args: argv, allowPositionals: true, options: { existing: { type: 'boolean', default: false }, ...HELP_OPTION } });
  if (args.help) return 'help';
  if (positionals.length > 1) throw new ConfigError(`init takes one folder, got ${positionals.length}: ${positionals.join(', ')}; see --help`);
  return { folder: positionals[0] ?? '.', existing: args.existing };
}

/** The version range of each package a scaffold depends on, by package name (this package's and those it is built with). */
export type ScaffoldVersions = Readonly<Record<string, string>>;

/** The commands a scaffold's package.json runs as npm scripts, by the same names as in this repository. */
const SCRIPT_COMMANDS = ['synth', 'init-secrets', 'diff', 'chart-update', 'check-dist', 'apply', 'patch-hub-url', 'status', 'teardown', 'prune-command', 'adopt'];

/** A scaffold's dependencies, and the packages it is built and tested with. */
const DEPENDENCIES = ['binderhub-cdk8s', 'cdk8s', 'constructs'];
const DEV_DEPENDENCIES = ['@types/jest', '@types/node', 'cdk8s-cli', 'jest', 'ts-jest', 'typescript'];

/**
 * The package name of a project in `folder` (its folder's name): lower case, only the characters npm allows, and
 * never the name of one of its own dependencies, which npm refuses to install into a package of that name.
 */
export function scaffoldPackageName(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'binderhub-deployments';
  return [...DEPENDENCIES, ...DEV_DEPENDENCIES].includes(name) ? `${name}-deployments` : name;
}

/** What to run after `init <folder>` (`here`: the folder is the working folder), as a line to paste into a shell. */
export function scaffoldNextStep(folder: string, here: boolean): string {
  return `next: ${here ? '' : `cd ${shellWord(folder)} && `}npm install && npm run init-secrets && npm run chart-update && npm run synth`;
}

/** The files of a new project named `name` (a package name), by path relative to its folder. */
export function scaffoldFiles(name: string, versions: ScaffoldVersions): Map<string, string> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const pinned = (dependencies: string[]) => Object.fromEntries(dependencies.map(dependency => [dependency, versions[dependency]]));
  return new Map([
    ['package.json', json({
      name,
      private: true,
      scripts: { ...Object.fromEntries(SCRIPT_COMMANDS.map(command => [command, `binderhub-cdk8s ${command}`])), test: 'tsc && jest' },
      dependencies: pinned(DEPENDENCIES),
      devDependencies: pinned(DEV_DEPENDENCIES),
      jest: { testEnvironment: 'node', roots: ['<rootDir>/test'], transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] } },
    })],
    ['cdk8s.yaml', [
      '# `cdk8s synth` runs the same synth as `npm run synth`: dist/ and dist-secrets/ are written all or nothing, and the',
      '# CLI\'s own folder below (which it empties first, so it must never be dist/) gets copies of the dist/ files.',
      'language: typescript',
      'app: npx binderhub-cdk8s synth',
      'output: build/cdk8s',
      '',
    ].join('\n')],
    ['tsconfig.json', json({
      compilerOptions: {
        target: 'ES2022', module: 'commonjs', lib: ['ES2022'], types: ['node', 'jest'], strict: true, noEmit: true, esModuleInterop: true,
        skipLibCheck: true,
      },
      include: ['main.ts', 'deployments/**/*.ts', 'test/**/*.ts'],
    })],
    ['.gitignore', [
      'node_modules/',
      'build/',
      '# Tokens and credentials (npm run init-secrets): never commit them.',
      'secrets/',
      '# Secrets kept out of dist/ (SecretsMode.separate, the default): never commit them. dist/ itself is committed.',
      'dist-secrets/',
      '.dist-staging-*/',
      '',
    ].join('\n')],
    ['main.ts', MAIN_TS],
    ['test/main.test.ts', TEST_TS],
    ['README.md', README_MD],
  ]);
}

const MAIN_TS = `/**
 * Your BinderHub deployments. \`npm run synth\` renders each into dist/<name>.k8s.yaml (commit it) and its Secrets
 * into dist-secrets/ (never commit it); the tokens and credentials live in secrets/<name>.json (npm run init-secrets).
 */
import { BinderHub, BinderHubApp, Registry } from 'binderhub-cdk8s';

export default new BinderHubApp(app => {
  // The guide's quick start: JupyterHub and BinderHub behind LoadBalancer services. Once Service proxy-public has
  // its address, \`npm run patch-hub-url -- --deployment binder\` puts the hub URL in.
  new BinderHub(app, 'binder', {
    namespace: 'binder',
    tokens: app.secrets('binder').tokens,
    // Builds run in this deployment's own Docker-in-Docker and push to Docker Hub, where every node pulls them. Put
    // the account's password (or an access token) into secrets/binder.json, credentials.registryPassword.
    registry: Registry.dockerHub({
      username: 'your-docker-id',
      password: app.credential('binder', 'registryPassword'),
      imagePrefix: 'your-docker-id/binder-',
    }),
  });
});
`;

const TEST_TS = `import { Testing } from 'cdk8s';
import { DeploymentsScope } from 'binderhub-cdk8s';
import app from '../main';

// Stand-in tokens and credentials (no secrets/ needed), the chart BINDERHUB_CHART names or the pinned public one.
test('the deployments synthesize to what the snapshot holds', () => {
  const scope = DeploymentsScope.forTesting();
  app.define(scope);
  expect(scope.charts.map(chart => Testing.synth(chart))).toMatchSnapshot();
});
`;

const README_MD = `# BinderHub deployments

Described in \`main.ts\` with the binderhub-cdk8s package, rendered into \`dist/\` as static Kubernetes manifests.

    npm install                      # the dependencies, and the pinned helm and kubectl
    npm run init-secrets             # tokens into secrets/<deployment>.json (git-ignored); add the credentials it names
    npm run chart-update             # lock the newest supported binderhub chart by its digest in charts.lock (commit it)
    npm run synth                    # dist/<deployment>.k8s.yaml (commit it) and dist-secrets/ (never commit it)
    npm run diff                     # what a change to main.ts changes, object by object
    npm run apply -- --deployment binder
    npm run patch-hub-url -- --deployment binder   # once Service proxy-public has its address

\`npm test\` type-checks and runs the snapshot test; update the snapshot (\`npx jest -u\`) when a change is meant.
Upgrade binderhub-cdk8s with one version bump in package.json; its CHANGELOG says what each release changes.
`;

/** The lines of the scaffold's .gitignore that keep secrets out of git. */
const SECRET_FOLDERS = ['secrets/', 'dist-secrets/'];

/**
 * What a file that `init --existing` kept lacks of what the scaffold needs, one warning each (the file is not
 * changed): a .gitignore that lets secrets/ or dist-secrets/ into git, a package.json without binderhub-cdk8s or
 * the npm scripts the next step runs.
 */
export function keptFileWarnings(file: string, text: string): string[] {
  if (file === '.gitignore') {
    const lines = text.split(/\r?\n/).map(line => line.trim());
    return SECRET_FOLDERS.filter(folder => !lines.includes(folder) && !lines.includes(`/${folder}`))
      .map(folder => `warning: the kept .gitignore does not ignore ${folder}: add the line ${folder}, or tokens can reach git`);
  }
  if (file === 'package.json') {
    let pkg: { dependencies?: Record<string, unknown>; scripts?: Record<string, unknown> };
    try {
      pkg = JSON.parse(text);
    } catch {
      return ['warning: the kept package.json is not JSON: npm cannot install the scaffold\'s dependencies from it'];
    }
    const missing = [
      ...pkg.dependencies?.['binderhub-cdk8s'] === undefined ? ['the dependency binderhub-cdk8s'] : [],
      ...SCRIPT_COMMANDS.filter(command => pkg.scripts?.[command] === undefined).map(command => `the script ${command}`),
    ];
    return missing.length === 0 ? [] : [`warning: the kept package.json lacks ${missing.join(', ')}: add them as a new scaffold's package.json has them`];
  }
  return [];
}
