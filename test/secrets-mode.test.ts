import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import {
  DEFAULT_TARGETS, encryptionLabel, ExternalSecretSpecSecretStoreRefKind, publishManifests, synthesizeFiles, readManifests, SEALED_FINGERPRINTS_ANNOTATION, SealingCertificate,
  SecretContent, secretContent, SecretsMode,
} from '../lib/internal';
import { controllerKeys, GITHUB_TOKEN, REGISTRY_PASSWORD, sealingTestDeployment, unseal } from './sealing';
import { fakeTokenValues, find, secretValue, synthBinderHub } from './helpers';

const keys = controllerKeys();
const deployment = sealingTestDeployment;

describe('sealing', () => {
  const certificate = SealingCertificate.fromPem(keys.certificate, 'cert.pem');

  test('a sealed value opens with the controller\'s private key, for its namespace and name only (strict)', () => {
    const sealed = certificate.seal(Buffer.from('s3cret'), encryptionLabel('binder', 'hub', 'strict'));
    expect(unseal(keys.privateKey, sealed, Buffer.from('binder/hub')).toString()).toBe('s3cret');
    expect(() => unseal(keys.privateKey, sealed, Buffer.from('other/hub'))).toThrow();
    expect(() => unseal(keys.privateKey, sealed, Buffer.from('binder/binder-secret'))).toThrow();
    const blob = Buffer.from(sealed, 'base64');
    expect(blob.readUInt16BE(0)).toBe(256); // a 2048-bit key wraps the session key into 256 bytes
    expect(blob.length).toBe(2 + 256 + 's3cret'.length + 16);
  });

  test('namespace-wide and cluster-wide labels', () => {
    expect(encryptionLabel('binder', 'hub', 'namespace-wide').toString()).toBe('binder');
    expect(encryptionLabel('binder', 'hub', 'cluster-wide')).toHaveLength(0);
    const sealed = certificate.seal(Buffer.from('x'), encryptionLabel('binder', 'hub', 'namespace-wide'));
    expect(unseal(keys.privateKey, sealed, Buffer.from('binder')).toString()).toBe('x');
  });

  test('sealing is randomized', () => {
    const label = encryptionLabel('a', 'b', 'strict');
    expect(certificate.seal(Buffer.from('x'), label)).not.toBe(certificate.seal(Buffer.from('x'), label));
  });
});

