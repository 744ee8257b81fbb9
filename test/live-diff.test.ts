/** The object diff of `npm run diff -- --live` over kubectl's two folders (lib/live-diff.ts), on written-out objects (JSON is YAML). */
import { diffLiveObjects, redact } from '../lib';

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
