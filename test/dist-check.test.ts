/** `secretDataProblems`, which `npm run check-dist` runs on dist/: plaintext Secret data only where it was chosen. */
import { foreignCiphertextProblem, ManifestObject, secretDataProblems, SecretsMode } from '../lib/internal';

const secret = (name: string, fields: object): ManifestObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'ns' }, ...fields });
const configMap: ManifestObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' }, data: { a: 'b' } };
const sealed: ManifestObject = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 's', namespace: 'ns' }, spec: { encryptedData: { a: 'QUFB' } } };

const modes = new Map([['inl', SecretsMode.inline()], ['sep', SecretsMode.separate()], ['ext', SecretsMode.external({ storeName: 'vault' })]]);
const problems = (file: string, objects: ManifestObject[]) => secretDataProblems(new Map([[file, objects]]), modes);

describe('secretDataProblems', () => {
  test('a deployment that keeps its Secrets out of dist/: each Secret with data or stringData is named, never its value', () => {
    expect(problems('dist/sep.k8s.yaml', [configMap, sealed, secret('a', { data: { token: 'c2VjcmV0' } }), secret('b', { stringData: { token: 'secret' } })])).toEqual([
      'dist/sep.k8s.yaml: Secret ns/a holds plaintext data, but deployment sep keeps its Secrets out of dist/ (separate mode): remove it and run `npm run synth`',
      'dist/sep.k8s.yaml: Secret ns/b holds plaintext data, but deployment sep keeps its Secrets out of dist/ (separate mode): remove it and run `npm run synth`',
    ]);
    expect(problems('dist/ext.k8s.yaml', [secret('a', { data: { token: 'c2VjcmV0' } })])).toEqual([
      'dist/ext.k8s.yaml: Secret ns/a holds plaintext data, but deployment ext keeps its Secrets out of dist/ (external mode): remove it and run `npm run synth`',
    ]);
  });

  test('a file of no deployment (a leftover, a copy) may not hold Secret data either', () => {
    expect(problems('dist/old.k8s.yaml', [secret('a', { data: { token: 'c2VjcmV0' } })])).toEqual([
      'dist/old.k8s.yaml: Secret ns/a holds plaintext data, but no deployment chose SecretsMode.inline() for this file: remove it and run `npm run synth`',
    ]);
    expect(problems('dist/notes.yaml', [secret('a', { data: { token: 'c2VjcmV0' } })])).toEqual([
      'dist/notes.yaml: Secret ns/a holds plaintext data, but no deployment chose SecretsMode.inline() for this file: remove it and run `npm run synth`',
    ]);
  });

  test('a Secret inside a List, which kubectl applies too, is named; items that are no objects are passed over', () => {
    const list: ManifestObject = { apiVersion: 'v1', kind: 'List', metadata: { name: '' }, items: [null, undefined, 'text', 7, secret('in-list', { stringData: { k: 'v' } })] };
    expect(problems('dist/sep.k8s.yaml', [list])).toEqual([
      'dist/sep.k8s.yaml: Secret ns/in-list holds plaintext data, but deployment sep keeps its Secrets out of dist/ (separate mode): remove it and run `npm run synth`',
    ]);
  });

  test('a Secret without a namespace is named by its name alone; one without metadata (hand-written into a List) is still named', () => {
    const bare: ManifestObject = { apiVersion: 'v1', kind: 'Secret', data: { token: 'c2VjcmV0' } } as any;
    const list: ManifestObject = { apiVersion: 'v1', kind: 'List', metadata: { name: '' }, items: [bare] };
    expect(problems('dist/sep.k8s.yaml', [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a' }, data: { token: 'c2VjcmV0' } }, list])).toEqual([
      'dist/sep.k8s.yaml: Secret a holds plaintext data, but deployment sep keeps its Secrets out of dist/ (separate mode): remove it and run `npm run synth`',
      'dist/sep.k8s.yaml: Secret undefined holds plaintext data, but deployment sep keeps its Secrets out of dist/ (separate mode): remove it and run `npm run synth`',
    ]);
  });

  test('only a List\'s items are read as objects: an object of another kind with items (such as a ListenerSet) is not a List', () => {
    const listenerSet: ManifestObject = {
      apiVersion: 'gateway.networking.x-k8s.io/v1alpha1', kind: 'ListenerSet', metadata: { name: 'l', namespace: 'ns' }, items: [secret('inside', { data: { k: 'dg==' } })],
    };
    expect(problems('dist/sep.k8s.yaml', [listenerSet])).toEqual([]);
  });

  test('a deployment that chose inline, and Secrets without data, pass', () => {
    expect(problems('dist/inl.k8s.yaml', [secret('a', { data: { token: 'c2VjcmV0' } })])).toEqual([]);
    expect(problems('dist/sep.k8s.yaml', [secret('empty', { data: {} }), secret('tls', { type: 'kubernetes.io/tls' }), configMap, sealed])).toEqual([]);
  });
});

describe('foreignCiphertextProblem', () => {
  test('says where the ciphertext is and how it can have got there, never its value', () => {
    expect(foreignCiphertextProblem('SealedSecret binderhub-prod/hub key values.yaml')).toBe('SealedSecret binderhub-prod/hub key values.yaml in dist/ holds a '
      + 'ciphertext not sealed for its value by this deployment (swapped with another, sealed by someone with the public certificate, or sealed '
      + 'before binderhub-cdk8s bound ciphertexts to values)');
  });
});
