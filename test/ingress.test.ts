import * as yaml from 'js-yaml';
import { HUB_URL_SOURCE_ANNOTATION, ingressSetup, Tls } from '../lib/internal';
import { find, secretValue, synthBinderHub } from './helpers';

const hosts = { binderHost: 'binder.example.org', hubHost: 'hub.example.org', ingressClassName: 'nginx' };
const binderValues = (objects: any[]) => yaml.load(secretValue(find(objects, 'Secret', 'binder-secret'), 'values.yaml')) as any;

describe('ingress with cert-manager', () => {
  const objects = synthBinderHub({
    ingress: { ...hosts, binderTls: Tls.certManager({ clusterIssuer: 'letsencrypt-prod' }), hubTls: Tls.certManager({ clusterIssuer: 'letsencrypt-prod' }) },
  }, 'prod');

  test('both Ingress objects, with their hosts, class, issuer and TLS', () => {
    const binder = find(objects, 'Ingress', 'binderhub');
    expect(binder.spec.ingressClassName).toBe('nginx');
    expect(binder.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' });
    expect(binder.spec.rules.map((r: any) => [r.host, r.http.paths[0].backend.service.name])).toEqual([['binder.example.org', 'binder']]);
    expect(binder.spec.tls).toEqual([{ hosts: ['binder.example.org'], secretName: 'prod-binder-tls' }]);
    const hub = find(objects, 'Ingress', 'jupyterhub');
    expect(hub.spec.rules.map((r: any) => [r.host, r.http.paths[0].backend.service.name])).toEqual([['hub.example.org', 'proxy-public']]);
    expect(hub.spec.tls).toEqual([{ hosts: ['hub.example.org'], secretName: 'prod-hub-tls' }]);
  });

  test('ClusterIP services', () => {
    expect(find(objects, 'Service', 'binder').spec.type).toBe('ClusterIP');
    expect(find(objects, 'Service', 'proxy-public').spec.type).toBe('ClusterIP');
  });

  test('the hub URL is known at synth, fixed; the hub API is reached inside the cluster', () => {
    const config = find(objects, 'ConfigMap', 'binder-hub-url');
    expect(config.data.hub_url).toBe('https://hub.example.org/');
    expect(config.metadata.annotations[HUB_URL_SOURCE_ANNOTATION]).toBe('fixed');
    expect(binderValues(objects).config.BinderHub.hub_url_local).toBe('http://proxy-public/');
  });

  test('snapshot', () => {
    expect(objects.filter(o => o.kind === 'Ingress' || o.kind === 'Service')).toMatchSnapshot();
  });
});

describe('other TLS sources', () => {
  test('existing TLS Secrets and a namespaced Issuer', () => {
    const objects = synthBinderHub({ ingress: { ...hosts, binderTls: Tls.secret('binder-cert'), hubTls: Tls.certManager({ issuer: 'local-ca' }) } });
    expect(find(objects, 'Ingress', 'binderhub').spec.tls).toEqual([{ hosts: ['binder.example.org'], secretName: 'binder-cert' }]);
    expect(find(objects, 'Ingress', 'binderhub').metadata.annotations).toBeUndefined();
    expect(find(objects, 'Ingress', 'jupyterhub').metadata.annotations).toEqual({ 'cert-manager.io/issuer': 'local-ca' });
  });

  test('cert-manager into a Secret of a given name: an existing certificate goes on serving', () => {
    const objects = synthBinderHub({
      ingress: { ...hosts, binderTls: Tls.certManager({ clusterIssuer: 'le', secretName: 'binder-example-org-tls' }), hubTls: Tls.certManager({ issuer: 'local-ca' }) },
    }, 'prod');
    expect(find(objects, 'Ingress', 'binderhub').spec.tls).toEqual([{ hosts: ['binder.example.org'], secretName: 'binder-example-org-tls' }]);
    expect(find(objects, 'Ingress', 'binderhub').metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'le' });
    expect(find(objects, 'Ingress', 'jupyterhub').spec.tls).toEqual([{ hosts: ['hub.example.org'], secretName: 'prod-hub-tls' }]);
  });

  test('the jupyterhub chart\'s Let\'s Encrypt mode for the hub: no hub Ingress, proxy-public stays a LoadBalancer on 443', () => {
    const objects = synthBinderHub({ ingress: { ...hosts, binderTls: Tls.certManager({ clusterIssuer: 'le' }), hubTls: Tls.letsEncrypt('admin@example.org') } });
    expect(objects.find(o => o.kind === 'Ingress' && o.metadata.name === 'jupyterhub')).toBeUndefined();
    const proxyPublic = find(objects, 'Service', 'proxy-public');
    expect(proxyPublic.spec.type).toBe('LoadBalancer');
    expect(proxyPublic.spec.ports.map((p: any) => p.port)).toEqual([80, 443]);
    expect(find(objects, 'Service', 'binder').spec.type).toBe('ClusterIP');
    expect(find(objects, 'Deployment', 'autohttps')).toBeDefined();
    expect(binderValues(objects).config.BinderHub.hub_url_local).toBe('http://proxy-http:8000/');
    expect(find(objects, 'ConfigMap', 'binder-hub-url').data.hub_url).toBe('https://hub.example.org/');
  });

  test('no TLS: http hub URL', () => {
    const objects = synthBinderHub({ ingress: hosts });
    expect(find(objects, 'ConfigMap', 'binder-hub-url').data.hub_url).toBe('http://hub.example.org/');
    expect(find(objects, 'Ingress', 'binderhub').spec.tls).toBeUndefined();
    expect(find(objects, 'Ingress', 'jupyterhub').spec.tls).toBeUndefined();
  });

  test('an explicit hub URL that agrees is accepted', () => {
    expect(() => synthBinderHub({ ingress: hosts, hubUrl: 'http://hub.example.org' })).not.toThrow();
  });
});

