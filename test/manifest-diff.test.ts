/** `diffManifests` and `formatManifestDiff` on hand-made objects: matching, fields, masking, restarts. */
import { COLOR_STYLE, diffManifests, fieldChanges, formatManifestDiff, isEmptyDiff, ManifestObject, PLAIN_STYLE, SEALED_FINGERPRINTS_ANNOTATION, styleFor } from '../lib/internal';

const object = (kind: string, name: string, fields: object = {}, namespace: string | undefined = 'ns'): ManifestObject =>
  ({ apiVersion: 'v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...fields });
const lines = (before: ManifestObject[], after: ManifestObject[]) => formatManifestDiff(diffManifests(before, after));

const deployment = (image: string, checksums: Record<string, string>, env: object[] = [{ name: 'A', value: '1' }]) => object('Deployment', 'binder', {
  spec: { replicas: 1, template: { metadata: { annotations: { ...checksums, 'other/note': 'x' } }, spec: { containers: [{ name: 'binder', image, env }] } } },
});

describe('diffManifests', () => {
  test('objects are matched by kind, namespace and name: added, removed, changed, and unchanged ones not shown', () => {
    const before = [object('ConfigMap', 'a', { data: { k: 'v' } }), object('ConfigMap', 'gone'), object('ClusterRole', 'r', {}, undefined)];
    const after = [object('ConfigMap', 'a', { data: { k: 'w' } }), object('ConfigMap', 'a', {}, 'other'), object('ClusterRole', 'r', {}, undefined)];
    expect(lines(before, after)).toEqual([
      'changed: ConfigMap/ns/a',
      '  data.k: "v" → "w"',
      'added: ConfigMap/other/a',
      'removed: ConfigMap/ns/gone',
    ]);
    expect(diffManifests(before, before)).toEqual({ objects: [], restarts: [] });
  });

  test('field paths: named list items by name, other lists by index, keys with dots or slashes quoted; added and removed fields', () => {
    const before = object('Thing', 't', { spec: { list: [1, 2], items: [{ name: 'x', port: 1 }], labels: { 'a.b/c': 'old', gone: true } } });
    const after = object('Thing', 't', { spec: { list: [1, 3, 4], items: [{ name: 'x', port: 2 }, { name: 'y' }], labels: { 'a.b/c': 'new' }, extra: { n: null } } });
    expect(lines([before], [after])).toEqual([
      'changed: Thing/ns/t',
      '  spec.list[1]: 2 → 3',
      '  spec.list[2]: (none) → 4',
      '  spec.items[name=x].port: 1 → 2',
      '  spec.items[name=y]: (none) → {"name":"y"}',
      '  spec.labels["a.b/c"]: "old" → "new"',
      '  spec.labels.gone: true → (none)',
      '  spec.extra: (none) → {"n":null}',
    ]);
  });

  test('a long or multi-line string (embedded YAML) is shown as a line diff with two lines of context', () => {
    const yaml = (value: string) => ['a: 1', 'b: 2', 'c: 3', 'd: 4', `e: ${value}`, 'f: 6', 'g: 7', 'h: 8', 'i: 9'].join('\n');
    expect(lines([object('ConfigMap', 'c', { data: { 'values.yaml': yaml('5') } })], [object('ConfigMap', 'c', { data: { 'values.yaml': yaml('five') } })])).toEqual([
      'changed: ConfigMap/ns/c',
      '  data["values.yaml"]:',
      '    …',
      '      c: 3',
      '      d: 4',
      '    - e: 5',
      '    + e: five',
      '      f: 6',
      '      g: 7',
      '    …',
    ]);
    expect(lines([object('ConfigMap', 'c')], [object('ConfigMap', 'c', { data: { script: 'line one\nline two' } })])).toEqual([
      'changed: ConfigMap/ns/c',
      '  data: (none) → {"script":"line one\\nline two"}',
    ]);
    expect(lines([object('ConfigMap', 'c', { data: {} })], [object('ConfigMap', 'c', { data: { script: 'line one\nline two' } })])).toEqual([
      'changed: ConfigMap/ns/c',
      '  data.script: (added)',
      '    + line one',
      '    + line two',
    ]);
  });

  test('Secret values are masked: only the keys that changed, were added or removed, compared decoded across data and stringData', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const before = object('Secret', 's', { data: { same: b64('kept-value-1'), moved: b64('moved-value-2'), rotated: b64('old-token-3'), dropped: b64('dropped-4') } });
    const after = object('Secret', 's', { data: { same: b64('kept-value-1'), rotated: b64('new-token-5'), fresh: b64('fresh-6') }, stringData: { moved: 'moved-value-2' } });
    const output = lines([before], [after]);
    expect(output).toEqual([
      'changed: Secret/ns/s key rotated',
      'changed: Secret/ns/s key fresh added',
      'changed: Secret/ns/s key dropped removed',
    ]);
    for (const value of ['kept-value-1', 'moved-value-2', 'old-token-3', 'dropped-4', 'new-token-5', 'fresh-6']) {
      expect(output.join('\n')).not.toContain(value);
      expect(output.join('\n')).not.toContain(b64(value));
    }
  });

  test('a Secret inside a List is diffed as the Secret it is, so its values stay masked', () => {
    const list = (value: string): ManifestObject => ({ apiVersion: 'v1', kind: 'List', metadata: { name: '' }, items: [null, object('Secret', 'in-list', { stringData: { token: value } })] });
    expect(lines([list('listed-value-1')], [list('listed-value-2')])).toEqual(['changed: Secret/ns/in-list key token']);
  });

  test('a Secret whose other fields change shows them, still without values; an added or removed Secret shows no key', () => {
    const before = object('Secret', 's', { type: 'Opaque', data: { k: 'c2VjcmV0LXZhbHVl' } });
    const after = object('Secret', 's', { type: 'kubernetes.io/tls', data: { k: 'c2VjcmV0LXZhbHVl' } });
    expect(lines([before], [after])).toEqual(['changed: Secret/ns/s', '  type: "Opaque" → "kubernetes.io/tls"']);
    expect(lines([], [after])).toEqual(['added: Secret/ns/s']);
    expect(lines([before], [])).toEqual(['removed: Secret/ns/s']);
  });

  test('SealedSecret entries whose ciphertext changed are "re-sealed"; their fingerprints annotation is not shown; ExternalSecret is an ordinary object', () => {
    const sealed = (values: Record<string, string>, fingerprints: string) => ({
      apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret',
      metadata: { name: 'hub', namespace: 'ns', annotations: { [SEALED_FINGERPRINTS_ANNOTATION]: fingerprints } },
      spec: { encryptedData: values, template: { type: 'Opaque' } },
    });
    expect(lines([sealed({ a: 'AgAold', b: 'AgBkept' }, '{"a":"1"}')], [sealed({ a: 'AgAnew', b: 'AgBkept', c: 'AgCnew' }, '{"a":"2"}')])).toEqual([
      'changed: SealedSecret/ns/hub key a re-sealed',
      'changed: SealedSecret/ns/hub key c added',
    ]);
    const external = (key: string) => ({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'hub', namespace: 'ns' },
      spec: { data: [{ secretKey: 'token', remoteRef: { key } }] } });
    expect(lines([external('ns/hub/token')], [external('prefix/ns/hub/token')])).toEqual([
      'changed: ExternalSecret/ns/hub',
      '  spec.data[0].remoteRef.key: "ns/hub/token" → "prefix/ns/hub/token"',
    ]);
  });

  test('a changed checksum/* annotation of a pod template is a restart of its workload, not a field; other pod-template changes are fields', () => {
    const diff = diffManifests([deployment('img:1', { 'checksum/config': 'aaa', 'checksum/secret': 'bbb' })],
      [deployment('img:1', { 'checksum/config': 'ccc', 'checksum/secret': 'bbb', 'checksum/new': 'ddd' })]);
    expect(diff).toEqual({ objects: [], restarts: [{ workload: 'Deployment/ns/binder', annotations: ['checksum/config', 'checksum/new'] }] });
    expect(formatManifestDiff(diff)).toEqual(['restarts: Deployment/ns/binder (checksum/config, checksum/new changed)']);
    expect(lines([deployment('img:1', { 'checksum/config': 'aaa' })], [deployment('img:2', { 'checksum/config': 'bbb' }, [{ name: 'A', value: '2' }])])).toEqual([
      'changed: Deployment/ns/binder',
      '  spec.template.spec.containers[name=binder].image: "img:1" → "img:2"',
      '  spec.template.spec.containers[name=binder].env[name=A].value: "1" → "2"',
      'restarts: Deployment/ns/binder (checksum/config changed)',
    ]);
    const cronJob = (sum: string) => object('CronJob', 'c', { spec: { jobTemplate: { spec: { template: { metadata: { annotations: { 'checksum/x': sum } } } } } } });
    expect(lines([cronJob('1')], [cronJob('2')])).toEqual(['restarts: CronJob/ns/c (checksum/x changed)']);
  });

  test('a pod template given its first annotation, a checksum, only restarts: annotations of checksums alone compare as none', () => {
    const daemonSet = (annotations?: Record<string, string>) => object('DaemonSet', 'cleaner', { spec: { template: { metadata: { labels: { a: 'b' }, ...annotations ? { annotations } : {} } } } });
    expect(lines([daemonSet()], [daemonSet({ 'checksum/extra-env': 'abc' })])).toEqual(['restarts: DaemonSet/ns/cleaner (checksum/extra-env changed)']);
    expect(lines([daemonSet()], [daemonSet({ 'checksum/extra-env': 'abc', 'other/note': 'x' })])).toEqual([
      'changed: DaemonSet/ns/cleaner', '  spec.template.metadata.annotations: (none) → {"other/note":"x"}', 'restarts: DaemonSet/ns/cleaner (checksum/extra-env changed)',
    ]);
  });

  test('an item of a List without metadata is left out: it cannot be applied', () => {
    const list: ManifestObject = { apiVersion: 'v1', kind: 'List', metadata: { name: '' }, items: [{ apiVersion: 'v1', kind: 'ConfigMap' }, object('ConfigMap', 'a')] };
    expect(lines([], [list])).toEqual(['added: ConfigMap/ns/a']);
  });

  test('only a Secret\'s data and a SealedSecret\'s encryptedData are masked: the same fields of other kinds are ordinary fields', () => {
    const configMap = (value: string) => object('ConfigMap', 'c', { data: { k: value } });
    expect(lines([configMap('dmFsdWUtMQ==')], [configMap('dmFsdWUtMg==')])).toEqual(['changed: ConfigMap/ns/c', '  data.k: "dmFsdWUtMQ==" → "dmFsdWUtMg=="']);
    const sealedLike = (value: string, fingerprints: string) => ({ apiVersion: 'example.com/v1', kind: 'Sealed', metadata: { name: 's', namespace: 'ns', annotations: { [SEALED_FINGERPRINTS_ANNOTATION]: fingerprints } },
      spec: { encryptedData: { a: value } } });
    expect(lines([sealedLike('AgAold', '{"a":"1"}')], [sealedLike('AgAnew', '{"a":"2"}')])).toEqual([
      'changed: Sealed/ns/s',
      `  metadata.annotations["${SEALED_FINGERPRINTS_ANNOTATION}"]: "{\\"a\\":\\"1\\"}" → "{\\"a\\":\\"2\\"}"`,
      '  spec.encryptedData.a: "AgAold" → "AgAnew"',
    ]);
  });

  test('a SealedSecret without spec or annotations shows its other changes', () => {
    const sealed = (labels?: Record<string, string>) => ({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'hub', namespace: 'ns', ...(labels ? { labels } : {}) } });
    expect(lines([sealed()], [sealed({ app: 'hub' })])).toEqual(['changed: SealedSecret/ns/hub', '  metadata.labels: (none) → {"app":"hub"}']);
  });

  test('pod-template annotations other than checksum/* are fields, not restarts', () => {
    const withNote = (note: string) => object('Deployment', 'binder', { spec: { template: { metadata: { annotations: { 'checksum/config': 'aaa', 'other/note': note } } } } });
    expect(diffManifests([withNote('x')], [withNote('y')])).toEqual({
      objects: [{ change: 'changed', id: 'Deployment/ns/binder', keys: [], fields: [{ path: 'spec.template.metadata.annotations["other/note"]', before: 'x', after: 'y' }] }],
      restarts: [],
    });
  });

  test('a CronJob without spec, or without jobTemplate, has no pod template: its changes are fields', () => {
    expect(lines([object('CronJob', 'c')], [object('CronJob', 'c', { spec: { schedule: '0 * * * *' } })])).toEqual([
      'changed: CronJob/ns/c',
      '  spec: (none) → {"schedule":"0 * * * *"}',
    ]);
  });

  test('isEmptyDiff: a diff with only a changed object, or only a restart, is not empty', () => {
    expect(isEmptyDiff({ objects: [], restarts: [] })).toBe(true);
    expect(isEmptyDiff({ objects: [{ change: 'added', id: 'ConfigMap/ns/a', fields: [], keys: [] }], restarts: [] })).toBe(false);
    expect(isEmptyDiff({ objects: [], restarts: [{ workload: 'Deployment/ns/binder', annotations: ['checksum/config'] }] })).toBe(false);
  });

  test('fieldChanges of equal values is empty; a type change is one change', () => {
    expect(fieldChanges({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(fieldChanges({ a: [1] }, { a: { 0: 1 } })).toEqual([{ path: 'a', before: [1], after: { 0: 1 } }]);
  });

  test.each([
    ['a list that was empty is matched by index', [], [{ name: 'x' }], [{ path: 'items[0]', before: undefined, after: { name: 'x' } }]],
    ['a list that becomes empty is matched by index', [{ name: 'x' }], [], [{ path: 'items[0]', before: { name: 'x' }, after: undefined }]],
    ['a list with an item without a name is matched by index', [{ name: 'a' }, { v: 1 }], [{ name: 'a' }, { v: 2 }], [{ path: 'items[1].v', before: 1, after: 2 }]],
    ['a list with a name that is not a string is matched by index', [{ name: 1, v: 1 }], [{ name: 1, v: 2 }], [{ path: 'items[0].v', before: 1, after: 2 }]],
    ['a list with a name twice is matched by index', [{ name: 'a', v: 1 }, { name: 'a', v: 2 }], [{ name: 'a', v: 1 }, { name: 'a', v: 3 }], [{ path: 'items[1].v', before: 2, after: 3 }]],
  ])('fieldChanges: %s', (_, before, after, expected) => {
    expect(fieldChanges({ items: before }, { items: after })).toEqual(expected);
  });
});

describe('formatManifestDiff', () => {
  const configMap = (data: object) => object('ConfigMap', 'c', { data });

  test('a removed multi-line string is shown line by line as removed', () => {
    expect(lines([configMap({ script: 'line one\nline two' })], [configMap({})])).toEqual([
      'changed: ConfigMap/ns/c',
      '  data.script: (removed)',
      '    - line one',
      '    - line two',
    ]);
  });

  test('a string longer than 80 characters is a line diff; one of 80 is shown on one line', () => {
    const [x80, y80] = ['x', 'y'].map(c => c.repeat(80));
    expect(lines([configMap({ k: x80 })], [configMap({ k: y80 })])).toEqual(['changed: ConfigMap/ns/c', `  data.k: "${x80}" → "${y80}"`]);
    expect(lines([configMap({ k: `${x80}1` })], [configMap({ k: `${y80}1` })])).toEqual(['changed: ConfigMap/ns/c', '  data.k:', `    - ${x80}1`, `    + ${y80}1`]);
    expect(lines([configMap({ k: 'short' })], [configMap({ k: `${y80}1` })])).toEqual(['changed: ConfigMap/ns/c', '  data.k:', '    - short', `    + ${y80}1`]);
  });

  test('a long string that becomes or was another type is shown on one line as JSON', () => {
    expect(lines([configMap({ v: 5 })], [configMap({ v: 'line one\nline two' })])).toEqual(['changed: ConfigMap/ns/c', '  data.v: 5 → "line one\\nline two"']);
    expect(lines([configMap({ v: 'line one\nline two' })], [configMap({ v: ['line one'] })])).toEqual(['changed: ConfigMap/ns/c', '  data.v: "line one\\nline two" → ["line one"]']);
  });
});

describe('styles', () => {
  test('colour only on a terminal without NO_COLOR; the coloured lines hold the same text', () => {
    expect(styleFor({ isTTY: true }, {})).toBe(COLOR_STYLE);
    expect(styleFor({ isTTY: true }, { NO_COLOR: '1' })).toBe(PLAIN_STYLE);
    expect(styleFor({ isTTY: false }, {})).toBe(PLAIN_STYLE);
    expect(styleFor({}, {})).toBe(PLAIN_STYLE);
    const coloured = formatManifestDiff(diffManifests([], [object('ConfigMap', 'a')]), COLOR_STYLE);
    expect(coloured).toEqual(['\u001b[32madded: ConfigMap/ns/a\u001b[0m']);
  });

  test('in colour, a line diff shows added lines green, removed ones red, kept ones plain and … dim', () => {
    const configMap = (value: string) => object('ConfigMap', 'c', { data: { k: value } });
    const diff = diffManifests([configMap('a\nb\nc\nd\ne\nf')], [configMap('a\nb\nc\nd\ne\nF')]);
    expect(formatManifestDiff(diff, COLOR_STYLE)).toEqual([
      '\u001b[33mchanged: ConfigMap/ns/c\u001b[0m',
      '  data.k:',
      '\u001b[2m    …\u001b[0m',
      '      d',
      '      e',
      '\u001b[31m    - f\u001b[0m',
      '\u001b[32m    + F\u001b[0m',
    ]);
  });
});
