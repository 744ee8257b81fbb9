/**
 * The options of the commands, in-process: every default as a literal (a changed default fails here, not only in a
 * command test that passes the option anyway), every option passed through, the refusals, and the usage text stating
 * the same defaults.
 */
import {
  ADOPT_USAGE, APPLY_USAGE, BENCH_USAGE, CHECK_DIST_USAGE, ConfigError, DIFF_USAGE, INIT_SECRETS_USAGE, initSecretsLine, parseAdoptArgs, parseApplyArgs,
  parseBenchArgs, parseDiffArgs, parseInitSecretsArgs, parsePatchHubUrlArgs, parsePruneCommandArgs, PATCH_HUB_URL_USAGE, PRUNE_COMMAND_USAGE,
  rotatedLine, parseStatusArgs, parseTeardownArgs, STATUS_USAGE, SYNTH_USAGE, TEARDOWN_USAGE,
} from '../lib/internal';

describe('parseApplyArgs (npm run apply)', () => {
  test('only --deployment: no prune, a 600 s timeout, dist/ and dist-secrets/, kubectl\'s own kubeconfig and context', () => {
    expect(parseApplyArgs(['--deployment', 'staging'])).toEqual({
      deployment: 'staging', prune: false, timeoutSec: 600, targets: { manifests: 'dist', secrets: 'dist-secrets' },
      kubeconfig: undefined, context: undefined, requestTimeoutSec: 30,
    });
  });

  test('every option is taken as given', () => {
    expect(parseApplyArgs(['--deployment', 'prod', '--prune', '--timeout', '90', '--dist', 'out', '--dist-secrets', 'out-secrets',
      '--kubeconfig', 'kc', '--context', 'ctx', '--request-timeout', '45'])).toEqual({
      deployment: 'prod', prune: true, timeoutSec: 90, targets: { manifests: 'out', secrets: 'out-secrets' }, kubeconfig: 'kc', context: 'ctx',
      requestTimeoutSec: 45,
    });
  });

  test.each([['--help'], ['-h'], ['--help', '--timeout', '0']])('%s asks for the usage, whatever else is given', (...argv) => {
    expect(parseApplyArgs(argv)).toBe('help');
  });

  test.each([
    [[], '--deployment is required; see --help'],
    [['--deployment', 'staging', '--timeout', '60s'], '--timeout must be a whole number of seconds from 1 to 86400 (a day), got "60s"'],
    [['--deployment', '../x'], '--deployment "../x" must be lowercase letters, digits and \'-\', start and end with a letter or digit, and be at most 63 characters'],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parseApplyArgs(argv)).toThrow(new ConfigError(message));
  });

  test('the usage ends with --help', () => {
    expect(APPLY_USAGE.split('\n').slice(-1)).toEqual(['  --help                 this text']);
  });

  test('an unknown option is refused, pointing to --help', () => {
    expect(() => parseApplyArgs(['--deployment', 'staging', '--force'])).toThrow(/^Unknown option '--force'.*; see --help$/);
  });

  test('the usage states the defaults the parser uses', () => {
    for (const line of ['(default: 600)', '--dist <dir>           the synthesized manifests (default: dist)',
      '--dist-secrets <dir>   Secrets kept out of dist/ (default: dist-secrets)']) {
      expect(APPLY_USAGE).toContain(line);
    }
  });
});

