/**
 * The options of `npm run apply` and `npm run patch-hub-url`, in-process: every default as a literal (a changed
 * default fails here, not only in a command test that passes the option anyway), every option passed through, the
 * refusals, and the usage text stating the same defaults.
 */
import { APPLY_USAGE, ConfigError, parseApplyArgs, parsePatchHubUrlArgs, PATCH_HUB_URL_USAGE } from '../lib';

describe('parseApplyArgs (npm run apply)', () => {
  test('only --deployment: no prune, a 600 s timeout, dist/ and dist-secrets/, kubectl\'s own kubeconfig and context', () => {
    expect(parseApplyArgs(['--deployment', 'staging'])).toEqual({
      deployment: 'staging', prune: false, timeoutSec: 600, targets: { manifests: 'dist', secrets: 'dist-secrets' },
      kubeconfig: undefined, context: undefined,
    });
  });

  test('every option is taken as given', () => {
    expect(parseApplyArgs(['--deployment', 'prod', '--prune', '--timeout', '90', '--dist', 'out', '--dist-secrets', 'out-secrets',
      '--kubeconfig', 'kc', '--context', 'ctx'])).toEqual({
      deployment: 'prod', prune: true, timeoutSec: 90, targets: { manifests: 'out', secrets: 'out-secrets' }, kubeconfig: 'kc', context: 'ctx',
    });
  });

  test.each([['--help'], ['-h'], ['--help', '--timeout', '0']])('%s asks for the usage, whatever else is given', (...argv) => {
    expect(parseApplyArgs(argv)).toBe('help');
  });

  test.each([
    [[], '--deployment is required; see --help'],
    [['--deployment', 'staging', '--timeout', '60s'], '--timeout must be a whole number of seconds from 1 to 86400 (a day), got "60s"'],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parseApplyArgs(argv)).toThrow(new ConfigError(message));
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
      records: 'hub-urls', apply: false, kubeconfig: undefined, context: undefined,
    });
  });

  test('every option is taken as given', () => {
    expect(parsePatchHubUrlArgs(['--deployment', 'prod', '--dist', 'out', '--address', 'hub.example.org', '--scheme', 'https',
      '--timeout', '30', '--interval', '0.5', '--records', 'urls', '--apply', '--kubeconfig', 'kc', '--context', 'ctx'])).toEqual({
      deployment: 'prod', dist: 'out', address: 'hub.example.org', scheme: 'https', timeoutSec: 30, intervalSec: 0.5,
      records: 'urls', apply: true, kubeconfig: 'kc', context: 'ctx',
    });
  });

  test('--help asks for the usage', () => {
    expect(parsePatchHubUrlArgs(['--help'])).toBe('help');
  });

  test.each([
    [[], '--deployment is required; see --help'],
    [['--deployment', 'staging', '--scheme', 'ftp'], '--scheme must be http or https, got "ftp"'],
    [['--deployment', 'staging', '--interval', '0'], '--interval must be a positive number of seconds, got "0"'],
    [['--deployment', 'staging', '--interval', 'soon'], '--interval must be a positive number of seconds, got "soon"'],
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