describe('SecretsMode.sealed', () => {
  const inline = Testing.synth(deployment(Testing.app(), SecretsMode.inline()));
  const first = Testing.synth(deployment(Testing.app(), SecretsMode.sealed({ certificate: keys.certificate })));

  test('every Secret becomes a SealedSecret that opens to the same values', () => {
    expect(first.filter(o => o.kind === 'Secret')).toEqual([]);
    const secrets = inline.filter(o => o.kind === 'Secret');
    expect(secrets.map(s => s.metadata.name).sort()).toEqual(['binder-build-docker-config', 'binder-image-pull-secret', 'binder-secret', 'hub']);
    for (const secret of secrets) {
      const sealed = find(first, 'SealedSecret', secret.metadata.name);
      expect(sealed.metadata.namespace).toBe('binder');
      expect(sealed.spec.template.type ?? 'Opaque').toBe(secret.type ?? 'Opaque');
      const keysOf = { ...(secret.data ?? {}), ...(secret.stringData ?? {}) };
      expect(Object.keys(sealed.spec.encryptedData).sort()).toEqual(Object.keys(keysOf).sort());
      for (const key of Object.keys(keysOf)) {
        const opened = unseal(keys.privateKey, sealed.spec.encryptedData[key], Buffer.from(`binder/${secret.metadata.name}`)).toString();
        expect(opened).toBe(secretValue(secret, key));
      }
    }
  });

  test('a re-synth with unchanged inputs keeps every SealedSecret byte-identical', () => {
    const again = Testing.synth(deployment(Testing.app(), SecretsMode.sealed({ certificate: keys.certificate, previous: first })));
    expect(again).toEqual(first);
  });

  test('changing one value re-seals only that entry', () => {
    const changed = Testing.synth(deployment(Testing.app(), SecretsMode.sealed({ certificate: keys.certificate, previous: first }), 'ghp_anotherFakeToken9876'));
    const entries = (objects: any[]) => objects.filter(o => o.kind === 'SealedSecret')
      .flatMap(o => Object.entries<string>(o.spec.encryptedData).map(([k, v]) => [`${o.metadata.name}/${k}`, v]));
    const before = Object.fromEntries(entries(first));
    const differing = entries(changed).filter(([entry, value]) => before[entry] !== value).map(([entry]) => entry);
    expect(differing).toEqual(['binder-secret/values.yaml']);
  });

  test('another certificate, or no previous synth, re-seals', () => {
    const other = controllerKeys();
    const resealed = Testing.synth(deployment(Testing.app(), SecretsMode.sealed({ certificate: other.certificate, previous: first })));
    expect(find(resealed, 'SealedSecret', 'hub').spec.encryptedData).not.toEqual(find(first, 'SealedSecret', 'hub').spec.encryptedData);
  });

  test('fingerprints are keyed hashes: no value, nor its plain hash, shows', () => {
    const annotation = find(first, 'SealedSecret', 'binder-build-docker-config').metadata.annotations[SEALED_FINGERPRINTS_ANNOTATION];
    const plainHash = crypto.createHash('sha256').update(secretValue(find(inline, 'Secret', 'binder-build-docker-config'), 'config.json')).digest('hex');
    expect(JSON.parse(annotation)['config.json']).toMatch(/^[0-9a-f]{64}$/);
    expect(annotation).not.toContain(plainHash);
  });

  test('namespace-wide scope is annotated on the SealedSecret and its template', () => {
    const objects = Testing.synth(deployment(Testing.app(), SecretsMode.sealed({ certificate: keys.certificate, scope: 'namespace-wide' })));
    const hub = find(objects, 'SealedSecret', 'hub');
    expect(hub.metadata.annotations['sealedsecrets.bitnami.com/namespace-wide']).toBe('true');
    expect(hub.spec.template.metadata.annotations['sealedsecrets.bitnami.com/namespace-wide']).toBe('true');
    const token = unseal(keys.privateKey, hub.spec.encryptedData['hub.services.binder.apiToken'], Buffer.from('binder')).toString();
    expect(token).toBe(fakeTokenValues('prod').binderApiToken);
  });

  test('cluster-wide scope is annotated cluster-wide, and only so, on the SealedSecret and its template; it opens under any name', () => {
    const objects = Testing.synth(deployment(Testing.app(), SecretsMode.sealed({ certificate: keys.certificate, scope: 'cluster-wide' })));
    const hub = find(objects, 'SealedSecret', 'hub');
    const scopes = (annotations: Record<string, string>) => Object.entries(annotations).filter(([key]) => key.startsWith('sealedsecrets.bitnami.com/'));
    expect(scopes(hub.metadata.annotations)).toEqual([['sealedsecrets.bitnami.com/cluster-wide', 'true']]);
    expect(scopes(hub.spec.template.metadata.annotations)).toEqual([['sealedsecrets.bitnami.com/cluster-wide', 'true']]);
    const token = unseal(keys.privateKey, hub.spec.encryptedData['hub.services.binder.apiToken'], Buffer.alloc(0)).toString();
    expect(token).toBe(fakeTokenValues('prod').binderApiToken);
  });
});

