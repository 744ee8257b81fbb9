import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  adoptedModuleText, adoptedProps, adoptedSecrets, BinderHubTokens, deepMerge, excessiveAliasing, getPath, isAdoptedModuleText, leafPaths, mainTsLines, planAdoption,
  readValuesFile, readValuesLayers, TOKEN_PATTERN, Values, withClusterTokens,
} from '../lib/internal';
import { expectNoFixtureSecret, FIXTURE_SECRETS, fixture, guideFiles, GUIDES, LEGACY, TODAY } from './adopt-fixtures';
import { GCR_KEY, REGISTRY_PASSWORD, SP_ID } from './registry-inputs';

test('the fixture secrets are the ones the files hold', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adopt-guides-'));
  const text = [...LEGACY, ...TODAY, ...GUIDES.flatMap(guide => guideFiles(guide, dir))].map(f => fs.readFileSync(f, 'utf8')).join('\n');
  for (const secret of FIXTURE_SECRETS) expect(text).toContain(secret);
});

describe('the 2019 guide layout', () => {
  const plan = planAdoption('legacy', readValuesLayers(LEGACY));

  test('tokens and credentials go to the secrets file', () => {
    expect(plan.tokens).toEqual({ proxySecretToken: 'ad0b7e01'.repeat(8), binderApiToken: 'ad0b7e02'.repeat(8) });
    expect(plan.credentials).toEqual({ registryPassword: 'adopt-fake-dockerhub-pw-7351', githubAccessToken: 'ghp_ADOPTFAKEgithubtoken0123456789' });
  });

  test('Docker Hub with registry.prefix, dind.enabled with its folders, a hand-set IP hub URL', () => {
    expect(plan.registry).toEqual({ factory: 'dockerHub', props: { username: 'binderbot', imagePrefix: 'binderorg/binder-legacy-' }, passwordProp: 'password' });
    expect(plan.builder).toEqual({ factory: 'dind', props: { hostSocketDir: '/var/run/dind/legacy', hostLibDir: '/var/lib/dind/legacy' } });
    expect(plan.ingress).toBeUndefined();
    expect(plan.hubUrl).toEqual({ url: 'http://35.190.10.20/', kind: 'discovered' });
    expect(plan.chartValues).toEqual({ jupyterhub: { singleuser: { memory: { guarantee: '1G' } } } });
  });

  test('the settings today\'s chart refuses are listed with what replaced them', () => {
    expect(plan.notes).toEqual([
      { setting: 'registry.prefix', outcome: 'a 2019 setting today\'s chart refuses; replaced by Registry.dockerHub({ imagePrefix })' },
      { setting: 'github', outcome: 'a 2019 setting; its token is now githubAccessToken, from the secrets file' },
      { setting: 'dind.enabled', outcome: 'a 2019 setting today\'s chart refuses; replaced by Builder.dind()' },
    ]);
  });

  test('the secrets file keeps the two tokens and generates the three the chart minted', () => {
    const { content, generated } = adoptedSecrets(plan);
    const file = JSON.parse(content);
    expect(generated).toEqual(['cookieSecret', 'cryptKeeperKey', 'buildTokenSecret']);
    expect(file.tokens.proxySecretToken).toBe('ad0b7e01'.repeat(8));
    expect(file.tokens.binderApiToken).toBe('ad0b7e02'.repeat(8));
    for (const token of generated) expect(file.tokens[token]).toMatch(TOKEN_PATTERN);
    expect(file.credentials).toEqual(plan.credentials);
  });

  test('the module names the factories, reads every secret from the app (the registry password as a required credential), and says how main.ts adds it', () => {
    const text = adoptedModuleText(plan, ['secret.yaml', 'config.yaml'], 'deployments/legacy.ts');
    expectNoFixtureSecret(text);
    expect(text).toBe([
      '/**',
      ' * Deployment "legacy", adopted by `npm run adopt` from secret.yaml, config.yaml.',
      ' * Its tokens and credentials are read from secrets/legacy.json at synth; this file holds no secret.',
      ' * Add it to the app: `import * as legacy from \'./deployments/legacy\';` at the top of main.ts, and `legacy.defineDeployment(app);` inside its BinderHubApp.',
      ' * Its resources, culling and quotas are the values files\' own (ServicePolicy.private(): the synth warns about what a BinderHub',
      ' * open to the public would need); ServicePolicy.public() adds safe values for those (docs/deployments.md#running-a-public-binderhub).',
      ' *',
      ' * Settings replaced or not carried over, and what became of them:',
      ' * - registry.prefix: a 2019 setting today\'s chart refuses; replaced by Registry.dockerHub({ imagePrefix })',
      ' * - github: a 2019 setting; its token is now githubAccessToken, from the secrets file',
      ' * - dind.enabled: a 2019 setting today\'s chart refuses; replaced by Builder.dind()',
      ' */',
      'import { BinderHub, Builder, DeploymentsScope, Registry, ServicePolicy } from \'binderhub-cdk8s\';',
      '',
      '/** The deployment\'s name: its construct id, and its release name and namespace where the props below give none. */',
      'export const DEPLOYMENT = "legacy";',
      '',
      '/** Defines the deployment in the app that main.ts exports (see above); the app gives it its chart and recorded hub URL. */',
      'export function defineDeployment(app: DeploymentsScope): BinderHub {',
      '  const secrets = app.secrets(DEPLOYMENT);',
      '  return new BinderHub(app, DEPLOYMENT, {',
      '    tokens: secrets.tokens,',
      '    registry: Registry.dockerHub({ username: "binderbot", imagePrefix: "binderorg/binder-legacy-", password: app.credential(DEPLOYMENT, \'registryPassword\') }),',
      '    builder: Builder.dind({ hostSocketDir: "/var/run/dind/legacy", hostLibDir: "/var/lib/dind/legacy" }),',
      '    githubAccessToken: secrets.credentials.githubAccessToken,',
      '    policy: ServicePolicy.private(),',
      '    chartValues: {',
      '      "jupyterhub": {',
      '        "singleuser": {',
      '          "memory": {',
      '            "guarantee": "1G"',
      '          }',
      '        }',
      '      }',
      '    },',
      '  });',
      '}',
      '',
    ].join('\n'));
  });
});

describe('today\'s layout', () => {
  const plan = planAdoption('today', readValuesLayers(TODAY));

  test('every token and the GitLab token and Harbor password are kept', () => {
    expect(Object.keys(plan.tokens)).toEqual(['proxySecretToken', 'binderApiToken', 'cookieSecret', 'cryptKeeperKey', 'buildTokenSecret']);
    expect(plan.tokens.cryptKeeperKey).toBe(`${'7da70004bd'.repeat(6)}7da7`);
    expect(plan.credentials).toEqual({ registryPassword: 'adopt-fake-harbor-pw-9142', gitlabPrivateToken: 'glpat-ADOPTFAKEgitlab98765' });
    expect(adoptedSecrets(plan).generated).toEqual([]);
  });

  test('OVH Harbor, pink, ingress with cert-manager; the hub URL follows the ingress', () => {
    expect(plan.registry).toEqual({
      factory: 'harbor', passwordProp: 'password',
      props: { host: 'abc12.gra7.container-registry.ovh.net', username: 'harbor-bot', imagePrefix: 'abc12.gra7.container-registry.ovh.net/binder/today-' },
    });
    expect(plan.builder).toEqual({ factory: 'pink', props: { hostSocketDir: '/var/run/pink/today', hostStorageDir: '/var/lib/pink/today' } });
    expect(plan.ingress).toEqual({
      binderHost: 'binder.example.org', hubHost: 'hub.example.org', ingressClassName: 'nginx',
      binderTls: { certManager: { clusterIssuer: 'letsencrypt-prod', secretName: 'binder-example-org-tls' } },
      hubTls: { certManager: { clusterIssuer: 'letsencrypt-prod', secretName: 'hub-example-org-tls' } },
    });
    expect(plan.hubUrl).toBeUndefined();
    expect(plan.chartValues).toEqual({ replicas: 2, jupyterhub: { singleuser: { cpu: { limit: 2 } } } });
    expect(plan.notes).toEqual([
      { setting: 'service.type', outcome: 'set by the ingress prop' },
      { setting: 'jupyterhub.proxy.service.type', outcome: 'set by the ingress prop' },
    ]);
  });

  test('a hand-set https DNS hub URL without ingress becomes hubUrl', () => {
    const values = readValuesLayers(TODAY);
    delete values.ingress;
    delete (values.jupyterhub as Values).ingress;
    expect(planAdoption('today', values).hubUrl).toEqual({ url: 'https://hub.example.org/', kind: 'fixed' });
  });
});

