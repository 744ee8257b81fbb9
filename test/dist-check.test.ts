/** `secretDataProblems`, which `npm run check-dist` runs on dist/: plaintext Secret data only where it was chosen. */
import { ManifestObject, secretDataProblems, SecretsMode } from '../lib';

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
  });

  test('a Secret inside a List, which kubectl applies too, is named', () => {
    const list: ManifestObject = { apiVersion: 'v1', kind: 'List', metadata: { name: '' }, items: [null, secret('in-list', { stringData: { k: 'v' } })] };
    expect(problems('dist/sep.k8s.yaml', [list])).toEqual([
      'dist/sep.k8s.yaml: Secret ns/in-list holds plaintext data, but deployment sep keeps its Secrets out of dist/ (separate mode): remove it and run `npm run synth`',
    ]);
  });

  test('a deployment that chose inline, and Secrets without data, pass', () => {
    expect(problems('dist/inl.k8s.yaml', [secret('a', { data: { token: 'c2VjcmV0' } })])).toEqual([]);
    expect(problems('dist/sep.k8s.yaml', [secret('empty', { data: {} }), secret('tls', { type: 'kubernetes.io/tls' }), configMap, sealed])).toEqual([]);
  });
});