describe('what operators add: annotations, more hosts, cert-manager\'s default issuer', () => {
  test('annotations reach each Ingress beside its TLS\'s; more hosts are routed, and one certificate covers a chart\'s hosts', () => {
    const objects = synthBinderHub({
      ingress: {
        ...hosts, binderExtraHosts: ['old.example.org'], hubExtraHosts: ['jupyter.example.org'],
        binderAnnotations: { 'traefik.ingress.kubernetes.io/router.middlewares': 'binder-ratelimit@kubernetescrd' },
        hubAnnotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '64m' },
        binderTls: Tls.certManager({ clusterIssuer: 'le' }), hubTls: Tls.secret('hub-cert'),
      },
    }, 'prod');
    const binder = find(objects, 'Ingress', 'binderhub');
    expect(binder.metadata.annotations).toEqual({ 'traefik.ingress.kubernetes.io/router.middlewares': 'binder-ratelimit@kubernetescrd', 'cert-manager.io/cluster-issuer': 'le' });
    expect(binder.spec.rules.map((r: any) => r.host)).toEqual(['binder.example.org', 'old.example.org']);
    expect(binder.spec.tls).toEqual([{ hosts: ['binder.example.org', 'old.example.org'], secretName: 'prod-binder-tls' }]);
    const hub = find(objects, 'Ingress', 'jupyterhub');
    expect(hub.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/proxy-body-size': '64m' });
    expect(hub.spec.tls).toEqual([{ hosts: ['hub.example.org', 'jupyter.example.org'], secretName: 'hub-cert' }]);
    expect(find(objects, 'ConfigMap', 'binder-hub-url').data.hub_url).toBe('https://hub.example.org/');
  });

  test('Tls.certManager({ defaultIssuer: true }) asks with kubernetes.io/tls-acme alone; the class annotation may stand for ingressClassName', () => {
    const tls = Tls.certManager({ defaultIssuer: true, secretName: 'kubelego-tls-binder-prod' });
    const objects = synthBinderHub({
      ingress: { binderHost: hosts.binderHost, hubHost: hosts.hubHost, binderAnnotations: { 'kubernetes.io/ingress.class': 'nginx' }, binderTls: tls, hubTls: tls },
    }, 'prod');
    const binder = find(objects, 'Ingress', 'binderhub');
    expect(binder.metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'nginx', 'kubernetes.io/tls-acme': 'true' });
    expect(binder.spec.ingressClassName).toBeUndefined();
    expect(binder.spec.tls).toEqual([{ hosts: ['binder.example.org'], secretName: 'kubelego-tls-binder-prod' }]);
  });

  test('the hub\'s Let\'s Encrypt serves its extra hosts too', () => {
    const setup = ingressSetup({ ...hosts, hubExtraHosts: ['jupyter.example.org'], binderTls: Tls.secret('b'), hubTls: Tls.letsEncrypt('admin@example.org') }, 'prod');
    expect(((setup.values.jupyterhub as any).proxy.https.hosts)).toEqual(['hub.example.org', 'jupyter.example.org']);
  });
});

describe('the chart values of an Ingress setup', () => {
  test('plain http without a class: each chart\'s Ingress with its host and no class, annotations or TLS; ClusterIP services; the hub API inside the cluster', () => {
    expect(ingressSetup({ binderHost: 'binder.example.org', hubHost: 'hub.example.org' }, 'prod').values).toStrictEqual({
      ingress: { enabled: true, hosts: ['binder.example.org'], annotations: {}, tls: [] },
      service: { type: 'ClusterIP' },
      jupyterhub: { proxy: { service: { type: 'ClusterIP' } }, ingress: { enabled: true, hosts: ['hub.example.org'], annotations: {}, tls: [] } },
      config: { BinderHub: { hub_url_local: 'http://proxy-public/' } },
    });
  });

  test('Let\'s Encrypt for the hub: the binder Ingress only, the binder Service ClusterIP, the jupyterhub chart\'s own https, the hub API through its http port', () => {
    const setup = ingressSetup({ ...hosts, binderTls: Tls.certManager({ clusterIssuer: 'le' }), hubTls: Tls.letsEncrypt('admin@example.org') }, 'prod');
    expect(setup.values).toStrictEqual({
      ingress: {
        enabled: true, hosts: ['binder.example.org'], ingressClassName: 'nginx',
        annotations: { 'cert-manager.io/cluster-issuer': 'le' }, tls: [{ hosts: ['binder.example.org'], secretName: 'prod-binder-tls' }],
      },
      service: { type: 'ClusterIP' },
      jupyterhub: { proxy: { https: { enabled: true, type: 'letsencrypt', hosts: ['hub.example.org'], letsencrypt: { contactEmail: 'admin@example.org' } } } },
      config: { BinderHub: { hub_url_local: 'http://proxy-http:8000/' } },
    });
  });
});

describe('ingress validation', () => {
  test('without ingress, service types stay the operator\'s to choose', () => {
    expect(find(synthBinderHub({ chartValues: { service: { type: 'NodePort' } } }), 'Service', 'binder').spec.type).toBe('NodePort');
  });
});
