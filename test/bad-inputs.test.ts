/**
 * Bad inputs, table-driven. Each case is a prop, a pair of deployments of one app, or a file that a synth reads, and
 * each must be refused by a ConfigError before anything is written (the app's output folder stays empty and the
 * case's own folder unchanged), with one line that names the setting, and without any secret value, plain or base64.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import {
  Auth, BinderHub, BinderHubProps, BinderHubTokens, Builder, ChartSource, ConfigError, Delivery, DindDaemonSet, GatewayOptions, HubUrlRecords, Monitoring, Registry, requiredCredential, SecretsMode, SecretStore, ServicePolicy, Tls,
} from '../lib/internal';
import { fakeTokens, fakeTokenValues, FIXTURE_CHART, TEST_REGISTRY } from './helpers';
import { fakePrivateKeyPem, GCR_KEY, REGISTRY_PASSWORD as PASSWORD, SP_ID } from './registry-inputs';

/** Distinctive fake secrets: no message may hold any of them, plain or base64. */
const GITHUB_TOKEN = 'ghp_badInputsFakeToken7Qx2';
const CHART_VALUES_TOKEN = 'chartvalues-fake-secret-Wd93';
const BROKEN_JSON_TOKEN = 'ghp_doNotEchoThisValue123';
/** A password written into URLs. */
const URL_PASSWORD = 'UrlPw-Hunter2-Kx7';
const SECRETS = [PASSWORD, 'test-registry-password', GCR_KEY, JSON.parse(GCR_KEY).private_key, GITHUB_TOKEN, CHART_VALUES_TOKEN, BROKEN_JSON_TOKEN, URL_PASSWORD, 'bad-inputs-fake-oauth-secret-Qz81',
  ...Object.values(fakeTokenValues('x')), ...Object.values(fakeTokenValues('a')), ...Object.values(fakeTokenValues('b'))];

/** One bad input. */
interface Case {
  /** What is wrong, as the test's name. */
  readonly name: string;
  /** Writes the files the case reads into its own folder. */
  readonly prepare?: (dir: string) => void;
  /** Defines deployments in `app` (or reads files in `dir`) the way a synth does; it must throw. */
  readonly act: (app: App, dir: string) => unknown;
  /** The message, written out: it names the setting and the fix. */
  readonly message: RegExp;
  /** More values that must not appear in the message. */
  readonly secrets?: string[];
}

/** A deployment of the test chart: the props of a working one, changed by `props`. */
function deploy(app: App, props: Partial<BinderHubProps> = {}, id = 'x'): BinderHub {
  return new BinderHub(app, id, { chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens(id), registry: TEST_REGISTRY, ...props });
}

/** Two deployments of one app, `a` and `b`. */
function deployBoth(app: App, a: Partial<BinderHubProps>, b: Partial<BinderHubProps>): void {
  deploy(app, a, 'a');
  deploy(app, b, 'b');
}

/** Every file under `dir` with its mode and content, to show that a refusal wrote nothing. */
function listing(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().map(name => {
    const file = path.join(dir, name);
    const stat = fs.statSync(file);
    return `${name} ${(stat.mode & 0o7777).toString(8)} ${stat.isFile() ? fs.readFileSync(file, 'base64') : ''}`;
  });
}

// Registries: each factory refuses what its registry would not accept.

