/**
 * What adopt moves to the secrets file besides tokens and credentials: what came from a --secret file, what is named
 * like a secret, and what looks like a credential (a URL with a password, a private key, a high-entropy text of an env
 * variable or of extraConfig), so that no input secret reaches the module or dist/.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import {
  adoptedModuleText, holdsHighEntropyText, isCredentialText, planAdoption, pythonHoldsSecret, readAdoptedValues, readValuesLayers, Values,
} from '../lib/internal';
import { defineAdopted, expectNoFixtureSecret, TODAY } from './adopt-fixtures';
import { configErrorMessage, exampleWorkspace, runCommand } from './helpers';
import { describeWithRealChart } from './real-chart';

/** One fake secret of every kind adopt must recognize; none may appear in a module, a note, the terminal or dist/. */
const SECRETS = {
  dbPassword: 'adoptdbpw8812',
  pem: ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAadoptfakepemkey0123456789abcdefXYZ', '-----END RSA PRIVATE KEY-----', ''].join('\n'),
  oauthInPython: 'adopt-fake-python-oauth-6671',
  repoClientSecret: 'adopt-fake-repo-client-secret-3309',
  fromSecretFile: 'adopt-fake-from-secret-file-4471',
  binderEnvList: 'Zq7Rk2Lp9Xw4Tn6Vb1Hs3Jd8',
  binderEnvListPlainName: 'c3f9a1e07b5d42c8e6f0a9d1b2c3e4f5a6b7c8d9',
  cleanerEnvMap: 'Yt5Gm8Qc2Wz7Nx4Pk1Rv6Lb3',
  hubEnvMap: 'adopt-fake-hub-env-secret-1180',
  chpEnvList: 'Hd4Js9Kf2Lg7Mh1Nc6Bx3Vz8',
  traefikEnvMap: 'Ua3Ie8Ow5Py1Qt6Rs2Td9Fg4',
  singleuserEnv: 'Ek2Fj7Gl4Hm9In1Jo6Kp3Lq8',
  binderExtraConfig: 'Wr5Xs1Yt8Zu3Av6Bw2Cx9Dy4',
};
const DB_URL = `postgresql://hub:${SECRETS.dbPassword}@db.example.org/hub`;

function expectNoInputSecret(text: string): void {
  for (const secret of Object.values(SECRETS)) {
    expect(text).not.toContain(secret.trim());
    expect(text).not.toContain(Buffer.from(secret).toString('base64'));
  }
  expect(text).not.toContain('PRIVATE KEY');
  expectNoFixtureSecret(text);
}

describe('what looks like a credential', () => {
  test('a URL with a password and a private key do, anywhere; a URL without a password does not', () => {
    expect(isCredentialText(DB_URL)).toBe(true);
    expect(isCredentialText(`redis://:${SECRETS.dbPassword}@cache:6379/0`)).toBe(true);
    expect(isCredentialText(SECRETS.pem)).toBe(true);
    for (const plain of ['https://hub.example.org/hub/', 'postgresql://hub@db.example.org/hub', 'ssh://git@github.com/org/repo', 'sqlite:///jupyterhub.sqlite']) {
      expect(isCredentialText(plain)).toBe(false);
    }
  });

  test('high entropy: generated keys (hex, base64, API tokens) are; names of images, hosts, paths, digests and Python are not', () => {
    for (const key of ['c7fa5d8ca3dd7a63020c4dcb7bed0cd6b3ffa7345c190d9601fbadc63dbf5f16', 'c7Sg+C+dnYJg5ADKWPa+9VziVyRzw1UXXXleFXEa', 'ghp_aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY1z2A',
      `token=${SECRETS.chpEnvList}`]) {
      expect(holdsHighEntropyText(key)).toBe(true);
    }
    for (const ordinary of [
      'quay.io/jupyterhub/k8s-binderhub:1.0.0-0.dev.git.3959.hb9fad995', 'quay.io/jupyterhub/repo2docker@sha256:2d3e58ee0cd3a7e4fb5b4e6e3cae1a0a50d9c4f5e3b3d8a9a1c0f5e6d7b8a9c0',
      'gcr.io/binderhub-288415/r2d-staging-2023-06-12', 'https://gke-prod-pool-1-abc12345-xyz.europe-west1.example.org/api', '/srv/jupyterhub/jupyterhub_config.py',
      'GOOGLE_APPLICATION_CREDENTIALS', '2023-06-12T10-11-12Z', 'binder-staging-image-cleaner-2',
      'c.KubeSpawner.k8s_api_request_timeout = 30\nc.BinderHub.template_path = "/etc/binderhub/custom/templates"\nc.GitHubOAuthenticator.client_id = "binder-staging"\n',
    ]) {
      expect(holdsHighEntropyText(ordinary)).toBe(false);
    }
  });

  test('Python extraConfig holds a secret when it assigns a literal to a secret name, or holds a credential; reading one from the environment does not', () => {
    expect(pythonHoldsSecret(`c.GitHubOAuthenticator.client_secret = "${SECRETS.oauthInPython}"`)).toBe(true);
    expect(pythonHoldsSecret(`c.X.settings = {"api_key": '${SECRETS.oauthInPython}'}`)).toBe(true);
    expect(pythonHoldsSecret(`c.JupyterHub.db_url = "${DB_URL}"`)).toBe(true);
    expect(pythonHoldsSecret('import os\nc.GitHubOAuthenticator.client_secret = os.environ["OAUTH_SECRET"]\nc.BinderHub.banner_message = "Hello"')).toBe(false);
  });
});