describe('SecretsMode.separate and SecretsMode.external', () => {
  test('separate: the Secrets move, unchanged, to the deployment\'s -secrets chart', () => {
    const app = Testing.app();
    deployment(app, SecretsMode.separate());
    const [main, separate] = app.charts.map(c => Testing.synth(c));
    expect(app.charts.map(c => c.node.id)).toEqual(['prod', 'prod-secrets']);
    expect(main.filter(o => o.kind === 'Secret')).toEqual([]);
    const inlineSecrets = Testing.synth(deployment(Testing.app(), SecretsMode.inline())).filter(o => o.kind === 'Secret');
    for (const secret of inlineSecrets) {
      const moved = find(separate, 'Secret', secret.metadata.name);
      expect(moved.metadata.namespace).toBe('binder');
      for (const key of Object.keys({ ...(secret.data ?? {}), ...(secret.stringData ?? {}) })) {
        expect(secretValue(moved, key)).toBe(secretValue(secret, key));
      }
    }
  });

  test('external: ExternalSecrets read each value from the store; the values go to the -secrets chart to load', () => {
    const app = Testing.app();
    deployment(app, SecretsMode.external({ storeName: 'vault', remoteKeyPrefix: 'binderhub/' }));
    const [main, seed] = app.charts.map(c => Testing.synth(c));
    expect(main.filter(o => o.kind === 'Secret')).toEqual([]);
    const hub = find(main, 'ExternalSecret', 'hub');
    expect(hub.spec.secretStoreRef).toEqual({ name: 'vault', kind: 'SecretStore' });
    expect(hub.spec.refreshInterval).toBe('1h');
    expect(hub.spec.target).toMatchObject({ name: 'hub', creationPolicy: 'Owner' });
    expect(hub.spec.data).toContainEqual({ secretKey: 'hub.services.binder.apiToken', remoteRef: { key: 'binderhub/binder/hub/hub.services.binder.apiToken' } });
    expect(find(main, 'ExternalSecret', 'binder-image-pull-secret').spec.target.template.type).toBe('kubernetes.io/dockerconfigjson');
    expect(secretValue(find(seed, 'Secret', 'hub'), 'hub.services.binder.apiToken')).toBe(fakeTokenValues('prod').binderApiToken);
  });

  test('external: every ExternalSecret reads from the store kind and at the refresh interval given', () => {
    const app = Testing.app();
    deployment(app, SecretsMode.external({ storeName: 'vault', storeKind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, refreshInterval: '15m' }));
    const externalSecrets = Testing.synth(app.charts[0]).filter(o => o.kind === 'ExternalSecret');
    expect(externalSecrets.map(o => o.metadata.name).sort()).toEqual(['binder-build-docker-config', 'binder-image-pull-secret', 'binder-secret', 'hub']);
    for (const external of externalSecrets) {
      expect(external.spec.secretStoreRef).toEqual({ name: 'vault', kind: 'ClusterSecretStore' });
      expect(external.spec.refreshInterval).toBe('15m');
    }
  });

  test('external: throws on an invalid store name', () => {
    expect(() => SecretsMode.external({ storeName: 'My Store' })).toThrow(/SecretsMode\.external storeName "My Store" is not a valid object name/);
  });

  test('by default the Secrets go to the -secrets chart: none stays in the deployment\'s own file', () => {
    const app = Testing.app();
    expect(deployment(app, undefined).secretsMode.name).toBe('separate');
    const [main, separate] = app.charts.map(c => Testing.synth(c));
    expect(app.charts.map(c => c.node.id)).toEqual(['prod', 'prod-secrets']);
    expect(main.filter(o => o.kind === 'Secret')).toEqual([]);
    expect(separate.map(o => `${o.kind}/${o.metadata.name}`).sort())
      .toEqual(['Secret/binder-build-docker-config', 'Secret/binder-image-pull-secret', 'Secret/binder-secret', 'Secret/hub']);
  });

  test('a mode set for the app applies to every deployment that sets none, and only in that app', () => {
    const app = Testing.app();
    SecretsMode.useForApp(app, SecretsMode.inline());
    const chosen = deployment(app, undefined);
    expect(chosen.secretsMode.name).toBe('inline');
    expect(Testing.synth(chosen).filter(o => o.kind === 'Secret')).toHaveLength(4);
    expect(deployment(Testing.app(), undefined).secretsMode.name).toBe('separate');
  });

  test('a deployment id may not end with -secrets', () => {
    expect(() => synthBinderHub({}, 'prod-secrets')).toThrow(/deployment id "prod-secrets" ends with -secrets/);
  });
});

describe.each([
  ['sealed', () => SecretsMode.sealed({ certificate: keys.certificate })],
  ['separate', () => SecretsMode.separate()],
  ['external', () => SecretsMode.external({ storeName: 'vault' })],
])('in %s mode', (_, mode) => {
  test('no secret value appears anywhere under dist/', () => {
    const app = Testing.app();
    deployment(app, mode());
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-grep-'));
    const targets = { manifests: path.join(root, DEFAULT_TARGETS.manifests), secrets: path.join(root, DEFAULT_TARGETS.secrets) };
    publishManifests(synthesizeFiles(app), targets);
    const dist = fs.readdirSync(targets.manifests).map(f => fs.readFileSync(path.join(targets.manifests, f), 'utf8')).join('\n');
    expect(readManifests(targets.manifests).length).toBeGreaterThan(20);
    for (const value of [...Object.values(fakeTokenValues('prod')), REGISTRY_PASSWORD, GITHUB_TOKEN]) {
      expect(dist).not.toContain(value);
      expect(dist).not.toContain(Buffer.from(value).toString('base64'));
    }
  });
});

