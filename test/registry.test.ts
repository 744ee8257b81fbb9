import * as yaml from 'js-yaml';
import { ChartSource, IMAGE_PULL_SECRET_NAME, Registry } from '../lib/internal';
import { binderView, describeWithChartConfig, effectiveBinderHubConfig } from './effective-config';
import { configErrorMessage, find, secretValue, synthBinderHub, withoutSecretValues } from './helpers';
import { GCR_KEY, REGISTRY_PASSWORD as PASSWORD, SP_ID } from './registry-inputs';


interface Expected {
  registry: Registry;
  /** Key and credentials of the push config.json. */
  pushUrl: string;
  username: string;
  password: string;
  imagePrefix: string;
  dockerRegistry?: object;
  pullServer: string;
}

const registries: Array<[string, Expected]> = [
  ['gcr', {
    registry: Registry.gcr({ serviceAccountKey: GCR_KEY, imagePrefix: 'gcr.io/binder-test-123/binder-prod-' }),
    pushUrl: 'https://gcr.io', username: '_json_key', password: GCR_KEY, imagePrefix: 'gcr.io/binder-test-123/binder-prod-',
    pullServer: 'gcr.io',
  }],
  ['Docker Hub', {
    registry: Registry.dockerHub({ username: 'binderorg-bot', password: PASSWORD, imagePrefix: 'binderorg/binder-prod-' }),
    pushUrl: 'https://index.docker.io/v1/', username: 'binderorg-bot', password: PASSWORD, imagePrefix: 'binderorg/binder-prod-',
    dockerRegistry: {
      url: 'https://registry-1.docker.io',
      auth_config_url: 'https://index.docker.io/v1/',
      token_url: 'https://auth.docker.io/token?service=registry.docker.io',
    },
    pullServer: 'https://index.docker.io/v1/',
  }],
  ['ACR', {
    registry: Registry.acr({ name: 'BinderACR', servicePrincipalId: SP_ID, servicePrincipalPassword: PASSWORD, imagePrefix: 'binderacr.azurecr.io/prod/binder-' }),
    pushUrl: 'https://binderacr.azurecr.io', username: SP_ID, password: PASSWORD, imagePrefix: 'binderacr.azurecr.io/prod/binder-',
    dockerRegistry: { token_url: 'https://binderacr.azurecr.io/oauth2/token?service=binderacr.azurecr.io' },
    pullServer: 'binderacr.azurecr.io',
  }],
  ['OVH Harbor', {
    registry: Registry.harbor({ host: 'abcde.gra7.container-registry.ovh.net', username: 'binder', password: PASSWORD, imagePrefix: 'abcde.gra7.container-registry.ovh.net/myproject/binder-' }),
    pushUrl: 'https://abcde.gra7.container-registry.ovh.net', username: 'binder', password: PASSWORD,
    imagePrefix: 'abcde.gra7.container-registry.ovh.net/myproject/binder-',
    dockerRegistry: {
      url: 'https://abcde.gra7.container-registry.ovh.net',
      token_url: 'https://abcde.gra7.container-registry.ovh.net/service/token?service=harbor-registry',
    },
    pullServer: 'abcde.gra7.container-registry.ovh.net',
  }],
  ['custom', {
    registry: Registry.custom({ url: 'https://registry.example.org', username: 'ci', password: PASSWORD, imagePrefix: 'registry.example.org/binder/prod-', tokenUrl: 'https://registry.example.org/v2/token?service=' }),
    pushUrl: 'https://registry.example.org', username: 'ci', password: PASSWORD, imagePrefix: 'registry.example.org/binder/prod-',
    dockerRegistry: { token_url: 'https://registry.example.org/v2/token?service=' },
    pullServer: 'registry.example.org',
  }],
];

describe.each(registries)('Registry: %s', (_, expected) => {
  const objects = synthBinderHub({ registry: expected.registry });

  test('the push config.json has one auths entry for the registry, with the credentials', () => {
    const config = JSON.parse(secretValue(find(objects, 'Secret', 'binder-build-docker-config'), 'config.json'));
    expect(Object.keys(config.auths)).toEqual([expected.pushUrl]);
    expect(Buffer.from(config.auths[expected.pushUrl].auth, 'base64').toString()).toBe(`${expected.username}:${expected.password}`);
  });

  test('BinderHub reads use_registry, image_prefix and the DockerRegistry settings', () => {
    const config = (yaml.load(secretValue(find(objects, 'Secret', 'binder-secret'), 'values.yaml')) as any).config;
    expect(config.BinderHub.use_registry).toBe(true);
    expect(config.BinderHub.image_prefix).toBe(expected.imagePrefix);
    expect(config.DockerRegistry).toEqual(expected.dockerRegistry);
  });

  test('user pods pull with a dockerconfigjson Secret that the jupyterhub chart is told about', () => {
    const pull = find(objects, 'Secret', IMAGE_PULL_SECRET_NAME);
    expect(pull.type).toBe('kubernetes.io/dockerconfigjson');
    const entry = JSON.parse(secretValue(pull, '.dockerconfigjson')).auths[expected.pullServer];
    expect(entry).toEqual({
      username: expected.username,
      password: expected.password,
      auth: Buffer.from(`${expected.username}:${expected.password}`).toString('base64'),
    });
    const hubValues = yaml.load(secretValue(find(objects, 'Secret', 'hub'), 'values.yaml')) as any;
    expect(hubValues.singleuser.image.pullSecrets).toEqual([IMAGE_PULL_SECRET_NAME]);
  });

  test('snapshot', () => {
    expect(withoutSecretValues(objects).filter(o => o.kind === 'Secret')).toMatchSnapshot();
  });
});