describe('parsePatchHubUrlArgs (npm run patch-hub-url)', () => {
  test('only --deployment: ask the cluster, http, 600 s, a first poll after 2 s, dist/ and hub-urls/, no apply', () => {
    expect(parsePatchHubUrlArgs(['--deployment', 'staging'])).toEqual({
      deployment: 'staging', dist: 'dist', address: undefined, scheme: 'http', timeoutSec: 600, intervalSec: 2,
      records: 'hub-urls', apply: false, kubeconfig: undefined, context: undefined, requestTimeoutSec: 30,
    });
  });

  test('every option is taken as given', () => {
    expect(parsePatchHubUrlArgs(['--deployment', 'prod', '--dist', 'out', '--address', 'hub.example.org', '--scheme', 'https',
      '--timeout', '30', '--interval', '5', '--records', 'urls', '--apply', '--kubeconfig', 'kc', '--context', 'ctx', '--request-timeout', '5'])).toEqual({
      deployment: 'prod', dist: 'out', address: 'hub.example.org', scheme: 'https', timeoutSec: 30, intervalSec: 5,
      records: 'urls', apply: true, kubeconfig: 'kc', context: 'ctx', requestTimeoutSec: 5,
    });
  });

  test.each([['--help'], ['-h']])('%s asks for the usage', option => {
    expect(parsePatchHubUrlArgs([option])).toBe('help');
  });

  test.each([
    [[], '--deployment is required; see --help'],
    [['--deployment', 'staging', '--scheme', 'ftp'], '--scheme must be http or https, got "ftp"'],
    [['--deployment', 'staging', '--interval', '0'], '--interval must be a whole number of seconds from 1 to 15 (the longest wait between polls), got "0"'],
    [['--deployment', 'staging', '--interval', 'Infinity'], '--interval must be a whole number of seconds from 1 to 15 (the longest wait between polls), got "Infinity"'],
    [['--deployment', 'staging', '--timeout', '0'], '--timeout must be a whole number of seconds from 1 to 86400 (a day), got "0"'],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parsePatchHubUrlArgs(argv)).toThrow(new ConfigError(message));
  });

  test('the usage states the defaults the parser uses', () => {
    for (const line of ['(default: dist)', '(default: http)', 'at most 86400 (default: 600)', 'it doubles up to 15 (default: 2)', '(default: hub-urls)']) {
      expect(PATCH_HUB_URL_USAGE).toContain(line);
    }
  });
});

describe('parseDiffArgs (npm run diff)', () => {
  test('no option: a fresh synth of every deployment against the working folders, nothing of --live', () => {
    expect(parseDiffArgs([])).toEqual({ deployment: [], against: undefined, live: false, prune: false, kubeconfig: undefined, context: undefined, requestTimeoutSec: 30 });
  });

  test('a deployment named twice is diffed once, in the order first named', () => {
    expect(parseDiffArgs(['--deployment', 'staging', '--deployment', 'prod', '--deployment', 'staging'])).toEqual({
      deployment: ['staging', 'prod'], against: undefined, live: false, prune: false, kubeconfig: undefined, context: undefined, requestTimeoutSec: 30,
    });
  });

  test('--against is taken as given', () => {
    expect(parseDiffArgs(['--against', 'origin/main', '--deployment', 'prod'])).toEqual({
      deployment: ['prod'], against: 'origin/main', live: false, prune: false, kubeconfig: undefined, context: undefined, requestTimeoutSec: 30,
    });
  });

  test('--live alone: no prune, kubectl\'s own kubeconfig and context', () => {
    expect(parseDiffArgs(['--live'])).toEqual({ deployment: [], against: undefined, live: true, prune: false, kubeconfig: undefined, context: undefined, requestTimeoutSec: 30 });
  });

  test('--live takes --prune, --kubeconfig, --context and --request-timeout as given', () => {
    expect(parseDiffArgs(['--live', '--deployment', 'prod', '--prune', '--kubeconfig', 'kc', '--context', 'ctx', '--request-timeout', '3600'])).toEqual({
      deployment: ['prod'], against: undefined, live: true, prune: true, kubeconfig: 'kc', context: 'ctx', requestTimeoutSec: 3600,
    });
  });

  test.each([['--help'], ['-h'], ['--help', '--live', '--against', 'HEAD']])('%s asks for the usage, whatever else is given', (...argv) => {
    expect(parseDiffArgs(argv)).toBe('help');
  });

  test.each([
    [['--live', '--against', 'HEAD'], '--live compares dist/ with the cluster, --against a synth with a git ref: give one of them'],
    [['--prune'], '--prune goes with --live; see --help'],
    [['--against', 'HEAD', '--context', 'ctx'], '--context goes with --live; see --help'],
    [['--kubeconfig', 'kc'], '--kubeconfig goes with --live; see --help'],
    [['--request-timeout', '10'], '--request-timeout goes with --live; see --help'],
    [['--live', '--request-timeout', '3601'], '--request-timeout must be a whole number of seconds from 1 to 3600 (an hour), got "3601"'],
    // An empty value is still the option given.
    [['--context='], '--context goes with --live; see --help'],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parseDiffArgs(argv)).toThrow(new ConfigError(message));
  });

  test('an argument that is no option is refused, pointing to --help', () => {
    expect(() => parseDiffArgs(['prod'])).toThrow(/^Unexpected argument 'prod'.*; see --help$/);
  });

  test('the usage states the defaults the parser uses', () => {
    for (const line of ['--deployment <name>    only this deployment; give it again for more (default: every deployment)',
      '(default: dist/ and dist-secrets/ as they are)', '--prune                with --live:',
      '--kubeconfig <file>    kubeconfig for kubectl (default: kubectl\'s own: KUBECONFIG, ~/.kube/config)',
      '--request-timeout <seconds>  how long the API server may take to answer one request, at most 3600 (default: 30)']) {
      expect(DIFF_USAGE).toContain(line);
    }
  });
});

