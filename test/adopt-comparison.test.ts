import { compareAdoption, ComparisonContext, formatAdoptionComparison, ManifestObject } from '../lib/internal';

const b64 = (text: string) => Buffer.from(text).toString('base64');
/** Fake secret values: none may reach the formatted comparison. */
const SECRETS = ['helm-cookie-0815', 'our-cookie-4711', 'helm-build-token-77', 'our-build-token-99'];

const CONTEXT: ComparisonContext = {
  release: 'x', namespace: 'x', builder: 'dind', registry: 'dockerHub', ingress: false, generatedTokens: ['cookieSecret', 'buildTokenSecret'],
};

const binder = (annotation: string, env: object[], image = 'quay.io/jupyterhub/k8s-binderhub:1.0') => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'binder', namespace: 'x', labels: { app: 'binder' } },
  spec: {
    strategy: { type: 'RollingUpdate' },
    template: { metadata: { annotations: { 'checksum/config': annotation } }, spec: { containers: [{ name: 'binder', image, env }] } },
  },
});
const cleaner = (builder: string, image: string) => ({
  apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x-image-cleaner', namespace: 'x' },
  spec: { template: { spec: { containers: [{ name: `image-cleaner-${builder}`, image }] } } },
});

/** helm's render: namespaces left out, a null field, hooks, and Secrets as the charts write them. */
const HELM = [
  { ...binder('a', []), metadata: { name: 'binder', labels: { app: 'binder' } }, spec: { ...binder('a', []).spec, strategy: { type: 'RollingUpdate', rollingUpdate: null } } },
  { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'hook-image-awaiter', annotations: { 'helm.sh/hook': 'pre-install' } }, spec: {} },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kept-hook', annotations: { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '1' } } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'fast' } },
  cleaner('dind', 'quay.io/jupyterhub/docker-image-cleaner:1.0.0-beta.3'),
  {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hub' },
    data: { 'hub.config.JupyterHub.cookie_secret': b64(SECRETS[0]), 'values.yaml': b64(`hub:\n  cookieSecret: null\nproxy:\n  secretToken: same\n`) },
  },
  {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'binder-secret' },
    stringData: { 'values.yaml': `config:\n  BinderHub:\n    hub_url: http://203.0.113.5\n    build_token_secret: ${SECRETS[2]}\nimageBuilderType: dind\n` },
  },
] as ManifestObject[];

/** Our synth: the same objects with what we do on purpose, and two differences that are not. */
const OURS: ManifestObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'binder-hub-url', namespace: 'x' }, data: { hub_url: 'http://203.0.113.5/' } },
  {
    ...binder('b', [{ name: 'BINDERHUB_CDK8S_HUB_URL', valueFrom: { configMapKeyRef: { name: 'binder-hub-url', key: 'hub_url' } } }]),
    metadata: { name: 'binder', namespace: 'x', labels: { app: 'binder', 'binderhub-cdk8s.io/deployment': 'x' } },
  },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kept-hook', namespace: 'x' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'x' }, data: { mode: 'slow' } },
  cleaner('host', 'quay.io/jupyterhub/docker-image-cleaner:1.0.0-beta.4'),
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'surprise', namespace: 'x' } },
];
const OUR_SECRETS: ManifestObject[] = [
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'binder-image-pull-secret', namespace: 'x' }, data: { '.dockerconfigjson': b64('{}') } },
  {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hub', namespace: 'x' },
    data: {
      'hub.config.JupyterHub.cookie_secret': b64(SECRETS[1]),
      'values.yaml': b64(`hub:\n  cookieSecret: ${SECRETS[1]}\nproxy:\n  secretToken: same\nsingleuser:\n  image:\n    pullSecrets: [binder-image-pull-secret]\n`),
    },
  },
  {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'binder-secret', namespace: 'x' },
    stringData: {
      'values.yaml': `config:\n  BinderHub:\n    build_token_secret: ${SECRETS[3]}\n  KubernetesBuildExecutor:\n    docker_host: unix:///var/run/dind/x/docker.sock\n`
        + 'extraConfig:\n  binderhub-cdk8s-hub-url: "import os"\nimageBuilderType: host\n',
    },
  },
];

