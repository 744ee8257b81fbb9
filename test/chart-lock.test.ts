import { formatChartLock, IndexedChart, newestSupportedChart, parseChartLock, parseRepositoryIndex, unknownSettings } from '../lib/internal';

const DIGEST = 'a'.repeat(64);
const indexed = (version: string): IndexedChart => ({ version, digest: DIGEST, url: `https://charts.example.org/binderhub-${version}.tgz` });

describe('charts.lock', () => {
  test('reads back what it writes', () => {
    const lock = { charts: [{ name: 'binderhub', repository: 'https://charts.example.org', version: '1.0.0-0.dev.git.3959.hb9fad995', digest: DIGEST }] };
    expect(parseChartLock(formatChartLock(lock))).toEqual(lock);
  });

  test.each([
    ['not YAML', 'charts: [', /^charts\.lock is not YAML \(.*\); fix it, or rewrite it with `npm run chart-update`$/],
    ['no list of charts', 'charts: {}', /^charts\.lock holds no list "charts"/],
    ['an entry without a digest', 'charts: [{name: binderhub, repository: r, version: v}]', /^charts\.lock charts\[0\] is not a chart with the texts name, repository, version, digest/],
    ['a digest that is no sha256', 'charts: [{name: binderhub, repository: r, version: v, digest: ABC}]', /^charts\.lock charts\[0\]\.digest is not a sha256/],
    ['a chart locked twice', `charts: [{name: b, repository: r, version: v, digest: ${DIGEST}}, {name: b, repository: r/, version: w, digest: ${DIGEST}}]`,
      /^charts\.lock locks b from r twice; one version per chart and repository/],
  ])('refuses %s in one line', (_, text, expected) => {
    expect(() => parseChartLock(text)).toThrow(expected);
  });
});

describe('the newest supported chart of an index', () => {
  test('builds compare by number, not as text; too old builds are left out, versions not supported yet listed', () => {
    const choice = newestSupportedChart(['1.0.0-0.dev.git.3990.h1', '1.0.0-0.dev.git.10000.h2', '0.2.0-3b53fce', '1.0.0-0.dev.git.3506.h3', '2.0.0'].map(indexed));
    expect(choice).toEqual({ newest: indexed('1.0.0-0.dev.git.10000.h2'), notSupportedYet: ['2.0.0'] });
  });

  test('none when only unsupported versions are listed', () => {
    expect(newestSupportedChart(['0.2.0-3b53fce', '1.0.0-0.dev.git.3506.h3'].map(indexed)).newest).toBeUndefined();
  });

  test('package URLs are resolved against the repository; entries without a sha256 digest are left out', () => {
    const index = JSON.stringify({ entries: { binderhub: [
      { version: '1.0.0-0.dev.git.3990.h1', digest: DIGEST, urls: ['binderhub-1.tgz'] },
      { version: '1.0.0-0.dev.git.3991.h1', digest: 'md5', urls: ['binderhub-2.tgz'] },
    ] } });
    expect(parseRepositoryIndex(index, 'binderhub', 'https://charts.example.org/sub')).toEqual([
      { version: '1.0.0-0.dev.git.3990.h1', digest: DIGEST, url: 'https://charts.example.org/sub/binderhub-1.tgz' },
    ]);
    expect(() => parseRepositoryIndex('{"entries": {}}', 'binderhub', 'https://x.example.org')).toThrow(/lists no chart "binderhub" in its index\.yaml/);
  });
});

describe('unknownSettings', () => {
  const schema = JSON.stringify({
    additionalProperties: false,
    properties: { replicas: {}, config: { additionalProperties: true }, image: { additionalProperties: false, properties: { tag: {} } } },
    patternProperties: { '^x-': {} },
  });

  test('names the keys a closed object of the schema does not know, as dotted paths', () => {
    expect(unknownSettings(schema, { replicas: 2, bogus: 1, 'x-extra': 1, config: { Anything: {} }, image: { tag: 't', name: 'n' } })).toEqual(['bogus', 'image.name']);
  });

  test('a schema that is not JSON names nothing (helm reports it)', () => {
    expect(unknownSettings('{', { bogus: 1 })).toEqual([]);
  });
});