describe('parseStatusArgs (npm run status)', () => {
  test('only --deployment: text, dist/ and dist-secrets/, hub-urls/, kubectl\'s own kubeconfig and context', () => {
    expect(parseStatusArgs(['--deployment', 'staging'])).toEqual({
      deployment: 'staging', json: false, targets: { manifests: 'dist', secrets: 'dist-secrets' }, records: 'hub-urls',
      kubeconfig: undefined, context: undefined, requestTimeoutSec: 30,
    });
  });

  test('every option is taken as given', () => {
    expect(parseStatusArgs(['--deployment', 'prod', '--json', '--dist', 'out', '--dist-secrets', 'out-secrets', '--records', 'urls',
      '--kubeconfig', 'kc', '--context', 'ctx', '--request-timeout', '45'])).toEqual({
      deployment: 'prod', json: true, targets: { manifests: 'out', secrets: 'out-secrets' }, records: 'urls', kubeconfig: 'kc', context: 'ctx', requestTimeoutSec: 45,
    });
  });

  test.each([
    [[], '--deployment is required; see --help'],
    [['--deployment', 'staging', '--yes'], 'Unknown option \'--yes\'; see --help'],
    [['--deployment', 'staging', '--request-timeout', '0x'], expect.stringMatching(/^--request-timeout/)],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parseStatusArgs(argv)).toThrow(ConfigError);
    expect(() => parseStatusArgs(argv)).toThrow(expect.objectContaining({ message }));
  });

  test('--help asks for the usage; the usage states the defaults and the exit statuses', () => {
    expect(parseStatusArgs(['--help'])).toBe('help');
    expect(STATUS_USAGE).toContain('--records <dir>        the recorded hub URLs (default: hub-urls)');
    expect(STATUS_USAGE).toContain('Exit status: 0 when every check is ok (or a warning), 1 when one fails, 2 when the cluster cannot be read.');
  });
});

describe('parseTeardownArgs (npm run teardown)', () => {
  test('only --deployment: a dry run that keeps the data, a 600 s wait for LoadBalancers, kubectl\'s own kubeconfig and context', () => {
    expect(parseTeardownArgs(['--deployment', 'staging'])).toEqual({
      deployment: 'staging', deleteData: false, yes: false, timeoutSec: 600, targets: { manifests: 'dist', secrets: 'dist-secrets' }, records: 'hub-urls',
      kubeconfig: undefined, context: undefined, requestTimeoutSec: 30,
    });
  });

  test('every option is taken as given', () => {
    expect(parseTeardownArgs(['--deployment', 'prod', '--delete-data', '--yes', '--timeout', '120', '--dist', 'out', '--dist-secrets', 'out-secrets',
      '--records', 'urls', '--kubeconfig', 'kc', '--context', 'ctx', '--request-timeout', '45'])).toEqual({
      deployment: 'prod', deleteData: true, yes: true, timeoutSec: 120, targets: { manifests: 'out', secrets: 'out-secrets' }, records: 'urls',
      kubeconfig: 'kc', context: 'ctx', requestTimeoutSec: 45,
    });
  });

  test.each([
    [[], '--deployment is required; see --help'],
    [['--yes'], '--deployment is required; see --help'],
    [['--deployment', 'staging', '--delete-date'], 'Unknown option \'--delete-date\'; see --help'],
    [['--deployment', 'staging', '--json'], 'Unknown option \'--json\'; see --help'],
    [['--deployment', 'Staging', '--yes'], expect.stringMatching(/^--deployment/)],
    [['--deployment', 'staging', '--timeout', '1h'], expect.stringMatching(/^--timeout/)],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parseTeardownArgs(argv)).toThrow(ConfigError);
    expect(() => parseTeardownArgs(argv)).toThrow(expect.objectContaining({ message }));
  });

  test('--help asks for the usage; the usage says nothing is deleted without --yes, and the exit statuses', () => {
    expect(parseTeardownArgs(['--help'])).toBe('help');
    expect(TEARDOWN_USAGE).toContain('  --yes                  delete; without it nothing is deleted');
    expect(TEARDOWN_USAGE).toContain('Exit status: 0 when done (or a dry run), 1 when something it deleted is still there, 2 when the cluster cannot be\nread or refuses a delete (it stops there).');
  });
});

