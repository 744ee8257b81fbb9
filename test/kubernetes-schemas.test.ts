import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { importedCrdKinds, knownKindChecker } from '../lib/chart/kubernetes-schemas';

/** A CRD file's text, as `kubectl get crd -o yaml` keeps it (trimmed to what is read). */
const crd = (group: string, kind: string, versions: string[]) =>
  `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  group: ${group}\n  names:\n    kind: ${kind}\n`
  + `  versions:\n${versions.map(v => `    - name: ${v}\n`).join('')}`;

describe('imported CRDs', () => {
  test('every version of each .yaml and .yml CRD file in the folder is a known kind; other files are not read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
    fs.writeFileSync(path.join(dir, 'widget.yaml'), crd('example.org', 'Widget', ['v1alpha1', 'v1']));
    fs.writeFileSync(path.join(dir, 'gadget.yml'), crd('example.org', 'Gadget', ['v2']));
    fs.writeFileSync(path.join(dir, 'README.md'), '# not YAML: {\n');
    fs.writeFileSync(path.join(dir, 'widget.yaml.orig'), crd('example.org', 'OldWidget', ['v0']));
    expect([...importedCrdKinds(dir)].sort()).toEqual(['example.org/v1 Widget', 'example.org/v1alpha1 Widget', 'example.org/v2 Gadget']);
  });

  test('the project\'s own crds/ folder gives the SealedSecret, ExternalSecret and HTTPRoute kinds', () => {
    const isKnown = knownKindChecker();
    expect(isKnown('bitnami.com/v1alpha1', 'SealedSecret')).toBe(true);
    expect(isKnown('external-secrets.io/v1', 'ExternalSecret')).toBe(true);
    expect(isKnown('gateway.networking.k8s.io/v1', 'HTTPRoute')).toBe(true);
    expect(isKnown('apps/v1', 'Deployment')).toBe(true);
    expect(isKnown('example.org/v1', 'Widget')).toBe(false);
  });

  test('the GitOps controllers\' kinds that delivery writes are known through their kubernetes-models packages', () => {
    const isKnown = knownKindChecker();
    expect(isKnown('argoproj.io/v1alpha1', 'Application')).toBe(true);
    expect(isKnown('source.toolkit.fluxcd.io/v1', 'GitRepository')).toBe(true);
    expect(isKnown('kustomize.toolkit.fluxcd.io/v1', 'Kustomization')).toBe(true);
    expect(isKnown('argoproj.io/v1alpha1', 'Widget')).toBe(false);
  });

  test('prometheus-operator\'s kinds that monitoring writes are known through their kubernetes-models package', () => {
    const isKnown = knownKindChecker();
    for (const kind of ['ServiceMonitor', 'PodMonitor', 'PrometheusRule']) expect(isKnown('monitoring.coreos.com/v1', kind)).toBe(true);
    expect(isKnown('monitoring.coreos.com/v1', 'Widget')).toBe(false);
  });
});
