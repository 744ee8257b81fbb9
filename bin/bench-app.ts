/**
 * The synth that `npm run bench` measures: `count` deployments in one app, each as the example defines one
 * (default builder pushing to a registry, inline Secrets), rendered from BINDERHUB_CHART or the test chart and published to
 * `<workspace>/dist-<count>/`. With --dump-values it writes the first deployment's chart values instead, for the
 * raw `helm template` that the synth is compared with. A count of 0 measures the fixed cost (node, the libraries,
 * an empty synth). Prints its peak memory as JSON.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { BinderHub, ChartSource, projectRoot, publishManifests, Registry, renderConcurrently, runMain, SecretsMode, SecretStore, synthesizeFiles } from '../lib/internal';

const [workspace, countArg, flag] = process.argv.slice(2);
const count = Number(countArg);
const chart = ChartSource.local(process.env.BINDERHUB_CHART ?? path.join(projectRoot(), 'test', 'fixtures', 'binderhub'));
const store = new SecretStore(path.join(workspace, 'secrets'));
const registry = Registry.dockerHub({ username: 'benchbot', password: 'bench-registry-password', imagePrefix: 'benchorg/binder-' });
const define = () => {
  const app = new App();
  const deployments = Array.from({ length: count }, (_, i) => new BinderHub(app, `bench-${i}`, {
    chart, tokens: store.load(`bench-${i}`).tokens, registry, secrets: SecretsMode.inline(),
  }));
  return { app, deployments };
};

runMain(async () => {
  if (flag === '--dump-values') {
    fs.writeFileSync(path.join(workspace, 'values.yaml'), Yaml.stringify(define().deployments[0].helmChart.values));
  } else {
    // As npm run synth does: the renders side by side.
    const { app } = await renderConcurrently(define);
    publishManifests(synthesizeFiles(app), { manifests: path.join(workspace, `dist-${count}`), secrets: path.join(workspace, `dist-${count}-secrets`) });
  }
  console.log(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
});