describe('secretContent', () => {
  test('keeps the Secret\'s own namespace, labels, annotations, type and immutability; data is decoded and stringData read as UTF-8', () => {
    const json = {
      metadata: { name: 'hub', namespace: 'other', labels: { app: 'binder' }, annotations: { note: 'kept' } },
      type: 'kubernetes.io/dockerconfigjson', immutable: true, data: { a: 'b25l' }, stringData: { b: 'two' },
    };
    expect(secretContent(json, 'binder')).toEqual({
      name: 'hub', namespace: 'other', type: 'kubernetes.io/dockerconfigjson', immutable: true,
      labels: { app: 'binder' }, annotations: { note: 'kept' }, values: { a: Buffer.from('one'), b: Buffer.from('two') },
    });
  });

  test('a Secret without namespace, labels or annotations gets the deployment\'s namespace and empty labels and annotations', () => {
    expect(secretContent({ metadata: { name: 'hub' } }, 'binder')).toEqual({ name: 'hub', namespace: 'binder', labels: {}, annotations: {}, values: {} });
  });
});

/** One Secret whose values are listed out of key order. */
const HUB: SecretContent = {
  name: 'hub', namespace: 'binder', type: 'Opaque', immutable: true, labels: { app: 'binder' }, annotations: { note: 'kept' },
  values: { b: Buffer.from('two'), a: Buffer.from('one') },
};

/** What `mode` makes of `secret` in a chart of the secret's namespace: the chart's objects, the -secrets chart's, and the entries named. */
function replaced(mode: SecretsMode, secret: SecretContent = HUB): { objects: any[]; separate: any[]; foreign: string[] } {
  const app = Testing.app();
  const chart = new Chart(app, 'prod', { namespace: secret.namespace });
  const foreign = mode.replace([secret], { chart, fingerprintKey: Buffer.alloc(32, 5) });
  const [objects, separate = []] = app.charts.map(c => Testing.synth(c));
  return { objects, separate, foreign };
}

const SEPARATE_HUB = {
  apiVersion: 'v1', kind: 'Secret',
  metadata: { name: 'hub', namespace: 'binder', labels: { app: 'binder' }, annotations: { note: 'kept' } },
  type: 'Opaque', immutable: true, data: { a: 'b25l', b: 'dHdv' },
};

describe('what each mode makes of one Secret', () => {
  test('separate: the Secret as it was, as a v1 Secret in the -secrets chart; nothing is named', () => {
    expect(replaced(SecretsMode.separate())).toEqual({ objects: [], separate: [SEPARATE_HUB], foreign: [] });
  });

  test('external: an ExternalSecret reading each value, in key order, from <namespace>/<secret>/<key>; the Secret goes to the -secrets chart', () => {
    expect(replaced(SecretsMode.external({ storeName: 'vault' }))).toEqual({
      objects: [{
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
        metadata: { name: 'hub', namespace: 'binder', labels: { app: 'binder' } },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { name: 'vault', kind: 'SecretStore' },
          target: { name: 'hub', creationPolicy: 'Owner', template: { type: 'Opaque', metadata: { labels: { app: 'binder' }, annotations: { note: 'kept' } } } },
          data: [{ secretKey: 'a', remoteRef: { key: 'binder/hub/a' } }, { secretKey: 'b', remoteRef: { key: 'binder/hub/b' } }],
        },
      }],
      separate: [SEPARATE_HUB],
      foreign: [],
    });
  });

  test('external: remoteKeyPrefix goes in front of each remote key as it is', () => {
    const data = replaced(SecretsMode.external({ storeName: 'vault', remoteKeyPrefix: 'kv/binderhub-' })).objects[0].spec.data;
    expect(data).toEqual([{ secretKey: 'a', remoteRef: { key: 'kv/binderhub-binder/hub/a' } }, { secretKey: 'b', remoteRef: { key: 'kv/binderhub-binder/hub/b' } }]);
  });

  test('sealed, strict: a SealedSecret with only the fingerprints annotation, values in key order, and a template without scope annotations', () => {
    const { objects, separate, foreign } = replaced(SecretsMode.sealed({ certificate: keys.certificate }));
    expect(separate).toEqual([]);
    expect(foreign).toEqual([]);
    expect(objects).toEqual([{
      apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret',
      metadata: {
        name: 'hub', namespace: 'binder', labels: { app: 'binder' },
        annotations: { 'binderhub-cdk8s.io/sealed-fingerprints': expect.stringMatching(/^\{"a":"[0-9a-f]{64}","b":"[0-9a-f]{64}"\}$/) },
      },
      spec: {
        encryptedData: { a: expect.any(String), b: expect.any(String) },
        template: { metadata: { name: 'hub', namespace: 'binder', labels: { app: 'binder' }, annotations: { note: 'kept' } }, type: 'Opaque', immutable: true },
      },
    }]);
    const sealed = objects[0].spec.encryptedData;
    expect(Object.keys(sealed)).toEqual(['a', 'b']);
    expect(unseal(keys.privateKey, sealed.a, Buffer.from('binder/hub')).toString()).toBe('one');
    expect(unseal(keys.privateKey, sealed.b, Buffer.from('binder/hub')).toString()).toBe('two');
    expect(SEALED_FINGERPRINTS_ANNOTATION).toBe('binderhub-cdk8s.io/sealed-fingerprints');
  });

  test('inline keeps the Secrets where they are: it replaces none', () => {
    expect(() => SecretsMode.inline().replace([HUB], { chart: new Chart(Testing.app(), 'prod'), fingerprintKey: Buffer.alloc(32, 5) })).toThrow(/^inline mode keeps the Secrets where they are$/);
  });
});

