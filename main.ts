/**
 * The example operators copy: two BinderHub deployments, staging and prod, each in its own namespace.
 *
 * `npm run synth` renders them into dist/. BINDERHUB_CHART, a local chart directory or .tgz, replaces the chart
 * source of every deployment (for machines without internet, and for the tests).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { BinderHub, ChartSource, HubUrlRecords, publishManifests, runMain, SecretStore, Tls } from './lib';

/** The deployments of this example, by name. */
export const EXAMPLE_DEPLOYMENTS = ['staging', 'prod'];

/** Defines the example's deployments in `app`, reading their secrets from `store`. */
export function defineExample(app: App, store: SecretStore, chart: ChartSource, hubUrls = new HubUrlRecords()): BinderHub[] {
  const secrets = Object.fromEntries(EXAMPLE_DEPLOYMENTS.map(name => [name, store.load(name)]));
  return [
    // Quick start: LoadBalancer services; `npm run patch-hub-url -- --deployment staging` fills in the hub URL.
    new BinderHub(app, 'staging', {
      namespace: 'binderhub-staging',
      chart,
      tokens: secrets.staging.tokens,
      discoveredHubUrl: hubUrls.load('staging'),
      githubAccessToken: secrets.staging.credentials.githubAccessToken,
    }),
    // Production: DNS names and HTTPS behind an Ingress controller with cert-manager; the hub URL is known up front.
    new BinderHub(app, 'prod', {
      namespace: 'binderhub-prod',
      chart,
      tokens: secrets.prod.tokens,
      ingress: {
        binderHost: 'binder.example.org',
        hubHost: 'hub.example.org',
        ingressClassName: 'nginx',
        binderTls: Tls.certManager({ clusterIssuer: 'letsencrypt-prod' }),
        hubTls: Tls.certManager({ clusterIssuer: 'letsencrypt-prod' }),
      },
      githubAccessToken: secrets.prod.credentials.githubAccessToken,
      gitlabPrivateToken: secrets.prod.credentials.gitlabPrivateToken,
      chartValues: { replicas: 2 },
    }),
  ];
}

/** The chart every example deployment renders: BINDERHUB_CHART if set, else the pinned public chart. */
export function exampleChart(env: NodeJS.ProcessEnv = process.env): ChartSource {
  return env.BINDERHUB_CHART ? ChartSource.local(env.BINDERHUB_CHART) : ChartSource.repository();
}

if (require.main === module) {
  runMain(() => {
    // Synthesize into a staging folder (cdk8s synth passes its own in CDK8S_OUTDIR), then publish to dist/.
    const ownStaging = process.env.CDK8S_OUTDIR ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'binderhub-synth-'));
    const staging = process.env.CDK8S_OUTDIR ?? ownStaging!;
    try {
      const app = new App({ outdir: staging });
      const deployments = defineExample(app, new SecretStore('secrets'), exampleChart());
      app.synth();
      const result = publishManifests(staging, 'dist');
      for (const file of result.written) console.log(`wrote ${file}`);
      for (const file of result.unchanged) console.log(`unchanged ${file}`);
      for (const file of result.removed) console.log(`removed ${file}`);
      for (const deployment of deployments) {
        for (const hook of deployment.helmChart.droppedHooks) {
          console.log(`left out ${hook.kind}/${hook.name} of ${deployment.node.id} (helm.sh/hook: ${hook.hook}): ${hook.reason}`);
        }
      }
    } finally {
      if (ownStaging) fs.rmSync(ownStaging, { recursive: true, force: true });
    }
  });
}