const comparison = compareAdoption(HELM, { objects: OURS, secrets: OUR_SECRETS }, CONTEXT);

test('the differences on purpose are grouped by reason, with no value', () => {
  expect(comparison.onPurpose.map(group => [group.reason.split(':')[0], group.differences.map(d => `${d.type} ${d.id} ${
    d.type === 'field' ? d.field.path : d.type === 'setting' ? `${d.setting.key} ${d.setting.path} ${d.setting.change}` : ''}`.trim())])).toEqual([
    ['the label binderhub-cdk8s.io/deployment=x on every object', ['field Deployment/x/binder metadata.labels["binderhub-cdk8s.io/deployment"]']],
    ['helm hooks', ['field ServiceAccount/x/kept-hook metadata.annotations', 'removed Job/x/hook-image-awaiter']],
    ['the file creates its namespace first (createNamespace), so one kubectl apply works on a fresh cluster', ['added Namespace/x']],
    ['the hub URL lives in ConfigMap binder-hub-url, which the binder pod reads and npm run patch-hub-url fills (docs/hub-url.md)', [
      'added ConfigMap/x/binder-hub-url',
      // helm's list is empty, so the item is found by position: the rule reads its name.
      'field Deployment/x/binder spec.template.spec.containers[name=binder].env[0]',
      'setting Secret/x/binder-secret values.yaml config.BinderHub.hub_url removed',
      'setting Secret/x/binder-secret values.yaml extraConfig.binderhub-cdk8s-hub-url added',
    ]],
    ['user pods pull the built images with Secret binder-image-pull-secret (Registry.dockerHub\'s pullSecret)', [
      'added Secret/x/binder-image-pull-secret', 'setting Secret/x/hub values.yaml singleuser.image.pullSecrets added',
    ]],
    ['our DinD DaemonSet x-dind (Builder.dind) replaces the chart\'s', [
      'field DaemonSet/x/x-image-cleaner spec.template.spec.containers[name=image-cleaner-dind]',
      'field DaemonSet/x/x-image-cleaner spec.template.spec.containers[name=image-cleaner-host]',
      'setting Secret/x/binder-secret values.yaml config.KubernetesBuildExecutor.docker_host added',
      'setting Secret/x/binder-secret values.yaml imageBuilderType changed',
    ]],
  ]);
});

test('the tokens adopt generated are told apart, and the rest is to review: values for plain objects, images even inside a renamed container', () => {
  expect(comparison.newTokens.map(d => d.type === 'key' ? `key ${d.key.key}` : d.type === 'setting' ? `${d.id} ${d.setting.path}` : d.type)).toEqual([
    'key hub.config.JupyterHub.cookie_secret', 'Secret/x/hub hub.cookieSecret', 'Secret/x/binder-secret config.BinderHub.build_token_secret',
  ]);
  expect(comparison.review).toEqual([
    { id: 'ConfigMap/x/settings', type: 'field', field: { path: 'data.mode', before: 'fast', after: 'slow' } },
    { id: 'Service/x/surprise', type: 'added', object: OURS[6] },
    { id: 'DaemonSet/x/x-image-cleaner', type: 'images', before: ['quay.io/jupyterhub/docker-image-cleaner:1.0.0-beta.3'],
      after: ['quay.io/jupyterhub/docker-image-cleaner:1.0.0-beta.4'] },
  ]);
  expect(comparison.separateSecrets).toEqual(['Secret/x/binder-image-pull-secret', 'Secret/x/hub', 'Secret/x/binder-secret']);
  expect(comparison.restarts).toEqual([{ workload: 'Deployment/x/binder', annotations: ['checksum/config'] }]);
  expect(comparison.replaceFirst).toEqual([]);
});

test('a workload whose selector differs is to be deleted before the first apply: Kubernetes never changes a selector in place', () => {
  const dind = (selector: Record<string, string>): ManifestObject => ({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x-dind', namespace: 'x' },
    spec: { selector: { matchLabels: selector }, template: { spec: { containers: [{ name: 'dind', image: 'docker:28-dind' }] } } },
  });
  const result = compareAdoption([dind({ name: 'x-dind' })], { objects: [dind({ name: 'x-dind', 'cdk8s.io/metadata.addr': 'x-dind-c8' })], secrets: [] }, CONTEXT);
  expect(result.replaceFirst).toEqual(['DaemonSet/x/x-dind']);
  expect(formatAdoptionComparison(result, 'dist-secrets/x-secrets.k8s.yaml')).toContain('delete before the first apply: DaemonSet/x/x-dind: its selector '
    + 'differs, which Kubernetes never changes in place (kubectl apply would fail on it); the apply creates it anew');
});

