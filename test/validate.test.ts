/** Every object the example synthesizes, checked offline against the Kubernetes schemas (kubernetes-models). */
import { Testing } from 'cdk8s';
import { kubernetesModel } from '../lib/internal';
import { defineExample, exampleInputs } from './helpers';

export function validateObject(object: any): void {
  const Model = kubernetesModel(object.apiVersion, object.kind);
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

describe('the example app', () => {
  const { app, deployments } = defineExample(exampleInputs());
  const objects = app.charts.flatMap(chart => Testing.synth(chart));
  const kubernetesObjects = objects.filter(o => o.kind !== 'SealedSecret');

  test('synthesizes both deployments', () => {
    expect(deployments.map(d => d.namespace)).toEqual(['binderhub-staging', 'binderhub-prod']);
    expect(objects.length).toBeGreaterThan(30);
  });

  test('the only kind outside the Kubernetes schemas is the imported SealedSecret', () => {
    expect([...new Set(objects.filter(o => !kubernetesModel(o.apiVersion, o.kind)).map(o => `${o.apiVersion}/${o.kind}`))]).toEqual(['bitnami.com/v1alpha1/SealedSecret']);
  });

  test.each(kubernetesObjects.map(o => [`${o.metadata.namespace}/${o.kind}/${o.metadata.name}`, o]))('%s matches the Kubernetes schema', (_, object) => {
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
