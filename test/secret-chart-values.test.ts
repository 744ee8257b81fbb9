/**
 * Chart values that are secret (a database URL with its password, an OAuth client secret): kept in the deployment's
 * secrets file ("chartValues"), given to BinderHub as `secretChartValues`, and allowed only where the chart puts
 * them into Secret objects, which the secrets mode keeps out of dist/.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Testing } from 'cdk8s';
import { BinderHub, ChartSource, ConfigError, SecretsMode, SecretStore, secretValueOutsideSecrets, splitSecretEnv, Values } from '../lib/internal';
import { configErrorMessage, fakeTokens, find, TEST_REGISTRY } from './helpers';
import { describeWithRealChart } from './real-chart';

const PASSWORD = 'db-pass-7f3a9c';
const DB_URL = `postgresql://hub:${PASSWORD}@db.example.org/hub`;

describe('secretValueOutsideSecrets', () => {
  const deployment = (env: string) => ({ kind: 'Deployment', metadata: { name: 'hub' }, spec: { env: [{ name: 'X', value: env }] } });

  test('names the setting and the first object other than a Secret that holds its text, however escaped', () => {
    const quoted = 'a "quoted"\nsecret';
    expect(secretValueOutsideSecrets([{ kind: 'Secret', metadata: { name: 'hub' }, data: { v: PASSWORD } } as any, deployment(`x ${quoted} y`)],
      { hub: { extraEnv: { X: quoted } } })).toEqual(['hub.extraEnv.X', 'Deployment/hub']);
    expect(secretValueOutsideSecrets([deployment(PASSWORD)], { hub: { list: ['other-text', PASSWORD] } })).toEqual(['hub.list', 'Deployment/hub']);
    expect(secretValueOutsideSecrets([deployment(PASSWORD)], { hub: { annotations: { 'example.org/key': PASSWORD } } }))
      .toEqual(['hub.annotations.example.org/key', 'Deployment/hub']);
  });

  test('nothing when the texts are only in Secrets, or too short to tell from any other text', () => {
    expect(secretValueOutsideSecrets([{ kind: 'Secret', metadata: { name: 's' }, stringData: { url: DB_URL } } as any], { db: { url: DB_URL } })).toBeUndefined();
    expect(secretValueOutsideSecrets([deployment('on')], { flag: 'on', port: 5432 })).toBeUndefined();
  });
});

describe('splitSecretEnv', () => {
  const ref = (key: string) => ({ valueFrom: { secretKeyRef: { name: 'hub-extra-env', key } } });

  test('env texts of either form go into the Secret\'s data; chartValues get references, after their own entries, in their own form', () => {
    const split = splitSecretEnv(
      { extraEnv: [{ name: 'PLAIN', value: 'x' }], jupyterhub: { hub: { extraEnv: { LOG: 'debug' }, db: { type: 'postgres' } } } },
      {
        extraEnv: [{ name: 'API_KEY', value: PASSWORD }, { name: 'FROM', valueFrom: { secretKeyRef: { name: 'mine', key: 'k' } } }],
        jupyterhub: { hub: { extraEnv: { DB_PASSWORD: PASSWORD }, db: { url: DB_URL } }, proxy: { chp: { extraEnv: { TOKEN: PASSWORD } } } },
      }, 'hub-extra-env');
    expect(split.data).toEqual({ 'extraEnv.API_KEY': PASSWORD, 'jupyterhub.hub.extraEnv.DB_PASSWORD': PASSWORD, 'jupyterhub.proxy.chp.extraEnv.TOKEN': PASSWORD });
    expect(split.chartValues).toEqual({
      extraEnv: [{ name: 'PLAIN', value: 'x' }, { name: 'API_KEY', ...ref('extraEnv.API_KEY') }, { name: 'FROM', valueFrom: { secretKeyRef: { name: 'mine', key: 'k' } } }],
      jupyterhub: {
        hub: { extraEnv: { LOG: 'debug', DB_PASSWORD: ref('jupyterhub.hub.extraEnv.DB_PASSWORD') }, db: { type: 'postgres' } },
        proxy: { chp: { extraEnv: [{ name: 'TOKEN', ...ref('jupyterhub.proxy.chp.extraEnv.TOKEN') }] } },
      },
    });
    expect(split.secretChartValues).toEqual({ jupyterhub: { hub: { db: { url: DB_URL } } } });
  });

  test('a variable both set is refused naming it, never its value; without env entries nothing changes', () => {
    expect(() => splitSecretEnv({ imageCleaner: { extraEnv: { K: 'a' } } }, { imageCleaner: { extraEnv: [{ name: 'K', value: PASSWORD }] } }, 's'))
      .toThrow(new ConfigError('chartValues.imageCleaner.extraEnv also sets K, which secretChartValues (the secrets file\'s "chartValues") sets; keep it in one of them'));
    expect(splitSecretEnv({ a: 1 }, { b: { url: DB_URL } }, 's')).toEqual({ chartValues: { a: 1 }, secretChartValues: { b: { url: DB_URL } }, data: {} });
  });
});

describe('the secrets file\'s "chartValues"', () => {
  const store = () => new SecretStore(fs.mkdtempSync(path.join(os.tmpdir(), 'secret-values-')));
  const withChartValues = (s: SecretStore, chartValues: unknown) => {
    s.init('hub', false, ['registryPassword']);
    const file = s.fileFor('hub');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), chartValues }), { mode: 0o600 });
    return file;
  };

  test('are loaded, and kept when the tokens are rotated, all or some', () => {
    const s = store();
    const chartValues = { jupyterhub: { hub: { db: { url: DB_URL } } } };
    withChartValues(s, chartValues);
    expect(s.load('hub').chartValues).toEqual(chartValues);
    s.rotate('hub', ['cookieSecret']);
    expect(s.load('hub').chartValues).toEqual(chartValues);
    expect(s.init('hub', true)).toBe('rotated');
    expect(s.load('hub').chartValues).toEqual(chartValues);
  });

  test('a file without them gives none, and a file is written without the key until it has some', () => {
    const s = store();
    s.init('plain');
    expect(s.load('plain').chartValues).toEqual({});
    expect(Object.keys(JSON.parse(fs.readFileSync(s.fileFor('plain'), 'utf8')))).toEqual(['tokens', 'credentials']);
  });

  test('anything but an object is refused in one line that quotes nothing', () => {
    const s = store();
    const file = withChartValues(s, [PASSWORD]);
    const message = configErrorMessage(() => s.load('hub'));
    expect(message).toBe(`${file}: "chartValues" must be an object of chart settings, such as {"jupyterhub": {"hub": {"db": {"url": "..."}}}}`);
  });

  test('a misspelled top-level key is named by what it is most likely meant to be, not quoted', () => {
    const s = store();
    s.init('hub');
    const file = s.fileFor('hub');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), chartValue: {} }), { mode: 0o600 });
    expect(configErrorMessage(() => s.load('hub'))).toMatch(/^.*: 1 top-level key\(s\) other than "tokens", "credentials" and "chartValues" \(did you mean "chartValues"\?\); a secrets file holds only those/);
  });
});

describe('BinderHub secretChartValues', () => {
  const deploy = (props: object) => new BinderHub(Testing.app(), 'hub', {
    chart: ChartSource.local(path.join(__dirname, 'fixtures', 'binderhub')), tokens: fakeTokens('secret-values'), registry: TEST_REGISTRY, ...props,
  });

  test('a setting also in chartValues, a setting a prop owns, or a 2019 setting is refused, naming secretChartValues', () => {
    expect(() => deploy({ chartValues: { jupyterhub: { hub: { db: { url: 'sqlite://' } } } }, secretChartValues: { jupyterhub: { hub: { db: { url: DB_URL } } } } }))
      .toThrow(new ConfigError('chartValues.jupyterhub.hub.db.url is also set by secretChartValues (the secrets file\'s "chartValues"); keep it in one of them'));
    expect(() => deploy({ secretChartValues: { registry: { password: PASSWORD } } }))
      .toThrow(new ConfigError('secretChartValues.registry is set by the registry prop; remove it from secretChartValues'));
    expect(() => deploy({ secretChartValues: { github: { accessToken: PASSWORD } } }))
      .toThrow(/^secretChartValues\.github is a setting of the 2019 chart/);
  });
});

describeWithRealChart('secret chart values through the real chart', chart => {
  const deploy = (secretChartValues: Values, chartValues: Values = {}, secrets = SecretsMode.separate()) => {
    const app = Testing.app();
    new BinderHub(app, 'hub', {
      chart: ChartSource.local(chart), tokens: fakeTokens('secret-values'), registry: TEST_REGISTRY, secrets, chartValues, secretChartValues,
    });
    app.synth();
    return (name: string) => fs.readFileSync(path.join(app.outdir, name), 'utf8');
  };

  test('the hub database URL lands only in Secrets: dist/ has no trace of its password, the Secrets file has it', () => {
    const file = deploy({ jupyterhub: { hub: { db: { url: DB_URL } } } }, { jupyterhub: { hub: { db: { type: 'postgres' } } } });
    expect(file('hub.k8s.yaml')).not.toContain(PASSWORD);
    const secrets = yaml.loadAll(file('hub-secrets.k8s.yaml')) as any[];
    const holding = secrets.filter(o => Object.values<string>(o.data ?? {}).some(v => Buffer.from(v, 'base64').toString('utf8').includes(DB_URL)));
    expect(holding.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['Secret/hub']);
  });

  test('an OAuth client secret (what adopt moves into the secrets file) reaches the hub through Secret hub only', () => {
    const file = deploy({ jupyterhub: { hub: { config: { GitHubOAuthenticator: { client_secret: PASSWORD } } } } },
      { jupyterhub: { hub: { config: { GitHubOAuthenticator: { client_id: 'oauth-client' } } } } });
    expect(file('hub.k8s.yaml')).not.toContain(PASSWORD);
    const secrets = yaml.loadAll(file('hub-secrets.k8s.yaml')) as any[];
    const holding = secrets.filter(o => Object.values<string>(o.data ?? {}).some(v => Buffer.from(v, 'base64').toString('utf8').includes(PASSWORD)));
    expect(holding.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['Secret/hub']);
  });

  test('secret env variables (list and map form, binder, image cleaner, hub, proxy) reach the pods through Secret <release>-extra-env only, '
    + 'in every secrets mode that keeps Secrets out of dist/', () => {
    const env = (n: number) => `${PASSWORD}-env${n}`;
    const secretValues = {
      extraEnv: [{ name: 'BINDER_KEY', value: env(1) }],
      imageCleaner: { extraEnv: { CLEANER_KEY: env(2) } },
      jupyterhub: { hub: { extraEnv: { DB_PASSWORD: env(3) } }, proxy: { chp: { extraEnv: [{ name: 'CHP_KEY', value: env(4) }] } } },
    };
    for (const mode of [SecretsMode.separate(), SecretsMode.external({ storeName: 'vault' })]) {
      const file = deploy(secretValues, { extraEnv: [{ name: 'PLAIN', value: 'kept' }] }, mode);
      const dist = file('hub.k8s.yaml');
      for (const n of [1, 2, 3, 4]) expect(dist).not.toContain(env(n));
      const objects = yaml.loadAll(dist) as any[];
      const envOf = (kind: string, name: string, container: string) => find(objects, kind, name).spec.template.spec.containers.find((c: any) => c.name === container).env;
      expect(envOf('Deployment', 'binder', 'binder')).toEqual(expect.arrayContaining([{ name: 'PLAIN', value: 'kept' },
        { name: 'BINDER_KEY', valueFrom: { secretKeyRef: { name: 'hub-extra-env', key: 'extraEnv.BINDER_KEY' } } }]));
      expect(envOf('Deployment', 'hub', 'hub')).toContainEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'hub-extra-env', key: 'jupyterhub.hub.extraEnv.DB_PASSWORD' } } });
      expect(envOf('Deployment', 'proxy', 'chp')).toContainEqual({ name: 'CHP_KEY', valueFrom: { secretKeyRef: { name: 'hub-extra-env', key: 'jupyterhub.proxy.chp.extraEnv.CHP_KEY' } } });
      expect(JSON.stringify(find(objects, 'DaemonSet', 'hub-image-cleaner'))).toContain('"key":"imageCleaner.extraEnv.CLEANER_KEY"');
      if (mode.name === 'separate') {
        const secret = find(yaml.loadAll(file('hub-secrets.k8s.yaml')) as any[], 'Secret', 'hub-extra-env');
        expect(Object.fromEntries(Object.entries<string>(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]))).toEqual({
          'extraEnv.BINDER_KEY': env(1), 'imageCleaner.extraEnv.CLEANER_KEY': env(2), 'jupyterhub.hub.extraEnv.DB_PASSWORD': env(3), 'jupyterhub.proxy.chp.extraEnv.CHP_KEY': env(4),
        });
      } else {
        expect(find(objects, 'ExternalSecret', 'hub-extra-env').spec.data.map((d: any) => d.secretKey).sort())
          .toEqual(['extraEnv.BINDER_KEY', 'imageCleaner.extraEnv.CLEANER_KEY', 'jupyterhub.hub.extraEnv.DB_PASSWORD', 'jupyterhub.proxy.chp.extraEnv.CHP_KEY']);
      }
    }
  });

  test('the pods that read Secret <release>-extra-env restart when its values change (checksum/extra-env, a keyed hash), the others do not', () => {
    const checksums = (value: string) => {
      const objects = yaml.loadAll(deploy({ extraEnv: [{ name: 'BINDER_KEY', value }], jupyterhub: { hub: { extraEnv: { DB_PASSWORD: `${value}-hub` } } } })('hub.k8s.yaml')) as any[];
      return Object.fromEntries(objects.filter(o => o.spec?.template).map(o => [`${o.kind}/${o.metadata.name}`, o.spec.template.metadata.annotations?.['checksum/extra-env']]));
    };
    const [before, after] = [checksums(`${PASSWORD}-1`), checksums(`${PASSWORD}-2`)];
    const reading = Object.keys(before).filter(name => before[name] !== undefined).sort();
    expect(reading).toEqual(['Deployment/binder', 'Deployment/hub']);
    for (const name of reading) {
      expect(after[name]).not.toBe(before[name]);
      expect(before[name]).not.toBe(crypto.createHash('sha256').update(JSON.stringify({ 'extraEnv.BINDER_KEY': `${PASSWORD}-1`, 'jupyterhub.hub.extraEnv.DB_PASSWORD': `${PASSWORD}-1-hub` })).digest('hex'));
    }
    expect(checksums(`${PASSWORD}-1`)).toEqual(before);
  });

  test('a secret value the chart renders outside a Secret and no env entry (an annotation) is refused naming it, never its value', () => {
    const message = configErrorMessage(() => deploy({ podAnnotations: { 'example.org/key': PASSWORD } }));
    expect(message).toBe('secretChartValues.podAnnotations.example.org/key of deployment "hub" is rendered by the chart into Deployment/binder, '
      + 'which dist/ would hold in plain text (the secrets mode keeps only Secret objects out of it): give the value through a Secret of your own '
      + '(an env variable\'s valueFrom.secretKeyRef) and leave it out of the secrets file');
  });
});