test('a null field of helm\'s and the namespace an install gives are no difference', () => {
  const all = [...comparison.onPurpose.flatMap(g => g.differences), ...comparison.newTokens, ...comparison.review];
  expect(all.filter(d => d.type === 'field' && d.field.path.startsWith('spec.strategy'))).toEqual([]);
  expect(all.filter(d => d.id.startsWith('Deployment/') && d.id !== 'Deployment/x/binder')).toEqual([]);
});

test('an image changed in a container of the same name is to review, even in our DinD DaemonSet', () => {
  const dind = (image: string): ManifestObject => ({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x-dind', namespace: 'x' }, spec: { template: { spec: { containers: [{ name: 'dind', image, args: [image] }] } } },
  });
  const result = compareAdoption([dind('docker:27-dind')], { objects: [dind('docker:28-dind')], secrets: [] }, CONTEXT);
  expect(result.onPurpose.map(g => g.differences.map(d => d.type === 'field' && d.field.path))).toEqual([['spec.template.spec.containers[name=dind].args[0]']]);
  expect(result.review).toEqual([{ id: 'DaemonSet/x/x-dind', type: 'field', field: { path: 'spec.template.spec.containers[name=dind].image', before: 'docker:27-dind', after: 'docker:28-dind' } }]);
});

test('resources of our DinD: the same quantity written another way is on purpose, another quantity is to review', () => {
  const dind = (memory: string, cpu: string | number): ManifestObject => ({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x-dind', namespace: 'x' },
    spec: { template: { spec: { containers: [{ name: 'dind', image: 'docker:28-dind', resources: { limits: { memory, cpu } } }] } } },
  });
  const result = compareAdoption([dind('1Gi', 2)], { objects: [dind('1024Mi', '3')], secrets: [] }, CONTEXT);
  expect(result.onPurpose.map(g => g.differences.map(d => d.type === 'field' && d.field.path))).toEqual([['spec.template.spec.containers[name=dind].resources.limits.memory']]);
  expect(result.review).toEqual([{ id: 'DaemonSet/x/x-dind', type: 'field', field: { path: 'spec.template.spec.containers[name=dind].resources.limits.cpu', before: 2, after: '3' } }]);
});

test('the formatted comparison counts what it groups and shows no Secret value', () => {
  const lines = formatAdoptionComparison(comparison, 'dist-secrets/x-secrets.k8s.yaml');
  for (const secret of SECRETS) {
    expect(lines.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).not.toContain(b64(secret));
  }
  expect(lines.filter(line => !line.startsWith('on purpose: '))).toEqual([
    '  changed: Deployment/x/binder: metadata.labels["binderhub-cdk8s.io/deployment"]',
    '  changed: ServiceAccount/x/kept-hook: metadata.annotations',
    '  helm\'s alone: Job/x/hook-image-awaiter',
    '  ours alone: Namespace/x',
    '  ours alone: ConfigMap/x/binder-hub-url',
    '  changed: Deployment/x/binder: spec.template.spec.containers[name=binder].env[0]',
    '  changed: Secret/x/binder-secret: key values.yaml settings config.BinderHub.hub_url removed, extraConfig.binderhub-cdk8s-hub-url added',
    '  ours alone: Secret/x/binder-image-pull-secret',
    '  changed: Secret/x/hub: key values.yaml settings singleuser.image.pullSecrets added',
    '  changed: DaemonSet/x/x-image-cleaner: spec.template.spec.containers[name=image-cleaner-dind], spec.template.spec.containers[name=image-cleaner-host]',
    '  changed: Secret/x/binder-secret: key values.yaml settings config.KubernetesBuildExecutor.docker_host added, imageBuilderType changed',
    '  Secret/x/binder-image-pull-secret, Secret/x/hub, Secret/x/binder-secret',
    lines.find(line => line.startsWith('new tokens: ')),
    '  changed: Secret/x/hub: key hub.config.JupyterHub.cookie_secret changed, key values.yaml settings hub.cookieSecret added',
    '  changed: Secret/x/binder-secret: key values.yaml settings config.BinderHub.build_token_secret changed',
    'to review: not on purpose',
    '  changed: ConfigMap/x/settings',
    '    data.mode: "fast" → "slow"',
    '  ours alone: Service/x/surprise',
    '  changed: DaemonSet/x/x-image-cleaner images: quay.io/jupyterhub/docker-image-cleaner:1.0.0-beta.3 → quay.io/jupyterhub/docker-image-cleaner:1.0.0-beta.4',
    'restarts on the first apply: Deployment/x/binder (checksum/config differ)',
    '14 difference(s) on purpose, 3 new token(s), 3 to review; 1 workload(s) restart',
  ]);
});

