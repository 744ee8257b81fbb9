import { execFileSync } from 'child_process';
import * as os from 'os';
import * as yaml from 'js-yaml';
import {
  adoptedModuleText, adoptedProps, BinderHubTokens, ChartSource, compareAdoption, ManifestObject, planAdoption, toolPath, Values,
} from '../lib/internal';
import { describeWithChartConfig, effectiveBinderHubConfig } from './effective-config';
import { configErrorMessage, synthBinderHub, TOKEN_NAMES } from './helpers';
import { describeWithRealChart } from './real-chart';
import { REGISTRY_PASSWORD } from './registry-inputs';

/** Values that push with a host builder to the registry of `registry` and `dockerRegistry`, under `imagePrefix`. */
function pushing(imagePrefix: string, registry: Values = {}, dockerRegistry?: Values): Values {
  return { registry, config: { BinderHub: { use_registry: true, image_prefix: imagePrefix }, ...(dockerRegistry ? { DockerRegistry: dockerRegistry } : {}) } };
}

const login = { username: 'bot', password: REGISTRY_PASSWORD };
const NO_LOGIN_NOTE = {
  setting: 'registry.username, registry.password',
  outcome: 'not given: Registry.custom without a login and without a pull Secret, for a registry that asks for none or where the nodes and '
    + 'config.BinderHub.registry_class authenticate; if it needs one, adopt with the file that holds it (--secret)',
};
const HTTP_NOTE = {
  setting: 'registry.url',
  outcome: 'http://, kept with Registry.custom({ allowInsecureHttp: true }): the builder and the nodes\' container runtime must be told the registry is insecure, as for the helm release',
};

describe('registries without a password', () => {
  test('binderhub\'s CI registry (plain http on localhost:5000, no login) is Registry.custom without a login, allowInsecureHttp, both noted', () => {
    const plan = planAdoption('ci', pushing('localhost:5000/binder/ci-', { url: 'http://localhost:5000' }));
    expect(plan.registry).toEqual({ factory: 'custom', props: { url: 'http://localhost:5000', imagePrefix: 'localhost:5000/binder/ci-', allowInsecureHttp: true } });
    expect(plan.credentials).toEqual({});
    expect(plan.notes).toEqual([HTTP_NOTE, NO_LOGIN_NOTE]);
    const module = adoptedModuleText(plan, ['ci.yaml'], 'deployments/ci.ts');
    expect(module).toContain('registry: Registry.custom({ url: "http://localhost:5000", imagePrefix: "localhost:5000/binder/ci-", allowInsecureHttp: true }),');
    expect(module).not.toContain('registryPassword');
  });

  test('an image prefix on localhost or a host:port names that registry, as docker reads image names, not Docker Hub', () => {
    expect(planAdoption('ci', pushing('localhost:5000/binder/ci-')).registry)
      .toEqual({ factory: 'custom', props: { url: 'https://localhost:5000', imagePrefix: 'localhost:5000/binder/ci-' } });
    expect(planAdoption('ci', pushing('localhost/binder/ci-')).registry.props.url).toBe('https://localhost');
  });

  test.each([
    ['gcr.io pushed to by node identity', 'https://gcr.io', 'gcr.io/binder-test-123/binder-'],
    ['an ACR host its nodes are attached to', 'https://myacr01.azurecr.io', 'myacr01.azurecr.io/binder/dev-'],
    ['an OVH Harbor host', 'https://abc12.gra7.container-registry.ovh.net', 'abc12.gra7.container-registry.ovh.net/binder/dev-'],
  ])('%s, with no login at all, is Registry.custom without a login', (_name, url, imagePrefix) => {
    const plan = planAdoption('x', pushing(imagePrefix, { url }));
    expect(plan.registry).toEqual({ factory: 'custom', props: { url, imagePrefix } });
    expect(plan.notes).toEqual([NO_LOGIN_NOTE]);
  });

  test('a password without a user name stays refused, naming the setting the factory misses', () => {
    expect(configErrorMessage(() => planAdoption('x', pushing('registry.example.org/binder/dev-', { url: 'https://registry.example.org', password: REGISTRY_PASSWORD }))))
      .toBe('the registry settings (registry.*, config.BinderHub.image_prefix) map to Registry.custom, which refuses them: '
        + 'Registry.custom has a password but no username; give the user name that logs in, or neither for a registry that asks for no login');
  });
});

