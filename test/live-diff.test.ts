/** The object diff of `npm run diff -- --live` over kubectl's two folders (lib/review/live-diff.ts), on written-out objects (JSON is YAML). */
import { comparableLiveObject, diffLiveObjects, redact } from '../lib/internal';

const texts = (files: Record<string, object | null>) => new Map(Object.entries(files).map(([name, o]) => [name, o === null ? '' : JSON.stringify(o)]));

const liveDeployment = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {
    name: 'binder', namespace: 'prod', uid: 'a1', resourceVersion: '17', generation: 3, creationTimestamp: '2026-11-01T00:00:00Z',
    annotations: { 'deployment.kubernetes.io/revision': '3', 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}' },
  },
  spec: { replicas: 1, template: { metadata: { annotations: { 'checksum/hub-url': 'aaa' } }, spec: { containers: [{ name: 'binder', image: 'binder:1' }] } } },
  status: { replicas: 1, readyReplicas: 1 },
};

describe('diffLiveObjects', () => {
  test('server bookkeeping, status and the last-applied annotation are no change; an image and a checksum are', () => {
    const merged = structuredClone(liveDeployment) as any;
    merged.metadata.resourceVersion = '18';
    merged.metadata.generation = 4;
    merged.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = '{"kind":"Deployment","x":1}';
    merged.status = { replicas: 2 };
    merged.spec.template.spec.containers[0].image = 'binder:2';
    merged.spec.template.metadata.annotations['checksum/hub-url'] = 'bbb';
    expect(diffLiveObjects(texts({ 'apps.v1.Deployment.prod.binder': liveDeployment }), texts({ 'apps.v1.Deployment.prod.binder': merged }))).toEqual({
      objects: [{
        change: 'changed', id: 'Deployment/prod/binder', keys: [],
        fields: [{ path: 'spec.template.spec.containers[name=binder].image', before: 'binder:1', after: 'binder:2' }],
      }],
      restarts: [{ workload: 'Deployment/prod/binder', annotations: ['checksum/hub-url'] }],
    });
  });

  test('an object kubectl finds nowhere live (an empty file) is added', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'binder-hub-url', namespace: 'prod' }, data: { url: 'http://x/' } };
    expect(diffLiveObjects(texts({ 'v1.ConfigMap.prod.binder-hub-url': null }), texts({ 'v1.ConfigMap.prod.binder-hub-url': configMap })).objects)
      .toEqual([{ change: 'added', id: 'ConfigMap/prod/binder-hub-url', fields: [], keys: [] }]);
  });

  test('an object the prune would delete (no merged file) is removed', () => {
    const old = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old', namespace: 'prod', uid: 'u' } };
    expect(diffLiveObjects(texts({ 'v1.ConfigMap.prod.old': old }), texts({})).objects).toEqual([{ change: 'removed', id: 'ConfigMap/prod/old', fields: [], keys: [] }]);
  });

  test('masked Secret values: "***" on both sides is no change, "*** (before)" / "*** (after)" is a changed key, and no value shows', () => {
    const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', data: { token: Buffer.from('old-token-value-1').toString('base64') } });
    const secret = (token: string) => ({
      apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
      metadata: { name: 'hub', namespace: 'prod', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } },
      data: { token, other: '***' },
    });
    const diff = diffLiveObjects(texts({ 'v1.Secret.prod.hub': secret('*** (before)') }), texts({ 'v1.Secret.prod.hub': secret('*** (after)') }));
    expect(diff.objects).toEqual([{ change: 'changed', id: 'Secret/prod/hub', fields: [], keys: [{ key: 'token', change: 'changed' }] }]);
    expect(JSON.stringify(diff)).not.toContain('old-token');
    // The annotation's values are known to redact() from then on: whatever is printed later cannot carry them.
    expect(redact('value old-token-value-1 here')).toBe('value *** here');
  });
});