test('objects that share one difference on purpose are counted from five on', () => {
  const object = (name: string, labels: Record<string, string>): ManifestObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'x', labels } });
  const names = ['a', 'b', 'c', 'd', 'e'];
  const result = compareAdoption(names.map(n => object(n, { app: 'binder' })),
    { objects: names.map(n => object(n, { app: 'binder', 'binderhub-cdk8s.io/deployment': 'x' })), secrets: [] }, CONTEXT);
  expect(formatAdoptionComparison(result, 'dist-secrets/x-secrets.k8s.yaml').slice(0, 2)).toEqual([
    'on purpose: the label binderhub-cdk8s.io/deployment=x on every object: kubectl apply --prune selects the deployment\'s objects by it',
    '  changed: metadata.labels["binderhub-cdk8s.io/deployment"], on 5 objects (--all names them)',
  ]);
});

test('with all (--all), every object sharing a difference is named and no list of paths is cut short', () => {
  const daemonSet = (name: string, env: Record<string, string>): ManifestObject => ({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'x' },
    spec: { template: { spec: { containers: [{ name: 'dind', image: 'docker:28-dind', env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })) }] } } },
  });
  const env = (value: string) => Object.fromEntries(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'].map(k => [k, value]));
  const result = compareAdoption([daemonSet('x-dind', env('1'))], { objects: [daemonSet('x-dind', env('2'))], secrets: [] }, CONTEXT);
  const paths = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'].map(k => `spec.template.spec.containers[name=dind].env[name=${k}].value`);
  expect(formatAdoptionComparison(result, 'dist-secrets/x-secrets.k8s.yaml')[1]).toBe(`  changed: DaemonSet/x/x-dind: ${paths.slice(0, 6).join(', ')} and 2 more (--all lists them)`);
  expect(formatAdoptionComparison(result, 'dist-secrets/x-secrets.k8s.yaml', true)[1]).toBe(`  changed: DaemonSet/x/x-dind: ${paths.join(', ')}`);

  const object = (name: string, labels: Record<string, string>): ManifestObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'x', labels } });
  const names = ['a', 'b', 'c', 'd', 'e'];
  const labelled = compareAdoption(names.map(n => object(n, {})), { objects: names.map(n => object(n, { 'binderhub-cdk8s.io/deployment': 'x' })), secrets: [] }, CONTEXT);
  expect(formatAdoptionComparison(labelled, 'dist-secrets/x-secrets.k8s.yaml', true).slice(1, 6)).toEqual(names.map(n => `  changed: ConfigMap/x/${n}: metadata.labels["binderhub-cdk8s.io/deployment"]`));
});

test('the new tokens\' heading names the tokens adopt generated and the cost of those alone: a cookieSecret read from the live release is never said to be new', () => {
  const heading = (generatedTokens: ComparisonContext['generatedTokens']) => formatAdoptionComparison(
    compareAdoption(HELM, { objects: OURS, secrets: OUR_SECRETS }, { ...CONTEXT, generatedTokens }), 'dist-secrets/x-secrets.k8s.yaml',
  ).find(line => line.startsWith('new tokens: '));
  const start = 'new tokens: the values files lack them, so helm\'s render shows tokens of its own (a live release keeps the ones its install made, '
    + 'and BinderHub makes a build token secret at each start); adopt generated ';
  expect(heading(['buildTokenSecret'])).toBe(`${start}buildTokenSecret`);
  expect(heading(['cookieSecret', 'cryptKeeperKey', 'buildTokenSecret'])).toBe(`${start}cookieSecret, cryptKeeperKey, buildTokenSecret: a new cookieSecret `
    + 'signs users out once, a new CryptKeeper key makes stored auth state unreadable (--from-cluster reads the live ones)');
});

