/**
 * The synth that `npm run bench` measures, started as every command starts, in the bench's folder of that case: its
 * app file main.ts (written by the bench: `<count>` deployments, each as the example defines one, default builder
 * pushing to a registry, inline Secrets) compiled and loaded, then synthesized with its renders side by side and
 * published to `dist-<count>/`. The chart is BINDERHUB_CHART. With --dump-values it writes the first deployment's chart
 * values instead, for the raw `helm template` that the synth is compared with. A count of 0 measures the fixed cost
 * (node, the libraries, the app file, an empty synth). Prints its peak memory as JSON.
 */
import * as fs from 'fs';
import { Yaml } from 'cdk8s';
import {
  defineWithoutRendering, DeploymentsScope, deploymentsOf, loadProjectApp, publishManifests, readProjectFolder, runMain, synthesizeApp,
} from '../lib/internal';

const [countArg, flag] = process.argv.slice(2);

runMain(async () => {
  process.env.BINDERHUB_BENCH_COUNT = countArg;
  const targets = { manifests: `dist-${countArg}`, secrets: `dist-${countArg}-secrets` };
  const app = loadProjectApp();
  if (flag === '--dump-values') {
    const scope = defineWithoutRendering(() => {
      const defined = new DeploymentsScope(readProjectFolder(targets));
      app.define(defined);
      return defined;
    });
    fs.writeFileSync('values.yaml', Yaml.stringify(deploymentsOf(scope)[0].helmChart.values));
  } else {
    publishManifests((await synthesizeApp(app, targets)).files, targets);
  }
  console.log(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
});