describe('SecretsMode.sealed takes from the previous synth only the SealedSecret of the same kind, name and namespace', () => {
  const sealed = (previous?: any[]) => SecretsMode.sealed({ certificate: keys.certificate, previous });
  const honest = replaced(sealed()).objects;
  const staging = replaced(sealed(), { ...HUB, namespace: 'staging' }).objects;
  const hub = honest[0];

  test.each([
    ['before', [...staging, ...honest]],
    ['after', [...honest, ...staging]],
  ])('the same Secret name in another namespace, %s ours, leaves our ciphertexts as they were', (_, previous) => {
    expect(replaced(sealed(previous))).toEqual({ objects: honest, separate: [], foreign: [] });
  });

  test('entries that are no such object (null, a number, a list, no metadata, no namespace, a Secret) are passed over', () => {
    const { metadata, ...rest } = hub;
    const others = [null, 42, [hub], { ...rest }, { ...hub, metadata: { ...metadata, namespace: undefined } }, { ...hub, kind: 'Secret' }];
    expect(replaced(sealed([...others, ...honest]))).toEqual({ objects: honest, separate: [], foreign: [] });
  });

  const recordText: string = hub.metadata.annotations[SEALED_FINGERPRINTS_ANNOTATION];
  const withAnnotations = (annotations: unknown) => ({ ...hub, metadata: { ...hub.metadata, annotations } });
  const withSpec = (spec: unknown) => ({ ...hub, spec });
  test.each<[string, unknown]>([
    ['no annotations', withAnnotations(undefined)],
    ['a record that is not JSON', withAnnotations({ [SEALED_FINGERPRINTS_ANNOTATION]: '{"a":' })],
    ['a record that is JSON null', withAnnotations({ [SEALED_FINGERPRINTS_ANNOTATION]: 'null' })],
    ['a record that is a JSON list', withAnnotations({ [SEALED_FINGERPRINTS_ANNOTATION]: '["a"]' })],
    ['a record that is not a string but a list holding the record\'s text', withAnnotations({ [SEALED_FINGERPRINTS_ANNOTATION]: [recordText] })],
    ['no spec', withSpec(undefined)],
    ['no encryptedData', withSpec({ template: hub.spec.template })],
    ['encryptedData null', withSpec({ ...hub.spec, encryptedData: null })],
    ['encryptedData a list', withSpec({ ...hub.spec, encryptedData: [hub.spec.encryptedData.a, hub.spec.encryptedData.b] })],
  ])('a SealedSecret with %s is sealed anew, without a failure and without being named', (_, previous) => {
    const { objects, foreign } = replaced(sealed([previous]));
    expect(foreign).toEqual([]);
    const again = objects[0].spec.encryptedData;
    expect(again.a).not.toBe(hub.spec.encryptedData.a);
    expect(again.b).not.toBe(hub.spec.encryptedData.b);
    expect(unseal(keys.privateKey, again.a, Buffer.from('binder/hub')).toString()).toBe('one');
    expect(unseal(keys.privateKey, again.b, Buffer.from('binder/hub')).toString()).toBe('two');
  });
});