test('with auth and the ingress prop, the binder pod\'s JUPYTERHUB_API_URL follows hub_url_local on purpose; without the prop it is to review', () => {
  const apiUrl = (url: string) => binder('a', [{ name: 'JUPYTERHUB_API_URL', value: `${url}/hub/api/` }]);
  const helm = [{ ...apiUrl('https://hub.example.org'), metadata: { name: 'binder', namespace: 'x', labels: { app: 'binder' } } }] as ManifestObject[];
  const ours = { objects: [apiUrl('http://proxy-public')] as ManifestObject[], secrets: [] };
  const path = 'spec.template.spec.containers[name=binder].env[name=JUPYTERHUB_API_URL].value';
  const withIngress = compareAdoption(helm, ours, { ...CONTEXT, ingress: true });
  expect(withIngress.review).toEqual([]);
  expect(withIngress.onPurpose.map(g => g.reason)).toEqual(['the ingress prop points BinderHub at its hub inside the cluster (config.BinderHub.hub_url_local)']);
  expect(compareAdoption(helm, ours, CONTEXT).review.map(d => d.type === 'field' && d.field.path)).toEqual([path]);
});

test('with the auth prop, the user role\'s narrowed scope and the culler\'s removal of named servers are on purpose; without it they are to review', () => {
  const hubSecret = (values: string): ManifestObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hub', namespace: 'x' }, data: { 'values.yaml': b64(values) } });
  const helm = [hubSecret('hub:\n  loadRoles:\n    user:\n      scopes: [self, "access:services"]\ncull:\n  users: false\n')];
  const ours = { objects: [], secrets: [hubSecret('hub:\n  loadRoles:\n    user:\n      scopes: [self, "access:services!service=binder"]\ncull:\n  users: false\n  removeNamedServers: true\n')] };
  const withAuth = compareAdoption(helm, ours, { ...CONTEXT, auth: { namedServers: true } });
  expect(withAuth.review).toEqual([]);
  expect(withAuth.onPurpose.map(g => g.reason)).toEqual([
    'the auth prop grants the user role access:services!service=binder: logged-in users reach BinderHub\'s service only, not every service',
    'with named servers the auth prop has the culler remove idle ones (--remove-named-servers): each launch is a server of its own',
  ]);
  const paths = (context: ComparisonContext) => compareAdoption(helm, ours, context).review.map(d => d.type === 'setting' && d.setting.path);
  expect(paths({ ...CONTEXT, auth: { namedServers: false } })).toEqual(['cull.removeNamedServers']);
  expect(paths(CONTEXT)).toEqual(['hub.loadRoles.user.scopes[1]', 'cull.removeNamedServers']);
});

test('an env variable\'s value turned into a reference to Secret x-extra-env is on purpose for the variables adopt moved, and to review for any other', () => {
  const env = (entry: object) => binder('a', [entry]);
  const helm = [{ ...env({ name: 'DB_PASSWORD', value: 'plain' }), metadata: { name: 'binder', namespace: 'x', labels: { app: 'binder' } } }] as ManifestObject[];
  const ours = { objects: [env({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'x-extra-env', key: 'extraEnv.DB_PASSWORD' } } })] as ManifestObject[], secrets: [] };
  expect(compareAdoption(helm, ours, { ...CONTEXT, secretEnv: { extraEnv: ['DB_PASSWORD'] } }).review).toEqual([]);
  expect(compareAdoption(helm, ours, { ...CONTEXT, secretEnv: { extraEnv: ['OTHER'] } }).review.map(d => d.type === 'field' && d.field.path)).toEqual([
    'spec.template.spec.containers[name=binder].env[name=DB_PASSWORD].value', 'spec.template.spec.containers[name=binder].env[name=DB_PASSWORD].valueFrom',
  ]);
});