describe('parsePruneCommandArgs (npm run prune-command)', () => {
  test('one deployment: its files in dist/ and dist-secrets/', () => {
    expect(parsePruneCommandArgs(['prod'])).toEqual({ deployment: 'prod', targets: { manifests: 'dist', secrets: 'dist-secrets' } });
  });

  test('--dist and --dist-secrets are taken as given, before or after the deployment', () => {
    expect(parsePruneCommandArgs(['--dist', 'out', 'staging', '--dist-secrets', 'out-secrets'])).toEqual({
      deployment: 'staging', targets: { manifests: 'out', secrets: 'out-secrets' },
    });
  });

  test.each([['--help'], ['-h'], ['--help', 'staging', 'prod']])('%s asks for the usage, whatever else is given', (...argv) => {
    expect(parsePruneCommandArgs(argv)).toBe('help');
  });

  test.each([
    [[], 'name exactly one deployment, such as `npm run prune-command -- binder` (got 0); see --help'],
    [['staging', 'prod'], 'name exactly one deployment, such as `npm run prune-command -- binder` (got 2); see --help'],
    [['../x'], 'deployment "../x" must be lowercase letters, digits and \'-\', start and end with a letter or digit, and be at most 63 characters'],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parsePruneCommandArgs(argv)).toThrow(new ConfigError(message));
  });

  test('the usage states the defaults the parser uses', () => {
    for (const line of ['--dist <dir>           the synthesized manifests (default: dist)',
      '--dist-secrets <dir>   Secrets kept out of dist/ (default: dist-secrets); <deployment>-secrets.k8s.yaml is']) {
      expect(PRUNE_COMMAND_USAGE).toContain(line);
    }
  });
});

describe('parseBenchArgs (npm run bench)', () => {
  test('no option: 5 runs of synths of 1, 10 and 50 deployments', () => {
    expect(parseBenchArgs([])).toEqual({ runs: 5, sizes: [1, 10, 50], busy: 0 });
  });

  test('every option is taken as given', () => {
    expect(parseBenchArgs(['--runs', '1', '--sizes', '2,20', '--busy', '1'], 2)).toEqual({ runs: 1, sizes: [2, 20], busy: 1 });
  });

  test.each(['2', '1.5', 'one', ''])('on 2 cores, refuses --busy "%s" in one line: one core stays for the bench', busy => {
    expect(() => parseBenchArgs(['--busy', busy], 2)).toThrow(
      new ConfigError(`--busy must be a whole number from 0 to 1 (this machine has 2 cores; one stays for the bench), got "${busy}"`));
  });

  test.each([['--help'], ['-h'], ['--help', '--runs', '0']])('%s asks for the usage, whatever else is given', (...argv) => {
    expect(parseBenchArgs(argv)).toBe('help');
  });

  test.each(['0', '1.5', 'many', ''])('refuses --runs "%s" in one line', runs => {
    expect(() => parseBenchArgs(['--runs', runs])).toThrow(new ConfigError(`--runs must be a whole number of at least 1, got "${runs}"`));
  });

  test.each(['0', '1,,3', '1,10,', 'ten', ''])('refuses --sizes "%s" in one line', sizes => {
    expect(() => parseBenchArgs(['--sizes', sizes])).toThrow(
      new ConfigError(`--sizes must be whole numbers of at least 1 separated by commas, such as 1,10,50; got "${sizes}"`));
  });

  test('the usage states the defaults the parser uses', () => {
    for (const line of ['--runs <n>             how often each case is measured (default: 5)', '(default: 1,10,50)']) {
      expect(BENCH_USAGE).toContain(line);
    }
  });
});