describe('diffLiveObjects: Secrets that kubectl does not mask', () => {
  const TOKEN = 'ghp_annotationTokenValue42';
  const secret = (kind: string, data: Record<string, string>, annotations?: Record<string, string>) => ({
    apiVersion: 'v1', kind, type: 'Opaque', metadata: { name: 'creds', namespace: 'prod', ...(annotations ? { annotations } : {}) }, data,
  });
  const diffOf = (live: object, merged: object) => diffLiveObjects(texts({ 'v1.Secret.prod.creds': live }), texts({ 'v1.Secret.prod.creds': merged }));

  test('a Secret whose kind is lowercase "secret" is a Secret: a changed value shows as a changed key, never in full', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const diff = diffOf(secret('secret', { password: b64('old-password-1') }), secret('secret', { password: b64('new-password-2') }));
    expect(diff).toEqual({ objects: [{ change: 'changed', id: 'Secret/prod/creds', fields: [], keys: [{ key: 'password', change: 'changed' }] }], restarts: [] });
    expect(JSON.stringify(diff)).not.toMatch(/password-|cGFzc3dvcmQt/);
  });

  test('an annotation of a Secret that is not ours is masked: a changed one shows as "*** (before)" and "*** (after)", never its value', () => {
    const diff = diffOf(secret('Secret', { a: '***' }, { 'example.org/token': 'old-value-x1', same: TOKEN }), secret('Secret', { a: '***' }, { 'example.org/token': TOKEN, same: TOKEN }));
    expect(diff.objects).toEqual([{
      change: 'changed', id: 'Secret/prod/creds', keys: [],
      fields: [{ path: 'metadata.annotations["example.org/token"]', before: '*** (before)', after: '*** (after)' }],
    }]);
    expect(JSON.stringify(diff)).not.toContain(TOKEN);
  });

  test('an annotation added to a Secret shows as added, masked', () => {
    const diff = diffOf(secret('Secret', { a: '***' }), secret('Secret', { a: '***' }, { 'example.org/token': TOKEN }));
    expect(diff.objects[0].fields).toEqual([{ path: 'metadata.annotations', before: undefined, after: { 'example.org/token': '*** (after)' } }]);
  });

  test('the sealing scope annotations we write on Secrets show their values', () => {
    const diff = diffOf(secret('Secret', { a: '***' }), secret('Secret', { a: '***' }, { 'sealedsecrets.bitnami.com/namespace-wide': 'true' }));
    expect(diff.objects[0].fields).toEqual([{ path: 'metadata.annotations', before: undefined, after: { 'sealedsecrets.bitnami.com/namespace-wide': 'true' } }]);
  });
});

describe('diffLiveObjects: what is no change', () => {
  const configMap = (metadata: object) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'prod', ...metadata }, data: { a: '1' } });
  const diffOf = (live: object, merged: object) => diffLiveObjects(texts({ 'v1.ConfigMap.prod.settings': live }), texts({ 'v1.ConfigMap.prod.settings': merged }));

  test('every piece of server bookkeeping may differ (uid, resourceVersion, generation, creationTimestamp, managedFields, selfLink, revision)', () => {
    const live = configMap({
      uid: 'u-1', resourceVersion: '17', generation: 1, creationTimestamp: '2026-11-01T00:00:00Z', selfLink: '/api/v1/namespaces/prod/configmaps/settings',
      managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update' }],
      annotations: { 'deployment.kubernetes.io/revision': '1', 'kubectl.kubernetes.io/last-applied-configuration': '{"a":1}' },
    });
    const merged = configMap({
      uid: 'u-2', resourceVersion: '18', generation: 2, creationTimestamp: '2026-11-02T00:00:00Z', selfLink: '/api/v1/namespaces/prod/configmaps/settings-2',
      managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
      annotations: { 'deployment.kubernetes.io/revision': '2', 'kubectl.kubernetes.io/last-applied-configuration': '{"a":2}' },
    });
    expect(diffOf(live, merged)).toEqual({ objects: [], restarts: [] });
  });

  test('an object whose only annotations are the server\'s compares equal to one without annotations', () => {
    const live = configMap({ annotations: { 'deployment.kubernetes.io/revision': '1', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } });
    expect(diffOf(live, configMap({}))).toEqual({ objects: [], restarts: [] });
  });

  test('a change of one of our annotations is reported, though the server\'s stand beside it', () => {
    const annotated = (owner: string) => configMap({ annotations: { 'example.org/owner': owner, 'kubectl.kubernetes.io/last-applied-configuration': `{"owner":"${owner}"}` } });
    expect(diffOf(annotated('alice'), annotated('bob')).objects).toEqual([{
      change: 'changed', id: 'ConfigMap/prod/settings', keys: [],
      fields: [{ path: 'metadata.annotations["example.org/owner"]', before: 'alice', after: 'bob' }],
    }]);
  });

  test('objects are reported in the order of kubectl\'s file names, whatever order the folder is read in', () => {
    const named = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'prod' } });
    const diff = diffLiveObjects(
      texts({ 'v1.ConfigMap.prod.c': named('c'), 'v1.ConfigMap.prod.a': null, 'v1.ConfigMap.prod.b': named('b') }),
      texts({ 'v1.ConfigMap.prod.b': null, 'v1.ConfigMap.prod.a': named('a'), 'v1.ConfigMap.prod.c': null }),
    );
    expect(diff.objects.map(o => `${o.change} ${o.id}`)).toEqual(['added ConfigMap/prod/a', 'removed ConfigMap/prod/b', 'removed ConfigMap/prod/c']);
  });
});

