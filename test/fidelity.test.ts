import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import {
  Auth, BinderHub, BinderHubProps, Builder, checkManifests, ChartSource, knownKindChecker, ManifestObject, Monitoring, readManifestFile, Registry, SecretsMode, ServicePolicy, Tls,
  unservedObjects,
} from '../lib/internal';
import { crdSchemaProblems } from './crd-schema';
import { defineExample, exampleInputs, fakeTokens, find } from './helpers';
import { describeWithRealChart } from './real-chart';
import { fakeServiceAccountKey } from './registry-inputs';

const PASSWORD = 'fidelity-Registry-Password-7';
const GCR_KEY = fakeServiceAccountKey('binder-fidelity-1');
const DOCKER_HUB = Registry.dockerHub({ username: 'bot', password: PASSWORD, imagePrefix: 'org/binder-' });
const HOSTS = { binderHost: 'binder.example.org', hubHost: 'hub.example.org', ingressClassName: 'nginx' };
const GATEWAY_HOSTS = { binderHost: 'binder.example.org', hubHost: 'hub.example.org', parent: { name: 'public', namespace: 'gateway-system' } };
const CERTIFICATE = fs.readFileSync(path.join(__dirname, '..', 'sealed-secrets', 'prod.pem'), 'utf8');

/** Every prop variant the docs promise (docs/deployments.md), as a deployment of its own. */
const VARIANTS: Record<string, Partial<BinderHubProps> & Pick<BinderHubProps, 'registry'>> = {
  'Registry.gcr': { registry: Registry.gcr({ serviceAccountKey: GCR_KEY, imagePrefix: 'gcr.io/binder-fidelity-1/binder-' }) },
  'Registry.dockerHub': { registry: DOCKER_HUB },
  'Registry.acr': { registry: Registry.acr({ name: 'binderacr', servicePrincipalId: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', servicePrincipalPassword: PASSWORD, imagePrefix: 'binderacr.azurecr.io/prod/binder-' }) },
  'Registry.harbor': { registry: Registry.harbor({ host: 'abcde.gra7.container-registry.ovh.net', username: 'binder', password: PASSWORD, imagePrefix: 'abcde.gra7.container-registry.ovh.net/proj/binder-' }) },
  'Registry.custom': { registry: Registry.custom({ url: 'https://registry.example.org', username: 'ci', password: PASSWORD, imagePrefix: 'registry.example.org/binder/prod-', tokenUrl: 'https://registry.example.org/v2/token?service=' }) },
  'Registry.none with Builder.host': { registry: Registry.none(), builder: Builder.host() },
  'Builder.dind with options': { registry: DOCKER_HUB, builder: Builder.dind({ hostSocketDir: '/var/run/dind/x', hostLibDir: '/var/lib/dind/x', extraArgs: ['--mtu=1450'], nodeSelector: { builds: 'yes' } }) },
  'Builder.pink': { registry: DOCKER_HUB, builder: Builder.pink() },
  'ingress, cert-manager TLS': { registry: DOCKER_HUB, ingress: { ...HOSTS, binderTls: Tls.certManager({ clusterIssuer: 'le' }), hubTls: Tls.certManager({ clusterIssuer: 'le' }) } },
  'ingress, TLS from existing Secret names': { registry: DOCKER_HUB, ingress: { ...HOSTS, binderTls: Tls.secret('binder-cert'), hubTls: Tls.secret('hub-cert') } },
  'ingress, Let\'s Encrypt hub': { registry: DOCKER_HUB, ingress: { ...HOSTS, binderTls: Tls.certManager({ issuer: 'ca' }), hubTls: Tls.letsEncrypt('admin@example.org') } },
  'ingress, plain http': { registry: DOCKER_HUB, ingress: HOSTS },
  'gateway, HTTPS listeners by name': { registry: DOCKER_HUB, gateway: { ...GATEWAY_HOSTS, binderSectionName: 'https-binder', hubSectionName: 'https-hub' } },
  'gateway, plain HTTP listener': { registry: DOCKER_HUB, gateway: { ...GATEWAY_HOSTS, listenerProtocol: 'HTTP' } },
  'auth on': { registry: DOCKER_HUB, hubUrl: 'https://hub.example.org', chartValues: { config: { BinderHub: { auth_enabled: true, hub_url_local: 'http://proxy-public/' } } } },
  'hubUrl fixed': { registry: DOCKER_HUB, hubUrl: 'https://hub.example.org' },
  'hub URL discovered': { registry: DOCKER_HUB, discoveredHubUrl: 'http://203.0.113.7' },
  'GitHub and GitLab tokens': { registry: DOCKER_HUB, githubAccessToken: 'ghp_fidelityFakeToken1234', gitlabPrivateToken: 'glpat-fidelityFake5678' },
  'SecretsMode.separate': { registry: DOCKER_HUB, secrets: SecretsMode.separate() },
  'SecretsMode.sealed': { registry: DOCKER_HUB, secrets: SecretsMode.sealed({ certificate: CERTIFICATE }) },
  'SecretsMode.external': { registry: DOCKER_HUB, secrets: SecretsMode.external({ storeName: 'vault' }) },
  'Auth.github on an ingress': { registry: DOCKER_HUB, ingress: { ...HOSTS, binderTls: Tls.certManager({ clusterIssuer: 'le' }), hubTls: Tls.certManager({ clusterIssuer: 'le' }) },
    auth: Auth.github({ clientId: 'fidelity-app', clientSecret: 'fidelity-oauth-secret-3d9', allowedOrganizations: ['org'], serversPerUser: 3 }) },
  'ServicePolicy.public with every setting': { registry: DOCKER_HUB, policy: ServicePolicy.public({
    users: { memoryGuarantee: '1G', memoryLimit: '4G', cpuGuarantee: 0.5, cpuLimit: 2 }, builds: { memoryRequest: '1G', memoryLimit: '3G' },
    culling: { timeoutSeconds: 900, everySeconds: 300, maxAgeSeconds: 0 },
    quotas: { total: 200, perRepository: 50, perRepositoryHigher: 100, highQuotaRepositories: ['^org/.*'], bannedRepositories: ['^spam/.*'] },
    network: { privateAddresses: true, allowedRanges: ['10.20.0.0/16'] },
  }) },
  'ServicePolicy.private, nothing set': { registry: DOCKER_HUB, policy: ServicePolicy.private() },
  'Monitoring.annotations': { registry: DOCKER_HUB, monitoring: Monitoring.annotations({ prometheusNamespace: 'prometheus' }) },
  'Monitoring.prometheusOperator on an ingress': { registry: DOCKER_HUB, ingress: { ...HOSTS, binderTls: Tls.secret('binder-cert'), hubTls: Tls.secret('hub-cert') },
    monitoring: Monitoring.prometheusOperator({ labels: { release: 'kps' }, alerts: { buildFailureRatio: 0.3, launchSeconds: 90, pendingMinutes: 5 } }) },
};

/**
 * The apply-ready problems, the objects of imported CRD kinds that their crds/ schema refuses, and the APIs
 * Kubernetes 1.31 and the default 1.35 no longer serve, all in one list.
 */
function problems(objects: ManifestObject[]): string[] {
  return [
    ...checkManifests(objects, { isKnownKind: knownKindChecker() }),
    ...objects.flatMap(o => crdSchemaProblems(o) ?? []),
    ...unservedObjects(objects, 31).map(p => `1.31: ${p}`),
    ...unservedObjects(objects, 35).map(p => `1.35: ${p}`),
  ];
}

/** Every object of every file an app synthesizes: a deployment's Secrets may be kept in a file of their own. */
function synthAll(app: ReturnType<typeof Testing.app>): ManifestObject[] {
  app.synth();
  return fs.readdirSync(app.outdir).flatMap(f => readManifestFile(path.join(app.outdir, f)));
}

describeWithRealChart('fidelity', chart => {
  const source = ChartSource.local(chart);

  test.each(Object.entries(VARIANTS))('%s: apply-ready, every API served by Kubernetes 1.31 and 1.35', (name, props) => {
    const app = Testing.app();
    const id = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const deployment = new BinderHub(app, id, { chart: source, tokens: fakeTokens(id), ...props });
    const all = synthAll(app);
    expect(all.length).toBeGreaterThan(25);
    expect(problems(all)).toEqual([]);
    expect(deployment.namespace).toBe(id);
    for (const core of [['Deployment', 'binder'], ['Deployment', 'hub'], ['Deployment', 'proxy'], ['Service', 'proxy-public']]) {
      expect(find(all, core[0], core[1]).metadata.namespace).toBe(id);
    }
  });

  test('the example: apply-ready, every API served', () => {
    const { app, deployments } = defineExample({ ...exampleInputs(), chart: source });
    const all = synthAll(app);
    expect(deployments.map(d => d.namespace)).toEqual(['binderhub-staging', 'binderhub-prod']);
    // argocd: prod's Argo CD Application, which lives where Argo CD reads Applications.
    expect(new Set(all.map(o => o.metadata.namespace))).toEqual(new Set([undefined, 'binderhub-staging', 'binderhub-prod', 'argocd']));
    expect(problems(all)).toEqual([]);
  });
});