describe('commands without options (they take only --help, through helpOnly)', () => {
  test('synth and check-dist: the usage says what the command does', () => {
    expect(SYNTH_USAGE).toBe('usage: npm run synth (or cdk8s synth): synthesizes the deployments of main.ts into dist/ and dist-secrets/');
    expect(CHECK_DIST_USAGE).toBe('usage: npm run check-dist: fails when dist/ or dist-secrets/ differ from a fresh synth, hold Secret data they '
      + 'should not, or are not apply-ready');
  });
});

describe('parseAdoptArgs (npm run adopt)', () => {
  const EXAMPLE = { names: ['staging', 'prod'], namespaces: { staging: 'binderhub-staging', prod: 'binderhub-prod' } };
  const parse = (...argv: string[]) => parseAdoptArgs(argv, () => EXAMPLE);

  test('--name and one file: the module in deployments/, nothing replaced, the live release named --name, no cluster read, compared', () => {
    expect(parse('--name', 'mybinder', '--config', 'config.yaml')).toEqual({
      name: 'mybinder', files: ['config.yaml'], secretFiles: [], out: 'deployments/mybinder.ts', force: false,
      namespace: undefined, release: undefined, fromCluster: undefined, compare: true, all: false,
    });
  });

  test('every option is taken as given; the values files count in the order given, whichever the option; the --secret files are known', () => {
    expect(parse('--name', 'mybinder', '-f', 'a.yaml', '--secret', 'secret.yaml', '--values', 'b.yaml', '--config', 'config.yaml',
      '--secret', 'more.yaml', '--out', 'adopted/mine.ts', '--force', '--namespace', 'binder-ns', '--release', 'binder-rel', '--no-compare')).toEqual({
      name: 'mybinder', files: ['a.yaml', 'secret.yaml', 'b.yaml', 'config.yaml', 'more.yaml'], secretFiles: ['secret.yaml', 'more.yaml'], out: 'adopted/mine.ts', force: true,
      namespace: 'binder-ns', release: 'binder-rel', fromCluster: undefined, compare: false, all: false,
    });
  });

  test('--from-cluster alone: kubectl\'s own kubeconfig and context, a 30 s request timeout', () => {
    expect(parse('--name', 'mybinder', '--secret', 's.yaml', '--from-cluster')).toEqual({
      name: 'mybinder', files: ['s.yaml'], secretFiles: ['s.yaml'], out: 'deployments/mybinder.ts', force: false, namespace: undefined, release: undefined,
      fromCluster: { kubeconfig: undefined, context: undefined, requestTimeoutSec: 30 }, compare: true, all: false,
    });
  });

  test('--all: the comparison lists every difference', () => {
    expect(parse('--name', 'mybinder', '--secret', 's.yaml', '--all')).toMatchObject({ compare: true, all: true });
  });

  test('--from-cluster takes --context, --kubeconfig and --request-timeout as given', () => {
    expect(parse('--name', 'mybinder', '--secret', 's.yaml', '--from-cluster', '--context', 'ctx', '--kubeconfig', 'kc', '--request-timeout', '5'))
      .toMatchObject({ fromCluster: { kubeconfig: 'kc', context: 'ctx', requestTimeoutSec: 5 } });
  });

  test.each([['--help'], ['-h'], ['--help', '--name', 'staging']])('%s asks for the usage, whatever else is given', (...argv) => {
    expect(parse(...argv)).toBe('help');
  });

  const FILE = ['--secret', 's.yaml'];
  test.each([
    [[...FILE], '--name is required: the deployment\'s name, such as binderhub; see --help'],
    [['--name', '', ...FILE], '--name is required: the deployment\'s name, such as binderhub; see --help'],
    [['--name', 'My_Binder', ...FILE], '--name "My_Binder" must be lowercase letters, digits and \'-\', start and end with a letter or digit, and be at most 63 characters'],
    [['--name', 'mybinder'], 'give the values files: --secret secret.yaml --config config.yaml (and -f for more); see --help'],
    [['--name', 'mybinder', ...FILE, '--all', '--no-compare'], '--all lists the comparison\'s differences, which --no-compare skips; give one of them'],
    [['--name', 'mybinder', ...FILE, '--context', 'ctx'], '--context, --kubeconfig and --request-timeout go with --from-cluster; see --help'],
    [['--name', 'mybinder', ...FILE, '--kubeconfig', 'kc'], '--context, --kubeconfig and --request-timeout go with --from-cluster; see --help'],
    [['--name', 'mybinder', ...FILE, '--request-timeout', '5'], '--context, --kubeconfig and --request-timeout go with --from-cluster; see --help'],
    [['--name', 'mybinder', ...FILE, '--from-cluster', '--request-timeout', '0'],
      '--request-timeout must be a whole number of seconds from 1 to 3600 (an hour), got "0"'],
    [['--name', 'mybinder', ...FILE, '--namespace', 'Binder'],
      '--namespace "Binder" must be lowercase letters, digits and \'-\', start and end with a letter or digit, and be at most 63 characters'],
    [['--name', 'mybinder', ...FILE, '--release', 'a'.repeat(54)],
      `--release "${'a'.repeat(54)}" must be lowercase letters, digits and '-', start and end with a letter or digit, and be at most 53 characters`],
    [['--name', 'staging', ...FILE], '--name staging is the name of main.ts\'s deployment "staging"; pick another, or take "staging" out of main.ts first'],
    [['--name', 'mine', ...FILE, '--release', 'prod'], 'release prod (--release, default --name) is the release name of main.ts\'s deployment "prod"; pick '
      + 'another, or take "prod" out of main.ts first: cluster-wide objects such as ClusterRole prod-image-cleaner would collide'],
    [['--name', 'prod', ...FILE, '--release', 'mine', '--namespace', 'mine'], '--name prod is the name of main.ts\'s deployment "prod"; pick another, '
      + 'or take "prod" out of main.ts first'],
    [['--name', 'binderhub-prod', ...FILE], 'namespace binderhub-prod (--namespace, default --name) is the namespace of main.ts\'s deployment "prod"; '
      + 'pick another, or take "prod" out of main.ts first: the jupyterhub chart\'s objects carry no release prefix'],
    [['--name', 'mine', ...FILE, '--namespace', 'binderhub-staging'], 'namespace binderhub-staging (--namespace, default --name) is the namespace of '
      + 'main.ts\'s deployment "staging"; pick another, or take "staging" out of main.ts first: the jupyterhub chart\'s objects carry no release prefix'],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parse(...argv)).toThrow(new ConfigError(message));
  });

  test('a --namespace of its own lets a name that is an example\'s namespace through', () => {
    expect(parse('--name', 'binderhub-staging', ...FILE, '--namespace', 'mine')).toMatchObject({ name: 'binderhub-staging', namespace: 'mine' });
  });

  test('an unknown option is refused, pointing to --help', () => {
    expect(() => parse('--name', 'mybinder', ...FILE, '--prune')).toThrow(/^Unknown option '--prune'.*; see --help$/);
  });

  test('the usage states the defaults the parser uses', () => {
    for (const line of ['--out <file>.ts       where the module goes, inside the project folder (default: deployments/<name>.ts)',
      '--namespace <ns>      the live release\'s namespace (default: --name)', '--release <name>      the live release\'s name (default: --name)',
      '--context <ctx>, --kubeconfig <file>   which cluster kubectl reads (default: kubectl\'s own)',
      'how long the API server may take to answer one request, at most 3600 (default: 30)']) {
      expect(ADOPT_USAGE).toContain(line);
    }
  });
});

