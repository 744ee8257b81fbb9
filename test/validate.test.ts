/** Every object the example synthesizes, checked offline against the Kubernetes schemas (kubernetes-models). */
import { Testing } from 'cdk8s';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defineExample } from '../main';
import { ChartSource, HubUrlRecords, kubernetesModel, SecretStore } from '../lib';
import { FIXTURE_CHART } from './helpers';

export function validateObject(object: any): void {
  const Model = kubernetesModel(object.apiVersion, object.kind);
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

describe('the example app', () => {
  const store = new SecretStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'validate-')), 'secrets'));
  store.init('staging');
  store.init('prod');
  const app = Testing.app();
  const deployments = defineExample(app, store, ChartSource.local(FIXTURE_CHART), new HubUrlRecords(path.join(store.directory, 'no-hub-urls')));
  const objects = deployments.flatMap(d => Testing.synth(d));

  test('synthesizes both deployments', () => {
    expect(deployments.map(d => d.namespace)).toEqual(['binderhub-staging', 'binderhub-prod']);
    expect(objects.length).toBeGreaterThan(30);
  });

  test.each(objects.map(o => [`${o.metadata.namespace}/${o.kind}/${o.metadata.name}`, o]))('%s matches the Kubernetes schema', (_, object) => {
    expect(() => validateObject(object)).not.toThrow();
  });

  test('the validator does catch a broken object', () => {
    const binder = objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'binder');
    const broken = JSON.parse(JSON.stringify(binder));
    broken.spec.replicas = 'two';
    delete broken.spec.template.spec.containers[0].name;
    expect(() => validateObject(broken)).toThrow(/replicas must be integer/);
  });
});
