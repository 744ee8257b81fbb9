import { BinderHubProps, Builder, ChartSource, Registry } from '../lib/internal';
import { binderView, describeWithChartConfig, effectiveConfigs, hubView } from './effective-config';
import { fakeTokenValues, synthBinderHub } from './helpers';
import { containerView } from './pod-view';
import { GCR_KEY, REGISTRY_PASSWORD, SP_ID } from './registry-inputs';

/** One deployment, and what its binder pod's config must say about its builder and registry. */
interface Case {
  readonly props: Partial<BinderHubProps>;
  /** `KubernetesBuildExecutor.docker_host` and the chart's `BinderHub.build_docker_host`, as set (or not). */
  readonly dockerHost?: string;
  readonly buildDockerHost?: string;
  readonly imagePrefix: string;
  readonly dockerRegistry?: Record<string, string>;
  /** The one `auths` key of the push config.json the binder pod mounts at /root/.docker. */
  readonly pushAuth: string;
}

// The release name is the construct id: each builder's default folders carry it.
const CASES: Record<string, Case> = {
  'dindhub': {
    props: { builder: Builder.dind(), registry: Registry.dockerHub({ username: 'binderorg-bot', password: REGISTRY_PASSWORD, imagePrefix: 'binderorg/binder-prod-' }) },
    dockerHost: 'unix:///var/run/dind/dindhub/docker.sock',
    imagePrefix: 'binderorg/binder-prod-',
    dockerRegistry: {
      url: 'https://registry-1.docker.io',
      auth_config_url: 'https://index.docker.io/v1/',
      token_url: 'https://auth.docker.io/token?service=registry.docker.io',
    },
    pushAuth: 'https://index.docker.io/v1/',
  },
  'pinkgcr': {
    props: { builder: Builder.pink(), registry: Registry.gcr({ serviceAccountKey: GCR_KEY, imagePrefix: 'gcr.io/binder-test-123/binder-prod-' }) },
    buildDockerHost: 'unix:///var/run/pink/pinkgcr/podman.sock',
    imagePrefix: 'gcr.io/binder-test-123/binder-prod-',
    pushAuth: 'https://gcr.io',
  },
  'hostacr': {
    props: {
      builder: Builder.host(),
      registry: Registry.acr({ name: 'BinderACR', servicePrincipalId: SP_ID, servicePrincipalPassword: REGISTRY_PASSWORD, imagePrefix: 'binderacr.azurecr.io/prod/binder-' }),
    },
    imagePrefix: 'binderacr.azurecr.io/prod/binder-',
    dockerRegistry: { token_url: 'https://binderacr.azurecr.io/oauth2/token?service=binderacr.azurecr.io' },
    pushAuth: 'https://binderacr.azurecr.io',
  },
  'hostharbor': {
    props: {
      builder: Builder.host(),
      registry: Registry.harbor({
        host: 'abcde.gra7.container-registry.ovh.net', username: 'binder', password: REGISTRY_PASSWORD,
        imagePrefix: 'abcde.gra7.container-registry.ovh.net/myproject/binder-',
      }),
    },
    imagePrefix: 'abcde.gra7.container-registry.ovh.net/myproject/binder-',
    dockerRegistry: {
      url: 'https://abcde.gra7.container-registry.ovh.net',
      token_url: 'https://abcde.gra7.container-registry.ovh.net/service/token?service=harbor-registry',
    },
    pushAuth: 'https://abcde.gra7.container-registry.ovh.net',
  },
  'hostcustom': {
    props: {
      builder: Builder.host(),
      registry: Registry.custom({
        url: 'https://registry.example.org', username: 'ci', password: REGISTRY_PASSWORD, imagePrefix: 'registry.example.org/binder/prod-',
        tokenUrl: 'https://registry.example.org/v2/token?service=', apiUrl: 'https://api.registry.example.org/',
      }),
    },
    imagePrefix: 'registry.example.org/binder/prod-',
    dockerRegistry: { url: 'https://api.registry.example.org', token_url: 'https://registry.example.org/v2/token?service=' },
    pushAuth: 'https://registry.example.org',
  },
};

describeWithChartConfig('builders, registries and tokens in the effective BinderHub and JupyterHub configs', chart => {
  const ids = Object.keys(CASES);
  const outputs = new Map<string, any[]>();
  const binder = new Map<string, Record<string, any>>();
  const hub = new Map<string, Record<string, any>>();

  beforeAll(() => {
    for (const id of ids) outputs.set(id, synthBinderHub({ chart: ChartSource.local(chart), ...CASES[id].props }, id));
    const configs = effectiveConfigs([...ids.map(id => binderView(outputs.get(id)!)), ...ids.map(id => hubView(outputs.get(id)!))]);
    ids.forEach((id, i) => {
      binder.set(id, configs[i]);
      hub.set(id, configs[ids.length + i]);
    });
  }, 60_000);

  test.each(ids)('%s: builds go to the builder\'s own socket', id => {
    const config = binder.get(id)!;
    expect(config.KubernetesBuildExecutor.docker_host).toBe(CASES[id].dockerHost);
    expect(config.BinderHub.build_docker_host).toBe(CASES[id].buildDockerHost);
  });

  test.each(ids)('%s: use_registry, image_prefix, DockerRegistry, and the push config.json the pod mounts', id => {
    const config = binder.get(id)!;
    expect(config.BinderHub.use_registry).toBe(true);
    expect(config.BinderHub.image_prefix).toBe(CASES[id].imagePrefix);
    expect(config.DockerRegistry).toEqual(CASES[id].dockerRegistry);
    const pushConfig = JSON.parse(binderView(outputs.get(id)!).files['/root/.docker/config.json']);
    expect(Object.keys(pushConfig.auths)).toEqual([CASES[id].pushAuth]);
  });

  test.each(ids)('%s: the tokens reach BinderHub, JupyterHub and the proxy', id => {
    const tokens = fakeTokenValues(id);
    expect(binder.get(id)!.BinderHub.build_token_secret).toBe(tokens.buildTokenSecret);
    // The token the hub registers for service binder is the one the binder pod calls the hub API with.
    const services = hub.get(id)!.JupyterHub.services.filter((s: any) => s.name === 'binder');
    expect(services.map((s: any) => s.api_token)).toEqual([tokens.binderApiToken]);
    expect(binderView(outputs.get(id)!).env.JUPYTERHUB_API_TOKEN).toBe(tokens.binderApiToken);
    expect(hub.get(id)!.JupyterHub.cookie_secret).toBe(tokens.cookieSecret);
    expect(hub.get(id)!.CryptKeeper.keys).toEqual([tokens.cryptKeeperKey]);
    expect(hubView(outputs.get(id)!).env.CONFIGPROXY_AUTH_TOKEN).toBe(tokens.proxySecretToken);
    expect(containerView(outputs.get(id)!, 'proxy').env.CONFIGPROXY_AUTH_TOKEN).toBe(tokens.proxySecretToken);
  });
});