describe('parseInitSecretsArgs (npm run init-secrets)', () => {
  const parse = (...argv: string[]) => parseInitSecretsArgs(argv);

  test('no argument: no deployment named (the command takes main.ts\'s), in secrets/, no file replaced', () => {
    expect(parse()).toEqual({ deployments: [], force: false, rotate: undefined, dir: 'secrets' });
  });

  test('deployments named replace main.ts\'s; each is taken once, in the order first named', () => {
    expect(parse('beta', 'alpha', 'beta')).toEqual({ deployments: ['beta', 'alpha'], force: false, rotate: undefined, dir: 'secrets' });
  });

  test('--force and --dir are taken as given', () => {
    expect(parse('--force', '--dir', 'keys', 'alpha')).toEqual({ deployments: ['alpha'], force: true, rotate: undefined, dir: 'keys' });
  });

  test('--rotate names tokens, comma-separated or the option again, each once', () => {
    expect(parse('--rotate', 'cookieSecret,cryptKeeperKey', '--rotate', 'cookieSecret')).toEqual({
      deployments: [], force: false, rotate: ['cookieSecret', 'cryptKeeperKey'], dir: 'secrets',
    });
  });

  test.each([['--help'], ['-h'], ['--help', '--force', '--rotate', 'cookie', '../x']])('%s asks for the usage, whatever else is given', (...argv) => {
    expect(parse(...argv)).toBe('help');
  });

  test.each([
    [['--rotate', 'cookie'], '--rotate "cookie" names no token; the tokens are proxySecretToken, binderApiToken, cookieSecret, cryptKeeperKey, buildTokenSecret'],
    [['--force', '--rotate', 'cookieSecret'], '--force rotates every token and --rotate only those it names: give one of them'],
    // Every name is checked before any file is written: a bad one after a good one writes nothing.
    [['alpha', '../x'], 'deployment name "../x" must be lowercase letters, digits and \'-\', start and end with a letter or digit, and be at most 63 characters'],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parse(...argv)).toThrow(new ConfigError(message));
  });

  test('an unknown option is refused, pointing to --help', () => {
    expect(() => parse('--rotate-all')).toThrow(/^Unknown option '--rotate-all'.*; see --help$/);
  });

  test('the usage names every option', () => {
    expect(INIT_SECRETS_USAGE).toBe('usage: npm run init-secrets -- [--force | --rotate <token>[,<token>...]] [--dir <folder>] [deployment...]');
  });
});