describe('layers', () => {
  test('later files win: maps merge key by key, lists are replaced', () => {
    expect(readValuesLayers([fixture('layers/common.yaml'), fixture('layers/prod.yaml')])).toEqual({
      replicas: 3,
      extraEnv: [{ name: 'FROM_PROD', value: '2' }],
      jupyterhub: { singleuser: { memory: { guarantee: '1G', limit: '4G' } } },
    });
    expect(readValuesLayers([fixture('layers/prod.yaml'), fixture('layers/common.yaml')])).toEqual({
      replicas: 1,
      extraEnv: [{ name: 'FROM_COMMON', value: '1' }],
      jupyterhub: { singleuser: { memory: { guarantee: '1G', limit: '2G' } } },
    });
  });
});

describe('bad input: one line naming the file or setting, no secret', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adopt-bad-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const legacy = () => readValuesLayers(LEGACY);
  /** Both Ingresses, with TLS, and `annotations` on the binder one. */
  const ingresses = (annotations: Values): Values => ({
    ingress: { enabled: true, hosts: ['binder.example.org'], annotations, tls: [{ secretName: 'binder-tls', hosts: ['binder.example.org'] }] },
    jupyterhub: { ingress: { enabled: true, hosts: ['hub.example.org'], tls: [{ secretName: 'hub-tls', hosts: ['hub.example.org'] }] } },
  });

  const cases: Array<[string, () => unknown, RegExp]> = [
    ['a missing file', () => readValuesLayers([path.join(dir, 'nope.yaml')]), /^values file .*nope\.yaml does not exist; give the path/],
    ['invalid YAML', () => readValuesLayers([write('bad.yaml', 'registry:\n  password: "adopt-fake-dockerhub-pw-7351\n  x: [\n')]), /^values file .*bad\.yaml is not valid YAML \(line \d+\); fix it/],
    ['a list', () => readValuesLayers([write('list.yaml', '- a\n- b\n')]), /^values file .*list\.yaml must hold a map of chart values .*not a list$/],
    ['a registry URL neither https nor http', () => planAdoption('x', { ...legacy(), registry: { url: 'ftp://registry.example.org', prefix: 'registry.example.org/binder/legacy-', username: 'bot', password: 'adopt-fake-dockerhub-pw-7351' } }),
      /^the registry settings .* map to Registry\.custom, which refuses them: Registry\.custom url "ftp:\/\/registry\.example\.org" must use https:\/\//],
    ['a DockerRegistry password', () => planAdoption('x', { ...legacy(), config: { DockerRegistry: { password: 'adopt-fake-dockerhub-pw-7351' } } }),
      /^config\.DockerRegistry\.password is not what Registry\.dockerHub sets \(nothing\), so adopt cannot carry it over/],
    ['a token that is not hex', () => planAdoption('x', { ...legacy(), jupyterhub: { proxy: { secretToken: 'adopt-fake-dockerhub-pw-7351' } } }),
      /^jupyterhub\.proxy\.secretToken in the values files is not 64 lowercase hex characters/],
    ['an unknown builder', () => planAdoption('x', { ...legacy(), dind: undefined, imageBuilderType: 'kaniko' }), /^imageBuilderType "kaniko" is none of host, dind, pink/],
    ['dind without a registry', () => planAdoption('x', { ...legacy(), config: { BinderHub: { use_registry: false } } }), /^the values build with Builder\.dind\(\) but push to no registry/],
    ['a host that is no DNS name, named by its setting', () => planAdoption('x', { ...legacy(), ...ingresses({}), ingress: { ...(ingresses({}).ingress as Values), hosts: ['binder.example.org', 'Old.Example.org'] } }),
      /^ingress\.hosts\[1\] "Old\.Example\.org" is not a DNS name; give one such as binder\.example\.org in the values files$/],
    ['a host of both Ingresses, named by both settings', () => planAdoption('x', { ...legacy(), ...ingresses({}), ingress: { ...(ingresses({}).ingress as Values), hosts: ['binder.example.org', 'hub.example.org'] } }),
      /^ingress\.hosts\[1\] and jupyterhub\.ingress\.hosts\[0\] are both "hub\.example\.org"; the ingress prop routes each host to one of BinderHub and JupyterHub: list it once$/],
    ['an issuer name that is no object name, named by its annotation', () => planAdoption('x', { ...legacy(), ...ingresses({ 'cert-manager.io/cluster-issuer': 'Lets Encrypt' }) }),
      /^ingress\.annotations\["cert-manager\.io\/cluster-issuer"\] "Lets Encrypt" is not a valid object name: .*, such as letsencrypt-prod$/],
    ['a TLS Secret name that is no object name, named by its setting', () => planAdoption('x', { ...legacy(), ...ingresses({}), ingress: { ...(ingresses({}).ingress as Values), tls: [{ secretName: 'Binder_TLS' }] } }),
      /^ingress\.tls\[0\]\.secretName "Binder_TLS" is not a valid object name/],
    ['an ingressClassName that is no object name, named by its setting', () => planAdoption('x', { ...legacy(), ...ingresses({}), ingress: { ...(ingresses({}).ingress as Values), ingressClassName: 'Nginx' } }),
      /^ingress\.ingressClassName "Nginx" is not a valid object name/],
    ['TLS for the binder host only, named by the settings', () => planAdoption('x', { ...legacy(), ...ingresses({}), jupyterhub: { ingress: { enabled: true, hosts: ['hub.example.org'] } } }),
      /^ingress\.tls gives binder\.example\.org TLS but jupyterhub\.ingress\.tls has no entry for hub\.example\.org; the ingress prop serves both hosts over https or both over http .*: add the missing tls entry to the values files, or remove the other$/],
    ['a class annotation that another class contradicts', () => planAdoption('x', {
      ...legacy(), ...ingresses({ 'kubernetes.io/ingress.class': 'traefik' }), jupyterhub: { ingress: { ...((ingresses({}).jupyterhub as Values).ingress as Values), ingressClassName: 'nginx' } },
    }), /^ingress\.annotations\["kubernetes\.io\/ingress\.class"\] is traefik but jupyterhub\.ingress\.ingressClassName is nginx; the ingress prop takes one class for both Ingresses: give them the same class in the values files$/],
    ['an Ingress without hosts', () => planAdoption('x', { ...legacy(), ...ingresses({}), ingress: { ...(ingresses({}).ingress as Values), hosts: [] } }),
      /^ingress\.hosts must list the host names, such as \[binder\.example\.org\]: the ingress prop routes by host$/],
    ['the hub Ingress and Let\'s Encrypt both', () => planAdoption('x', {
      ...legacy(), ...ingresses({}), jupyterhub: { ...(ingresses({}).jupyterhub as Values), proxy: { https: { enabled: true, type: 'letsencrypt', hosts: ['hub.example.org'] } } },
    }), /^jupyterhub\.ingress and the jupyterhub chart's Let's Encrypt \(jupyterhub\.proxy\.https\) are both enabled; .*disable one/],
    ['Let\'s Encrypt without a contact email', () => planAdoption('x', {
      ...legacy(), ingress: ingresses({}).ingress, jupyterhub: { proxy: { https: { enabled: true, type: 'letsencrypt', hosts: ['hub.example.org'] } } },
    }), /^jupyterhub\.proxy\.https\.letsencrypt\.contactEmail is missing: the chart's Let's Encrypt needs the address Let's Encrypt writes to; set it in the values files$/],
    ['dind memory in no whole mebibytes', () => planAdoption('x', { ...legacy(), dind: { enabled: true, resources: { limits: { memory: '4G' } } } }),
      /^dind\.resources\.memory\.limit "4G" is not a whole number of mebibytes, which the container's memory takes; write it in Mi or Gi/],
    ['a dind CPU that is no quantity', () => planAdoption('x', { ...legacy(), dind: { enabled: true, resources: { requests: { cpu: 'lots' } } } }),
      /^dind\.resources\.cpu\.request "lots" is no CPU quantity; give cores/],
  ];
  test.each(cases.map(([name]) => name))('%s', name => {
    const [, run, message] = cases.find(c => c[0] === name)!;
    let error: Error | undefined;
    try {
      run();
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('ConfigError');
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
    expectNoFixtureSecret(error!.message);
  });
});

describe('the registry factory the values match', () => {
  const base = (registry: Values, config: Values = {}): Values => ({
    ...readValuesLayers(LEGACY), registry, config: { BinderHub: { use_registry: true, ...config } },
  });
  test.each<[string, Values, object]>([
    ['gcr.io', base({ url: 'https://gcr.io', password: GCR_KEY }, { image_prefix: 'gcr.io/binder-test-123/binder-' }),
      { factory: 'gcr', props: { imagePrefix: 'gcr.io/binder-test-123/binder-' }, passwordProp: 'serviceAccountKey' }],
    ['ACR', base({ url: 'https://myacr01.azurecr.io', username: SP_ID, password: REGISTRY_PASSWORD }, { image_prefix: 'myacr01.azurecr.io/binder/dev-' }),
      { factory: 'acr', props: { name: 'myacr01', servicePrincipalId: SP_ID, imagePrefix: 'myacr01.azurecr.io/binder/dev-' }, passwordProp: 'servicePrincipalPassword' }],
    ['a custom registry with token_url', {
      ...base({ url: 'https://registry.example.org', username: 'bot', password: REGISTRY_PASSWORD }, { image_prefix: 'registry.example.org/binder/dev-' }),
      config: { BinderHub: { image_prefix: 'registry.example.org/binder/dev-' }, DockerRegistry: { token_url: 'https://registry.example.org/v2/token?service=' } },
    }, {
      factory: 'custom', passwordProp: 'password',
      props: { url: 'https://registry.example.org', username: 'bot', imagePrefix: 'registry.example.org/binder/dev-', tokenUrl: 'https://registry.example.org/v2/token?service=' },
    }],
  ])('%s', (_name, values, expected) => {
    const plan = planAdoption('x', values);
    expect(plan.registry).toEqual(expected);
    expect(plan.credentials.registryPassword).toBe((values.registry as Values).password);
    expect(adoptedModuleText(plan, ['v.yaml'], 'deployments/x.ts')).not.toContain((values.registry as Values).password as string);
  });

  test('use_registry false with a host builder gives Registry.none(), the unused login listed', () => {
    const plan = planAdoption('x', { registry: { username: 'bot' }, config: { BinderHub: { use_registry: false } } });
    expect(plan.registry).toEqual({ factory: 'none', props: {} });
    expect(plan.builder.factory).toBe('host');
    expect(plan.notes).toEqual([{ setting: 'registry.username', outcome: 'not carried over: config.BinderHub.use_registry is false, so Registry.none()' }]);
  });

  test('the 2019 registry.enabled false gives Registry.none(), the unused login listed under that setting', () => {
    const plan = planAdoption('x', { registry: { enabled: false, username: 'bot' } });
    expect(plan.registry).toEqual({ factory: 'none', props: {} });
    expect(plan.notes).toEqual([
      { setting: 'registry.enabled', outcome: 'a 2019 setting today\'s chart refuses; replaced by Registry.none()' },
      { setting: 'registry.username', outcome: 'not carried over: the 2019 registry.enabled is false, so Registry.none()' },
    ]);
  });
});

describe('registry settings of the values files', () => {
  /** planAdoption's error for `values`, or undefined when it adopts them. */
  const refusal = (values: Values): string | undefined => {
    try {
      planAdoption('x', values);
    } catch (e) {
      expect((e as Error).name).toBe('ConfigError');
      return (e as Error).message;
    }
    return undefined;
  };
  const login = { username: 'bot', password: REGISTRY_PASSWORD };
  /** The plan of a registry at `host` that no factory knows, with `login` and a project prefix. */
  const custom = (host: string) => ({
    factory: 'custom', passwordProp: 'password', props: { url: `https://${host}`, username: 'bot', imagePrefix: `${host}/binder/dev-` },
  });
  const DOCKER_HUB = { factory: 'dockerHub', props: { username: 'bot', imagePrefix: 'binderorg/binder-' }, passwordProp: 'password' };

  test.each([
    ['ending in docker.io', 'mirror.notdocker.io'],
    ['starting with docker.io', 'docker.io.example.org'],
    ['ending in gcr.io', 'mirror.xgcr.io'],
    ['starting with gcr.io', 'gcr.io.example.org'],
    ['ending in .azurecr.io under a name ACR does not allow', 'my-acr.azurecr.io'],
    ['starting with an ACR host', 'myacr01.azurecr.io.example.org'],
  ])('a host %s (%s) is no well-known registry: Registry.custom', (_name, host) => {
    const values = { registry: { url: `https://${host}`, ...login }, config: { BinderHub: { image_prefix: `${host}/binder/dev-` } } };
    expect(planAdoption('x', values).registry).toEqual(custom(host));
  });

  test.each<[string, Values, object]>([
    ['docker.io itself is Docker Hub', { registry: { url: 'https://docker.io', ...login }, config: { BinderHub: { image_prefix: 'binderorg/binder-' } } }, DOCKER_HUB],
    ['a regional gcr host with the _json_key login is gcr', { registry: { url: 'https://eu.gcr.io', username: '_json_key', password: GCR_KEY }, config: { BinderHub: { image_prefix: 'eu.gcr.io/binder-test-123/binder-' } } },
      { factory: 'gcr', props: { imagePrefix: 'eu.gcr.io/binder-test-123/binder-' }, passwordProp: 'serviceAccountKey' }],
    ['an OVH registry host is Harbor', { registry: { url: 'https://abc12.gra7.container-registry.ovh.net', ...login }, config: { BinderHub: { image_prefix: 'abc12.gra7.container-registry.ovh.net/binder/dev-' } } },
      { factory: 'harbor', props: { host: 'abc12.gra7.container-registry.ovh.net', username: 'bot', imagePrefix: 'abc12.gra7.container-registry.ovh.net/binder/dev-' }, passwordProp: 'password' }],
    ['Harbor\'s token_url makes any host Harbor', {
      registry: { url: 'https://harbor.example.org', ...login },
      config: { BinderHub: { image_prefix: 'harbor.example.org/binder/dev-' }, DockerRegistry: { token_url: 'https://harbor.example.org/service/token?service=harbor-registry' } },
    }, { factory: 'harbor', props: { host: 'harbor.example.org', username: 'bot', imagePrefix: 'harbor.example.org/binder/dev-' }, passwordProp: 'password' }],
    ['without registry.url the image prefix\'s host is the registry', { registry: login, config: { BinderHub: { image_prefix: 'registry.example.org/binder/dev-' } } },
      custom('registry.example.org')],
    ['a null setting is no setting', { registry: { url: null, ...login }, config: { BinderHub: { image_prefix: 'binderorg/binder-' } } }, DOCKER_HUB],
    ['Docker Hub\'s own DockerRegistry settings, with and without their trailing slash', {
      registry: login,
      config: { BinderHub: { image_prefix: 'binderorg/binder-' }, DockerRegistry: { url: 'https://registry-1.docker.io/', auth_config_url: 'https://index.docker.io/v1' } },
    }, DOCKER_HUB],
  ])('%s', (_name, values, expected) => {
    expect(planAdoption('x', values).registry).toEqual(expected);
  });

  test.each<[string, Values]>([
    ['no registry setting at all', {}],
    ['use_registry false', { registry: login, config: { BinderHub: { use_registry: false } } }],
    ['the 2019 registry.enabled false', { registry: { enabled: false, ...login } }],
  ])('%s gives Registry.none()', (_name, values) => {
    expect(planAdoption('x', values).registry).toEqual({ factory: 'none', props: {} });
  });

  test('the 2019 registry settings are each listed with what replaced them', () => {
    const plan = planAdoption('x', {
      registry: {
        prefix: 'binderorg/binder-', enabled: true, host: 'https://index.docker.io/v1', authHost: 'https://auth.docker.io',
        tokenUrl: 'https://auth.docker.io/token?service=registry.docker.io', ...login,
      },
    });
    expect(plan.registry).toEqual(DOCKER_HUB);
    expect(plan.chartValues).toEqual({});
    expect(plan.notes).toEqual([
      { setting: 'registry.prefix', outcome: 'a 2019 setting today\'s chart refuses; replaced by Registry.dockerHub({ imagePrefix })' },
      { setting: 'registry.enabled', outcome: 'a 2019 setting today\'s chart refuses; replaced by Registry.dockerHub()' },
      { setting: 'registry.host', outcome: 'a 2019 setting today\'s chart refuses; replaced by Registry.dockerHub()' },
      { setting: 'registry.authHost', outcome: 'a 2019 setting today\'s chart refuses; replaced by Registry.dockerHub()' },
      { setting: 'registry.tokenUrl', outcome: 'a 2019 setting today\'s chart refuses; replaced by Registry.dockerHub()' },
    ]);
  });

  test.each<[string, Values, string]>([
    ['a number for a string setting', { registry: { url: 5 } }, 'registry.url must be a string in the values files, got number'],
    ['a list for a string setting', { registry: { username: ['bot'] } }, 'registry.username must be a string in the values files, got a list'],
    ['a 2019 registry.prefix that is no string', { registry: { prefix: 5, ...login } }, 'registry.prefix must be a string in the values files'],
    ['config.DockerRegistry that is no map', { registry: login, config: { DockerRegistry: 'https://registry.example.org' } }, 'config.DockerRegistry must be a map in the values files'],
    ['a registry.url that is no URL', { registry: { url: 'registry.example.org', ...login } }, 'registry.url is not a URL; give the registry\'s URL, such as https://registry.example.org'],
    ['a gcr login under another user name', { registry: { url: 'https://gcr.io', username: 'bot', password: GCR_KEY }, config: { BinderHub: { image_prefix: 'gcr.io/binder-test-123/binder-' } } },
      'registry.username "bot" with a gcr.io registry: Registry.gcr logs in as _json_key with the service-account key in registry.password; remove registry.username'],
    ['a login without its password, before its DockerRegistry settings', { registry: { username: 'bot' }, config: { BinderHub: { image_prefix: 'binderorg/binder-' }, DockerRegistry: { url: 'https://registry.example.org' } } },
      'the registry settings (registry.*, config.BinderHub.image_prefix) map to Registry.dockerHub, which refuses them: Registry.dockerHub password is empty; '
      + 'the chart would push with a password of "%!s(<nil>)". Put it in the deployment\'s secrets file as credentials.registryPassword'],
    ['a DockerRegistry setting the factory sets otherwise', { registry: login, config: { BinderHub: { image_prefix: 'binderorg/binder-' }, DockerRegistry: { url: 'https://registry.example.org' } } },
      'config.DockerRegistry.url is not what Registry.dockerHub sets (another value), so adopt cannot carry it over; remove it from the values files, '
      + 'or adopt with registry.url naming the registry it belongs to'],
    ['a DockerRegistry setting that is no string', { registry: login, config: { BinderHub: { image_prefix: 'binderorg/binder-' }, DockerRegistry: { url: 5 } } },
      'config.DockerRegistry.url is not what Registry.dockerHub sets (another value), so adopt cannot carry it over; remove it from the values files, '
      + 'or adopt with registry.url naming the registry it belongs to'],
    ['a registry.url without config.BinderHub.image_prefix', { registry: { url: 'https://registry.example.org', ...login } },
      'config.BinderHub.image_prefix is missing: the registry settings (registry.*) push images under it; add it to the values files, '
      + 'such as <user>/binder- for Docker Hub or <registry host>/<project>/binder- elsewhere'],
    ['a Docker Hub login without config.BinderHub.image_prefix', { registry: login },
      'config.BinderHub.image_prefix is missing: the registry settings (registry.*) push images under it; add it to the values files, '
      + 'such as <user>/binder- for Docker Hub or <registry host>/<project>/binder- elsewhere'],
  ])('%s is refused in one line', (_name, values, message) => {
    expect(refusal(values)).toBe(message);
  });
});

test('a secret no prop takes (an OAuth client_secret) moves to the secrets file\'s chartValues, which the module reads; never into the module', () => {
  const plan = planAdoption('x', { ...readValuesLayers(LEGACY), jupyterhub: { hub: { config: { GitHubOAuthenticator: { client_id: 'abc', client_secret: 'adopt-fake-oauth-secret-55' } } } } });
  expect(plan.chartValues).toEqual({ jupyterhub: { hub: { config: { GitHubOAuthenticator: { client_id: 'abc' } } } } });
  expect(plan.secretChartValues).toEqual({ jupyterhub: { hub: { config: { GitHubOAuthenticator: { client_secret: 'adopt-fake-oauth-secret-55' } } } } });
  expect(plan.notes).toContainEqual({
    setting: 'jupyterhub.hub.config.GitHubOAuthenticator.client_secret',
    outcome: 'a secret (named like one): moved to the secrets file\'s "chartValues", which the module reads (secretChartValues)',
  });
  const module = adoptedModuleText(plan, ['v.yaml'], 'deployments/x.ts');
  expect(module).not.toContain('adopt-fake-oauth-secret-55');
  expect(module).toContain('    secretChartValues: secrets.chartValues,\n');
  expect(JSON.parse(adoptedSecrets(plan).content).chartValues).toEqual(plan.secretChartValues);
});

test('the live release\'s tokens fill the missing ones; a differing one keeps the files\' value, noted', () => {
  const plan = planAdoption('legacy', readValuesLayers(LEGACY));
  const { plan: merged, fromCluster } = withClusterTokens(plan, { proxySecretToken: 'f'.repeat(64), cookieSecret: 'e'.repeat(64) });
  expect(fromCluster).toEqual(['cookieSecret']);
  expect(merged.tokens).toEqual({ proxySecretToken: 'ad0b7e01'.repeat(8), binderApiToken: 'ad0b7e02'.repeat(8), cookieSecret: 'e'.repeat(64) });
  expect(merged.notes[merged.notes.length - 1]).toEqual({
    setting: 'jupyterhub.proxy.secretToken',
    outcome: 'differs from Secret hub of the live release: the values files\' token is kept, so the first apply changes it',
  });
  expect(adoptedSecrets(merged).generated).toEqual(['cryptKeeperKey', 'buildTokenSecret']);
});

describe('the guide\'s HTTPS section and Let\'s Encrypt', () => {
  const https = () => readValuesLayers([...guideFiles('dockerhub', os.tmpdir()), fixture('guide-https/config.yaml')]);

  test('cert-manager\'s Issuer with the same TLS Secrets; the class annotation and kubernetes.io/tls-acme kept as the files have them', () => {
    const plan = planAdoption('https', https());
    const annotations = { 'kubernetes.io/ingress.class': 'nginx', 'kubernetes.io/tls-acme': 'true' };
    expect(plan.ingress).toEqual({
      binderHost: 'binder.example.net', hubHost: 'hub.binder.example.net', binderAnnotations: annotations, hubAnnotations: annotations,
      binderTls: { certManager: { issuer: 'letsencrypt-production', secretName: 'binder-example-net-tls' } },
      hubTls: { certManager: { issuer: 'letsencrypt-production', secretName: 'hub-binder-example-net-tls' } },
    });
    expect(plan.hubUrl).toBeUndefined();
    expect(plan.notes).toEqual([
      { setting: 'service.type', outcome: 'set by the ingress prop' },
      { setting: 'jupyterhub.proxy.service.type', outcome: 'set by the ingress prop' },
    ]);
    const module = adoptedModuleText(plan, ['v.yaml'], 'deployments/x.ts');
    expect(module).toContain('binderTls: Tls.certManager({\n      "issuer": "letsencrypt-production",\n      "secretName": "binder-example-net-tls"\n    })');
    expect(module).toContain('binderAnnotations: {\n      "kubernetes.io/ingress.class": "nginx",\n      "kubernetes.io/tls-acme": "true"\n    }');
  });

  test('kubernetes.io/tls-acme alone asks cert-manager\'s default issuer: Tls.certManager({ defaultIssuer: true }) into the same Secret', () => {
    const values = https();
    for (const ingress of [values.ingress, (values.jupyterhub as Values).ingress] as Values[]) delete (ingress.annotations as Values)['cert-manager.io/issuer'];
    const plan = planAdoption('acme', values);
    expect(plan.ingress?.binderTls).toEqual({ certManager: { defaultIssuer: true, secretName: 'binder-example-net-tls' } });
    expect(plan.ingress?.hubAnnotations).toEqual({ 'kubernetes.io/ingress.class': 'nginx' });
  });

  test('the guide\'s `https:` map among the annotations is listed: the API server refuses a map there', () => {
    const values = https();
    ((values.ingress as Values).annotations as Values).https = { enabled: true, type: 'nginx' };
    expect(planAdoption('https', values).notes).toContainEqual({
      setting: 'ingress.annotations["https"]',
      outcome: 'not carried over: an annotation\'s value must be a string, so the API server refuses this one (the guide\'s https section has such a map by mistake)',
    });
  });

  test('the jupyterhub chart\'s own Let\'s Encrypt for the hub becomes Tls.letsEncrypt; what it has besides is listed', () => {
    const values = https();
    delete (values.jupyterhub as Values).ingress;
    (values.jupyterhub as Values).proxy = {
      https: { enabled: true, type: 'letsencrypt', hosts: ['hub.binder.example.net'], letsencrypt: { contactEmail: 'ops@example.net', acmeServer: 'https://acme.example.net/dir' } },
    };
    const plan = planAdoption('le', values);
    expect(plan.ingress?.hubTls).toEqual({ letsEncrypt: 'ops@example.net' });
    expect(plan.ingress?.hubHost).toBe('hub.binder.example.net');
    expect(plan.notes).toContainEqual({
      setting: 'jupyterhub.proxy.https.letsencrypt.acmeServer', outcome: 'not carried over: Tls.letsEncrypt takes the contact email only; add it by hand if you need it',
    });
    expect(adoptedModuleText(plan, ['v.yaml'], 'deployments/x.ts')).toContain('hubTls: Tls.letsEncrypt("ops@example.net")');
  });

  test('several hosts: the others become binderExtraHosts under the first host\'s TLS Secret; the other entry is listed', () => {
    const values = https();
    Object.assign(values.ingress as Values, {
      hosts: ['binder.example.net', 'mybinder.example.net'],
      tls: [{ secretName: 'other-tls', hosts: ['mybinder.example.net'] }, { secretName: 'binder-example-net-tls', hosts: ['binder.example.net'] }],
    });
    const plan = planAdoption('hosts', values);
    expect(plan.ingress?.binderExtraHosts).toEqual(['mybinder.example.net']);
    expect(plan.ingress?.binderTls).toEqual({ certManager: { issuer: 'letsencrypt-production', secretName: 'binder-example-net-tls' } });
    expect(plan.notes.slice(0, 2)).toEqual([
      { setting: 'ingress.tls[0]', outcome: 'not carried over: the ingress prop gives binder.example.net, mybinder.example.net one TLS Secret, binder-example-net-tls' },
      { setting: 'ingress.tls[1].hosts', outcome: 'mybinder.example.net added: the ingress prop gives every host of the Ingress its TLS' },
    ]);
  });

  test('an issuer annotation without a tls entry issued nothing: plain http stays, the annotations kept as written', () => {
    const values = https();
    delete (values.ingress as Values).tls;
    delete ((values.jupyterhub as Values).ingress as Values).tls;
    const plan = planAdoption('plain', values);
    expect(plan.ingress?.binderTls).toBeUndefined();
    expect(plan.ingress?.hubTls).toBeUndefined();
    expect(plan.ingress?.binderAnnotations).toEqual({ 'kubernetes.io/ingress.class': 'nginx', 'kubernetes.io/tls-acme': 'true', 'cert-manager.io/issuer': 'letsencrypt-production' });
  });
});

describe('an Ingress of one chart alone, as binderhub\'s CI enables binder\'s', () => {
  test.each([['ingress', 'jupyterhub.ingress'], ['jupyterhub.ingress', 'ingress']])('%s alone stays in chartValues as written, noted: no ingress prop', (on, off) => {
    const section = { enabled: true, hosts: ['binder.example.org'] };
    const values = deepMerge(readValuesLayers(guideFiles('dockerhub', os.tmpdir())), on === 'ingress' ? { ingress: section } : { jupyterhub: { ingress: section } });
    const plan = planAdoption('x', values);
    expect(plan.ingress).toBeUndefined();
    expect(getPath(plan.chartValues, on)).toEqual(section);
    expect(plan.notes).toContainEqual({
      setting: on,
      outcome: `kept in chartValues as written, since ${off}.enabled is not true: the chart renders this Ingress as for the helm release; `
        + 'the ingress prop, which puts both BinderHub and JupyterHub behind Ingresses (their hosts, TLS, the hub URL), is not used',
    });
  });
});

describe('Ingresses as mybinder.org-deploy and Traefik users write them', () => {
  const guide = () => readValuesLayers(guideFiles('dockerhub', os.tmpdir()));

  test('the binderhub chart\'s ingress.https (kube-lego) becomes cert-manager\'s default issuer into the chart\'s Secret for every host; other annotations kept', () => {
    const plan = planAdoption('ovh2', { ...guide(), ...readValuesLayers([fixture('layers/ingress-kube-lego.yaml')]) });
    expect(plan.ingress).toEqual({
      binderHost: 'ovh2.binder.example.org', hubHost: 'hub.ovh2.binder.example.org', binderExtraHosts: ['ovh.binder.example.org'],
      binderAnnotations: { 'kubernetes.io/ingress.class': 'nginx' },
      hubAnnotations: { 'ingress.kubernetes.io/proxy-body-size': '64m', 'kubernetes.io/ingress.class': 'nginx' },
      binderTls: { certManager: { defaultIssuer: true, secretName: 'kubelego-tls-binder-ovh2' } },
      hubTls: { certManager: { defaultIssuer: true, secretName: 'kubelego-tls-hub' } },
    });
    expect(plan.notes.filter(n => /ingress/.test(n.setting))).toEqual([]);
  });

  test('the kube-lego Secret follows the release name, and a tls list the chart ignores then is listed', () => {
    const values = { ...guide(), ...readValuesLayers([fixture('layers/ingress-kube-lego.yaml')]) };
    (values.ingress as Values).tls = [{ secretName: 'unused-tls', hosts: ['ovh2.binder.example.org'] }];
    const plan = planAdoption('ovh2', values, { releaseName: 'binderhub' });
    expect(plan.ingress?.binderTls).toEqual({ certManager: { defaultIssuer: true, secretName: 'kubelego-tls-binder-binderhub' } });
    expect(plan.notes).toContainEqual({
      setting: 'ingress.tls', outcome: 'not carried over: with ingress.https (type kube-lego) on, the chart rendered its own TLS entry in place of it, as adopted',
    });
  });

  test('ingress.https of another type made nothing: listed, and no TLS from it', () => {
    const values = { ...guide(), ...readValuesLayers([fixture('layers/ingress-kube-lego.yaml')]) };
    (values.ingress as Values).https = { enabled: true, type: 'nginx' };
    (values.jupyterhub as Values).ingress = { ...((values.jupyterhub as Values).ingress as Values), tls: [] };
    const plan = planAdoption('ovh2', values);
    expect(plan.ingress?.binderTls).toBeUndefined();
    expect(plan.notes).toContainEqual({ setting: 'ingress.https', outcome: 'not carried over: the chart acts on type kube-lego only, so type nginx made nothing' });
  });

  test('Traefik: ingressClassName, middlewares and a ClusterIssuer kept; a class only the binder Ingress names is noted on the hub\'s', () => {
    const plan = planAdoption('traefik', { ...guide(), ...readValuesLayers([fixture('layers/ingress-traefik.yaml')]) });
    expect(plan.ingress).toEqual({
      binderHost: 'binder.example.org', hubHost: 'hub.example.org', hubExtraHosts: ['jupyter.example.org'], ingressClassName: 'traefik',
      binderAnnotations: { 'traefik.ingress.kubernetes.io/router.middlewares': 'binder-ratelimit@kubernetescrd' },
      hubAnnotations: { 'traefik.ingress.kubernetes.io/router.middlewares': 'binder-ratelimit@kubernetescrd,binder-headers@kubernetescrd' },
      binderTls: { certManager: { clusterIssuer: 'letsencrypt-prod', secretName: 'binder-tls' } },
      hubTls: { certManager: { clusterIssuer: 'letsencrypt-prod', secretName: 'hub-tls' } },
    });
    expect(plan.notes).toContainEqual({ setting: 'jupyterhub.ingress.ingressClassName', outcome: 'unset, adopted as traefik: the ingress prop takes one class for both Ingresses' });
    expect(adoptedModuleText(plan, ['v.yaml'], 'deployments/x.ts')).toContain('hubExtraHosts: [\n      "jupyter.example.org"\n    ]');
  });
});

describe('the builder\'s and registry\'s other settings', () => {
  const dind = (extra: Values) => planAdoption('b', { ...readValuesLayers(guideFiles('dockerhub', os.tmpdir())), dind: { hostLibDir: '/var/lib/dind/b', hostSocketDir: '/var/run/dind/b', ...extra } });

  test('dind.resources become Builder.dind resources, written as the files had them; what it cannot take is listed', () => {
    const plan = dind({ resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: 2, memory: '4Gi', 'ephemeral-storage': '20Gi' } }, daemonset: { extraVolumes: [], lifecycle: {} } });
    expect(plan.builder.props.resources).toEqual({ cpu: { request: '500m', limit: 2 }, memory: { request: '1Gi', limit: '4Gi' } });
    expect(plan.notes).toEqual([
      { setting: 'dind.resources.limits.ephemeral-storage', outcome: 'not carried over: Builder.dind resources take CPU and memory; add it by hand if you need it' },
    ]);
    expect(adoptedModuleText(plan, ['v.yaml'], 'deployments/x.ts')).toContain('resources: containerResources({\n      "cpu": {\n        "request": "500m",\n        "limit": 2\n      },');
  });

  test('a socket name other than docker.sock, and daemonset settings Builder.dind has no place for, are listed', () => {
    const plan = dind({ hostSocketName: 'dockerd.sock', daemonset: { image: { pullPolicy: 'Always' } } });
    expect(plan.notes).toEqual([
      { setting: 'dind.hostSocketName', outcome: 'not carried over: our DinD\'s socket is docker.sock, the name BinderHub\'s config assumes anyway' },
      { setting: 'dind.daemonset.image.pullPolicy', outcome: 'not carried over: Builder.dind() has no such option; add it by hand if you need it' },
    ]);
  });

  test('config.BinderHub.registry_class is kept in chartValues and listed', () => {
    const values = readValuesLayers(guideFiles('custom', os.tmpdir()));
    ((values.config as Values).BinderHub as Values).registry_class = 'binderhub.registry.GoogleArtifactRegistry';
    const plan = planAdoption('c', values);
    expect(plan.chartValues).toEqual({ config: { BinderHub: { registry_class: 'binderhub.registry.GoogleArtifactRegistry' } } });
    expect(plan.notes).toContainEqual({
      setting: 'config.BinderHub.registry_class',
      outcome: 'kept in chartValues: no registry factory models BinderHub\'s binderhub.registry.GoogleArtifactRegistry; Registry.custom sets the registry login '
        + 'and config.DockerRegistry it reads, so check the two together',
    });
  });
});

describe('readValuesFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'values-file-'));
  /** A values file holding `text`. */
  const file = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };

  test('reads YAML 1.1 as helm does (yes is true)', () => {
    expect(readValuesFile(file('yes.yaml', 'config:\n  BinderHub:\n    use_registry: yes\n'))).toEqual({ config: { BinderHub: { use_registry: true } } });
  });

  test.each([
    ['empty', ''], ['only comments and blank lines', '# filled in later\n\n'], ['an empty document', '---\n'], ['null', 'null\n'],
  ])('a file that is %s holds no values, as helm reads it', (_, text) => {
    expect(readValuesFile(file('empty.yaml', text))).toEqual({});
  });

  test('empty documents around the map do not count as more documents', () => {
    expect(readValuesFile(file('markers.yaml', '---\n---\nconfig: {}\n---\n'))).toEqual({ config: {} });
  });

  test.each([
    ['missing', () => path.join(dir, 'missing.yaml'), 'values file {} does not exist; give the path of the guide\'s secret.yaml or config.yaml'],
    ['a folder', () => fs.mkdtempSync(path.join(dir, 'folder-')), '{} is a folder, not a regular file; give the path of the guide\'s secret.yaml or config.yaml'],
    ['a tab', () => file('tab.yaml', 'config:\n\tBinderHub: {}\n'), 'values file {} is not valid YAML (line 2); fix it (a tab, or a missing quote or colon?)'],
    ['two documents', () => file('two.yaml', 'config: {}\n---\njupyterhub: {}\n'),
      'values file {} holds 2 YAML documents (split by ---), which helm 4 merges and helm 3 reads only the first of; keep one map of values per file'],
    ['a list', () => file('list.yaml', '- config\n'), 'values file {} must hold a map of chart values (such as `config:` and `jupyterhub:`), not a list'],
    ['text', () => file('text.yaml', 'config\n'), 'values file {} must hold a map of chart values (such as `config:` and `jupyterhub:`), not a string'],
    ['helm get values without -o yaml', () => file('heading.yaml', 'USER-SUPPLIED VALUES:\nconfig: {}\n'),
      'values file {} starts with the heading `USER-SUPPLIED VALUES:` of `helm get values`; run it with -o yaml, which prints the values alone'],
    ['a manifest (its kind not quoted)', () => file('manifest.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {}\n'),
      'values file {} is a Kubernetes manifest (it has apiVersion and kind), not chart values; give the guide\'s secret.yaml or config.yaml, or what `helm get values <release> -o yaml` prints'],
    ['six keys of another chart, counted, never named (they may be secrets)', () => file('other.yaml', 'ad0b7e01: 1\nb: 1\nc: 1\nd: 1\ne: 1\nf: 1\n'),
      'values file {} has no setting of the binderhub chart among its 6 top-level keys; give the guide\'s secret.yaml or config.yaml, or what `helm get values <release> -o yaml` prints'],
    ['one key of another chart, counted, never named', () => file('one.yaml', 'adopt-fake-dockerhub-pw-7351: 1\n'),
      'values file {} has no setting of the binderhub chart among its 1 top-level key; give the guide\'s secret.yaml or config.yaml, or what `helm get values <release> -o yaml` prints'],
  ])('%s: one line naming the file', (_, make, message) => {
    const name = make();
    expect(() => readValuesFile(name)).toThrow(message.replace('{}', name));
  });
});

