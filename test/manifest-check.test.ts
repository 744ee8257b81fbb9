import { checkManifests, ManifestObject } from '../lib/output/manifest-check';

const check = (objects: ManifestObject[]) => checkManifests(objects, { isKnownKind: () => true });

/** A Deployment in `ns` whose pod spec is `pod`. */
function deployment(pod: object): ManifestObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns' }, spec: { template: { spec: pod } } };
}

/** A Deployment whose pods mount the Secret `made`. */
const mountsMade = deployment({ volumes: [{ name: 'v', secret: { secretName: 'made' } }], containers: [{ name: 'c' }] });
const missingMade = 'Deployment/ns/d: its pods name Secret/ns/made, which is not in the output (declare it user-provided if something else creates it)';

describe('a SealedSecret or ExternalSecret counts as the Secret it makes', () => {
  const sealed = (spec: object | undefined, name = 'made'): ManifestObject =>
    ({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name, namespace: 'ns' }, ...(spec && { spec }) });
  const external = (spec: object | undefined, name = 'made'): ManifestObject =>
    ({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name, namespace: 'ns' }, ...(spec && { spec }) });

  test.each([
    ['a SealedSecret named in its template', sealed({ template: { metadata: { name: 'made' } } }, 'sealed')],
    ['a SealedSecret without a spec, by its own name', sealed(undefined)],
    ['a SealedSecret without a template, by its own name', sealed({ encryptedData: {} })],
    ['a SealedSecret whose template has no metadata, by its own name', sealed({ template: { type: 'Opaque' } })],
    ['a SealedSecret whose template names nothing, by its own name', sealed({ template: { metadata: { labels: {} } } })],
    ['an ExternalSecret naming its target', external({ target: { name: 'made' } }, 'external')],
    ['an ExternalSecret without a spec, by its own name', external(undefined)],
    ['an ExternalSecret without a target, by its own name', external({ refreshInterval: '1h' })],
    ['an ExternalSecret whose target names nothing, by its own name', external({ target: { creationPolicy: 'Owner' } })],
  ])('%s', (_, maker) => {
    expect(check([mountsMade, maker])).toEqual([]);
  });

  test('their own name does not count where they name another Secret', () => {
    expect(check([mountsMade, sealed({ template: { metadata: { name: 'other' } } })])).toEqual([missingMade]);
    expect(check([mountsMade, external({ target: { name: 'other' } })])).toEqual([missingMade]);
  });

  test('nor does a Secret of another namespace, or another kind of the same name', () => {
    const elsewhere: ManifestObject = { ...sealed(undefined), metadata: { name: 'made', namespace: 'other' } };
    const configMap: ManifestObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'made', namespace: 'ns' } };
    expect(check([mountsMade, elsewhere, configMap])).toEqual([missingMade]);
  });
});

describe('the objects a pod needs', () => {
  const needs = (pod: object) => check([deployment(pod)]).map(problem => problem.replace(/^Deployment\/ns\/d: its pods name (\S+), .*$/, '$1'));

  test('Secrets and ConfigMaps of projected volumes', () => {
    expect(needs({
      volumes: [{
        name: 'p',
        projected: { sources: [{ secret: { name: 'ps' } }, { configMap: { name: 'pc' } }, { serviceAccountToken: { path: 't' } }, { secret: { name: 'opt', optional: true } }] },
      }],
    })).toEqual(['Secret/ns/ps', 'ConfigMap/ns/pc']);
  });

  test('Secrets and ConfigMaps of envFrom and env, in init containers as in containers', () => {
    expect(needs({
      initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 'is' } }, { configMapRef: { name: 'ic' } }] }],
      containers: [{
        name: 'c',
        envFrom: [{ prefix: 'X_', configMapRef: { name: 'cc' } }, { secretRef: { name: 'opt', optional: true } }],
        env: [{ name: 'A', value: 'a' }, { name: 'B', valueFrom: { secretKeyRef: { name: 'cs', key: 'k' } } }],
      }],
    })).toEqual(['Secret/ns/is', 'ConfigMap/ns/ic', 'Secret/ns/cs', 'ConfigMap/ns/cc']);
  });

  test('a ServiceAccount, unless it is the default one that every namespace has', () => {
    expect(needs({ serviceAccountName: 'default', containers: [{ name: 'c' }] })).toEqual([]);
    expect(needs({ serviceAccountName: 'builder', containers: [{ name: 'c' }] })).toEqual(['ServiceAccount/ns/builder']);
  });

  test('nothing for a pod spec without volumes, containers or image pull Secrets', () => {
    expect(needs({})).toEqual([]);
    expect(needs({ volumes: [{ name: 'e', emptyDir: {} }], containers: [{ name: 'c' }], imagePullSecrets: [] })).toEqual([]);
  });

  test('a CronJob\'s pods are those of its job template; a CronJob without one runs none', () => {
    const cronJob = (spec: object | undefined): ManifestObject =>
      ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', namespace: 'ns' }, ...(spec && { spec }) });
    const pod = { volumes: [{ name: 'v', configMap: { name: 'cm' } }], containers: [{ name: 'c' }] };
    expect(check([cronJob({ schedule: '@daily', jobTemplate: { spec: { template: { spec: pod } } } })]))
      .toEqual(['CronJob/ns/cj: its pods name ConfigMap/ns/cm, which is not in the output (declare it user-provided if something else creates it)']);
    for (const spec of [undefined, { schedule: '@daily' }, { jobTemplate: {} }, { jobTemplate: { spec: { backoffLimit: 1 } } }]) {
      expect(check([cronJob(spec)])).toEqual([]);
    }
  });
});