describe('planAdoption moves secrets to the secrets file', () => {
  const plan = (values: Values, fromSecretFiles: Values = {}) => planAdoption('x', { ...readValuesLayers(TODAY), ...values }, {}, fromSecretFiles);

  test('a hub database URL with a password and a repository provider\'s client_secret move; the module keeps the rest', () => {
    const adopted = plan({
      jupyterhub: { ...readValuesLayers(TODAY).jupyterhub as Values, hub: { db: { type: 'postgres', url: DB_URL } } },
      config: { ...readValuesLayers(TODAY).config as Values, GitHubRepoProvider: { client_id: 'repo-app', client_secret: SECRETS.repoClientSecret } },
    });
    expect(adopted.secretChartValues).toEqual({
      jupyterhub: { hub: { db: { url: DB_URL } } }, config: { GitHubRepoProvider: { client_secret: SECRETS.repoClientSecret } },
    });
    expect(adopted.notes).toContainEqual({ setting: 'jupyterhub.hub.db.url', outcome: 'a secret (a URL with a password or a private key): moved to the secrets file\'s "chartValues", which the module reads (secretChartValues)' });
    const module = adoptedModuleText(adopted, ['v.yaml'], 'deployments/x.ts');
    expect(module).toContain('"type": "postgres"');
    expect(module).toContain('"client_id": "repo-app"');
    expectNoInputSecret(module);
  });

  test('env lists keep their plain entries and give up the secret ones; env maps and extraConfig Python move by entry', () => {
    const adopted = plan({
      extraEnv: [{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'SERVICE_KEY', value: SECRETS.binderEnvList }, { name: 'HASH', value: SECRETS.binderEnvListPlainName }],
      imageCleaner: { extraEnv: { IMAGE: 'quay.io/jupyterhub/k8s-image-cleaner:1.0.0', CLEANER_TOKEN: SECRETS.cleanerEnvMap } },
      extraConfig: { oauth: `c.GitHubOAuthenticator.client_secret = "${SECRETS.oauthInPython}"\n`, banner: 'c.BinderHub.banner_message = "Hello"\n' },
    });
    expect(adopted.chartValues.extraEnv).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }]);
    expect(adopted.secretChartValues.extraEnv).toEqual([{ name: 'SERVICE_KEY', value: SECRETS.binderEnvList }, { name: 'HASH', value: SECRETS.binderEnvListPlainName }]);
    expect(adopted.chartValues.imageCleaner).toEqual({ extraEnv: { IMAGE: 'quay.io/jupyterhub/k8s-image-cleaner:1.0.0' } });
    expect(adopted.secretChartValues.imageCleaner).toEqual({ extraEnv: { CLEANER_TOKEN: SECRETS.cleanerEnvMap } });
    expect(Object.keys(adopted.chartValues.extraConfig as Values)).toEqual(['banner']);
    expect(Object.keys(adopted.secretChartValues.extraConfig as Values)).toEqual(['oauth']);
    expect(adopted.notes).toContainEqual({ setting: 'extraEnv', outcome: 'SERVICE_KEY, HASH: a secret (secret env variables): moved to the secrets file\'s "chartValues", '
      + 'which the module reads (secretChartValues), after the entries the module keeps' });
  });

  test('what a --secret file gave moves, unless a later file set it; the file\'s values taken by props stay props', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adopt-secret-file-'));
    const secret = path.join(dir, 'secret.yaml');
    const later = path.join(dir, 'later.yaml');
    fs.writeFileSync(secret, yaml.dump({ config: { BinderHub: { custom_setting: SECRETS.fromSecretFile, banner_message: 'overridden later' } } }));
    fs.writeFileSync(later, yaml.dump({ config: { BinderHub: { banner_message: 'Hello' } } }));
    const { values, fromSecretFiles } = readAdoptedValues([...TODAY, secret, later], [TODAY[0], secret]);
    const adopted = planAdoption('x', values, {}, fromSecretFiles);
    expect(adopted.secretChartValues).toEqual({ config: { BinderHub: { custom_setting: SECRETS.fromSecretFile } } });
    expect((adopted.chartValues.config as any).BinderHub.banner_message).toBe('Hello');
    expect(adopted.registry).toEqual(planAdoption('x', readValuesLayers(TODAY)).registry);
  });

  test('an Ingress annotation that holds a secret is refused before the ingress prop takes the annotations into the module; one naming a Secret stays', () => {
    const ingress = (annotations: Values) => ({ ...readValuesLayers(TODAY).ingress as Values, annotations });
    const message = configErrorMessage(() => plan({ ingress: ingress({ 'nginx.ingress.kubernetes.io/auth-url': DB_URL }) }));
    expect(message).toMatch(/^ingress\.annotations\.nginx\.ingress\.kubernetes\.io\/auth-url in the values files is a secret \(a URL with a password or a private key\), but the chart writes it in plain text/);
    expectNoInputSecret(message);
    expect(configErrorMessage(() => plan({ ingress: ingress({ 'example.org/key': 'given-by-secret-file' }) }, { ingress: { annotations: { 'example.org/key': true } } })))
      .toMatch(/^ingress\.annotations\.example\.org\/key in the values files is a secret \(from a --secret file\)/);
    const kept = plan({ ingress: ingress({ 'nginx.ingress.kubernetes.io/auth-secret': 'binder-basic-auth' }) });
    expect(kept.ingress?.binderAnnotations).toEqual({ 'nginx.ingress.kubernetes.io/auth-secret': 'binder-basic-auth' });
  });

  test('a secret the chart writes outside a Secret (an annotation) is refused before anything is written, naming it, never its value', () => {
    const message = configErrorMessage(() => plan({ podAnnotations: { 'example.org/auth': DB_URL } }));
    expect(message).toBe('podAnnotations.example.org/auth in the values files is a secret (a URL with a password or a private key), but the chart writes it in '
      + 'plain text into an object other than a Secret, which dist/ would hold: keep the value in a Secret of your own and refer to it, or, if it is no secret, '
      + 'pass its file with --config');
    expectNoInputSecret(message);
  });
});