/** A writer of values.yaml in a new temporary folder: it writes the text it is given and returns the file's path. */
function valuesFileWriter(prefix: string): (text: string) => string {
  const name = path.join(fs.mkdtempSync(path.join(os.tmpdir(), prefix)), 'values.yaml');
  return text => {
    fs.writeFileSync(name, text);
    return name;
  };
}

describe('readValuesFile reads only what helm reads the same way', () => {
  const file = valuesFileWriter('values-helm-');
  const dir = path.dirname(file(''));
  /** The one-line refusal of reading `text` as a values file. */
  const refusal = (text: string) => {
    const name = file(text);
    try {
      readValuesFile(name);
    } catch (error) {
      expect((error as Error).name).toBe('ConfigError');
      return (error as Error).message.replace(name, '{}');
    }
    throw new Error('not refused');
  };

  test('a FIFO is refused as no regular file, without waiting for a writer', () => {
    const fifo = path.join(dir, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(() => readValuesFile(fifo)).toThrow(`${fifo} is a FIFO (named pipe), not a regular file; give the path of the guide's secret.yaml or config.yaml`);
  });

  test('/dev/zero is refused as no regular file, without reading forever', () => {
    expect(() => readValuesFile('/dev/zero')).toThrow('/dev/zero is a device, not a regular file; give the path of the guide\'s secret.yaml or config.yaml');
  });

  test('a file over 1 MiB is refused naming it and the limit', () => {
    expect(refusal(`config:\n  x: "${'x'.repeat(1024 * 1024)}"\n`)).toBe('{} is larger than 1 MiB, the most this file may hold; give the path of the guide\'s secret.yaml or config.yaml');
  });

  test('a date stays the text it is, as helm reads it (no Date)', () => {
    expect(readValuesFile(file('config:\n  since: 2024-01-01\n  at: 2001-12-14t21:59:43.10-05:00\n'))).toEqual({ config: { since: '2024-01-01', at: '2001-12-14t21:59:43.10-05:00' } });
  });

  test('!!binary is refused naming the setting and the line', () => {
    expect(refusal('config:\n  BinderHub:\n    banner: !!binary aGVsbG8=\n')).toBe(
      'values file {} line 3: setting config.BinderHub.banner is !!binary, which helm reads as text, not bytes; give the text it stands for');
  });

  test('other tags whose JavaScript value is no value of helm\'s (!!set, !!timestamp) are refused naming the line', () => {
    expect(refusal('config:\n  hosts: !!set {a, b}\n')).toBe('values file {} line 2: a YAML tag adopt does not read (such as !!timestamp or !!set); write the value without it');
    expect(refusal('config:\n\n  since: !!timestamp 2024-01-01\n')).toBe('values file {} line 3: a YAML tag adopt does not read (such as !!timestamp or !!set); write the value without it');
  });

  test('an integer beyond 2^53 - 1 (20 digits) is refused naming the setting and the line, never rounded', () => {
    expect(refusal('jupyterhub:\n  singleuser:\n    uid:\n      - 1000\n      - 12345678901234567890\n')).toBe(
      'values file {} line 5: setting jupyterhub.singleuser.uid[1] is an integer beyond 2^53 - 1, which helm (as this project) holds only approximately, as a float; quote it to keep it as text');
    expect(readValuesFile(file('config:\n  a: 9007199254740991\n  b: "12345678901234567890"\n'))).toEqual({ config: { a: 9007199254740991, b: '12345678901234567890' } });
  });

  test('a __proto__ key is refused naming it and the line (it would vanish from the module)', () => {
    expect(refusal('jupyterhub:\n  hub:\n    extraConfig:\n      __proto__: c.Spawner.x = 1\n')).toBe(
      'values file {} line 4: setting jupyterhub.hub.extraConfig.__proto__: a key named __proto__, which a JavaScript object cannot hold as a key; rename it');
  });

  test('an alias bomb is refused at once, in one line naming the alias\'s line, as Go YAML bounds alias expansion', () => {
    const levels = 'abcdefghi'.split('');
    const bomb = levels.map((name, i) => `${name}: &${name} [${Array(9).fill(i === 0 ? '"lol"' : `*${levels[i - 1]}`).join(', ')}]\n`).join('');
    const started = Date.now();
    expect(refusal(`config:\n${bomb.replace(/^/gm, '  ').trimEnd()}\n`)).toBe(
      'values file {} line 5: the alias at setting config.d[3] expands to more values than helm\'s YAML reader allows (it refuses the file: excessive aliasing); write the values out without it');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('aliases and merge keys within the bound are read, expanded, as helm reads them', () => {
    expect(readValuesFile(file('config:\n  a: &x {b: 1}\n  c: *x\n  d:\n    <<: *x\n    e: 2\n'))).toEqual({ config: { a: { b: 1 }, c: { b: 1 }, d: { b: 1, e: 2 } } });
  });

  test('an alias of an anchor it is inside of is refused naming the line (no TypeError)', () => {
    expect(refusal('config:\n  a: &a [*a]\n')).toBe('values file {} line 2: setting config.a[0] is an alias of no anchor before it (or of the anchor it is inside of); fix the alias');
  });
});

test.each([
  [1000, 990, false], [1001, 991, true], [1001, 100, false], [400_000, 396_000, false], [400_000, 396_001, true],
  [4_000_000, 400_000, false], [4_000_000, 400_001, true], [2_200_000, 1_198_000, false], [2_200_000, 1_200_000, true],
])('excessiveAliasing: %d nodes, %d of them from aliases: %s, as Go YAML decides', (decoded, aliased, refused) => {
  expect(excessiveAliasing(decoded, aliased)).toBe(refused);
});

describe('planAdoption: what else the values files can say', () => {
  /** Values that adopt as they are: the host builder pushing to no registry. */
  const HOST_ONLY: Values = { imageBuilderType: 'host', config: { BinderHub: { use_registry: false } } };
  const plan = (extra: Values) => planAdoption('x', { ...HOST_ONLY, ...extra });

  test.each([
    [{}, {}],
    [{ releaseName: 'x', namespace: 'x' }, {}],
    [{ releaseName: 'binder' }, { releaseName: 'binder', namespace: 'x' }],
    [{ namespace: 'binderhub' }, { namespace: 'binderhub' }],
    [{ releaseName: 'binder', namespace: 'binder' }, { releaseName: 'binder' }],
    [{ releaseName: 'binder', namespace: 'binderhub' }, { releaseName: 'binder', namespace: 'binderhub' }],
  ])('the release at %j: the plan names only what differs from the deployment\'s defaults (%j)', (location, expected) => {
    const { releaseName, namespace } = planAdoption('x', HOST_ONLY, location);
    expect({ releaseName, namespace }).toEqual(expected);
  });

  test.each([
    ['https://hub.example.org', { url: 'https://hub.example.org/', kind: 'fixed' }],
    ['https://203.0.113.5/', { url: 'https://203.0.113.5/', kind: 'discovered' }],
    ['http://hub.example.org/', { url: 'http://hub.example.org/', kind: 'discovered' }],
  ])('hub_url %s: only an https DNS name is a fixed hub URL; others are recorded as discovered', (hubUrl, expected) => {
    expect(plan({ config: { BinderHub: { use_registry: false, hub_url: hubUrl } } }).hubUrl).toEqual(expected);
  });

  test('an empty hub_url is no hub URL', () => {
    expect(plan({ config: { BinderHub: { use_registry: false, hub_url: '' } } }).hubUrl).toBeUndefined();
  });

  test('the 2019 hub.url is taken as the hub URL, noted', () => {
    const adopted = plan({ hub: { url: 'http://203.0.113.5' } });
    expect(adopted.hubUrl).toEqual({ url: 'http://203.0.113.5/', kind: 'discovered' });
    expect(adopted.notes).toEqual([{ setting: 'hub.url', outcome: 'a 2019 setting today\'s chart refuses; the hub URL below' }]);
  });

  test('older CryptKeeper keys and other CryptKeeper settings are noted as not carried over', () => {
    const keys = ['c1'.repeat(32), 'c2'.repeat(32), 'c3'.repeat(32)];
    const adopted = plan({ jupyterhub: { hub: { config: { CryptKeeper: { keys, n_threads: 2 } } } } });
    expect(adopted.tokens).toEqual({ cryptKeeperKey: 'c1'.repeat(32) });
    expect(adopted.notes).toEqual([
      { setting: 'jupyterhub.hub.config.CryptKeeper.keys', outcome: '2 older key(s) after the first not carried over: auth state encrypted with them becomes unreadable' },
      { setting: 'jupyterhub.hub.config.CryptKeeper.n_threads', outcome: 'not carried over: the tokens own CryptKeeper' },
    ]);
    expect(adopted.chartValues).toEqual({});
  });

  test.each([[[]], ['c1'.repeat(32)]])('CryptKeeper keys that are no list of keys (%j) are refused', keys => {
    expect(() => plan({ jupyterhub: { hub: { config: { CryptKeeper: { keys } } } } }))
      .toThrow('jupyterhub.hub.config.CryptKeeper.keys must be a list of keys in the values files');
  });

  test('a null token is no token: it is generated', () => {
    expect(plan({ jupyterhub: { proxy: { secretToken: null } } }).tokens).toEqual({});
  });

  test.each([
    [{ gitlab: { private_token: 'glpat-ADOPTFAKEone' } }, 'glpat-ADOPTFAKEone'],
    [{ gitlab: { privateToken: 'glpat-ADOPTFAKEtwo' } }, 'glpat-ADOPTFAKEtwo'],
  ])('the 2019 top-level gitlab token becomes gitlabPrivateToken, noted', (values, token) => {
    const adopted = plan(values);
    expect(adopted.credentials).toEqual({ gitlabPrivateToken: token });
    expect(adopted.notes).toEqual([{ setting: 'gitlab', outcome: 'a 2019 setting; its token is now gitlabPrivateToken, from the secrets file' }]);
  });

  test('other 2019 github settings are listed as having no equivalent; with no token, no credential', () => {
    const adopted = plan({ github: { clientId: 'abc' } });
    expect(adopted.credentials).toEqual({});
    expect(adopted.notes).toEqual([{ setting: 'github.clientId', outcome: 'a 2019 setting with no equivalent: not carried over' }]);
  });

  test('2019 settings and settings the props own are taken out of chartValues, each noted with what replaced it', () => {
    const adopted = plan({ perRepoQuota: 10, podAnnotations: { 'checksum/hub-url': 'abc', team: 'binder' } });
    expect(adopted.notes).toEqual([
      { setting: 'perRepoQuota', outcome: 'a 2019 setting today\'s chart refuses: use config.BinderHub.per_repo_quota' },
      { setting: 'podAnnotations.checksum/hub-url', outcome: 'set by the hubUrl prop (or npm run patch-hub-url)' },
    ]);
    expect(adopted.chartValues).toEqual({ podAnnotations: { team: 'binder' } });
  });

  test('a leaf named like a secret is taken out only when it holds a string; privateKey and apiKey count, whatever their case', () => {
    const env = { GITHUB_TOKEN_TTL: 3600, SSH_PRIVATEKEY: 'adopt-fake-ssh-key-1', MAPS_APIKEY: 'adopt-fake-api-key-2' };
    const adopted = plan({ jupyterhub: { singleuser: { extraEnv: env } } });
    expect(adopted.chartValues).toEqual({ jupyterhub: { singleuser: { extraEnv: { GITHUB_TOKEN_TTL: 3600 } } } });
    expect(adopted.notes.map(note => note.setting)).toEqual(['jupyterhub.singleuser.extraEnv.SSH_PRIVATEKEY', 'jupyterhub.singleuser.extraEnv.MAPS_APIKEY']);
  });

  test('a live token equal to the files\' is no difference', () => {
    const files = plan({ jupyterhub: { proxy: { secretToken: 'ab'.repeat(32) } } });
    expect(withClusterTokens(files, { proxySecretToken: 'ab'.repeat(32) }).plan.notes).toEqual([]);
  });
});

describe('readValuesFile: what counts as the binderhub chart\'s values', () => {
  const file = valuesFileWriter('values-shape-');
  const dir = path.dirname(file(''));

  test.each([
    'pdb', 'replicas', 'resources', 'rbac', 'nodeSelector', 'tolerations', 'image', 'registry', 'service', 'config', 'extraConfig', 'extraFiles',
    'extraPodSpec', 'jupyterhub', 'deployment', 'imageBuilderType', 'dind', 'pink', 'imageCleaner', 'httpRoute', 'ingress', 'initContainers',
    'lifecycle', 'extraVolumes', 'extraVolumeMounts', 'extraEnv', 'podAnnotations', 'global', 'hpa', 'networkPolicy', 'cors',
    'github', 'gitlab', 'hub', 'build', 'perRepoQuota',
  ])('a file whose one key is the chart\'s (or the 2019 chart\'s) %s is read', key => {
    expect(readValuesFile(file(`${key}: {}\n`))).toEqual({ [key]: {} });
  });

  test('a key of no chart beside the chart\'s settings still makes a file of chart values (helm\'s schema check names the key later)', () => {
    expect(readValuesFile(file('config: {}\nreplica: 2\n'))).toEqual({ config: {}, replica: 2 });
  });

  test('an empty map is no values', () => {
    expect(readValuesFile(file('{}\n'))).toEqual({});
  });

  test.each(['kind: Deployment\n', 'apiVersion: v1\n'])('a map with only half of a manifest\'s apiVersion and kind (%j) is no manifest: it has no setting of the chart', text => {
    expect(() => readValuesFile(file(text))).toThrow(`values file ${path.join(dir, 'values.yaml')} has no setting of the binderhub chart among its 1 top-level key; `);
  });

  test('the values of a chart that depends on binderhub are refused with where the map is', () => {
    expect(() => readValuesFile(file('binderhub:\n  config: {}\n'))).toThrow(`values file ${path.join(dir, 'values.yaml')} holds the binderhub chart's values under \`binderhub:\`, `
      + 'as the values of a chart that depends on it (such as mybinder.org-deploy\'s) do; put the map under it in a file of its own and adopt that');
  });
});

test('leafPaths: every path to a scalar, a list or an empty map', () => {
  expect(leafPaths({ a: { b: 1, c: {} }, d: [], e: { f: { g: null } } })).toEqual(['a.b', 'a.c', 'd', 'e.f.g']);
});

describe('the props of an adopted deployment, as its module gives them', () => {
  /** Values that adopt as they are, with a fixed hub URL. */
  const FIXED_HUB: Values = { imageBuilderType: 'host', config: { BinderHub: { use_registry: false, hub_url: 'https://hub.example.org' } } };
  const tokens = BinderHubTokens.generate();

  test('no chart values left: no chartValues, and the module writes none', () => {
    const plan = planAdoption('x', FIXED_HUB);
    expect(adoptedProps(plan, { tokens, credentials: {} }).chartValues).toBeUndefined();
    expect(adoptedModuleText(plan, ['v.yaml'], 'deployments/x.ts')).not.toContain('chartValues');
  });

  test('chart values left: both carry them', () => {
    const plan = planAdoption('x', { ...FIXED_HUB, replicas: 2 });
    expect(adoptedProps(plan, { tokens, credentials: {} }).chartValues).toEqual({ replicas: 2 });
    expect(adoptedModuleText(plan, ['v.yaml'], 'deployments/x.ts')).toContain('    chartValues: {\n      "replicas": 2\n    },\n');
  });

  test('a fixed hub URL is the hubUrl prop; every setting carried over is said so', () => {
    const plan = planAdoption('x', FIXED_HUB);
    const text = adoptedModuleText(plan, ['v.yaml'], 'deployments/x.ts');
    expect(text).toContain('    hubUrl: "https://hub.example.org/",\n');
    expect(text).toContain(' * Every setting was carried over.\n');
    expect(text).not.toContain('githubAccessToken');
    expect(text).not.toContain('gitlabPrivateToken');
  });
});

describe('the modules adopt writes, and only those, are known as adopt\'s', () => {
  const HOST_ONLY: Values = { imageBuilderType: 'host', config: { BinderHub: { use_registry: false } } };

  test('a module adoptedModuleText wrote is adopt\'s; the project\'s sources and a module edited above its header are not', () => {
    const text = adoptedModuleText(planAdoption('mine', HOST_ONLY), ['v.yaml'], 'deployments/mine.ts');
    expect(isAdoptedModuleText(text)).toBe(true);
    for (const source of ['main.ts', 'lib/index.ts', 'bin/synth.ts']) {
      expect(isAdoptedModuleText(fs.readFileSync(path.join(__dirname, '..', source), 'utf8'))).toBe(false);
    }
    expect(isAdoptedModuleText(`// edited\n${text}`)).toBe(false);
  });

  test.each([
    ['binder-prod', 'deployments/binder-prod.ts', '`import * as binderProd from \'./deployments/binder-prod\';` at the top of main.ts, and `binderProd.defineDeployment(app);`'],
    ['2nd', 'deployments/2nd.ts', '`import * as deployment2nd from \'./deployments/2nd\';` at the top of main.ts, and `deployment2nd.defineDeployment(app);`'],
    ['new', 'site/new.ts', '`import * as deploymentNew from \'./site/new\';` at the top of main.ts, and `deploymentNew.defineDeployment(app);`'],
    ['app', 'deployments/app.ts', '`import * as deploymentApp from \'./deployments/app\';` at the top of main.ts, and `deploymentApp.defineDeployment(app);`'],
  ])('main.ts imports deployment %s at %s under a name it can bind', (name, modulePath, lines) => {
    expect(mainTsLines(name, modulePath)).toBe(`${lines} inside its BinderHubApp`);
  });

  test('a module over 1 MiB is refused naming its size: the chart keeps the values in Secrets of 1 MiB at most', () => {
    const plan = planAdoption('huge', { ...HOST_ONLY, jupyterhub: { hub: { extraConfig: { big: 'x'.repeat(1024 * 1024) } } } });
    expect(() => adoptedModuleText(plan, ['v.yaml'], 'deployments/x.ts')).toThrow(/^the module of deployment huge would be \d+ bytes, more than 1 MiB: the chart keeps its values in Secrets, which hold no more; check the values files for a section repeated many times$/);
  });
});