describe('Registry', () => {
  test('pullSecret: false leaves out the pull Secret and its reference', () => {
    const objects = synthBinderHub({ registry: Registry.dockerHub({ username: 'bot', password: PASSWORD, imagePrefix: 'org/p-', pullSecret: false }) });
    expect(objects.find(o => o.metadata.name === IMAGE_PULL_SECRET_NAME)).toBeUndefined();
    expect((yaml.load(secretValue(find(objects, 'Secret', 'hub'), 'values.yaml')) as any).singleuser.image).toBeUndefined();
  });

  test('Harbor on a port of its own', () => {
    const values = Registry.harbor({ host: 'h.example.org:5443', username: 'u', password: PASSWORD, imagePrefix: 'h.example.org:5443/p/b-' }).chartValues() as any;
    expect(values.registry.url).toBe('https://h.example.org:5443');
    expect(values.config.DockerRegistry.token_url).toBe('https://h.example.org:5443/service/token?service=harbor-registry');
  });

  test('custom: no token URL for basic auth; http only when allowed', () => {
    const values = Registry.custom({ url: 'http://10.0.0.5:5000', username: 'u', password: PASSWORD, imagePrefix: '10.0.0.5:5000/binder/p-', allowInsecureHttp: true })
      .chartValues() as any;
    expect(values.config.DockerRegistry).toBeUndefined();
    expect(values.registry.url).toBe('http://10.0.0.5:5000');
  });

  test('custom: apiUrl becomes DockerRegistry.url without its trailing slash; registry.url and the pull server stay url\'s', () => {
    const registry = Registry.custom({
      url: 'https://registry.example.org', username: 'ci', password: PASSWORD, imagePrefix: 'registry.example.org/binder/p-',
      apiUrl: 'https://api.registry.example.org/', tokenUrl: 'https://auth.registry.example.org/token?service=registry',
    });
    const values = registry.chartValues() as any;
    expect(values.config.DockerRegistry).toEqual({ url: 'https://api.registry.example.org', token_url: 'https://auth.registry.example.org/token?service=registry' });
    expect(values.registry.url).toBe('https://registry.example.org');
    expect(registry.pullAuth()).toEqual({ server: 'registry.example.org', username: 'ci', password: PASSWORD });
  });

  test.each([['a dot', 'registry.example.org', 'registry.example.org/i-'], ['a port', '10.0.0.5:5000', '10.0.0.5:5000/i-']])(
    'custom: <host>/<prefix>- on a host with %s (BinderHub reads it as a registry host, mybinder.org\'s own registry) needs no project level', (_, host, imagePrefix) => {
      const values = Registry.custom({ url: `https://${host}`, username: 'u', password: PASSWORD, imagePrefix }).chartValues() as any;
      expect(values.config.BinderHub.image_prefix).toBe(imagePrefix);
    });

  test('custom: allowInsecureHttp lets apiUrl and tokenUrl use http too', () => {
    const values = Registry.custom({
      url: 'http://10.0.0.5:5000', username: 'u', password: PASSWORD, imagePrefix: '10.0.0.5:5000/binder/p-', allowInsecureHttp: true,
      apiUrl: 'http://10.0.0.5:5001', tokenUrl: 'http://10.0.0.5:5002/token',
    }).chartValues() as any;
    expect(values.config.DockerRegistry).toEqual({ url: 'http://10.0.0.5:5001', token_url: 'http://10.0.0.5:5002/token' });
  });
});

