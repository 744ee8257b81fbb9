/**
 * The example: two BinderHub deployments, staging and prod, each in its own namespace. `npm run synth` (here; in a
 * project of your own, `npx binderhub-cdk8s synth`) renders them into dist/, and their Secrets kept out of git into
 * dist-secrets/.
 */
import { BinderHub, BinderHubApp, Builder, Delivery, Registry, SecretsMode, Tls } from 'binderhub-cdk8s';

export default new BinderHubApp(app => {
  // Quick start: LoadBalancer services; `npm run patch-hub-url -- --deployment staging` fills in the hub URL.
  // One node whose container runtime is Docker (minikube's default): builds run on the node's Docker, so user pods
  // start the images where they were built, without a registry. Its Secrets go to dist-secrets/ (git-ignored).
  const staging = app.secrets('staging');
  new BinderHub(app, 'staging', {
    namespace: 'binderhub-staging',
    tokens: staging.tokens,
    registry: Registry.none(),
    builder: Builder.host(),
    githubAccessToken: staging.credentials.githubAccessToken,
    secrets: SecretsMode.separate(),
  });

  // Production: DNS names and HTTPS behind an Ingress controller with cert-manager; the hub URL is known up front.
  // Builds run in this deployment's own dind and push to Docker Hub, where every node's kubelet pulls them.
  // Its Secrets are sealed for the cluster's sealed-secrets controller, so dist/ can go into git, from where Argo CD
  // delivers it: `kubectl apply -f dist/prod-delivery.k8s.yaml` once, then every merged commit (docs/gitops.md).
  const prod = app.secrets('prod');
  new BinderHub(app, 'prod', {
    namespace: 'binderhub-prod',
    tokens: prod.tokens,
    registry: Registry.dockerHub({
      username: 'binderorg-bot',
      password: app.credential('prod', 'registryPassword'),
      imagePrefix: 'binderorg/binder-prod-',
    }),
    ingress: {
      binderHost: 'binder.example.org',
      hubHost: 'hub.example.org',
      ingressClassName: 'nginx',
      binderTls: Tls.certManager({ clusterIssuer: 'letsencrypt-prod' }),
      hubTls: Tls.certManager({ clusterIssuer: 'letsencrypt-prod' }),
    },
    githubAccessToken: prod.credentials.githubAccessToken,
    gitlabPrivateToken: prod.credentials.gitlabPrivateToken,
    chartValues: { replicas: 2 },
    secrets: SecretsMode.sealed({
      certificate: app.readFile('sealed-secrets/prod.pem', 'fetch the prod controller\'s certificate with `kubeseal --fetch-cert > sealed-secrets/prod.pem`'),
      certificateSource: 'sealed-secrets/prod.pem',
    }),
    delivery: Delivery.argoCd({ repoURL: 'https://github.com/example/binder-deploy.git', targetRevision: 'main' }),
  });
});