const key = (changes: object) => JSON.stringify({ ...JSON.parse(GCR_KEY), ...changes });
/** Registry.custom without its password or username has no login, or names the missing half (test/registry.test.ts). */
const customLoginHalf = (setting: string, what: string) => what === 'missing' && setting.startsWith('Registry.custom');
const registries: Case[] = [
  { name: 'a gcr key that is not JSON', act: () => Registry.gcr({ serviceAccountKey: `{"private_key": "${PASSWORD}"`, imagePrefix: 'gcr.io/p/x-' }),
    message: /Registry\.gcr serviceAccountKey is not JSON; give the whole JSON key file/ },
  { name: 'a gcr key that is not a service-account key', act: () => Registry.gcr({ serviceAccountKey: key({ type: 'authorized_user' }), imagePrefix: 'gcr.io/binder-test-123/x-' }),
    message: /Registry\.gcr serviceAccountKey is not a service-account key \("type": "service_account"\)/ },
  { name: 'a gcr key without private_key', act: () => Registry.gcr({ serviceAccountKey: key({ private_key: '' }), imagePrefix: 'gcr.io/binder-test-123/x-' }),
    message: /Registry\.gcr serviceAccountKey has no "private_key"/ },
  ...([
    ['a word', 'not-a-key-GcrPk-Secret-71'],
    ['PEM framing around text that is no key', '-----BEGIN PRIVATE KEY-----\nFAKE-KEY-MATERIAL-GcrPk-Secret-72\n-----END PRIVATE KEY-----\n'],
    ['a public key', crypto.createPublicKey(fakePrivateKeyPem('gcr-public')).export({ type: 'spki', format: 'pem' }) as string],
    ['a key cut short', fakePrivateKeyPem('gcr-cut').slice(0, 120)],
    ['an encrypted key', crypto.createPrivateKey(fakePrivateKeyPem('gcr-encrypted'))
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'GcrPk-Passphrase-73' }) as string],
  ] as const).map(([what, privateKey]): Case => ({
    name: `a gcr key whose private_key is ${what}`,
    act: () => Registry.gcr({ serviceAccountKey: key({ private_key: privateKey }), imagePrefix: 'gcr.io/binder-test-123/x-' }),
    message: /^Registry\.gcr serviceAccountKey "private_key" is not a PEM private key \(-----BEGIN PRIVATE KEY-----\); give the whole JSON key file downloaded for the service account$/,
    secrets: [privateKey, key({ private_key: privateKey }), 'GcrPk-Secret', 'GcrPk-Passphrase-73'],
  })),
  { name: 'a gcr prefix in another project', act: () => Registry.gcr({ serviceAccountKey: GCR_KEY, imagePrefix: 'gcr.io/binder-test/x-' }),
    message: /Registry\.gcr imagePrefix project "binder-test" is not the key's project_id "binder-test-123"; use gcr\.io\/binder-test-123\/<prefix>-/ },
  { name: 'a gcr prefix on another host', act: () => Registry.gcr({ serviceAccountKey: GCR_KEY, imagePrefix: 'quay.io/binder-test-123/x-' }),
    message: /Registry\.gcr imagePrefix must start with gcr\.io\// },
  { name: 'a Docker Hub prefix with a host', act: () => Registry.dockerHub({ username: 'u', password: PASSWORD, imagePrefix: 'docker.io/org/p-' }),
    message: /Registry\.dockerHub imagePrefix "docker\.io\/org\/p-" must be <docker-id or organization>\/<prefix>-, without a host/ },
  ...([['a registry host', 'docker.io/p-'], ['a host with a port', 'localhost:5000/p-']] as const).map(([what, imagePrefix]): Case => ({
    name: `a Docker Hub prefix of two parts whose first is ${what}`, act: () => Registry.dockerHub({ username: 'u', password: PASSWORD, imagePrefix }),
    message: new RegExp(`^Registry\\.dockerHub imagePrefix "${imagePrefix.replace(/\./g, '\\.')}" must be <docker-id or organization>\\/<prefix>-, without a host$`),
  })),
  { name: 'an empty Docker Hub password', act: () => Registry.dockerHub({ username: 'u', password: '', imagePrefix: 'org/p-' }),
    message: /Registry\.dockerHub password is empty; the chart would push with a password of "%!s\(<nil>\)"/ },
  { name: 'an ACR name with a dash', act: () => Registry.acr({ name: 'binder-acr', servicePrincipalId: SP_ID, servicePrincipalPassword: PASSWORD, imagePrefix: 'x' }),
    message: /Registry\.acr name "binder-acr" is not an ACR name/ },
  { name: 'an ACR service principal that is not an AppID',
    act: () => Registry.acr({ name: 'binderacr', servicePrincipalId: 'binder', servicePrincipalPassword: PASSWORD, imagePrefix: 'x' }),
    message: /Registry\.acr servicePrincipalId must be the service principal's AppID, a GUID/ },
  { name: 'an ACR prefix without the project level',
    act: () => Registry.acr({ name: 'binderacr', servicePrincipalId: SP_ID, servicePrincipalPassword: PASSWORD, imagePrefix: 'binderacr.azurecr.io/binder-' }),
    message: /Registry\.acr imagePrefix "binderacr\.azurecr\.io\/binder-" needs a project level: binderacr\.azurecr\.io\/<project>\/<prefix>- .*issue 800/ },
  { name: 'an ACR prefix on another registry',
    act: () => Registry.acr({ name: 'binderacr', servicePrincipalId: SP_ID, servicePrincipalPassword: PASSWORD, imagePrefix: 'other.azurecr.io/p/b-' }),
    message: /Registry\.acr imagePrefix "other\.azurecr\.io\/p\/b-" must start with the registry host binderacr\.azurecr\.io\// },
  { name: 'a Harbor host with a scheme', act: () => Registry.harbor({ host: 'https://abc.gra7.container-registry.ovh.net', username: 'u', password: PASSWORD, imagePrefix: 'x' }),
    message: /Registry\.harbor host .* must be a DNS name .*without https:\/\// },
  ...['abc', '0', '65536', '99999', '', '443:80', '-1', '44 3'].map((port): Case => ({
    name: `a Harbor host with the port "${port}"`,
    act: () => Registry.harbor({ host: `h.example.org:${port}`, username: 'u', password: PASSWORD, imagePrefix: `h.example.org:${port}/p/b-` }),
    message: port === '443:80'
      ? /^Registry\.harbor host "h\.example\.org:443:80" must be a DNS name such as .*, with an optional :port, without https:\/\/$/
      : new RegExp(`^Registry\\.harbor host "h\\.example\\.org:${port}" has the port "${port}"; a port is a number from 1 to 65535, or leave it out for 443$`),
  })),
  { name: 'a Harbor prefix without the project', act: () => Registry.harbor({ host: 'h.example.org', username: 'u', password: PASSWORD, imagePrefix: 'h.example.org/binder-' }),
    message: /Registry\.harbor imagePrefix "h\.example\.org\/binder-" needs a project level/ },
  { name: 'a custom registry over http',
    act: () => Registry.custom({ url: 'http://registry.example.org', username: 'u', password: PASSWORD, imagePrefix: 'registry.example.org/p/x-' }),
    message: /Registry\.custom url "http:\/\/registry\.example\.org" must use https:\/\/ \(set allowInsecureHttp/ },
  ...(['apiUrl', 'tokenUrl'] as const).map((field): Case => ({
    name: `a custom ${field} over http`,
    act: () => Registry.custom({ url: 'https://r.example.org', username: 'u', password: PASSWORD, imagePrefix: 'r.example.org/p/x-', [field]: 'http://r.example.org/v2/' }),
    message: new RegExp(`^Registry\\.custom ${field} "http:\\/\\/r\\.example\\.org\\/v2\\/" must use https:\\/\\/ \\(set allowInsecureHttp for a test registry on a private network\\)$`),
  })),
  { name: 'a custom API URL that is not a URL',
    act: () => Registry.custom({ url: 'https://r.example.org', username: 'u', password: PASSWORD, imagePrefix: 'r.example.org/p/x-', apiUrl: 'api.r.example.org' }),
    message: /^Registry\.custom apiUrl "api\.r\.example\.org" is not a URL$/ },
  { name: 'a custom token URL that is not a URL',
    act: () => Registry.custom({ url: 'https://r.example.org', username: 'u', password: PASSWORD, imagePrefix: 'r.example.org/p/x-', tokenUrl: 'r.example.org/token' }),
    message: /Registry\.custom tokenUrl "r\.example\.org\/token" is not a URL/ },
  { name: 'an image prefix with upper case or a tag',
    act: () => Registry.custom({ url: 'https://r.example.org', username: 'u', password: PASSWORD, imagePrefix: 'r.example.org/P/x:1' }),
    message: /Registry\.custom imagePrefix "r\.example\.org\/P\/x:1" may hold only lowercase letters/ },
  // Credentials written into a URL or host: refused, and never echoed.
  { name: 'a custom registry URL with credentials',
    act: () => Registry.custom({ url: `https://ci:${URL_PASSWORD}@registry.example.org`, username: 'ci', password: PASSWORD, imagePrefix: 'registry.example.org/p/x-' }),
    message: /^Registry\.custom url "https:\/\/\*\*\*@registry\.example\.org" must carry no user name or password; give them as Registry\.custom username and password$/ },
  { name: 'a custom registry URL over http with credentials',
    act: () => Registry.custom({ url: `http://ci:${URL_PASSWORD}@registry.example.org`, username: 'ci', password: PASSWORD, imagePrefix: 'registry.example.org/p/x-' }),
    message: /^Registry\.custom url "http:\/\/\*\*\*@registry\.example\.org" must use https:\/\/ \(set allowInsecureHttp/ },
  { name: 'a custom registry URL that is not a URL, with credentials',
    act: () => Registry.custom({ url: `https://ci:${URL_PASSWORD}@registry.example.org:port`, username: 'ci', password: PASSWORD, imagePrefix: 'registry.example.org/p/x-' }),
    message: /^Registry\.custom url "https:\/\/\*\*\*@registry\.example\.org:port" is not a URL$/ },
  { name: 'a custom token URL with a token in it',
    act: () => Registry.custom({ url: 'https://r.example.org', username: 'ci', password: PASSWORD, imagePrefix: 'r.example.org/p/x-', tokenUrl: `https://${URL_PASSWORD}@r.example.org/token` }),
    message: /^Registry\.custom tokenUrl "https:\/\/\*\*\*@r\.example\.org\/token" must carry no user name or password/ },
  { name: 'a custom API URL with credentials',
    act: () => Registry.custom({ url: 'https://r.example.org', username: 'ci', password: PASSWORD, imagePrefix: 'r.example.org/p/x-', apiUrl: `https://ci:${URL_PASSWORD}@api.r.example.org` }),
    message: /^Registry\.custom apiUrl "https:\/\/\*\*\*@api\.r\.example\.org" must carry no user name or password/ },
  { name: 'a Harbor host with credentials', act: () => Registry.harbor({ host: `robot:${URL_PASSWORD}@h.example.org`, username: 'u', password: PASSWORD, imagePrefix: 'x' }),
    message: /^Registry\.harbor host "\*\*\*@h\.example\.org" must be a DNS name/ },
  { name: 'an image prefix with credentials',
    act: () => Registry.custom({ url: 'https://r.example.org', username: 'ci', password: PASSWORD, imagePrefix: `ci:${URL_PASSWORD}@r.example.org/p/x-` }),
    message: /^Registry\.custom imagePrefix "\*\*\*@r\.example\.org\/p\/x-" may hold only lowercase letters/ },
  { name: 'a user name with a colon', act: () => Registry.harbor({ host: 'h.example.org', username: 'robot:x', password: PASSWORD, imagePrefix: 'h.example.org/p/b-' }),
    message: /Registry\.harbor username must be a non-empty user name without spaces or ':'/ },
  // gcr: only gcr.io or a regional <region>.gcr.io host.
  ...['evil-gcr.io', 'gcr.io.evil.org', 'a.b.gcr.io', 'eu-gcr.io'].map((host): Case => ({
    name: `a gcr prefix on the host ${host}`,
    act: () => Registry.gcr({ serviceAccountKey: GCR_KEY, imagePrefix: `${host}/binder-test-123/x-` }),
    message: new RegExp(`^Registry\\.gcr imagePrefix must start with gcr\\.io\\/ or a regional host such as eu\\.gcr\\.io\\/, got "${host.replace(/\./g, '\\.')}\\/binder-test-123\\/x-"$`),
  })),
  // gcr: the key file's shape; the messages name the field, never the key.
  ...([
    ['null', 'null'], ['a JSON string', '"binder-push-key"'], ['a JSON array', '[]'], ['a number', '42'],
    ['of another type', key({ type: 'external_account' })], ['without a type', key({ type: undefined })],
  ] as const).map(([what, serviceAccountKey]): Case => ({
    name: `a gcr key that is ${what}`,
    act: () => Registry.gcr({ serviceAccountKey, imagePrefix: 'gcr.io/binder-test-123/x-' }),
    message: /^Registry\.gcr serviceAccountKey is not a service-account key \("type": "service_account"\); give the whole JSON key file downloaded for the service account$/,
    secrets: [serviceAccountKey],
  })),
  ...(['project_id', 'private_key', 'client_email'] as const).flatMap(field => ([
    ['without', undefined], ['with an empty', ''], ['with a number as', 42],
  ] as const).map(([how, value]): Case => ({
    name: `a gcr key ${how} ${field}`,
    act: () => Registry.gcr({ serviceAccountKey: key({ [field]: value }), imagePrefix: 'gcr.io/binder-test-123/x-' }),
    message: new RegExp(`^Registry\\.gcr serviceAccountKey has no "${field}"; give the whole JSON key file downloaded for the service account$`),
    secrets: [key({ [field]: value })],
  }))),
  // ACR: the registry name and the service principal's AppID.
  ...([['4 characters', 'abcd'], ['51 characters', 'a'.repeat(51)], ['a dash before 5 letters', 'binder-acr12'], ['a dot', 'binder.acr']] as const)
    .map(([what, name]): Case => ({
      name: `an ACR name of ${what}`,
      act: () => Registry.acr({ name, servicePrincipalId: SP_ID, servicePrincipalPassword: PASSWORD, imagePrefix: `${name}.azurecr.io/p/b-` }),
      message: new RegExp(`^Registry\\.acr name "${name.replace(/\./g, '\\.')}" is not an ACR name: 5 to 50 letters and digits, as in <name>\\.azurecr\\.io$`),
    })),
  ...([['text before the GUID', `app-${SP_ID}`], ['text after the GUID', `${SP_ID}-2`], ['a GUID without dashes', SP_ID.replace(/-/g, '')]] as const)
    .map(([what, servicePrincipalId]): Case => ({
      name: `an ACR service principal with ${what}`,
      act: () => Registry.acr({ name: 'binderacr', servicePrincipalId, servicePrincipalPassword: PASSWORD, imagePrefix: 'binderacr.azurecr.io/p/b-' }),
      message: /^Registry\.acr servicePrincipalId must be the service principal's AppID, a GUID such as 00000000-0000-0000-0000-000000000000$/,
    })),
  // Passwords and user names: each message names the factory and the setting.
  ...([
    ['Registry.dockerHub password', (password: any) => Registry.dockerHub({ username: 'u', password, imagePrefix: 'org/p-' })],
    ['Registry.acr servicePrincipalPassword',
      (servicePrincipalPassword: any) => Registry.acr({ name: 'binderacr', servicePrincipalId: SP_ID, servicePrincipalPassword, imagePrefix: 'binderacr.azurecr.io/p/b-' })],
    ['Registry.harbor password', (password: any) => Registry.harbor({ host: 'h.example.org', username: 'u', password, imagePrefix: 'h.example.org/p/b-' })],
    ['Registry.custom password',
      (password: any) => Registry.custom({ url: 'https://r.example.org', username: 'u', password, imagePrefix: 'r.example.org/p/b-' })],
  ] as const).flatMap(([setting, make]) => ([['empty', ''], ['blank', ' \t '], ['missing', undefined]] as const)
    .filter(([what]) => !customLoginHalf(setting, what)).map(([what, password]): Case => ({
    name: `a ${what} ${setting}`, act: () => make(password),
    message: new RegExp(`^${setting.replace(/\./g, '\\.')} is empty; the chart would push with a password of "%!s\\(<nil>\\)"\\. `
      + 'Put it in the deployment\'s secrets file as credentials\\.registryPassword$'),
  }))),
  ...([
    ['Registry.dockerHub username', (username: any) => Registry.dockerHub({ username, password: PASSWORD, imagePrefix: 'org/p-' })],
    ['Registry.harbor username', (username: any) => Registry.harbor({ host: 'h.example.org', username, password: PASSWORD, imagePrefix: 'h.example.org/p/b-' })],
    ['Registry.custom username', (username: any) => Registry.custom({ url: 'https://r.example.org', username, password: PASSWORD, imagePrefix: 'r.example.org/p/b-' })],
  ] as const).flatMap(([setting, make]) => ([
    ['empty', ''], ['blank', '  '], ['missing', undefined], ['spaced', 'ci bot'], ['tabbed', 'ci\tbot'], ['colon-holding', 'ci:'],
  ] as const).filter(([what]) => !customLoginHalf(setting, what)).map(([what, username]): Case => ({
    name: `a ${what} ${setting}`, act: () => make(username),
    message: new RegExp(`^${setting.replace(/\./g, '\\.')} must be a non-empty user name without spaces or ':'$`),
  }))),
  // Harbor hosts: a DNS name and an optional decimal port.
  ...['1e3', '0x1bb', '+443', ' 443', '443 ', '100000'].map((port): Case => ({
    name: `a Harbor host with the port "${port}"`,
    act: () => Registry.harbor({ host: `h.example.org:${port}`, username: 'u', password: PASSWORD, imagePrefix: 'h.example.org/p/b-' }),
    message: new RegExp(`^Registry\\.harbor host "h\\.example\\.org:${port.replace('+', '\\+')}" has the port "${port.replace('+', '\\+')}"; a port is a number from 1 to 65535, or leave it out for 443$`),
  })),
  { name: 'a Harbor host that is only a port', act: () => Registry.harbor({ host: ':443', username: 'u', password: PASSWORD, imagePrefix: 'h.example.org/p/b-' }),
    message: /^Registry\.harbor host ":443" must be a DNS name such as abcde\.gra7\.container-registry\.ovh\.net, with an optional :port, without https:\/\/$/ },
  // Custom URLs: https, or http when allowed; no other scheme, and the http hint only for http.
  ...([false, true]).map((allowInsecureHttp): Case => ({
    name: `a custom registry over ftp (allowInsecureHttp: ${allowInsecureHttp})`,
    act: () => Registry.custom({ url: 'ftp://r.example.org', username: 'u', password: PASSWORD, imagePrefix: 'r.example.org/p/b-', allowInsecureHttp }),
    message: /^Registry\.custom url "ftp:\/\/r\.example\.org" must use https:\/\/$/,
  })),
  // Image prefixes: Docker Hub's has exactly two parts; the others need a project level.
  ...['binder-', 'binderorg/team/binder-'].map((imagePrefix): Case => ({
    name: `a Docker Hub prefix "${imagePrefix}"`, act: () => Registry.dockerHub({ username: 'u', password: PASSWORD, imagePrefix }),
    message: new RegExp(`^Registry\\.dockerHub imagePrefix "${imagePrefix}" must be <docker-id or organization>\\/<prefix>-, without a host$`),
  })),
  ...[['r.example.org', 'r.example.org'], ['localhost', 'localhost/binder-']].map(([host, imagePrefix]): Case => ({
    name: `a custom prefix "${imagePrefix}" without a project level (nor a host BinderHub reads as one)`,
    act: () => Registry.custom({ url: `https://${host}`, username: 'u', password: PASSWORD, imagePrefix }),
    message: new RegExp(`^Registry\\.custom imagePrefix "${imagePrefix.replace(/\./g, '\\.')}" needs a project level: ${host.replace(/\./g, '\\.')}\\/<project>\\/<prefix>- `
      + '\\(without it BinderHub may rebuild images on every launch; binderhub issue 800\\)$'),
  })),
  { name: 'a custom prefix with an empty project level', act: () => Registry.custom({ url: 'https://r.example.org', username: 'u', password: PASSWORD, imagePrefix: 'r.example.org//b-' }),
    message: /^Registry\.custom imagePrefix "r\.example\.org\/\/b-" may hold only lowercase letters, digits and \. _ - \/ \(and a :port after the host\)$/ },
];

// Builders: host folders, and builders that need a registry.

const builders: Case[] = [
  ...[['relative', 'var/run/dind'], ['trailing slash', '/var/run/dind/x/'], ['root', '/'], ['dotted', '/var/run/../dind']].map(([what, dir]): Case => ({
    name: `a ${what} host folder`, act: app => deploy(app, { builder: Builder.dind({ hostSocketDir: dir }) }),
    message: /^Builder\.dind hostSocketDir ".*" must be an absolute, normalized folder other than \/, of letters, digits and \. _ - \/ only \(no \. or \.\. steps\), such as \/var\/run\/dind\/<deployment>$/,
  })),
  // Host folders reach pods that run as root and, in the chart's templates, shell scripts: only plain characters pass.
  ...[
    ['a shell command', '/var/run/dind/x;touch /host-pwned;#'], ['a command substitution', '/var/run/$(id)'], ['backquotes', '/var/run/`id`'],
    ['a space', '/var/run/dind x'], ['a newline', '/var/run/dind\n/x'], ['a quote', '/var/run/"x'], ['a non-ASCII letter', '/var/run/dïnd'],
  ].map(([what, dir]): Case => ({
    name: `a socket folder with ${what}`, act: app => deploy(app, { builder: Builder.dind({ hostSocketDir: dir }) }),
    message: /^Builder\.dind hostSocketDir ".*" must be an absolute, normalized folder other than \/, of letters, digits and \. _ - \/ only/,
  })),
  { name: 'a lib folder with a shell command', act: app => deploy(app, { builder: Builder.dind({ hostLibDir: '/var/lib/dind/$(reboot)' }) }),
    message: /^Builder\.dind hostLibDir "\/var\/lib\/dind\/\$\(reboot\)" must be an absolute, normalized folder .*, such as \/var\/lib\/dind\/<deployment>$/ },
  { name: 'a pink socket folder with a shell command', act: app => deploy(app, { builder: Builder.pink({ hostSocketDir: '/run/pink;reboot' }) }),
    message: /^Builder\.pink hostSocketDir "\/run\/pink;reboot" must be an absolute, normalized folder .*, such as \/var\/run\/pink\/<deployment>$/ },
  { name: 'a pink storage folder with a shell command', act: app => deploy(app, { builder: Builder.pink({ hostStorageDir: '/var/lib/pink&&reboot' }) }),
    message: /^Builder\.pink hostStorageDir "\/var\/lib\/pink&&reboot" must be an absolute, normalized folder .*, such as \/var\/lib\/pink\/<deployment>$/ },
  { name: 'a DindDaemonSet of its own with a shell command in its socket folder',
    act: app => new DindDaemonSet(new Chart(app, 'c'), 'dind', { releaseName: 'x', hostSocketDir: '/x;reboot', hostLibDir: '/var/lib/dind/x' }),
    message: /^DindDaemonSet hostSocketDir "\/x;reboot" must be an absolute, normalized folder .*, such as \/var\/run\/dind\/<release>$/ },
  // Node selectors: Kubernetes label syntax, for every builder.
  ...([
    ['a key with a space', Builder.dind, { 'hub.jupyter.org/node purpose': 'user' }, /^Builder\.dind nodeSelector key "hub\.jupyter\.org\/node purpose" is not a label key: an optional DNS prefix and '\/', then at most 63 letters, digits, '-', '_' and '\.', starting and ending with a letter or digit, such as hub\.jupyter\.org\/node-purpose$/],
    ['a key with an upper-case prefix', Builder.dind, { 'Hub.Jupyter.org/purpose': 'user' }, /^Builder\.dind nodeSelector key "Hub\.Jupyter\.org\/purpose" is not a label key/],
    ['a key with two slashes', Builder.pink, { 'a.org/b/c': 'user' }, /^Builder\.pink nodeSelector key "a\.org\/b\/c" is not a label key/],
    ['a key name over 63 characters', Builder.host, { [`x.org/${'k'.repeat(64)}`]: 'user' }, /^Builder\.host nodeSelector key "x\.org\/k{64}" is not a label key/],
    ['an empty key', Builder.dind, { '': 'user' }, /^Builder\.dind nodeSelector key "" is not a label key/],
    ['a key ending in a dash', Builder.dind, { 'node-': 'user' }, /^Builder\.dind nodeSelector key "node-" is not a label key/],
    ['a value with a space', Builder.dind, { 'hub.jupyter.org/node-purpose': 'user pods' },
      /^Builder\.dind nodeSelector value "user pods" of key "hub\.jupyter\.org\/node-purpose" is not a label value: at most 63 letters, .* \(or empty\), such as user$/],
    ['a value over 63 characters', Builder.pink, { purpose: 'v'.repeat(64) }, /^Builder\.pink nodeSelector value "v{64}" of key "purpose" is not a label value/],
    ['a value with a slash', Builder.host, { purpose: 'a/b' }, /^Builder\.host nodeSelector value "a\/b" of key "purpose" is not a label value/],
  ] as const).map(([what, factory, nodeSelector, message]): Case => ({
    name: `a node selector with ${what}`, act: app => deploy(app, { builder: factory({ nodeSelector }) }), message,
  })),
  // The dind image: an image reference.
  ...([
    ['upper case', 'Docker:28.3.3-dind'], ['an empty tag', 'docker:'], ['a shell command', 'docker:dind;reboot'], ['a space', 'docker dind'], ['nothing', ''],
    ['a digest that is not one', 'docker@sha256:xyz'], ['a scheme', 'https://docker.io/library/docker:dind'], ['two tags', 'docker:28:dind'],
  ]).map(([what, image]): Case => ({
    name: `a dind image with ${what}`, act: app => deploy(app, { builder: Builder.dind({ image }) }),
    message: new RegExp(`^Builder\\.dind image "${image.replace(/[.:;/]/g, c => `\\${c}`)}" is not an image reference: \\[registry\\[:port\\]\\/\\]repository\\[:tag\\]\\[@sha256:digest\\], the repository in lowercase, such as docker\\.io\\/library\\/docker:28\\.3\\.3-dind$`),
  })),
  // The dind image must pin what runs.
  ...([
    ['no tag', 'docker.io/library/docker', 'no tag, so whatever :latest is when a node pulls it'],
    ['no tag, on a registry with a port', 'registry.example.org:5000/docker', 'no tag, so whatever :latest is when a node pulls it'],
    ['chartpress\'s placeholder tag', 'docker:set-by-chartpress', 'the placeholder tag set-by-chartpress, which chartpress replaces when it packages the chart'],
  ] as const).map(([what, image, problem]): Case => ({
    name: `a dind image with ${what}`, act: app => deploy(app, { builder: Builder.dind({ image }) }),
    message: new RegExp(`^builder image "${image.replace(/[.:/]/g, c => `\\${c}`)}" has ${problem.replace(/[.:]/g, c => `\\${c}`)}; `
      + 'pin a tag in Builder\\.dind\\(\\{ image \\}\\), such as docker\\.io\\/library\\/docker:28\\.3\\.3-dind$'),
  })),
  { name: 'a DindDaemonSet of its own with a shell command in its lib folder',
    act: app => new DindDaemonSet(new Chart(app, 'c'), 'dind', { releaseName: 'x', hostSocketDir: '/var/run/dind/x', hostLibDir: '/var/lib/dind/x;reboot' }),
    message: /^DindDaemonSet hostLibDir "\/var\/lib\/dind\/x;reboot" must be an absolute, normalized folder .*, such as \/var\/lib\/dind\/<release>$/ },
  { name: 'a DindDaemonSet of its own with a bad image',
    act: app => new DindDaemonSet(new Chart(app, 'c'), 'dind', { releaseName: 'x', hostSocketDir: '/var/run/dind/x', hostLibDir: '/var/lib/dind/x', image: 'Docker' }),
    message: /^DindDaemonSet image "Docker" is not an image reference/ },
  { name: 'a DindDaemonSet of its own with a bad node selector',
    act: app => new DindDaemonSet(new Chart(app, 'c'), 'dind', { releaseName: 'x', hostSocketDir: '/var/run/dind/x', hostLibDir: '/var/lib/dind/x', nodeSelector: { 'a b': 'c' } }),
    message: /^DindDaemonSet nodeSelector key "a b" is not a label key/ },
  { name: 'Builder.dind() with Registry.none()', act: app => deploy(app, { registry: Registry.none(), builder: Builder.dind() }),
    message: /deployment "x" has Registry\.none\(\) with Builder\.dind\(\): the images it builds stay in the builder's own store.*; set registry to a registry \(Registry\.dockerHub, .*\), or use builder: Builder\.host\(\) on nodes whose container runtime is Docker/ },
  { name: 'Builder.pink() with Registry.none()', act: app => deploy(app, { registry: Registry.none(), builder: Builder.pink() }),
    message: /deployment "x" has Registry\.none\(\) with Builder\.pink\(\): the images it builds stay in the builder's own store.*; set registry to a registry \(Registry\.dockerHub, .*\), or use builder: Builder\.host\(\) on nodes whose container runtime is Docker/ },
];

// Two deployments of one app that would share something on the cluster or on its nodes.

const twoDeployments: Case[] = [
  { name: 'a shared release name', act: app => deployBoth(app, { releaseName: 'binder' }, { releaseName: 'binder', namespace: 'b2' }),
    message: /deployments "a" and "b" share the release name "binder"; .*ClusterRole binder-image-cleaner/ },
  { name: 'a shared namespace', act: app => deployBoth(app, { namespace: 'binder' }, { namespace: 'binder' }),
    message: /^deployments "a" and "b" share the namespace "binder"; the jupyterhub chart's objects \(hub, proxy-public\) carry no release prefix and would collide: give each its own namespace$/ },
  { name: 'a shared socket folder', act: app => deployBoth(app, { builder: Builder.dind({ hostSocketDir: '/var/run/dind' }) }, { builder: Builder.dind({ hostSocketDir: '/var/run/dind' }) }),
    message: /^deployments "a" and "b" overlap on the nodes: Builder\.dind hostSocketDir \/var\/run\/dind of "b" is the same path as Builder\.dind hostSocketDir \/var\/run\/dind of "a"; .*give each deployment builder folders of its own, none inside another's$/ },
  { name: 'a nested image store', act: app => deployBoth(app, { builder: Builder.dind({ hostLibDir: '/var/lib/dind' }) }, {}),
    message: /^deployments "a" and "b" overlap on the nodes: Builder\.dind hostLibDir \/var\/lib\/dind\/b of "b" is inside Builder\.dind hostLibDir \/var\/lib\/dind of "a";/ },
  { name: 'the node\'s Docker twice', act: app => deployBoth(app, { builder: Builder.host() }, { builder: Builder.host() }),
    message: /^deployments "a" and "b" overlap on the nodes: Builder\.host socket \/var\/run\/docker\.sock of "b" is the same path as Builder\.host socket \/var\/run\/docker\.sock of "a";/ },
  { name: 'a socket folder that contains another deployment\'s', act: app => deployBoth(app, {}, { builder: Builder.dind({ hostSocketDir: '/var/run/dind' }) }),
    message: /^deployments "a" and "b" overlap on the nodes: Builder\.dind hostSocketDir \/var\/run\/dind of "b" contains Builder\.dind hostSocketDir \/var\/run\/dind\/a of "a";/ },
  { name: 'a lib folder that is another deployment\'s socket folder', act: app => deployBoth(app, {}, { builder: Builder.dind({ hostLibDir: '/var/run/dind/a' }) }),
    message: /^deployments "a" and "b" overlap on the nodes: Builder\.dind hostLibDir \/var\/run\/dind\/a of "b" is the same path as Builder\.dind hostSocketDir \/var\/run\/dind\/a of "a";/ },
  { name: 'an image store inside another deployment\'s socket folder', act: app => deployBoth(app, {}, { builder: Builder.dind({ hostLibDir: '/var/run/dind/a/images' }) }),
    message: /^deployments "a" and "b" overlap on the nodes: Builder\.dind hostLibDir \/var\/run\/dind\/a\/images of "b" is inside Builder\.dind hostSocketDir \/var\/run\/dind\/a of "a";/ },
  { name: 'a socket folder inside another deployment\'s image store', act: app => deployBoth(app, {}, { builder: Builder.dind({ hostSocketDir: '/var/lib/dind/a/run' }) }),
    message: /^deployments "a" and "b" overlap on the nodes: Builder\.dind hostSocketDir \/var\/lib\/dind\/a\/run of "b" is inside Builder\.dind hostLibDir \/var\/lib\/dind\/a of "a";/ },
  { name: 'a socket folder that contains another deployment\'s image store', act: app => deployBoth(app, {}, { builder: Builder.dind({ hostSocketDir: '/var/lib/dind' }) }),
    message: /^deployments "a" and "b" overlap on the nodes: Builder\.dind hostSocketDir \/var\/lib\/dind of "b" contains Builder\.dind hostLibDir \/var\/lib\/dind\/a of "a";/ },
  { name: 'a pink storage folder that is another deployment\'s dind image store',
    act: app => deployBoth(app, {}, { builder: Builder.pink({ hostStorageDir: '/var/lib/dind/a' }) }),
    message: /^deployments "a" and "b" overlap on the nodes: Builder\.pink hostStorageDir \/var\/lib\/dind\/a of "b" is the same path as Builder\.dind hostLibDir \/var\/lib\/dind\/a of "a";/ },
  { name: 'a pink socket folder around another deployment\'s', act: app => deployBoth(app, { builder: Builder.pink() }, { builder: Builder.pink({ hostSocketDir: '/var/run/pink' }) }),
    message: /^deployments "a" and "b" overlap on the nodes: Builder\.pink hostSocketDir \/var\/run\/pink of "b" contains Builder\.pink hostSocketDir \/var\/run\/pink\/a of "a";/ },
  { name: 'a dind socket folder around the node\'s Docker socket', act: app => deployBoth(app, { builder: Builder.host() }, { builder: Builder.dind({ hostSocketDir: '/var/run' }) }),
    message: /^deployments "a" and "b" overlap on the nodes: Builder\.dind hostSocketDir \/var\/run of "b" contains Builder\.host socket \/var\/run\/docker\.sock of "a";/ },
  { name: 'a dind image store around the node\'s Docker', act: app => deployBoth(app, { builder: Builder.host() }, { builder: Builder.dind({ hostLibDir: '/var/lib' }) }),
    message: /^deployments "a" and "b" overlap on the nodes: Builder\.dind hostLibDir \/var\/lib of "b" contains Builder\.host image store \/var\/lib\/docker of "a";/ },
];

// Ingress.

const hosts = { binderHost: 'binder.example.org', hubHost: 'hub.example.org', ingressClassName: 'nginx' };
const cm = () => Tls.certManager({ clusterIssuer: 'le' });
const ingress: Case[] = [
  { name: 'a host that is not a DNS name', act: app => deploy(app, { ingress: { ...hosts, binderHost: 'https://binder.example.org' } }),
    message: /^ingress binderHost "https:\/\/binder\.example\.org" is not a DNS name; give one such as binder\.example\.org \(lowercase, with a dot, labels of at most 63 characters, no scheme, port or IP address\)$/ },
  { name: 'a host without a domain', act: app => deploy(app, { ingress: { ...hosts, hubHost: 'hub' } }), message: /^ingress hubHost "hub" is not a DNS name; give one such as/ },
  { name: 'an IP address as the binder host', act: app => deploy(app, { ingress: { ...hosts, binderHost: '203.0.113.7' } }),
    message: /^ingress binderHost "203\.0\.113\.7" is an IP address, not a DNS name; give one such as binder\.example\.org/ },
  { name: 'an IP address as the hub host', act: app => deploy(app, { ingress: { ...hosts, hubHost: '10.0.0.1' } }),
    message: /^ingress hubHost "10\.0\.0\.1" is an IP address, not a DNS name; give one such as/ },
  { name: 'a host with a 70-character label', act: app => deploy(app, { ingress: { ...hosts, hubHost: `${'h'.repeat(70)}.example.org` } }),
    message: /^ingress hubHost "h{70}\.example\.org" has a label of 70 characters, not a DNS name \(at most 63\); give one such as/ },
  { name: 'a host over 253 characters', act: app => deploy(app, { ingress: { ...hosts, binderHost: `${'b'.repeat(60)}.`.repeat(5) + 'org' } }),
    message: /^ingress binderHost "(b{60}\.){5}org" has 308 characters, not a DNS name \(at most 253\); give one such as/ },
  { name: 'a host with a port', act: app => deploy(app, { ingress: { ...hosts, binderHost: 'binder.example.org:443' } }),
    message: /^ingress binderHost "binder\.example\.org:443" is not a DNS name; give one/ },
  { name: 'an upper-case ingressClassName', act: app => deploy(app, { ingress: { ...hosts, ingressClassName: 'Nginx' } }),
    message: /^ingress ingressClassName "Nginx" is not a valid object name: give lowercase letters, digits, '-' and '\.', each part between dots starting and ending with a letter or digit, at most 253 characters, such as nginx \(kubectl get ingressclass\)$/ },
  { name: 'an ingressClassName with an underscore', act: app => deploy(app, { ingress: { ...hosts, ingressClassName: 'nginx_internal' } }),
    message: /^ingress ingressClassName "nginx_internal" is not a valid object name/ },
  { name: 'an empty ingressClassName', act: app => deploy(app, { ingress: { ...hosts, ingressClassName: '' } }),
    message: /^ingress ingressClassName "" is empty: give lowercase letters, digits, '-' and '\.', each part between dots starting and ending with a letter or digit, at most 253 characters, such as nginx/ },
  { name: 'an empty clusterIssuer', act: () => Tls.certManager({ clusterIssuer: '' }),
    message: /^Tls\.certManager clusterIssuer "" is empty: give lowercase letters, digits, '-' and '\.', each part between dots starting and ending with a letter or digit, at most 253 characters, such as letsencrypt-prod$/ },
  { name: 'an empty issuer', act: () => Tls.certManager({ issuer: '' }), message: /^Tls\.certManager issuer "" is empty: give .*, such as letsencrypt-prod$/ },
  { name: 'a clusterIssuer with a space', act: () => Tls.certManager({ clusterIssuer: 'letsencrypt prod' }),
    message: /^Tls\.certManager clusterIssuer "letsencrypt prod" is not a valid object name/ },
  { name: 'a TLS Secret name with upper case', act: () => Tls.secret('Binder-TLS'), message: /^Tls\.secret "Binder-TLS" is not a valid object name/ },
  { name: 'a cert-manager Secret name with a slash', act: () => Tls.certManager({ clusterIssuer: 'le', secretName: 'tls/binder' }),
    message: /^Tls\.certManager secretName "tls\/binder" is not a valid object name: give lowercase letters, digits, '-' and '\.', each part between dots starting and ending with a letter or digit, at most 253 characters, such as binder-example-org-tls$/ },
  { name: 'the same host twice', act: app => deploy(app, { ingress: { ...hosts, hubHost: 'binder.example.org' } }),
    message: /ingress binderHost and hubHost are both "binder\.example\.org"/ },
  { name: 'TLS for one host only', act: app => deploy(app, { ingress: { ...hosts, hubTls: cm() } }), message: /^ingress has TLS for one host only; give binderTls and hubTls both \(https\) or neither \(http\): a browser refuses to mix them$/ },
  { name: 'a hub URL on another host', act: app => deploy(app, { ingress: { ...hosts, binderTls: cm(), hubTls: cm() }, hubUrl: 'https://jupyter.example.org' }),
    message: /hubUrl "https:\/\/jupyter\.example\.org\/" contradicts the ingress hub host, which makes the hub URL https:\/\/hub\.example\.org\// },
  { name: 'a hub URL with the wrong scheme', act: app => deploy(app, { ingress: { ...hosts, binderTls: cm(), hubTls: cm() }, hubUrl: 'http://hub.example.org' }),
    message: /hubUrl "http:\/\/hub\.example\.org\/" contradicts the ingress hub host/ },
  { name: 'a discovered hub URL', act: app => deploy(app, { ingress: hosts, discoveredHubUrl: 'http://203.0.113.7' }),
    message: /discoveredHubUrl "http:\/\/203\.0\.113\.7\/" contradicts/ },
  { name: 'Let\'s Encrypt for the binder host', act: app => deploy(app, { ingress: { ...hosts, binderTls: Tls.letsEncrypt('a@example.org'), hubTls: cm() } }),
    message: /^Tls\.letsEncrypt is the jupyterhub chart's own mode and covers the hub host only: give binderTls another source, such as Tls\.certManager$/ },
  { name: 'cert-manager with no issuer', act: () => Tls.certManager({}), message: /^Tls\.certManager needs exactly one of clusterIssuer, issuer or defaultIssuer: true$/ },
  { name: 'cert-manager with an issuer and the default issuer', act: () => Tls.certManager({ clusterIssuer: 'le', defaultIssuer: true }),
    message: /^Tls\.certManager needs exactly one of clusterIssuer, issuer or defaultIssuer: true$/ },
  { name: 'cert-manager with defaultIssuer false and nothing else', act: () => Tls.certManager({ defaultIssuer: false }),
    message: /^Tls\.certManager needs exactly one of clusterIssuer, issuer or defaultIssuer: true$/ },
  { name: 'an extra host that is not a DNS name', act: app => deploy(app, { ingress: { ...hosts, binderExtraHosts: ['old.example.org', 'https://new.example.org'] } }),
    message: /^ingress binderExtraHosts\[1\] "https:\/\/new\.example\.org" is not a DNS name; give one such as binder\.example\.org/ },
  { name: 'an extra binder host that is the hub host', act: app => deploy(app, { ingress: { ...hosts, binderExtraHosts: ['hub.example.org'] } }),
    message: /^ingress hubHost and binderExtraHosts\[0\] are both "hub\.example\.org"; give each host once, to one of BinderHub and JupyterHub$/ },
  { name: 'extra hosts that are no list (from JavaScript)', act: app => deploy(app, { ingress: { ...hosts, hubExtraHosts: 'jupyter.example.org' as unknown as string[] } }),
    message: /^ingress hubExtraHosts must be a list of host names, such as \['binder\.example\.net'\]$/ },
  { name: 'an annotation key with a space', act: app => deploy(app, { ingress: { ...hosts, binderAnnotations: { 'router middlewares': 'a@kubernetescrd' } } }),
    message: /^ingress binderAnnotations key "router middlewares" is not an annotation key: .*, such as traefik\.ingress\.kubernetes\.io\/router\.middlewares$/ },
  { name: 'an annotation value that is no string (from JavaScript)', act: app => deploy(app, { ingress: { ...hosts, hubAnnotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': true as unknown as string } } }),
    message: /^ingress hubAnnotations value of key "nginx\.ingress\.kubernetes\.io\/ssl-redirect" is a boolean, not a string; quote it, such as "true"$/ },
  { name: 'a class annotation that contradicts ingressClassName', act: app => deploy(app, { ingress: { ...hosts, hubAnnotations: { 'kubernetes.io/ingress.class': 'traefik' } } }),
    message: /^ingress hubAnnotations has kubernetes\.io\/ingress\.class "traefik" and ingressClassName is "nginx": the API server refuses an Ingress whose two differ; give the class once$/ },
  { name: 'an issuer annotation that contradicts the TLS', act: app => deploy(app, { ingress: { ...hosts, binderTls: cm(), hubTls: cm(), binderAnnotations: { 'cert-manager.io/cluster-issuer': 'staging' } } }),
    message: /^ingress binderAnnotations has cert-manager\.io\/cluster-issuer "staging", and binderTls sets it to "le": leave it to binderTls$/ },
  { name: 'hub annotations with the hub on Let\'s Encrypt', act: app => deploy(app, { ingress: { ...hosts, binderTls: cm(), hubTls: Tls.letsEncrypt('a@example.org'), hubAnnotations: { a: 'b' } } }),
    message: /^ingress hubAnnotations are for the hub's Ingress, and hubTls Tls\.letsEncrypt puts the hub on its own LoadBalancer instead: leave hubAnnotations out, or give hubTls another source$/ },
  ...([
    ['with no @', 'admin', 'admin'],
    ['with a space before it', 'ops team@example.org', 'ops team@example.org'],
    ['followed by another', 'admin@example.org, ops@example.org', 'admin@example\\.org, ops@example\\.org'],
    ['with a newline after it', 'admin@example.org\n', 'admin@example\\.org\\\\n'],
  ]).map(([what, email, shown]): Case => ({
    name: `a contact email ${what}`, act: () => Tls.letsEncrypt(email),
    message: new RegExp(`^Tls\\.letsEncrypt contact email "${shown}" is not an email address; give the one Let's Encrypt writes to about the certificate, such as admin@example\\.org$`),
  })),
  { name: 'service types through chartValues', act: app => deploy(app, { ingress: hosts, chartValues: { service: { type: 'NodePort' } } }),
    message: /^chartValues\.service\.type is set by the ingress prop; remove it from chartValues$/ },
  { name: 'the binderhub chart\'s own Ingress through chartValues', act: app => deploy(app, { ingress: hosts, chartValues: { ingress: { annotations: { a: 'b' } } } }),
    message: /^chartValues\.ingress is set by the ingress prop; remove it from chartValues$/ },
];

// Gateway.

const gw = { binderHost: 'binder.example.org', hubHost: 'hub.example.org', parent: { name: 'public', namespace: 'gateway-system' } };
const gateway: Case[] = [
  { name: 'a gateway host that is not a DNS name', act: app => deploy(app, { gateway: { ...gw, binderHost: 'https://binder.example.org' } }),
    message: /^gateway binderHost "https:\/\/binder\.example\.org" is not a DNS name; give one such as binder\.example\.org \(lowercase, with a dot, labels of at most 63 characters, no scheme, port or IP address\)$/ },
  { name: 'an IP address as the gateway hub host', act: app => deploy(app, { gateway: { ...gw, hubHost: '203.0.113.7' } }),
    message: /^gateway hubHost "203\.0\.113\.7" is an IP address, not a DNS name; give one such as binder\.example\.org/ },
  { name: 'a gateway hub host with a port', act: app => deploy(app, { gateway: { ...gw, hubHost: 'hub.example.org:8443' } }),
    message: /^gateway hubHost "hub\.example\.org:8443" is not a DNS name; give one/ },
  { name: 'the same gateway host twice', act: app => deploy(app, { gateway: { ...gw, hubHost: 'binder.example.org' } }),
    message: /^gateway binderHost and hubHost are both "binder\.example\.org"; BinderHub and JupyterHub need a host each$/ },
  { name: 'an upper-case Gateway name', act: app => deploy(app, { gateway: { ...gw, parent: { ...gw.parent, name: 'Public' } } }),
    message: /^gateway parent\.name "Public" is not a valid object name: give lowercase letters, digits, '-' and '\.', each part between dots starting and ending with a letter or digit, at most 253 characters, such as public \(kubectl get gateway -A\)$/ },
  { name: 'no Gateway parent (from JavaScript)', act: app => deploy(app, { gateway: { binderHost: gw.binderHost, hubHost: gw.hubHost } as GatewayOptions }),
    message: /^gateway parent\.name "undefined" is not a valid object name: give .*, such as public \(kubectl get gateway -A\)$/ },
  { name: 'an empty Gateway name', act: app => deploy(app, { gateway: { ...gw, parent: { ...gw.parent, name: '' } } }),
    message: /^gateway parent\.name "" is empty: give lowercase letters/ },
  { name: 'a Gateway namespace with a dot', act: app => deploy(app, { gateway: { ...gw, parent: { ...gw.parent, namespace: 'gateway.system' } } }),
    message: /^gateway parent\.namespace "gateway\.system" must be lowercase letters, digits and '-', start and end with a letter or digit, and be at most 63 characters$/ },
  { name: 'a Gateway namespace of 64 characters', act: app => deploy(app, { gateway: { ...gw, parent: { ...gw.parent, namespace: 'g'.repeat(64) } } }),
    message: /^gateway parent\.namespace "g{64}" must be .* at most 63 characters$/ },
  { name: 'a binder listener name with an underscore', act: app => deploy(app, { gateway: { ...gw, binderSectionName: 'https_binder' } }),
    message: /^gateway binderSectionName "https_binder" is not a valid object name: give .*, such as https \(a listener name of the Gateway\)$/ },
  { name: 'an empty hub listener name', act: app => deploy(app, { gateway: { ...gw, hubSectionName: '' } }),
    message: /^gateway hubSectionName "" is empty: give lowercase letters/ },
  { name: 'a listener protocol that is neither HTTPS nor HTTP', act: app => deploy(app, { gateway: { ...gw, listenerProtocol: 'TLS' as 'HTTPS' } }),
    message: /^gateway listenerProtocol "TLS" must be HTTPS or HTTP, the protocol of the Gateway's listeners for both hosts$/ },
  { name: 'ingress and gateway together', act: app => deploy(app, { ingress: hosts, gateway: gw }),
    message: /^deployment "x" has both ingress and gateway; keep one \(gateway makes HTTPRoutes, the successor to ingress's Ingress objects\)$/ },
  { name: 'a hub URL on another host than the gateway\'s', act: app => deploy(app, { gateway: gw, hubUrl: 'https://jupyter.example.org' }),
    message: /^hubUrl "https:\/\/jupyter\.example\.org\/" contradicts the gateway hub host, which makes the hub URL https:\/\/hub\.example\.org\/; leave it out$/ },
  { name: 'an https hub URL with an HTTP listener', act: app => deploy(app, { gateway: { ...gw, listenerProtocol: 'HTTP' }, hubUrl: 'https://hub.example.org' }),
    message: /^hubUrl "https:\/\/hub\.example\.org\/" contradicts the gateway hub host, which makes the hub URL http:\/\/hub\.example\.org\/; leave it out$/ },
  { name: 'a discovered hub URL beside a gateway', act: app => deploy(app, { gateway: gw, discoveredHubUrl: 'http://203.0.113.7' }),
    message: /^discoveredHubUrl "http:\/\/203\.0\.113\.7\/" contradicts the gateway hub host/ },
  ...([
    ['the chart\'s own httpRoute', { httpRoute: { enabled: true } }, 'httpRoute'],
    ['the binder Service type', { service: { type: 'LoadBalancer' } }, 'service.type'],
    ['the proxy-public Service type', { jupyterhub: { proxy: { service: { type: 'LoadBalancer' } } } }, 'jupyterhub.proxy.service.type'],
    ['the binderhub chart\'s Ingress', { ingress: { enabled: true } }, 'ingress'],
    ['the jupyterhub chart\'s Ingress', { jupyterhub: { ingress: { enabled: true } } }, 'jupyterhub.ingress'],
    ['the jupyterhub chart\'s Let\'s Encrypt', { jupyterhub: { proxy: { https: { enabled: true } } } }, 'jupyterhub.proxy.https'],
    ['the in-cluster hub address', { config: { BinderHub: { hub_url_local: 'http://hub:8081/' } } }, 'config.BinderHub.hub_url_local'],
  ] as const).map(([what, chartValues, setting]): Case => ({
    name: `${what} through chartValues beside a gateway`, act: app => deploy(app, { gateway: gw, chartValues }),
    message: new RegExp(`^chartValues\\.${setting.replace(/\./g, '\\.')} is set by the gateway prop; remove it from chartValues$`),
  })),
];

// The hub URL, from props and from the records that patch-hub-url writes.

const records = (dir: string) => new HubUrlRecords(path.join(dir, 'hub-urls'));
const record = (content: string) => (dir: string) => {
  fs.mkdirSync(records(dir).directory);
  fs.writeFileSync(records(dir).fileFor('x'), content);
};
const hubUrl: Case[] = [
  { name: 'a hub URL that is not a URL', act: app => deploy(app, { hubUrl: '203.0.113.7' }), message: /hubUrl "203\.0\.113\.7" is not a URL; give the public address of JupyterHub/ },
  { name: 'a hub URL that is not http', act: app => deploy(app, { hubUrl: 'ftp://hub' }), message: /hubUrl "ftp:\/\/hub" must start with http:\/\/ or https:\/\// },
  { name: 'a hub URL with a query', act: app => deploy(app, { hubUrl: 'http://hub/?a=1' }), message: /hubUrl "http:\/\/hub\/\?a=1" must have no query, fragment or credentials/ },
  { name: 'a hub URL with a fragment', act: app => deploy(app, { hubUrl: 'https://hub.example.org/#top' }),
    message: /^hubUrl "https:\/\/hub\.example\.org\/#top" must have no query, fragment or credentials$/ },
  { name: 'a hub URL with a password and no user name', act: app => deploy(app, { hubUrl: `https://:${URL_PASSWORD}@hub.example.org/` }),
    message: /^hubUrl "https:\/\/\*\*\*@hub\.example\.org\/" must have no query, fragment or credentials$/ },
  { name: 'a hub URL with credentials', act: app => deploy(app, { hubUrl: `https://admin:${URL_PASSWORD}@hub.example.org/x` }),
    message: /^hubUrl "https:\/\/\*\*\*@hub\.example\.org\/x" must have no query, fragment or credentials$/ },
  { name: 'a hub URL with a token for a user name', act: app => deploy(app, { hubUrl: `http://${URL_PASSWORD}@203.0.113.7` }),
    message: /^hubUrl "http:\/\/\*\*\*@203\.0\.113\.7" must have no query, fragment or credentials$/ },
  { name: 'a hub URL without a scheme, with credentials', act: app => deploy(app, { hubUrl: `admin:${URL_PASSWORD}@hub.example.org` }),
    message: /^hubUrl "\*\*\*@hub\.example\.org" must start with http:\/\/ or https:\/\/$/ },
  { name: 'a hub URL that is not a URL, with credentials', act: app => deploy(app, { hubUrl: `https://admin:${URL_PASSWORD}@hub example.org` }),
    message: /^hubUrl "https:\/\/\*\*\*@hub example\.org" is not a URL; give the public address of JupyterHub/ },
  { name: 'a discovered hub URL with credentials', act: app => deploy(app, { discoveredHubUrl: `http://admin:${URL_PASSWORD}@203.0.113.7/` }),
    message: /^discoveredHubUrl "http:\/\/\*\*\*@203\.0\.113\.7\/" must have no query, fragment or credentials$/ },
  { name: 'a hub URL with credentials beside an ingress', act: app => deploy(app, { ingress: hosts, hubUrl: `http://admin:${URL_PASSWORD}@hub.example.org` }),
    message: /^hubUrl "http:\/\/\*\*\*@hub\.example\.org" must have no query, fragment or credentials$/ },
  { name: 'a recorded hub URL with credentials', prepare: record(`https://admin:${URL_PASSWORD}@hub.example.org/\n`),
    act: (app, dir) => deploy(app, { discoveredHubUrl: records(dir).load('x') }),
    message: /^the URL in \S*hub-urls\/x\.url must have no query, fragment or credentials$/ },
  { name: 'a fixed and a discovered hub URL together', act: app => deploy(app, { hubUrl: 'http://a', discoveredHubUrl: 'http://b' }),
    message: /deployment "x" has both hubUrl \(fixed\) and discoveredHubUrl/ },
  { name: 'auth without an in-cluster hub address', act: app => deploy(app, { chartValues: { config: { BinderHub: { auth_enabled: true } } } }),
    message: /^chartValues\.config\.BinderHub\.auth_enabled needs chartValues\.config\.BinderHub\.hub_url_local \(such as http:\/\/proxy-public\/\): with auth the chart renders the hub API address into the binder pod at synth, before the public hub URL is known$/ },
  { name: 'a discovered hub URL that is not a URL', act: app => deploy(app, { discoveredHubUrl: 'hub' }), message: /discoveredHubUrl "hub" is not a URL/ },
  { name: 'a recorded hub URL that is not a URL', prepare: record('pending\n'), act: (app, dir) => deploy(app, { discoveredHubUrl: records(dir).load('x') }),
    message: /^the URL in \S*hub-urls\/x\.url is not a URL/ },
];

// Tokens, as a secrets file holds them, and the optional tokens of the props.

/** Fake token values spoiled by `spoil`. */
function spoiled(spoil: (v: Record<string, unknown>) => void): Record<string, unknown> {
  const values: Record<string, unknown> = fakeTokenValues('bad');
  spoil(values);
  return values;
}
const tokenCase = (name: string, values: Record<string, unknown>, message: RegExp): Case => ({
  name, message, act: app => deploy(app, { tokens: BinderHubTokens.fromValues(values, 'secrets/x.json') }),
  secrets: Object.values(values).filter((v): v is string => typeof v === 'string' && v.length > 8),
});
const tokens: Case[] = [
  tokenCase('a token is missing', spoiled(v => { delete v.cookieSecret; }), /^secrets\/x\.json: token "cookieSecret" is missing; run `npm run init-secrets -- --force`/),
  tokenCase('a token is too short', spoiled(v => { v.proxySecretToken = (v.proxySecretToken as string).slice(2); }),
    /^secrets\/x\.json: token "proxySecretToken" must be 64 lowercase hex/),
  tokenCase('a token is not hex', spoiled(v => { v.binderApiToken = 'g'.repeat(64); }), /^secrets\/x\.json: token "binderApiToken" must be 64 lowercase hex/),
  tokenCase('a token is not a string', spoiled(v => { v.buildTokenSecret = 42; }), /^secrets\/x\.json: token "buildTokenSecret" must be 64 lowercase hex/),
  tokenCase('two tokens are equal', spoiled(v => { v.cryptKeeperKey = v.cookieSecret; }), /^secrets\/x\.json: tokens "cookieSecret" and "cryptKeeperKey" are equal/),
  tokenCase('a token name is unknown', spoiled(v => { v.proxyToken = 'x'; }),
    /^secrets\/x\.json: 1 token name\(s\) other than proxySecretToken, .*, buildTokenSecret; fix the spelling/),
  { name: 'tokens that are not an object', act: app => deploy(app, { tokens: BinderHubTokens.fromValues('abc', 'f.json') }), message: /^f\.json: "tokens" must be an object/ },
  { name: 'an empty GitHub token', act: app => deploy(app, { githubAccessToken: ' ' }), message: /githubAccessToken of deployment "x" is empty/ },
  { name: 'an empty GitLab token', act: app => deploy(app, { gitlabPrivateToken: '' }),
    message: /^gitlabPrivateToken of deployment "x" is empty; leave it out or give the token$/ },
];

// chartValues: settings a typed prop owns, and the 2019 chart's.

const chartValues: Case[] = [
  { name: 'a token set through chartValues', act: app => deploy(app, { chartValues: { jupyterhub: { proxy: { secretToken: CHART_VALUES_TOKEN } } } }),
    message: /chartValues\.jupyterhub\.proxy\.secretToken is set by the secrets file \(npm run init-secrets\)/ },
  { name: 'hub_url set through chartValues', act: app => deploy(app, { chartValues: { config: { BinderHub: { hub_url: 'http://x' } } } }),
    message: /chartValues\.config\.BinderHub\.hub_url is set by the hubUrl prop/ },
  { name: 'the guide\'s dind.enabled', act: app => deploy(app, { chartValues: { dind: { enabled: true } } }),
    message: /chartValues\.dind\.enabled is a setting of the 2019 chart .*imageBuilderType/ },
  { name: 'the 2019 registry.prefix', act: app => deploy(app, { chartValues: { registry: { prefix: 'gcr.io/p/x' } } }),
    message: /chartValues\.registry\.prefix is a setting of the 2019 chart/ },
  { name: 'a GitHub token through chartValues', act: app => deploy(app, { chartValues: { config: { GitHubRepoProvider: { access_token: GITHUB_TOKEN } } } }),
    message: /^chartValues\.config\.GitHubRepoProvider\.access_token is set by the githubAccessToken prop; remove it from chartValues$/ },
  { name: 'registry credentials through chartValues', act: app => deploy(app, { chartValues: { registry: { username: 'bot', password: PASSWORD } } }),
    message: /^chartValues\.registry is set by the registry prop; remove it from chartValues$/ },
  { name: 'the build token secret through chartValues', act: app => deploy(app, { chartValues: { config: { BinderHub: { build_token_secret: CHART_VALUES_TOKEN } } } }),
    message: /^chartValues\.config\.BinderHub\.build_token_secret is set by the secrets file \(npm run init-secrets\); remove it from chartValues$/ },
  { name: 'the 2019 top-level github', act: app => deploy(app, { chartValues: { github: { accessToken: GITHUB_TOKEN } } }),
    message: /^chartValues\.github is a setting of the 2019 chart that today's binderhub chart refuses; use the githubAccessToken prop$/ },
  { name: 'the 2019 hub.url', act: app => deploy(app, { chartValues: { hub: { url: 'http://hub.example.org' } } }),
    message: /^chartValues\.hub\.url is a setting of the 2019 chart that today's binderhub chart refuses; use the hubUrl prop$/ },
  { name: 'extraEnv that is neither a list nor a map', act: app => deploy(app, { chartValues: { extraEnv: `MY_TOKEN=${CHART_VALUES_TOKEN}` } }),
    message: /^chartValues\.extraEnv must be a list of \{name, value \| valueFrom\} entries, or a map of names to a value or \{valueFrom\}$/ },
  { name: 'an extraEnv map entry the chart cannot render (a number)', act: app => deploy(app, { chartValues: { extraEnv: { MY_PORT: 8080 } } }),
    message: /^chartValues\.extraEnv\.MY_PORT must be text or a map such as \{valueFrom: \.\.\.\}, as the chart reads it; quote a number or yes\/no, or remove a null$/ },
  { name: 'the builder type through chartValues', act: app => deploy(app, { chartValues: { imageBuilderType: 'dind' } }),
    message: /chartValues\.imageBuilderType is set by the builder prop/ },
  { name: 'the build executor\'s socket through chartValues', act: app => deploy(app, { chartValues: { config: { KubernetesBuildExecutor: { docker_host: 'unix:///x' } } } }),
    message: /chartValues\.config\.KubernetesBuildExecutor\.docker_host is set by the builder prop/ },
];

// Secrets modes.

const secretsModes: Case[] = [
  ...['banana', '1d', '-5m', '+1h', '', '1h 30m', '1.5', 'h', '60 s', '10M'].map((interval): Case => ({
    name: `refreshInterval "${interval}"`, act: app => deploy(app, { secrets: SecretsMode.external({ storeName: 'vault', refreshInterval: interval }) }),
    message: new RegExp(`^SecretsMode\\.external refreshInterval "${interval.replace(/[.+]/g, c => `\\${c}`)}" is not a Go duration; give one such as 1h, 30m, 1h30m, or 0 to read the store once$`),
  })),
  { name: 'an empty storeName', act: app => deploy(app, { secrets: SecretsMode.external({ storeName: '' }) }),
    message: /^SecretsMode\.external storeName "" is empty: give lowercase letters/ },
];

// Delivery by a GitOps controller: Secrets that never reach git, and the controllers' settings.

const ARGO_CD = { repoURL: 'https://github.com/example/binder-deploy.git' };
const EXTERNAL = SecretsMode.external({ storeName: 'vault' });
const deliveredWith = (mode: string, why: string): RegExp =>
  new RegExp(`^deployment "x" is delivered by Argo CD but its secrets mode ${mode} ${why}.*: set secrets to SecretsMode\\.sealed\\(\\.\\.\\.\\) or SecretsMode\\.external\\(\\.\\.\\.\\)$`);

const delivery: Case[] = [
  { name: 'Argo CD delivery with SecretsMode.separate()', act: app => deploy(app, { secrets: SecretsMode.separate(), delivery: Delivery.argoCd(ARGO_CD) }),
    message: deliveredWith('separate', 'keeps its Secrets in dist-secrets/, which git ignores, so the controller never sees them') },
  { name: 'Argo CD delivery with no secrets mode (separate, the default)', act: app => deploy(app, { delivery: Delivery.argoCd(ARGO_CD) }),
    message: deliveredWith('separate', 'keeps its Secrets') },
  { name: 'Argo CD delivery with the app\'s mode SecretsMode.separate()',
    act: app => { SecretsMode.useForApp(app, SecretsMode.separate()); deploy(app, { delivery: Delivery.argoCd(ARGO_CD) }); },
    message: deliveredWith('separate', 'keeps its Secrets') },
  { name: 'Argo CD delivery with SecretsMode.inline()', act: app => deploy(app, { secrets: SecretsMode.inline(), delivery: Delivery.argoCd(ARGO_CD) }),
    message: deliveredWith('inline', 'writes its Secrets into dist/ in plain text, which the repository the controller reads must not hold') },
  ...['github.com/example/deploy', 'example', '', 'https://', 'https:///deploy.git', 'ftp://example.org/deploy.git', `https://bot:${URL_PASSWORD}@github.com/example/deploy.git x`].map((repoURL): Case => ({
    name: `repoURL "${repoURL.replace(URL_PASSWORD, '<password>')}"`, act: () => Delivery.argoCd({ repoURL }),
    message: /^Delivery\.argoCd repoURL ".*" is no git repository URL; give one such as https:\/\/github\.com\/example\/deploy\.git or git@github\.com:example\/deploy\.git$/,
  })),
  { name: 'a repoURL with a password', act: () => Delivery.argoCd({ repoURL: `https://bot:${URL_PASSWORD}@github.com/example/deploy.git` }),
    message: /^Delivery\.argoCd repoURL "https:\/\/\*\*\*@github\.com\/example\/deploy\.git" holds credentials, which dist\/ would commit: give the URL without them, and the credentials to the controller as a repository Secret$/ },
  ...['../dist', 'deploy/../../dist', '/dist', ''].map((path): Case => ({
    name: `path "${path}" outside the repository`, act: () => Delivery.argoCd({ ...ARGO_CD, path }),
    message: /^Delivery\.argoCd path ".*" must be a folder inside the repository, such as dist$/,
  })),
  ...[-1, 1.5, Number.NaN].map((retryLimit): Case => ({
    name: `retryLimit ${retryLimit}`, act: () => Delivery.argoCd({ ...ARGO_CD, retryLimit }),
    message: /^Delivery\.argoCd retryLimit \S+ is not a whole number; give how many times a failed sync is retried, such as 5$/,
  })),
  { name: 'Flux delivery with SecretsMode.separate()', act: app => deploy(app, { secrets: SecretsMode.separate(), delivery: Delivery.flux({ url: ARGO_CD.repoURL }) }),
    message: /^deployment "x" is delivered by Flux but its secrets mode separate keeps its Secrets in dist-secrets\/.*: set secrets to SecretsMode\.sealed/ },
  { name: 'an ssh repoURL with a password', act: () => Delivery.argoCd({ repoURL: `ssh://git:${URL_PASSWORD}@github.com/example/deploy.git` }),
    message: /^Delivery\.argoCd repoURL "ssh:\/\/\*\*\*@github\.com\/example\/deploy\.git" holds credentials, which dist\/ would commit/ },
  { name: 'a Flux url with a password', act: () => Delivery.flux({ url: `https://bot:${URL_PASSWORD}@github.com/example/deploy.git` }),
    message: /^Delivery\.flux url "https:\/\/\*\*\*@github\.com\/example\/deploy\.git" holds credentials/ },
  { name: 'a Flux url in git\'s scp-like form', act: () => Delivery.flux({ url: 'git@github.com:example/deploy.git' }),
    message: /^Delivery\.flux url "git@github\.com:example\/deploy\.git" is in git's scp-like form, which Flux does not read; write it as ssh:\/\/git@github\.com\/example\/deploy\.git$/ },
  { name: 'a Flux url that is no git URL', act: () => Delivery.flux({ url: 'example/deploy' }), message: /^Delivery\.flux url "example\/deploy" is no git repository URL/ },
  ...['5 minutes', '1d', ''].map((interval): Case => ({
    name: `a Flux interval "${interval}"`, act: () => Delivery.flux({ url: ARGO_CD.repoURL, interval }),
    message: /^Delivery\.flux interval ".*" is not a Go duration; give one such as 5m or 1h$/,
  })),
  { name: 'a Flux branch with a space', act: () => Delivery.flux({ url: ARGO_CD.repoURL, branch: 'main branch' }),
    message: /^Delivery\.flux branch "main branch" is no branch name; give one such as main$/ },
  { name: 'a Flux path outside the repository', act: () => Delivery.flux({ url: ARGO_CD.repoURL, path: '../dist' }),
    message: /^Delivery\.flux path "\.\.\/dist" must be a folder inside the repository, such as dist$/ },
  { name: 'a Flux namespace that is no DNS label', act: () => Delivery.flux({ url: ARGO_CD.repoURL, fluxNamespace: 'Flux' }),
    message: /^Delivery\.flux fluxNamespace "Flux" must be lowercase letters/ },
  { name: 'a Flux secretName that is no object name', act: () => Delivery.flux({ url: ARGO_CD.repoURL, secretName: 'Deploy Key' }),
    message: /^Delivery\.flux secretName "Deploy Key" / },
  { name: 'a project that is no object name', act: () => Delivery.argoCd({ ...ARGO_CD, project: 'Binder Team' }),
    message: /^Delivery\.argoCd project "Binder Team" / },
  { name: 'an Argo CD namespace that is no DNS label', act: () => Delivery.argoCd({ ...ARGO_CD, argoCdNamespace: 'argo.cd' }),
    message: /^Delivery\.argoCd argoCdNamespace "argo\.cd" must be lowercase letters/ },
];

// Names of the deployment: release name and namespace.

const names: Case[] = [
  { name: 'a deployment id ending with -delivery (the file of a deployment\'s GitOps controller object)', act: app => deploy(app, { secrets: EXTERNAL }, 'prod-delivery'),
    message: /^deployment id "prod-delivery" ends with -delivery, which names the file of another deployment's GitOps controller object; pick another id$/ },
  { name: 'a deployment id ending with -secrets', act: app => deploy(app, {}, 'prod-secrets'),
    message: /^deployment id "prod-secrets" ends with -secrets, which names the file of another deployment's Secrets; pick another id$/ },
  { name: 'an invalid release name', act: app => deploy(app, { releaseName: 'Prod_1' }), message: /releaseName "Prod_1" must be lowercase letters, digits and '-'/ },
  { name: 'a release name over 53 characters', act: app => deploy(app, { releaseName: 'a'.repeat(54) }), message: /releaseName "a{54}" .* at most 53 characters/ },
  { name: 'an invalid namespace', act: app => deploy(app, { namespace: 'binder.hub' }), message: /namespace "binder\.hub" must be lowercase/ },
  { name: 'a release name with a newline and a terminal escape', act: app => deploy(app, { releaseName: 'binder\n\u001b[2Jx' }),
    message: /^releaseName "binder\\n\\u001b\[2Jx" must be lowercase letters/ },
];

// kubeVersion.

const kubeVersion: Case[] = ['1', '2.0.0', '1.x', '1.35-gke', ' 1.35'].map(given => ({
  name: `kubeVersion "${given}"`, act: (app: App) => deploy(app, { kubeVersion: given }),
  message: new RegExp(`^kubeVersion "${given.replace(/\./g, '\\.')}" is not a Kubernetes version; give your cluster's, such as 1\\.35\\.0`),
}));

// Secrets files, as `SecretStore.load` reads them for a synth.

const store = (dir: string) => new SecretStore(path.join(dir, 'secrets'));
/** Writes secrets/x.json: generated tokens, then `change` applied to the parsed content. */
const secretsFile = (change: (content: any) => unknown = c => c) => (dir: string) => {
  store(dir).init('x');
  const file = store(dir).fileFor('x');
  const changed = change(JSON.parse(fs.readFileSync(file, 'utf8')));
  fs.writeFileSync(file, typeof changed === 'string' ? changed : JSON.stringify(changed));
};
/** A deployment with what secrets/x.json holds. */
const deployFromFile = (app: App, dir: string) => {
  const secrets = store(dir).load('x');
  return deploy(app, { tokens: secrets.tokens, registry: Registry.dockerHub({ username: 'bot', password: requiredCredential(secrets, 'registryPassword'), imagePrefix: 'org/b-' }) });
};
/** Runs `read` while reading any file fails as a file without read permission does (root reads them all). */
function unreadable<T>(read: () => T): T {
  const realFs: typeof fs = require('fs');
  const spy = jest.spyOn(realFs, 'openSync').mockImplementation(() => {
    throw Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' });
  });
  try {
    return read();
  } finally {
    spy.mockRestore();
  }
}
const secretsFiles: Case[] = [
  { name: 'a missing secrets file', act: deployFromFile,
    message: /^secrets file .*secrets\/x\.json for deployment "x" does not exist; run `npm run init-secrets -- x` to generate its tokens$/ },
  { name: 'a secrets file that is not JSON', prepare: secretsFile(() => `{"credentials": {"githubAccessToken": "${BROKEN_JSON_TOKEN}"`), act: deployFromFile,
    message: /^\S*secrets\/x\.json is not valid JSON; fix it by hand \(a merge conflict or a missing quote or comma\?\)$/ },
  { name: 'a secrets file with a merge conflict', prepare: secretsFile(c => `<<<<<<< HEAD\n${JSON.stringify(c)}\n=======\n{}\n>>>>>>> other\n`), act: deployFromFile,
    message: /^\S*secrets\/x\.json is not valid JSON; fix it by hand/ },
  ...[['credential', ' (did you mean "credentials"?)'], ['Credentials', ' (did you mean "credentials"?)'], ['token', ' (did you mean "tokens"?)'],
    ['registryPassword', ''], [GITHUB_TOKEN, '']].map(([key, hint]): Case => ({
    name: `a secrets file with the top-level key "${key === GITHUB_TOKEN ? 'a GitHub token' : key}": named by count, never quoted`,
    prepare: secretsFile(c => ({ tokens: c.tokens, [key]: key === 'registryPassword' ? PASSWORD : { registryPassword: PASSWORD } })), act: deployFromFile,
    message: new RegExp(`^\\S*secrets\\/x\\.json: 1 top-level key\\(s\\) other than "tokens", "credentials" and "chartValues"${hint.replace(/[()?]/g, c => `\\${c}`)}; `
      + 'a secrets file holds only those \\(keys we do not expect are not shown: one could be a secret\\)$'),
  })),
  { name: 'init --force on a secrets file with a misspelled key (it would drop the credentials)',
    prepare: secretsFile(c => ({ ...c, credentail: { registryPassword: PASSWORD } })), act: (_app, dir) => store(dir).init('x', true),
    message: /^\S*secrets\/x\.json: 1 top-level key\(s\) other than "tokens", "credentials" and "chartValues" \(did you mean "credentials"\?\)/ },
  ...[0o644, 0o640, 0o604, 0o620, 0o666].map((mode): Case => ({
    name: `a secrets file of mode ${mode.toString(8)}`,
    prepare: dir => { secretsFile(c => ({ ...c, credentials: { registryPassword: PASSWORD } }))(dir); fs.chmodSync(store(dir).fileFor('x'), mode); },
    act: deployFromFile,
    message: new RegExp(`^(\\S*secrets\\/x\\.json) has mode 0${mode.toString(8)}, so group or others may read or change its tokens; run \`chmod 600 \\1\`$`),
  })),
  { name: 'an unreadable secrets file (EACCES): no advice that would rotate the tokens',
    prepare: secretsFile(c => ({ ...c, credentials: { registryPassword: PASSWORD } })), act: (app, dir) => unreadable(() => deployFromFile(app, dir)),
    message: /^(\S*secrets\/x\.json) cannot be read \(EACCES\); let the user who runs this read it: chown it to that user, then `chmod 600 \1`$/ },
  { name: 'init --force on an unreadable secrets file',
    prepare: secretsFile(), act: (_app, dir) => unreadable(() => store(dir).init('x', true)),
    message: /^\S*secrets\/x\.json cannot be read \(EACCES\)/ },
  { name: 'a secrets file that is a JSON array', prepare: secretsFile(() => '[]'), act: deployFromFile,
    message: /^\S*secrets\/x\.json must hold a JSON object \{"tokens": \{\.\.\.\}, "credentials": \{\.\.\.\}\}$/ },
  { name: 'a secrets file without tokens', prepare: secretsFile(c => ({ credentials: c.credentials })), act: deployFromFile,
    message: /^\S*secrets\/x\.json: "tokens" must be an object with proxySecretToken, .*; run `npm run init-secrets -- --force` to write a fresh set$/ },
  { name: '"credentials" that are a token, not an object of them', prepare: secretsFile(c => ({ ...c, credentials: GITHUB_TOKEN })), act: deployFromFile,
    message: /^\S*secrets\/x\.json: "credentials" must be an object with any of githubAccessToken, gitlabPrivateToken, registryPassword, oauthClientSecret$/ },
  { name: '"credentials" that are a list', prepare: secretsFile(c => ({ ...c, credentials: [{ registryPassword: PASSWORD }] })), act: deployFromFile,
    message: /^\S*secrets\/x\.json: "credentials" must be an object with any of githubAccessToken, gitlabPrivateToken, registryPassword, oauthClientSecret$/ },
  { name: 'a credential that is not a string', prepare: secretsFile(c => ({ ...c, credentials: { registryPassword: 42 } })), act: deployFromFile,
    message: /^\S*secrets\/x\.json: credential "registryPassword" must be a non-empty string$/ },
  { name: 'an unknown credential name: counted, its likely meaning named', prepare: secretsFile(c => ({ ...c, credentials: { githubAcessToken: GITHUB_TOKEN } })), act: deployFromFile,
    message: /^\S*secrets\/x\.json: 1 credential name\(s\) other than githubAccessToken, gitlabPrivateToken, registryPassword, oauthClientSecret \(did you mean "githubAccessToken"\?\); fix the spelling \(names we do not expect are not shown: one could be a secret\)$/ },
  { name: 'a credential name that is a token (pasted as a key): not quoted', prepare: secretsFile(c => ({ ...c, credentials: { [PASSWORD]: PASSWORD } })), act: deployFromFile,
    message: /^\S*secrets\/x\.json: 1 credential name\(s\) other than githubAccessToken, gitlabPrivateToken, registryPassword, oauthClientSecret; fix the spelling/ },
  { name: 'an empty credential', prepare: secretsFile(c => ({ ...c, credentials: { registryPassword: '' } })), act: deployFromFile,
    message: /secrets\/x\.json: credential "registryPassword" must be a non-empty string/ },
  { name: 'a missing credential that the deployment needs', prepare: secretsFile(), act: deployFromFile,
    message: /secrets\/x\.json has no credentials\.registryPassword, which this deployment needs; add it to the file's "credentials"/ },
];

// Login: what cannot log anyone in, or could not send users back.

const CLIENT_SECRET = 'bad-inputs-fake-oauth-secret-Qz81';
const GITHUB_LOGIN = { clientId: 'binder-oauth-app', clientSecret: CLIENT_SECRET, allowedOrganizations: ['binder-examples'] };
const OAUTH2_LOGIN = { ...GITHUB_LOGIN, authorizeUrl: 'https://login.example.org/authorize', tokenUrl: 'https://login.example.org/token', userdataUrl: 'https://login.example.org/userinfo' };
const auth: Case[] = [
  { name: 'an empty OAuth client id', act: () => Auth.github({ ...GITHUB_LOGIN, clientId: ' ' }),
    message: /^auth clientId is empty; give the OAuth application's client id$/ },
  { name: 'an empty OAuth client secret', act: () => Auth.github({ ...GITHUB_LOGIN, clientSecret: '' }),
    message: /^auth clientSecret is empty; give app\.credential\(<deployment>, 'oauthClientSecret'\)/ },
  { name: 'a login that lets nobody in', act: () => Auth.github({ clientId: 'id', clientSecret: CLIENT_SECRET }),
    message: /^auth lets nobody log in \(the authenticator admits only the users it is told to\); give allowedUsers, allowedOrganizations, adminUsers, or allowAllUsers: true$/ },
  { name: 'a GitLab login with an empty group list', act: () => Auth.gitlab({ clientId: 'id', clientSecret: CLIENT_SECRET, allowedGroups: [] }),
    message: /^auth lets nobody log in .*give allowedUsers, allowedGroups, adminUsers, or allowAllUsers: true$/ },
  { name: 'a user name with spaces around it', act: () => Auth.github({ ...GITHUB_LOGIN, allowedUsers: [' octocat'] }),
    message: /^auth allowedUsers\[0\] must be a name without surrounding spaces$/ },
  { name: 'zero servers per user', act: () => Auth.github({ ...GITHUB_LOGIN, serversPerUser: 0 }),
    message: /^auth serversPerUser 0 must be a whole number from 1 to 100$/ },
  { name: 'a fractional server count', act: () => Auth.github({ ...GITHUB_LOGIN, serversPerUser: 2.5 }),
    message: /^auth serversPerUser 2\.5 must be a whole number from 1 to 100$/ },
  { name: 'a GitLab over plain http', act: () => Auth.gitlab({ ...GITHUB_LOGIN, gitlabUrl: 'http://gitlab.example.org' }),
    message: /^auth gitlabUrl must be an https URL: the login flow sends codes and tokens through it$/ },
  { name: 'an OAuth2 token URL that is no URL', act: () => Auth.oauth2({ ...OAUTH2_LOGIN, tokenUrl: 'token' }),
    message: /^auth tokenUrl is not a URL; give one such as https:\/\/login\.example\.org\/\.\.\.$/ },
  { name: 'credentials in an OAuth2 endpoint', act: () => Auth.oauth2({ ...OAUTH2_LOGIN, authorizeUrl: 'https://u:p@login.example.org/authorize' }),
    message: /^auth authorizeUrl must have no credentials in it$/ },
  { name: 'login with a discovered hub URL', act: app => deploy(app, { auth: Auth.github(GITHUB_LOGIN) }),
    message: /^auth needs JupyterHub's public URL at synth, where the provider returns users after login: give the deployment an ingress or gateway with hosts, or a hubUrl \(https:\/\/<hub host>\/\)$/ },
  { name: 'login with a fixed hub URL but no binder URL', act: app => deploy(app, { hubUrl: 'https://hub.example.org', auth: Auth.github(GITHUB_LOGIN) }),
    message: /^auth needs BinderHub's public URL, .*or auth binderUrl \(https:\/\/<binder host>\/\)$/ },
  { name: "a binder URL beside the ingress's hosts", act: app => deploy(app, { ingress: { ...hosts, binderTls: cm(), hubTls: cm() }, auth: Auth.github({ ...GITHUB_LOGIN, binderUrl: 'https://b.example.org' }) }),
    message: /^auth binderUrl is set, but the ingress prop's binderHost gives BinderHub's URL; remove binderUrl$/ },
  { name: 'login on an ingress without TLS', act: app => deploy(app, { ingress: hosts, auth: Auth.github(GITHUB_LOGIN) }),
    message: /^auth needs https where users return after login, but the ingress prop's hubHost gives http:\/\/hub\.example\.org: give the ingress or gateway TLS \(binderTls and hubTls, or an HTTPS listener\), or an https URL$/ },
  { name: 'a plain-http binder URL', act: app => deploy(app, { hubUrl: 'https://hub.example.org', auth: Auth.github({ ...GITHUB_LOGIN, binderUrl: 'http://binder.example.org' }) }),
    message: /^auth binderUrl must be an https URL/ },
  { name: 'chartValues setting what the auth prop sets', act: app => deploy(app, { ingress: { ...hosts, binderTls: cm(), hubTls: cm() }, auth: Auth.github(GITHUB_LOGIN), chartValues: { jupyterhub: { hub: { redirectToServer: true } } } }),
    message: /^chartValues\.jupyterhub\.hub\.redirectToServer is set by the auth prop; remove it from chartValues$/ },
];

// Service policy: resources, quotas, culling and network as BinderHub and JupyterHub read them.

const policy: Case[] = [
  { name: 'a user memory limit below its guarantee', act: app => deploy(app, { policy: ServicePolicy.public({ users: { memoryGuarantee: '2G', memoryLimit: '1G' } }) }),
    message: /^policy users\.memoryGuarantee 2G is above users\.memoryLimit 1G; a guarantee or request cannot exceed its limit$/ },
  { name: 'a build memory request above its limit', act: app => deploy(app, { policy: ServicePolicy.public({ builds: { memoryRequest: '3G', memoryLimit: '2G' } }) }),
    message: /^policy builds\.memoryRequest 3G is above builds\.memoryLimit 2G/ },
  { name: 'a CPU guarantee above its limit', act: app => deploy(app, { policy: ServicePolicy.public({ users: { cpuGuarantee: 2, cpuLimit: 1 } }) }),
    message: /^policy users\.cpuGuarantee 2 is above users\.cpuLimit 1/ },
  { name: 'a Kubernetes memory quantity BinderHub cannot read', act: app => deploy(app, { policy: ServicePolicy.public({ users: { memoryLimit: '2Gi' } }) }),
    message: /^policy users\.memoryLimit "2Gi" is no memory size as BinderHub and JupyterHub read one; give a number with K, M, G or T \(powers of 1024\), such as 2G$/ },
  { name: 'a build memory limit of nothing', act: app => deploy(app, { policy: ServicePolicy.public({ builds: { memoryLimit: '0G' } }) }),
    message: /^policy builds\.memoryLimit "0G" is no memory size/ },
  { name: 'a CPU limit of 0', act: app => deploy(app, { policy: ServicePolicy.public({ users: { cpuLimit: 0 } }) }),
    message: /^policy users\.cpuLimit 0 must be a number of CPU cores above 0, such as 0\.5$/ },
  { name: 'a per-repository quota of 0', act: app => deploy(app, { policy: ServicePolicy.public({ quotas: { perRepository: 0 } }) }),
    message: /^policy quotas\.perRepository 0 must be a whole number of at least 1 \(leave it out for no quota; 0 would refuse every launch\)$/ },
  { name: 'a fractional total quota', act: app => deploy(app, { policy: ServicePolicy.public({ quotas: { total: 2.5 } }) }),
    message: /^policy quotas\.total 2\.5 must be a whole number of at least 1/ },
  { name: 'a higher quota for no repository', act: app => deploy(app, { policy: ServicePolicy.public({ quotas: { perRepositoryHigher: 200 } }) }),
    message: /^policy quotas\.perRepositoryHigher applies to no repository; give quotas\.highQuotaRepositories too$/ },
  { name: 'a culling timeout of 0', act: app => deploy(app, { policy: ServicePolicy.public({ culling: { timeoutSeconds: 0 } }) }),
    message: /^policy culling\.timeoutSeconds 0 must be a whole number of at least 1$/ },
  { name: 'a banned pattern with an unclosed bracket', act: app => deploy(app, { policy: ServicePolicy.public({ quotas: { bannedRepositories: ['^spam/[a-'] } }) }),
    message: /^policy quotas\.bannedRepositories\[0\] is no Python regular expression \(such as \^someorg\/somerepo\.\*\); check its brackets and escapes$/ },
  { name: 'a banned pattern with an escape Python does not know', act: app => deploy(app, { policy: ServicePolicy.public({ quotas: { bannedRepositories: ['^spam\\q'] } }) }),
    message: /^policy quotas\.bannedRepositories\[0\] is no Python regular expression/ },
  { name: 'an empty high-quota pattern', act: app => deploy(app, { policy: ServicePolicy.public({ quotas: { highQuotaRepositories: [''], perRepositoryHigher: 2 } }) }),
    message: /^policy quotas\.highQuotaRepositories\[0\] is no Python regular expression/ },
  { name: 'an allowed range that is no CIDR', act: app => deploy(app, { policy: ServicePolicy.public({ network: { allowedRanges: ['10.20.0.0'] } }) }),
    message: /^policy network\.allowedRanges\[0\] "10\.20\.0\.0" is no CIDR; give an address range such as 10\.20\.0\.0\/16$/ },
  { name: 'an IPv4 prefix over 32', act: app => deploy(app, { policy: ServicePolicy.public({ network: { allowedRanges: ['10.0.0.0/33'] } }) }),
    message: /^policy network\.allowedRanges\[0\] "10\.0\.0\.0\/33" is no CIDR/ },
  { name: 'an octet over 255', act: app => deploy(app, { policy: ServicePolicy.public({ network: { allowedRanges: ['10.300.0.0/16'] } }) }),
    message: /^policy network\.allowedRanges\[0\] "10\.300\.0\.0\/16" is no CIDR/ },
  { name: 'a public service whose chartValues turn culling off', act: app => deploy(app, { chartValues: { jupyterhub: { cull: { enabled: false } } } }),
    message: /^deployment "x" is a public service \(ServicePolicy\.public\(\)\) with no culling of idle user servers \(culling\); set those in its policy \(and remove chartValues that undo them\), or use ServicePolicy\.private\(\) for a BinderHub behind login or on a private network$/ },
  { name: 'a policy setting also in chartValues', act: app => deploy(app, { policy: ServicePolicy.public({ quotas: { perRepository: 50 } }), chartValues: { config: { BinderHub: { per_repo_quota: 10 } } } }),
    message: /^chartValues\.config\.BinderHub\.per_repo_quota is set by the policy prop; remove it from chartValues$/ },
];

// Monitoring: where Prometheus runs, what selects the monitors, when the alerts fire.

const operator = (options: object) => Monitoring.prometheusOperator(options);
const monitoring: Case[] = [
  { name: 'a Prometheus namespace that is no namespace name', act: app => deploy(app, { monitoring: Monitoring.annotations({ prometheusNamespace: 'Monitoring' }) }),
    message: /^Monitoring\.annotations prometheusNamespace "Monitoring" must be lowercase letters, digits and '-'/ },
  { name: 'monitor labels with a key that is no label key', act: app => deploy(app, { monitoring: operator({ labels: { 'release name': 'kps' } }) }),
    message: /^Monitoring\.prometheusOperator labels key "release name" is not a label key/ },
  { name: 'a build failure share of 0 (every build would alert)', act: app => deploy(app, { monitoring: operator({ alerts: { buildFailureRatio: 0 } }) }),
    message: /^Monitoring\.prometheusOperator alerts\.buildFailureRatio 0 must be a share between 0 and 1, such as 0\.5 \(half of the builds failing\)$/ },
  { name: 'a build failure share given as a percentage', act: app => deploy(app, { monitoring: operator({ alerts: { buildFailureRatio: 50 } }) }),
    message: /^Monitoring\.prometheusOperator alerts\.buildFailureRatio 50 must be a share between 0 and 1/ },
  { name: 'a launch threshold of 0 seconds', act: app => deploy(app, { monitoring: operator({ alerts: { launchSeconds: 0 } }) }),
    message: /^Monitoring\.prometheusOperator alerts\.launchSeconds 0 must be a number of seconds above 0, such as 120$/ },
  { name: 'a fractional number of pending minutes', act: app => deploy(app, { monitoring: operator({ alerts: { pendingMinutes: 2.5 } }) }),
    message: /^Monitoring\.prometheusOperator alerts\.pendingMinutes 2\.5 must be a whole number of minutes of at least 1, such as 10$/ },
  { name: 'chartValues asking for the hub\'s metrics token while monitoring reads them without one', act: app => deploy(app, { monitoring: Monitoring.annotations(), chartValues: { jupyterhub: { hub: { authenticatePrometheus: true } } } }),
    message: /^chartValues\.jupyterhub\.hub\.authenticatePrometheus is set by the monitoring prop; remove it from chartValues$/ },
  { name: 'annotation scraping of a proxy-public that leads to Let\'s Encrypt\'s traefik, not the proxy', act: app => deploy(app, {
    monitoring: Monitoring.annotations(), ingress: { ...hosts, binderTls: Tls.certManager({ clusterIssuer: 'le' }), hubTls: Tls.letsEncrypt('admin@example.org') } }),
    message: /^deployment "x" has Monitoring\.annotations\(\), which scrapes the proxy through Service proxy-public, but proxy-public leads to the autohttps pods .*: use Monitoring\.prometheusOperator\(\), whose PodMonitor reaches the proxy's pods$/ },
  { name: 'chartValues with proxy flags that monitoring\'s would replace', act: app => deploy(app, { monitoring: operator({}), chartValues: { jupyterhub: { proxy: { chp: { extraCommandLineFlags: ['--log-level=warn'] } } } } }),
    message: /^chartValues\.jupyterhub\.proxy\.chp\.extraCommandLineFlags is set by the monitoring prop; remove it from chartValues$/ },
];

const groups: Array<[string, Case[]]> = [
  ['registries', registries],
  ['builders', builders],
  ['two deployments of one app', twoDeployments],
  ['ingress', ingress],
  ['gateway', gateway],
  ['auth', auth],
  ['policy', policy],
  ['monitoring', monitoring],
  ['hub URL', hubUrl],
  ['tokens', tokens],
  ['chartValues', chartValues],
  ['secrets modes', secretsModes],
  ['delivery', delivery],
  ['deployment names', names],
  ['kubeVersion', kubeVersion],
  ['secrets files', secretsFiles],
];

describe.each(groups)('bad inputs: %s', (_, cases) => {
  test.each(cases.map(c => [c.name, c] as const))('refuses %s', (_name, c) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-'));
    c.prepare?.(dir);
    const before = listing(dir);
    const app = Testing.app();
    let error: unknown;
    try {
      c.act(app, dir);
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(fs.readdirSync(app.outdir)).toEqual([]);
    expect(listing(dir)).toEqual(before);
    const message = (error as ConfigError).message;
    expect(message).toMatch(c.message);
    expect(message).not.toMatch(/[\r\n]/);
    for (const secret of [...SECRETS, ...(c.secrets ?? [])]) {
      expect(message).not.toContain(secret);
      expect(message).not.toContain(Buffer.from(secret).toString('base64'));
    }
  });
});

test('the suite has at least 80 cases, in every group', () => {
  expect(groups.flatMap(([, cases]) => cases).length).toBeGreaterThanOrEqual(80);
  expect(groups.filter(([, cases]) => cases.length === 0)).toEqual([]);
});