describe('comparableLiveObject', () => {
  test('leaves out server bookkeeping, the server\'s annotations and status; keeps the rest; changes nothing of its input', () => {
    const live = {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: {
        name: 'binder', namespace: 'prod', uid: 'a1', resourceVersion: '17', generation: 3, creationTimestamp: '2026-11-01T00:00:00Z',
        selfLink: '/apis/apps/v1/namespaces/prod/deployments/binder', managedFields: [{ manager: 'kubectl' }], labels: { app: 'binder' },
        annotations: { 'deployment.kubernetes.io/revision': '3', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'example.org/owner': 'alice' },
      },
      spec: { replicas: 1 },
      status: { replicas: 1 },
    };
    const before = structuredClone(live);
    expect(comparableLiveObject(live)).toStrictEqual({
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'binder', namespace: 'prod', labels: { app: 'binder' }, annotations: { 'example.org/owner': 'alice' } },
      spec: { replicas: 1 },
    });
    expect(live).toStrictEqual(before);
  });

  test('an object left with no annotations has no annotations key at all', () => {
    const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { 'deployment.kubernetes.io/revision': '1', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } };
    expect(comparableLiveObject(live)).toStrictEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  });

  test('a Secret\'s data stays valid base64, of kubectl\'s masks, so the differ compares the masks as written', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hub' }, data: { token: '*** (before)', other: '***' } };
    const copy = comparableLiveObject(secret) as any;
    expect(copy.data).toStrictEqual({ token: 'KioqIChiZWZvcmUp', other: 'Kioq' });
    expect(Buffer.from(copy.data.token, 'base64').toString()).toBe('*** (before)');
  });

  test('a ConfigMap\'s data is not a Secret\'s: it stays as it is', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { url: 'http://hub.example.org/' } };
    expect(comparableLiveObject(configMap)).toStrictEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { url: 'http://hub.example.org/' } });
  });

  test.each([
    ['no data', {}],
    ['data: null (an empty `data:` in YAML)', { data: null }],
    ['data as a list', { data: ['a'] }],
    ['data as a string', { data: 'abc' }],
  ])('a Secret with %s is copied as it is, without failing', (_, extra) => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hub' }, ...extra };
    expect(comparableLiveObject(secret)).toStrictEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hub' }, ...extra });
  });

  test('a non-Secret\'s last-applied values are not registered for redaction: ordinary settings stay readable later', () => {
    const setting = 'ordinary-setting-value-7';
    const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', data: { value: Buffer.from(setting).toString('base64') }, stringData: { other: 'other-setting-value-7' } });
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } } };
    comparableLiveObject(configMap);
    expect(redact('ordinary-setting-value-7 and other-setting-value-7')).toBe('ordinary-setting-value-7 and other-setting-value-7');
  });

  test('a Secret\'s last-applied stringData values are registered for redaction too', () => {
    const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', stringData: { password: 'string-data-password-8' } });
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } } };
    comparableLiveObject(secret);
    expect(redact('password string-data-password-8')).toBe('password ***');
  });

  test.each(['not json at all', 'null', '["a list"]'])('a Secret whose last-applied annotation is %s is compared without failing', text => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': text } } };
    expect(comparableLiveObject(secret)).toStrictEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } });
  });
});