describe('Registry.custom without a login', () => {
  /** A local registry as binderhub's CI runs one: plain http on port 5000, no login. */
  const local = (extra: object = {}) => Registry.custom({ url: 'http://localhost:5000', imagePrefix: 'localhost:5000/binder/ci-', allowInsecureHttp: true, ...extra });

  test('no username and no password: the registry URL alone, and no pull Secret', () => {
    const registry = local();
    expect(registry.chartValues()).toStrictEqual({
      registry: { url: 'http://localhost:5000' },
      config: { BinderHub: { use_registry: true, image_prefix: 'localhost:5000/binder/ci-' } },
    });
    expect(registry.pullAuth()).toBeUndefined();
    expect(registry.pushesImages).toBe(true);
  });

  test('pullSecret: true without a login is refused, naming the missing login', () => {
    expect(configErrorMessage(() => local({ pullSecret: true }))).toBe('Registry.custom pullSecret needs a username and password: without a login user pods '
      + 'have nothing to pull with, and their nodes pull as themselves; leave pullSecret out');
  });

  test.each<[string, object, string]>([
    ['a password without a username', { password: PASSWORD },
      'Registry.custom has a password but no username; give the user name that logs in, or neither for a registry that asks for no login'],
    ['a username without a password', { username: 'ci' },
      'Registry.custom has a username but no password; put it in the deployment\'s secrets file as credentials.registryPassword, or neither for a registry that asks for no login'],
    ['an empty password', { username: 'ci', password: ' ' },
      'Registry.custom password is empty; the chart would push with a password of "%!s(<nil>)". Put it in the deployment\'s secrets file as credentials.registryPassword'],
  ])('%s is refused: username and password go together', (_, login, message) => {
    expect(configErrorMessage(() => Registry.custom({ url: 'https://registry.example.org', imagePrefix: 'registry.example.org/binder/p-', ...login }))).toBe(message);
  });

  describeWithChartConfig('a registry without a login, as BinderHub reads it', chart => {
    let objects: any[];
    beforeAll(() => {
      objects = synthBinderHub({ chart: ChartSource.local(chart), registry: local() }, 'nologin');
    }, 60_000);

    test('BinderHub pushes to the local registry: its URL is the one config.json key, and no DockerRegistry setting overrides it', () => {
      const config = effectiveBinderHubConfig(objects);
      expect(config.BinderHub.use_registry).toBe(true);
      expect(config.BinderHub.image_prefix).toBe('localhost:5000/binder/ci-');
      expect(config.DockerRegistry).toBeUndefined();
      // registry.py takes DockerRegistry.url from the first auths key, scheme and all, and looks the login up there.
      const pushConfig = JSON.parse(binderView(objects).files['/root/.docker/config.json']);
      expect(Object.keys(pushConfig.auths)).toEqual(['http://localhost:5000']);
    });

    test('user pods get no pull Secret', () => {
      expect(objects.filter(o => o.metadata.name === IMAGE_PULL_SECRET_NAME)).toEqual([]);
      expect((yaml.load(secretValue(find(objects, 'Secret', 'hub'), 'values.yaml')) as any).singleuser.image.pullSecrets).toEqual([]);
    });
  });
});

describe('Registry accepts the edges of each check', () => {
  test('gcr: a regional host such as eu.gcr.io pushes and pulls there', () => {
    const registry = Registry.gcr({ serviceAccountKey: GCR_KEY, imagePrefix: 'eu.gcr.io/binder-test-123/binder-' });
    expect(registry.chartValues()).toStrictEqual({
      registry: { url: 'https://eu.gcr.io', username: '_json_key', password: GCR_KEY },
      config: { BinderHub: { use_registry: true, image_prefix: 'eu.gcr.io/binder-test-123/binder-' } },
      jupyterhub: { singleuser: { image: { pullSecrets: ['binder-image-pull-secret'] } } },
    });
    expect(registry.pullAuth()).toEqual({ server: 'eu.gcr.io', username: '_json_key', password: GCR_KEY });
  });

  test('gcr: asia.gcr.io is a regional host too', () => {
    expect((Registry.gcr({ serviceAccountKey: GCR_KEY, imagePrefix: 'asia.gcr.io/binder-test-123/b-' }).chartValues() as any).registry.url)
      .toBe('https://asia.gcr.io');
  });

  test.each([['5', 'acr01'], ['50', `A${'b'.repeat(48)}9`]])('ACR: a name of %s letters and digits', (_, name) => {
    const host = `${name.toLowerCase()}.azurecr.io`;
    const values = Registry.acr({ name, servicePrincipalId: SP_ID, servicePrincipalPassword: PASSWORD, imagePrefix: `${host}/p/b-` }).chartValues() as any;
    expect(values.registry.url).toBe(`https://${host}`);
  });

  test('ACR: a service principal GUID in upper case', () => {
    const id = '0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0';
    expect((Registry.acr({ name: 'binderacr', servicePrincipalId: id, servicePrincipalPassword: PASSWORD, imagePrefix: 'binderacr.azurecr.io/p/b-' })
      .chartValues() as any).registry.username).toBe(id);
  });

  test.each(['1', '65535'])('Harbor: the port %s', port => {
    const registry = Registry.harbor({ host: `h.example.org:${port}`, username: 'u', password: PASSWORD, imagePrefix: `h.example.org:${port}/p/b-` });
    expect((registry.chartValues() as any).registry.url).toBe(`https://h.example.org:${port}`);
    expect(registry.pullAuth()?.server).toBe(`h.example.org:${port}`);
  });

  test('user names may hold dots, dashes, underscores and @', () => {
    expect((Registry.custom({ url: 'https://r.example.org', username: 'robot$ci_bot-1@r.example.org', password: PASSWORD, imagePrefix: 'r.example.org/p/b-' })
      .chartValues() as any).registry.username).toBe('robot$ci_bot-1@r.example.org');
  });

  test('a password with spaces inside is kept as it is', () => {
    expect((Registry.dockerHub({ username: 'u', password: ' a pass phrase ', imagePrefix: 'org/p-' }).chartValues() as any).registry.password)
      .toBe(' a pass phrase ');
  });
});