describe('the guide\'s long form of Docker Hub', () => {
  const DOCKER_HUB = { factory: 'dockerHub', props: { username: 'bot', imagePrefix: 'binderorg/binder-' }, passwordProp: 'password' };
  const TOKEN_URL = 'https://auth.docker.io/token?service=registry.docker.io';
  const AUTH_CONFIG_URL_NOTE = {
    setting: 'config.DockerRegistry.auth_config_url',
    outcome: 'written as https://index.docker.io/v1/, the same URL as Registry.dockerHub sets it',
  };
  const urlNote = {
    setting: 'registry.url',
    outcome: 'written as https://index.docker.io/v1/, the config.json key Registry.dockerHub keeps the login under and also gives as '
      + 'config.DockerRegistry.auth_config_url, where BinderHub looks it up (the two must match byte for byte)',
  };

  test('as the guide prints it (registry.url https://index.docker.io/v1 and its DockerRegistry url, auth_config_url, token_url): Registry.dockerHub, the slashes noted', () => {
    const plan = planAdoption('x', pushing('binderorg/binder-', { url: 'https://index.docker.io/v1', ...login },
      { url: 'https://registry-1.docker.io', auth_config_url: 'https://index.docker.io/v1', token_url: TOKEN_URL }));
    expect(plan.registry).toEqual(DOCKER_HUB);
    expect(plan.notes).toEqual([urlNote, AUTH_CONFIG_URL_NOTE]);
  });

  test('with registry.url https://registry.hub.docker.com (BinderHub\'s default API URL), auth_config_url and token_url: Registry.dockerHub, the differences noted', () => {
    const plan = planAdoption('x', pushing('binderorg/binder-', { url: 'https://registry.hub.docker.com', ...login },
      { url: 'https://registry.hub.docker.com', auth_config_url: 'https://index.docker.io/v1', token_url: TOKEN_URL }));
    expect(plan.registry).toEqual(DOCKER_HUB);
    expect(plan.notes).toEqual([
      urlNote,
      { setting: 'config.DockerRegistry.url', outcome: 'written as https://registry-1.docker.io, the same registry API as Registry.dockerHub sets it' },
      AUTH_CONFIG_URL_NOTE,
    ]);
  });

  test('another DockerRegistry.url with Docker Hub stays refused', () => {
    expect(configErrorMessage(() => planAdoption('x', pushing('binderorg/binder-', { url: 'https://registry.hub.docker.com', ...login }, { url: 'https://mirror.example.org' }))))
      .toMatch(/^config\.DockerRegistry\.url is not what Registry\.dockerHub sets \(another value\)/);
  });
});

