/** The shared syntax checks accept what Kubernetes, Go and the registries accept; bad-inputs.test.ts has the refusals. */
import {
  Builder, checkDnsLabel, checkHostFolder, checkImageReference, checkLabels, checkObjectName, ConfigError, hostNameProblem, isGoDuration,
  isHostName, isImageReference, SecretsMode,
} from '../lib/internal';
import { synthBinderHub } from './helpers';

/** The message `act` refuses with (a ConfigError, never a crash), or undefined when it accepts. */
function refusal(act: () => void): string | undefined {
  try {
    act();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

/** A dotted name of exactly 253 characters (labels of 63, 63, 63 and 61), the most a subdomain or DNS name may have. */
const NAME_253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
/** The same with one more character. */
const NAME_254 = `${NAME_253}d`;

test('the length fixtures are what the test names say', () => {
  expect([NAME_253.length, NAME_254.length]).toEqual([253, 254]);
});

describe('isGoDuration', () => {
  // As Go's time.ParseDuration: digits before or after the point (or both), a unit after every number but a lone 0.
  test.each(['0', '1h', '30m', '1h30m', '90s', '1.5h', '.5s', '.25s', '1.s', '1.25h', '250ms', '10us', '10\u00b5s', '2h45m30.5s'])('accepts %s', value => {
    expect(isGoDuration(value)).toBe(true);
  });

  test.each(['banana', '', '1d', '-5m', '+1h', '1.5', '1h 30m', 'h', '10', '00', '.s', '.', '1..5s', '10M', '00:30'])('refuses "%s"', value => {
    expect(isGoDuration(value)).toBe(false);
  });

  test('refuses the number 0 (a duration is a string: a refreshInterval of 0 without quotes)', () => {
    expect(isGoDuration(0 as unknown as string)).toBe(false);
  });

  test('an ExternalSecret carries the given interval', () => {
    const objects = synthBinderHub({ secrets: SecretsMode.external({ storeName: 'vault', refreshInterval: '1h30m' }) });
    expect(objects.filter(o => o.kind === 'ExternalSecret').map(o => o.spec.refreshInterval)).toContain('1h30m');
  });
});

describe('isImageReference', () => {
  test.each([
    'docker.io/library/docker:28.3.3-dind', 'docker:28.3.3-dind', 'localhost:5000/binder/dind:1', '[::1]:5000/dind', 'quay.io/a__b/c-d.e_f:tag',
    `docker:dind@sha256:${'0'.repeat(64)}`, `registry.example.org/dind@sha256:${'ab'.repeat(32)}`,
  ])('accepts %s', image => {
    expect(isImageReference(image)).toBe(true);
  });

  test.each(['Docker:28', 'docker:', 'docker;rm', 'a b', '', 'x//y', '/x', 'docker.io/', 'docker:28:dind', 'a'.repeat(256)])('refuses "%s"', image => {
    expect(isImageReference(image)).toBe(false);
  });

  const hex64 = '0'.repeat(64);
  test.each([
    ['a tag of 128 characters', `docker:${'t'.repeat(128)}`],
    ['a tag starting with a digit or _', 'docker:_28'],
    ['a repository name of 255 characters', 'a'.repeat(255)],
    ['a repository name of 255 characters and a tag (the tag does not count)', `${'a'.repeat(255)}:28`],
    ['a digest algorithm with a + separator', `docker@sha256+b64u:${hex64}`],
    ['a digest algorithm with a . separator', `docker@sha256.v2:${hex64}`],
    ['a digest algorithm with a _ separator', `docker@sha256_v2:${hex64}`],
    ['a digest algorithm with a - separator', `docker@sha256-v2:${hex64}`],
    ['a digest of 32 hex digits, upper case', `docker@sha256:${'A'.repeat(32)}`],
  ])('accepts %s', (_, image) => {
    expect(isImageReference(image)).toBe(true);
  });

  test.each([
    ['a tag of 129 characters', `docker:${'t'.repeat(129)}`],
    ['a tag starting with .', 'docker:.28'],
    ['a repository name of 256 characters and a tag', `${'a'.repeat(256)}:28`],
    ['a digest algorithm component starting with a digit', `docker@sha256+1b:${hex64}`],
    ['a digest algorithm starting with a digit', `docker@256sha:${hex64}`],
    ['a digest algorithm ending in a separator', `docker@sha256+:${hex64}`],
    ['a digest of 31 hex digits', `docker@sha256:${'0'.repeat(31)}`],
    ['a digest that is not hex', `docker@sha256:${'g'.repeat(64)}`],
  ])('refuses %s', (_, image) => {
    expect(isImageReference(image)).toBe(false);
  });

  test.each([['undefined', undefined], ['a number', 28], ['a list of one image', ['docker:28']]])('refuses %s (not a string) without crashing', (_, value) => {
    expect(isImageReference(value as unknown as string)).toBe(false);
  });

  test('checkImageReference accepts an image reference, and refuses a bad one naming the setting, the form and the example', () => {
    expect(refusal(() => checkImageReference('DindDaemonSet image', 'docker.io/library/docker:28.3.3-dind', 'docker:dind'))).toBeUndefined();
    expect(refusal(() => checkImageReference('DindDaemonSet image', 'Docker:28', 'docker.io/library/docker:28.3.3-dind'))).toBe(
      'DindDaemonSet image "Docker:28" is not an image reference: [registry[:port]/]repository[:tag][@sha256:digest], the repository in lowercase, '
      + 'such as docker.io/library/docker:28.3.3-dind');
  });
});

describe('checkDnsLabel (namespace, releaseName, deployment name)', () => {
  const rule = "must be lowercase letters, digits and '-', start and end with a letter or digit, and be at most 63 characters";

  test.each([['one character', 'a'], ['63 characters', 'n'.repeat(63)], ['digits at both ends', '0prod9'], ['two dashes inside', 'binder--prod']])(
    'accepts a namespace of %s', (_, value) => {
      expect(refusal(() => checkDnsLabel('namespace', value))).toBeUndefined();
    });

  test.each([
    ['64 characters', 'n'.repeat(64)], ['a dash at the end', 'prod-'], ['a dash at the start', '-prod'], ['a dot', 'binder.prod'],
    ['upper case', 'Prod'], ['an underscore', 'binder_prod'], ['nothing', ''],
  ])('refuses a namespace of %s, naming the setting and the rule', (_, value) => {
    expect(refusal(() => checkDnsLabel('namespace', value))).toBe(`namespace "${value}" ${rule}`);
  });

  test('a release name may have 53 characters, not 54 (helm\'s limit), and the message says 53', () => {
    expect(refusal(() => checkDnsLabel('releaseName', 'r'.repeat(53), 53))).toBeUndefined();
    expect(refusal(() => checkDnsLabel('releaseName', 'r'.repeat(54), 53))).toBe(
      `releaseName "${'r'.repeat(54)}" must be lowercase letters, digits and '-', start and end with a letter or digit, and be at most 53 characters`);
  });

  // A regex reads undefined as "undefined" and 5 as "5", both valid labels: a Gateway parent without a namespace
  // (from JavaScript or JSON) crashed with a TypeError, and a namespace of 5 passed.
  test.each([['undefined', undefined, 'undefined'], ['a number', 5, '5']])('refuses %s as a one-line error, not a crash', (_, value, shown) => {
    expect(refusal(() => checkDnsLabel('gateway parent.namespace', value as unknown as string))).toBe(`gateway parent.namespace "${shown}" ${rule}`);
  });
});

describe('checkObjectName (issuers, Secret names, Gateway and listener names, the secret store)', () => {
  const rule = "give lowercase letters, digits, '-' and '.', each part between dots starting and ending with a letter or digit, at most 253 characters";

  test.each([
    ['one character', 'a'], ['dashes', 'letsencrypt-prod'], ['dots', 'binder.example-org.tls'], ['a one-character part after a dot', 'letsencrypt.x'], ['a digit first', '0-issuer'],
    ['253 characters', NAME_253],
  ])('accepts a name of %s', (_, value) => {
    expect(refusal(() => checkObjectName('Tls.certManager issuer', value, 'letsencrypt-prod'))).toBeUndefined();
  });

  // Kubernetes reads a name as DNS labels joined by dots: kubectl refuses each of these.
  test.each([
    ['254 characters', NAME_254], ['a dash at the end', 'issuer-'], ['a dot at the end', 'issuer.'], ['a dot at the start', '.issuer'],
    ['a dash at the start', '-issuer'], ['two dots', 'letsencrypt..prod'], ['a dash before a dot', 'letsencrypt-.prod'],
    ['a dash after a dot', 'letsencrypt.-prod'], ['upper case', 'Issuer'], ['an underscore', 'lets_encrypt'],
  ])('refuses a name of %s, naming the setting, the rule and the example', (_, value) => {
    expect(refusal(() => checkObjectName('Tls.certManager issuer', value, 'letsencrypt-prod')))
      .toBe(`Tls.certManager issuer "${value}" is not a valid object name: ${rule}, such as letsencrypt-prod`);
  });

  test('an empty name is called empty', () => {
    expect(refusal(() => checkObjectName('Tls.secret', '', 'binder-tls'))).toBe(`Tls.secret "" is empty: ${rule}, such as binder-tls`);
  });

  test('without an example the message ends with the rule', () => {
    expect(refusal(() => checkObjectName('SecretsMode.external storeName', 'My Store'))).toBe(`SecretsMode.external storeName "My Store" is not a valid object name: ${rule}`);
  });

  test('a missing name (a Gateway parent without one) is refused, not taken as the name "undefined"', () => {
    expect(refusal(() => checkObjectName('gateway parent.name', undefined as unknown as string, 'public')))
      .toBe(`gateway parent.name "undefined" is not a valid object name: ${rule}, such as public`);
  });
});

describe('hostNameProblem (public hosts, registry hosts)', () => {
  test.each([
    'binder.example.org', 'a.b', '1a.2', '10.binder.example', `${'a'.repeat(63)}.example.org`, NAME_253,
  ])('%s is a DNS name', value => {
    expect(hostNameProblem(value)).toBeUndefined();
    expect(isHostName(value)).toBe(true);
  });

  test.each([
    ['10.0.0.1', 'is an IP address, not a DNS name'],
    ['127.0.0.1', 'is an IP address, not a DNS name'],
    ['localhost', 'is not a DNS name'],
    ['Binder.example.org', 'is not a DNS name'],
    ['binder.example.org.', 'is not a DNS name'],
    ['binder-.example.org', 'is not a DNS name'],
    ['binder..example.org', 'is not a DNS name'],
    ['binder.example.org:443', 'is not a DNS name'],
    ['https://binder.example.org', 'is not a DNS name'],
    ['', 'is not a DNS name'],
    [`${'a'.repeat(64)}.example.org`, 'has a label of 64 characters, not a DNS name (at most 63)'],
    [NAME_254, 'has 254 characters, not a DNS name (at most 253)'],
  ])('%s %s', (value, problem) => {
    expect(hostNameProblem(value)).toBe(problem);
    expect(isHostName(value)).toBe(false);
  });

  test.each([['undefined', undefined], ['a list of one host', ['binder.example.org']], ['a number', 10.5]])('%s is not a DNS name (not a string), without crashing', (_, value) => {
    expect(hostNameProblem(value as unknown as string)).toBe('is not a DNS name');
  });
});

describe('checkHostFolder (dind and pink folders on the node)', () => {
  const refused = (value: string) => `DindDaemonSet hostLibDir "${value}" must be an absolute, normalized folder other than /, `
    + 'of letters, digits and . _ - / only (no . or .. steps), such as /var/lib/dind/<release>';

  test.each(['/a', '/var/lib/dind', '/var/lib/dind/prod.v2', '/srv/.cache', '/srv/..x', '/srv/x..', '/srv/under_score-dash'])('accepts %s', value => {
    expect(refusal(() => checkHostFolder('DindDaemonSet hostLibDir', value, '/var/lib/dind/<release>'))).toBeUndefined();
  });

  test.each([
    ['the root', '/'], ['nothing', ''], ['a relative folder', 'var/lib/dind'], ['a trailing slash (an empty last step)', '/var/lib/'],
    ['an empty step', '/var//lib'], ['a . step', '/var/./lib'], ['a last . step', '/var/lib/.'], ['a .. step', '/var/../etc'],
    ['a last .. step', '/var/lib/..'], ['a space', '/var/lib dind'], ['a shell command', '/var/lib/$(reboot)'],
  ])('refuses %s, naming the setting, the rule and the example', (_, value) => {
    expect(refusal(() => checkHostFolder('DindDaemonSet hostLibDir', value, '/var/lib/dind/<release>'))).toBe(refused(value));
  });

  test('refuses a list of one folder (not a string) with the same message, not a crash', () => {
    expect(refusal(() => checkHostFolder('DindDaemonSet hostLibDir', ['/var/lib/dind'] as unknown as string, '/var/lib/dind/<release>')))
      .toBe(refused('/var/lib/dind'));
  });
});

describe('checkLabels (node selectors)', () => {
  const rule = "at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  const keyRefused = (key: string) => `DindDaemonSet nodeSelector key "${key}" is not a label key: an optional DNS prefix and '/', then ${rule}, such as hub.jupyter.org/node-purpose`;
  const valueRefused = (value: string, key: string) => `DindDaemonSet nodeSelector value "${value}" of key "${key}" is not a label value: ${rule} (or empty), such as user`;

  test.each([
    ['a one-character name', 'a'], ['a one-character prefix and name', 'a/b'], ['a prefix', 'hub.jupyter.org/node-purpose'],
    ['a prefix of 253 characters', `${NAME_253}/purpose`], ['a name of 63 characters', `x.org/${'k'.repeat(63)}`],
    ['a name of 63 characters without prefix', 'k'.repeat(63)], ['upper case, _ and . in the name', 'x.org/Disk_Type.v2'],
  ])('accepts a key with %s', (_, key) => {
    expect(refusal(() => checkLabels('DindDaemonSet nodeSelector', { [key]: 'user' }))).toBeUndefined();
  });

  test.each([
    ['a prefix of 254 characters', `${NAME_254}/purpose`], ['a name of 64 characters', `x.org/${'k'.repeat(64)}`],
    ['a name of 64 characters without prefix', 'k'.repeat(64)], ['a slash first (an empty prefix)', '/purpose'],
    ['an empty name', 'x.org/'], ['a name ending in -', 'purpose-'], ['a name ending in .', 'purpose.'], ['a name starting with _', '_purpose'],
    ['a prefix ending in -', 'x-/purpose'], ['a prefix with two dots', 'x..org/purpose'], ['an upper-case prefix', 'X.org/purpose'],
  ])('refuses a key with %s, naming the setting and the rule', (_, key) => {
    expect(refusal(() => checkLabels('DindDaemonSet nodeSelector', { [key]: 'user' }))).toBe(keyRefused(key));
  });

  test.each([['nothing (empty)', ''], ['one character', 'a'], ['63 characters', 'v'.repeat(63)], ['upper case, _ and .', 'SSD_fast.v2']])('accepts a value of %s', (_, value) => {
    expect(refusal(() => checkLabels('DindDaemonSet nodeSelector', { disk: value }))).toBeUndefined();
  });

  test.each([['64 characters', 'v'.repeat(64)], ['one ending in -', 'ssd-'], ['one ending in .', 'ssd.'], ['one starting with -', '-ssd'], ['one with a slash', 'ssd/fast']])(
    'refuses a value of %s, naming the setting, the key and the rule', (_, value) => {
      expect(refusal(() => checkLabels('DindDaemonSet nodeSelector', { disk: value }))).toBe(valueRefused(value, 'disk'));
    });

  test.each([['a list of one value', ['ssd'], 'ssd'], ['a number', 5, '5'], ['true', true, 'true']])('refuses %s as a value (not a string), naming the setting and the key', (_, value, shown) => {
    expect(refusal(() => checkLabels('DindDaemonSet nodeSelector', { disk: value as unknown as string }))).toBe(valueRefused(shown, 'disk'));
  });
});

describe('node selectors', () => {
  test('prefixed keys, upper case, dots and underscores, and empty values pass', () => {
    const nodeSelector = { 'hub.jupyter.org/node-purpose': 'user', 'kubernetes.io/os': 'linux', Disk_Type: 'ssd.fast', 'pool': '' };
    const objects = synthBinderHub({ builder: Builder.dind({ nodeSelector }) });
    const dind = objects.find(o => o.kind === 'DaemonSet' && o.metadata.name === 'test-dind');
    const terms = dind.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms[0].matchExpressions.map((e: any) => e.key)).toEqual(Object.keys(nodeSelector));
  });
});