describeWithRealChart('adopting inputs with a secret of every kind', chart => {
  test('no input secret in the module, the notes, the terminal or dist/; the env variables read Secret <name>-extra-env', () => {
    const dir = exampleWorkspace('adopt-secrets-');
    const secretFile = path.join(dir, 'secret-more.yaml');
    const config = path.join(dir, 'config-more.yaml');
    fs.writeFileSync(secretFile, yaml.dump({ config: { BinderHub: { custom_setting: SECRETS.fromSecretFile } } }));
    fs.writeFileSync(config, yaml.dump({
      config: { GitHubRepoProvider: { client_id: 'repo-app', client_secret: SECRETS.repoClientSecret } },
      extraEnv: [{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'SERVICE_KEY', value: SECRETS.binderEnvList }, { name: 'HASH', value: SECRETS.binderEnvListPlainName }],
      extraConfig: { key: `c.BinderHub.custom_key = """\n${SECRETS.pem}"""\nc.BinderHub.other = "${SECRETS.binderExtraConfig}"\n` },
      imageCleaner: { extraEnv: { CLEANER_TOKEN: SECRETS.cleanerEnvMap } },
      jupyterhub: {
        hub: {
          db: { type: 'postgres', url: DB_URL }, extraEnv: { DB_PASSWORD: SECRETS.hubEnvMap },
          extraConfig: { oauth: `c.GitHubOAuthenticator.client_secret = "${SECRETS.oauthInPython}"\n` },
        },
        proxy: { chp: { extraEnv: [{ name: 'CHP_SETTING', value: SECRETS.chpEnvList }] }, traefik: { extraEnv: { TRAEFIK_KEY: SECRETS.traefikEnvMap } } },
        singleuser: { extraEnv: { USER_VAR: SECRETS.singleuserEnv } },
      },
    }));
    const out = path.join(dir, 'every.ts');
    const result = runCommand('adopt', dir, { BINDERHUB_CHART: chart },
      ['--name', 'every', '--out', out, '--secret', TODAY[0], '--config', TODAY[1], '--secret', secretFile, '--config', config]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expectNoInputSecret(result.output);
    expectNoInputSecret(fs.readFileSync(out, 'utf8'));
    const { objects } = defineAdopted(out, dir, chart);
    expectNoInputSecret(yaml.dump(objects));
    expectNoInputSecret(JSON.stringify(objects));
    const stored = JSON.parse(fs.readFileSync(path.join(dir, 'secrets', 'every.json'), 'utf8')).chartValues;
    for (const secret of Object.values(SECRETS)) expect(JSON.stringify(stored)).toContain(JSON.stringify(secret).slice(1, -1));
    const binder = objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'binder').spec.template.spec.containers[0].env;
    expect(binder).toContainEqual({ name: 'SERVICE_KEY', valueFrom: { secretKeyRef: { name: 'every-extra-env', key: 'extraEnv.SERVICE_KEY' } } });
    expect(result.stdout).toContain('to review: nothing');
  }, 180000);
});