describe('token_url: None and null', () => {
  const htpasswd = (tokenUrl: unknown) => pushing('registry.example.org/binder/dev-', { url: 'https://registry.example.org', ...login }, { token_url: tokenUrl });
  const CUSTOM = {
    factory: 'custom', passwordProp: 'password', props: { url: 'https://registry.example.org', username: 'bot', imagePrefix: 'registry.example.org/binder/dev-' },
  };

  test('the guide\'s literal token_url: None (htpasswd) is adopted as no token_url, noted', () => {
    const plan = planAdoption('x', htpasswd('None'));
    expect(plan.registry).toEqual(CUSTOM);
    expect(plan.notes).toEqual([{
      setting: 'config.DockerRegistry.token_url',
      outcome: 'the string "None" (the guide\'s htpasswd advice, meant as Python\'s None), which BinderHub would request as a URL: '
        + 'adopted as no token_url (basic auth, or the token endpoint the registry names when asked)',
    }]);
    expect(plan.chartValues).toEqual({});
  });

  test('a null token_url is adopted as no token_url, noted', () => {
    const plan = planAdoption('x', htpasswd(null));
    expect(plan.registry).toEqual(CUSTOM);
    expect(plan.notes).toEqual([{
      setting: 'config.DockerRegistry.token_url',
      outcome: 'null: adopted as no token_url (basic auth, or the token endpoint the registry names when asked)',
    }]);
  });

  test('with Docker Hub, token_url: None leaves Docker Hub\'s own token URL', () => {
    const plan = planAdoption('x', pushing('binderorg/binder-', login, { token_url: 'None' }));
    expect(plan.registry.factory).toBe('dockerHub');
    expect(plan.notes.map(n => n.setting)).toEqual(['config.DockerRegistry.token_url']);
  });

  describeWithChartConfig('token_url: None as BinderHub reads the adopted deployment', chart => {
    test('BinderHub gets no token_url, where helm would give it the string "None"', () => {
      const plan = planAdoption('nonetoken', htpasswd('None'));
      const props = adoptedProps(plan, { tokens: BinderHubTokens.generate(), credentials: plan.credentials }, ChartSource.local(chart));
      const config = effectiveBinderHubConfig(synthBinderHub(props, 'nonetoken'));
      expect(config.DockerRegistry).toBeUndefined();
      expect(config.BinderHub.image_prefix).toBe('registry.example.org/binder/dev-');
    });
  });
});

describeWithRealChart('registries without a password, compared with helm template of the same values', chart => {
  /** What adopt's comparison leaves to review for `values` (host builder), as the paths of the differences. */
  function toReview(values: Values): string[] {
    const release = 'reg';
    const plan = planAdoption(release, values);
    const props = adoptedProps(plan, { tokens: BinderHubTokens.generate(), credentials: plan.credentials }, ChartSource.local(chart));
    const helm = (yaml.loadAll(execFileSync(toolPath('helm'), ['template', release, chart, '--namespace', release, '--kube-version', '1.35.0',
      '--api-versions', 'policy/v1/PodDisruptionBudget', '-f', '-'], { input: JSON.stringify(values), encoding: 'utf8', cwd: os.tmpdir() })) as ManifestObject[]).filter(Boolean);
    const comparison = compareAdoption(helm, { objects: synthBinderHub({ ...props, releaseName: undefined, namespace: release }, release), secrets: [] }, {
      // The values hold no token: every one is generated, as adopt does.
      release, namespace: release, builder: 'host', registry: plan.registry.factory, ingress: false, generatedTokens: TOKEN_NAMES,
    });
    return comparison.review.map(d => d.type === 'setting' ? `${d.id} ${d.setting.path}` : d.type === 'key' ? `${d.id} key ${d.key.key}` : `${d.id} ${d.type}`);
  }

  test('binderhub\'s CI registry (http://localhost:5000, no login): nothing about the registry to review', () => {
    expect(toReview(pushing('localhost:5000/binder/ci-', { url: 'http://localhost:5000' }))).toEqual([]);
  }, 60_000);

  test('Docker Hub\'s long form on registry.hub.docker.com: to review only what the notes explain (the login\'s key, the API and auth URLs)', () => {
    const values = pushing('binderorg/binder-', { url: 'https://registry.hub.docker.com', ...login },
      { url: 'https://registry.hub.docker.com', auth_config_url: 'https://index.docker.io/v1', token_url: 'https://auth.docker.io/token?service=registry.docker.io' });
    expect(toReview(values)).toEqual([
      'Secret/reg/binder-secret config.DockerRegistry.auth_config_url',
      'Secret/reg/binder-secret config.DockerRegistry.url',
      'Secret/reg/binder-build-docker-config key config.json',
    ]);
    // Each one is a note of the module and the screen: the config.json key is registry.url's.
    expect(planAdoption('reg', values).notes.map(n => n.setting)).toEqual(['registry.url', 'config.DockerRegistry.url', 'config.DockerRegistry.auth_config_url']);
  }, 60_000);
});
