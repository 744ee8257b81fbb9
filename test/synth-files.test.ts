import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ConfigError, readManifests, synthesizeFiles } from '../lib/internal';
import { defineExample, exampleInputs } from './helpers';

test('synthesizeFiles gives, in memory, exactly the files app.synth() writes', () => {
  const inputs = exampleInputs();
  const written = defineExample(inputs).app;
  written.synth();
  // Sealing is randomized unless the previous ciphertexts are there to keep.
  const inMemory = defineExample({ ...inputs, previous: readManifests(written.outdir) }).app;
  const files = synthesizeFiles(inMemory);
  expect([...files.keys()].sort()).toEqual(['prod-delivery.k8s.yaml', 'prod.k8s.yaml', 'staging-secrets.k8s.yaml', 'staging.k8s.yaml']);
  for (const [name, content] of files) expect(content).toBe(fs.readFileSync(path.join(written.outdir, name), 'utf8'));
});

test('a chart that depends on another is refused by path, since cdk8s would number the files and this synth does not', () => {
  const app = Testing.app();
  const first = new Chart(app, 'first');
  const second = new Chart(app, 'second');
  second.addDependency(first);
  expect(() => synthesizeFiles(app)).toThrow(ConfigError);
  expect(() => synthesizeFiles(app)).toThrow('chart second depends on another chart, which this synth does not order; remove the dependency');
});