describe('what init-secrets says of each file', () => {
  test('created: the count of tokens, and each credential left to replace', () => {
    expect(initSecretsLine('created', 'secrets/staging.json')).toBe('created secrets/staging.json (5 tokens)');
    expect(initSecretsLine('created', 'secrets/prod.json', ['registryPassword', 'githubAccessToken'])).toBe('created secrets/prod.json (5 tokens; '
      + 'replace the placeholder in credentials.registryPassword; replace the placeholder in credentials.githubAccessToken)');
  });

  test('rotated by --force: every token, and what that restarts and breaks', () => {
    expect(initSecretsLine('rotated', 'secrets/prod.json', ['registryPassword'])).toBe('rotated every token in secrets/prod.json (credentials kept); '
      + 'on the next apply Deployments hub, proxy and binder restart; every user is signed out; the hub cannot read the auth state it encrypted before '
      + '(users who have some sign in again); build tokens issued before are refused (a launch page opened before must be reloaded)');
  });

  test('kept: the file exists, and how to replace its tokens', () => {
    expect(initSecretsLine('kept', 'secrets/prod.json', ['registryPassword'])).toBe('kept secrets/prod.json: it exists already '
      + '(--force rotates every token, --rotate <token> only that one)');
  });

  test('rotated by --rotate: the tokens named, and what they restart', () => {
    expect(rotatedLine('keys/alpha.json', ['binderApiToken'])).toBe('rotated binderApiToken in keys/alpha.json (the other tokens and the credentials kept); '
      + 'on the next apply Deployments hub and binder restart');
    expect(rotatedLine('keys/alpha.json', ['cookieSecret', 'proxySecretToken'])).toBe('rotated cookieSecret, proxySecretToken in keys/alpha.json '
      + '(the other tokens and the credentials kept); on the next apply Deployments hub and proxy restart; every user is signed out');
  });
});
