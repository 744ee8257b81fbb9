import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  BinderHubProps, HUB_URL_CHECKSUM_ANNOTATION, HUB_URL_CONFIG_MAP, hubUrlForAddress, HubUrlRecords, hubUrlState, normalizeHubUrl,
  patchHubUrl, resolveHubUrl,
} from '../lib/internal';
import { find, secretValue, synthBinderHub, synthManifest } from './helpers';

/** The manifest file of deployment prod in namespace binder-prod. */
const synthProd = (props: Partial<BinderHubProps> = {}) => synthManifest({ namespace: 'binder-prod', ...props }, 'prod');

function changedLines(before: string, after: string): Array<[string, string]> {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return a.map((line, i) => [line, b[i]] as [string, string]).filter(([x, y]) => x !== y);
}

describe('where BinderHub reads the hub URL', () => {
  const objects = synthBinderHub({ hubUrl: 'https://hub.example.org' }, 'u');
  const binder = find(objects, 'Deployment', 'binder');

  test('ConfigMap binder-hub-url holds it; the binder pod reads it into the env and rolls when it changes', () => {
    expect(find(objects, 'ConfigMap', HUB_URL_CONFIG_MAP).data).toEqual({ hub_url: 'https://hub.example.org/' });
    const env = binder.spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'BINDERHUB_CDK8S_HUB_URL').valueFrom.configMapKeyRef).toEqual({ name: HUB_URL_CONFIG_MAP, key: 'hub_url', optional: true });
  });

  test('the binder pod\'s checksum/hub-url annotation is the SHA-256 of the URL itself, so another URL rolls the pod', () => {
    // printf '%s' <url> | sha256sum
    expect(binder.spec.template.metadata.annotations[HUB_URL_CHECKSUM_ANNOTATION]).toBe('849d94182d5b313b2cb09c90fcbfdf9c31967c0d674043eed4efc6b49285a7d0');
    const other = find(synthBinderHub({ hubUrl: 'http://203.0.113.7' }, 'u'), 'Deployment', 'binder');
    expect(other.spec.template.metadata.annotations[HUB_URL_CHECKSUM_ANNOTATION]).toBe('6ae050fa2d7c524f84cbab0fd57dd7a1d000388972f4aa1ea8a3af92c05e5e3b');
  });

  test('a hub URL that is not one is refused under the name hubUrl unless the caller names another setting', () => {
    expect(() => normalizeHubUrl('hub.example.org')).toThrow(
      'hubUrl "hub.example.org" is not a URL; give the public address of JupyterHub, such as http://203.0.113.7 or https://hub.example.org');
  });

  test('a hub URL with a path gets the trailing slash BinderHub adds, and keeps one it has', () => {
    expect(normalizeHubUrl('https://hub.example.org/jh')).toBe('https://hub.example.org/jh/');
    expect(normalizeHubUrl('https://hub.example.org/jh/')).toBe('https://hub.example.org/jh/');
    expect(normalizeHubUrl('http://203.0.113.7:8080/a/b')).toBe('http://203.0.113.7:8080/a/b/');
  });

  test('an extraConfig snippet sets c.BinderHub.hub_url from it; no secret carries it', () => {
    const values = yaml.load(secretValue(find(objects, 'Secret', 'binder-secret'), 'values.yaml')) as any;
    expect(values.extraConfig['binderhub-cdk8s-hub-url']).toContain('c.BinderHub.hub_url = _hub_url');
    expect(values.extraConfig['binderhub-cdk8s-hub-url']).toContain('os.environ.get("BINDERHUB_CDK8S_HUB_URL"');
    expect(values.config.BinderHub.hub_url).toBeUndefined();
    for (const secret of objects.filter(o => o.kind === 'Secret')) {
      expect(JSON.stringify(secret)).not.toContain('hub.example.org');
    }
  });

  test('the operator\'s own extraEnv entries stay, before ours', () => {
    const env = find(synthBinderHub({ chartValues: { extraEnv: [{ name: 'MY_VAR', value: 'x' }] } }), 'Deployment', 'binder').spec.template.spec.containers[0].env;
    expect(env.map((e: any) => e.name).slice(-2)).toEqual(['MY_VAR', 'BINDERHUB_CDK8S_HUB_URL']);
  });
});

describe('patchHubUrl', () => {
  const pending = synthProd();

  test('changes exactly the ConfigMap value and source and the pod checksum, nothing else', () => {
    const patched = patchHubUrl(pending, 'http://203.0.113.7/');
    expect(patched.changed).toBe(true);
    expect(changedLines(pending, patched.manifest)).toEqual([
      ['    binderhub-cdk8s.io/hub-url-source: pending', '    binderhub-cdk8s.io/hub-url-source: discovered'],
      ['  hub_url: ""', '  hub_url: http://203.0.113.7/'],
      // The SHA-256 of '' and of 'http://203.0.113.7/'.
      [`        ${HUB_URL_CHECKSUM_ANNOTATION}: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
        `        ${HUB_URL_CHECKSUM_ANNOTATION}: 6ae050fa2d7c524f84cbab0fd57dd7a1d000388972f4aa1ea8a3af92c05e5e3b`],
    ]);
  });

  test('gives what a synth with the recorded URL gives, byte for byte', () => {
    const patched = patchHubUrl(pending, 'http://lb-123.elb.example.com/').manifest;
    expect(patched).toBe(synthProd({ discoveredHubUrl: 'http://lb-123.elb.example.com/' }));
  });

  test('is idempotent', () => {
    const once = patchHubUrl(pending, 'http://203.0.113.7/').manifest;
    expect(patchHubUrl(once, 'http://203.0.113.7/')).toEqual({ manifest: once, changed: false });
  });

  test('reads the state back', () => {
    expect(hubUrlState(pending)).toEqual({ namespace: 'binder-prod', url: '', source: 'pending' });
    expect(hubUrlState(synthProd({ hubUrl: 'https://hub.example.org' }))).toEqual({ namespace: 'binder-prod', url: 'https://hub.example.org/', source: 'fixed' });
  });

  test('refuses a manifest that holds a merge conflict marker, naming the file and the line', () => {
    const conflicted = pending.replace(/^(kind: ServiceAccount)$/m, '<<<<<<< HEAD\n$1');
    const line = conflicted.split('\n').indexOf('<<<<<<< HEAD') + 1;
    expect(() => patchHubUrl(conflicted, 'http://x/', 'dist/prod.k8s.yaml')).toThrow(new Error(
      `dist/prod.k8s.yaml line ${line}: a merge conflict marker; resolve the conflict by running \`npm run synth\` again (never merge dist/ by hand)`));
  });

  test('refuses a manifest edited by hand, or one without the hub URL objects', () => {
    expect(() => patchHubUrl(pending.replace('  hub_url: ""', '  hub_url:   ""'), 'http://x/')).toThrow(/edited after synth/);
    expect(() => patchHubUrl('kind: ConfigMap\nmetadata:\n  name: other\n', 'http://x/')).toThrow(/no ConfigMap binder-hub-url or no Deployment binder; synthesize it/);
  });
});

describe('resolveHubUrl', () => {
  const fromHost = { url: 'https://hub.example.org/', prop: 'ingress' as const };

  test('the hub host of the ingress or gateway prop fixes the URL; a hub URL that agrees with it may stay', () => {
    expect(resolveHubUrl('prod', { fromHost })).toEqual({ url: 'https://hub.example.org/', source: 'fixed' });
    expect(resolveHubUrl('prod', { fromHost, fixed: 'https://hub.example.org' })).toEqual({ url: 'https://hub.example.org/', source: 'fixed' });
    expect(resolveHubUrl('prod', { fromHost, discovered: 'https://hub.example.org/' })).toEqual({ url: 'https://hub.example.org/', source: 'fixed' });
  });

  test('a fixed URL is fixed, a recorded one discovered, and none pending', () => {
    expect(resolveHubUrl('prod', { fixed: 'http://203.0.113.7' })).toEqual({ url: 'http://203.0.113.7/', source: 'fixed' });
    expect(resolveHubUrl('prod', { discovered: 'http://203.0.113.7' })).toEqual({ url: 'http://203.0.113.7/', source: 'discovered' });
    expect(resolveHubUrl('prod', {})).toEqual({ url: '', source: 'pending' });
  });
});

describe('a manifest file patchHubUrl can read', () => {
  const configMap = (extra: object = {}) => Yaml.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: HUB_URL_CONFIG_MAP, namespace: 'ns' }, ...extra });
  const binder = (annotations: object = {}) => Yaml.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'binder', namespace: 'ns' }, spec: { template: { metadata: { annotations } } },
  });

  test('holds the two documents anywhere, in either order; a ConfigMap without data or source reads as pending', () => {
    for (const manifest of [`${configMap()}---\n${binder()}`, `${binder()}---\n${configMap()}`]) {
      expect(hubUrlState(manifest)).toEqual({ namespace: 'ns', url: '', source: 'pending' });
      const patched = patchHubUrl(manifest, 'http://203.0.113.7/').manifest;
      expect(hubUrlState(patched)).toEqual({ namespace: 'ns', url: 'http://203.0.113.7/', source: 'discovered' });
    }
  });

  test('documents it does not know stay as they are, even a ConfigMap without metadata', () => {
    const other = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n';
    const patched = patchHubUrl(`${other}---\n${configMap()}---\n${binder()}`, 'http://203.0.113.7/').manifest;
    expect(patched.startsWith(`${other}---\n`)).toBe(true);
  });

  test('a value ending in --- inside a document does not split it', () => {
    const manifest = `${configMap()}---\n${binder({ note: 'ends with a---' })}`;
    expect(manifest).toContain('note: ends with a---\n');
    const patched = patchHubUrl(manifest, 'http://203.0.113.7/').manifest;
    expect(patched).toContain('note: ends with a---\n');
    expect(hubUrlState(patched).url).toBe('http://203.0.113.7/');
  });

  test('a ConfigMap binder-hub-url or Deployment binder that is not YAML is refused, quoting none of it', () => {
    expect(() => patchHubUrl(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: binder-hub-url\n  labels: [secret-ish\n---\n${binder()}`, 'http://x/'))
      .toThrow(/^the manifest is not valid YAML \(line 6\); run `npm run synth` to write it again$/);
    expect(() => patchHubUrl(`${configMap()}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: binder\n  labels: [secret-ish\n`, 'http://x/'))
      .toThrow(/^the manifest is not valid YAML \(line \d+\); run `npm run synth` to write it again$/);
  });

  test('other documents are kept byte for byte without being read: one that is not YAML stays as it was', () => {
    const other = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hub\ndata: [not yaml\n';
    const patched = patchHubUrl(`${other}---\n${configMap()}---\n${binder()}`, 'http://203.0.113.7/').manifest;
    expect(patched.startsWith(`${other}---\n`)).toBe(true);
  });

  test.each([
    ['no Deployment binder', () => configMap()],
    ['no ConfigMap binder-hub-url', () => binder()],
  ])('with %s is refused', (_, manifest) => {
    expect(() => patchHubUrl(manifest(), 'http://x/')).toThrow(
      'the manifest has no ConfigMap binder-hub-url or no Deployment binder; synthesize it with `npm run synth` first');
  });
});

describe('hubUrlForAddress', () => {
  test('an IPv6 address already in brackets keeps them; an address that makes no URL is refused as --address', () => {
    expect(hubUrlForAddress('[2001:db8::7]', 'http')).toBe('http://[2001:db8::7]/');
    expect(() => hubUrlForAddress('bad host', 'http')).toThrow(/^--address "http:\/\/bad host" is not a URL/);
  });

  test.each([
    ['203.0.113.7', 'http', 'http://203.0.113.7/'],
    ['a1b2-123.eu-west-1.elb.amazonaws.com', 'http', 'http://a1b2-123.eu-west-1.elb.amazonaws.com/'],
    ['2001:db8::7', 'http', 'http://[2001:db8::7]/'],
    ['hub.example.org', 'https', 'https://hub.example.org/'],
  ] as const)('%s over %s', (address, scheme, url) => {
    expect(hubUrlForAddress(address, scheme)).toBe(url);
  });
});

describe('HubUrlRecords', () => {
  const records = () => new HubUrlRecords(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'records-')), 'hub-urls'));

  test('records a URL once; loads it back; nothing before that', () => {
    const store = records();
    expect(store.load('prod')).toBeUndefined();
    expect(store.save('prod', 'http://203.0.113.7/')).toBe(true);
    expect(store.save('prod', 'http://203.0.113.7/')).toBe(false);
    expect(store.load('prod')).toBe('http://203.0.113.7/');
    expect(fs.readFileSync(store.fileFor('prod'), 'utf8')).toBe('http://203.0.113.7/\n');
  });

  const fix = 'remove it and run `npm run patch-hub-url -- --deployment prod` again (it should hold the deployment\'s recorded hub URL, at most 2 KiB)';
  /** A store whose record of prod holds `content`. */
  function recorded(content: string): HubUrlRecords {
    const store = records();
    fs.mkdirSync(store.directory, { recursive: true });
    fs.writeFileSync(store.fileFor('prod'), content);
    return store;
  }

  test('a record that is a folder is refused, saying to remove it', () => {
    const store = records();
    fs.mkdirSync(store.fileFor('prod'), { recursive: true });
    expect(() => store.load('prod')).toThrow(new Error(`${store.fileFor('prod')} is a folder, not a regular file; ${fix}`));
  });

  test('a record that is a FIFO is refused at once instead of hanging', () => {
    const store = records();
    fs.mkdirSync(store.directory, { recursive: true });
    execFileSync('mkfifo', [store.fileFor('prod')]);
    expect(() => store.load('prod')).toThrow(new Error(`${store.fileFor('prod')} is a FIFO (named pipe), not a regular file; ${fix}`));
  });

  test('a record larger than 2 KiB (it would go into a ConfigMap) is refused naming the limit', () => {
    const store = recorded(`http://${'a'.repeat(2048)}.example.org/\n`);
    expect(() => store.load('prod')).toThrow(new Error(`${store.fileFor('prod')} is larger than 2 KiB, the most this file may hold; ${fix}`));
  });

  test.each([
    ['two URLs', 'http://203.0.113.7/\nhttp://198.51.100.1/\n'],
    ['a URL broken over two lines', 'http://hub.exa\nmple.org/\n'],
    ['a URL after an empty line', '\nhttp://203.0.113.7/'],
  ])('a record holding %s is refused naming line 2, not read as one percent-encoded URL', (_, content) => {
    const store = recorded(content);
    expect(() => store.load('prod')).toThrow(new Error(`${store.fileFor('prod')} line 2: a hub URL record is one URL on one line; ${fix}`));
  });

  test('a record ending in a Windows line break loads', () => {
    expect(recorded('http://203.0.113.7/\r\n').load('prod')).toBe('http://203.0.113.7/');
  });

  test('a record that is a link to a secrets file is refused without quoting any of it', () => {
    const secrets = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-')), 'prod.json');
    const store = records();
    fs.mkdirSync(store.directory, { recursive: true });
    fs.symlinkSync(secrets, store.fileFor('prod'));
    for (const content of [JSON.stringify({ tokens: { proxySecretToken: 'f'.repeat(64) } }, null, 2), JSON.stringify({ tokens: { proxySecretToken: 'f'.repeat(64) } })]) {
      fs.writeFileSync(secrets, content);
      expect(() => store.load('prod')).toThrow(new Error(content.includes('\n')
        ? `${store.fileFor('prod')} line 2: a hub URL record is one URL on one line; ${fix}`
        : `the URL in ${store.fileFor('prod')} is not a URL; give the public address of JupyterHub, such as http://203.0.113.7 or https://hub.example.org`));
    }
  });

  test('records can be written where the folder, or the nearest folder above it, is a writable folder; a file in the way is refused', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'records-'));
    expect(() => new HubUrlRecords(path.join(base, 'a', 'b', 'hub-urls')).checkWritable()).not.toThrow();
    fs.writeFileSync(path.join(base, 'a'), 'not a folder');
    expect(() => new HubUrlRecords(path.join(base, 'a', 'b', 'hub-urls')).checkWritable()).toThrow(
      `${path.join(base, 'a')} is a file where the hub URL records folder ${path.join(base, 'a', 'b', 'hub-urls')} should be; move it away or pass --records`);
  });

  test('records live in hub-urls/ of the working folder unless another folder is given', () => {
    expect(new HubUrlRecords().fileFor('prod')).toBe(path.join('hub-urls', 'prod.url'));
  });

  test('saving creates the folder and those above it, not group-writable even under a group-writable umask', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'records-'));
    const store = new HubUrlRecords(path.join(base, 'ops', 'hub-urls'));
    const umask = process.umask(0o002);
    try {
      store.save('prod', 'http://203.0.113.7/');
    } finally {
      process.umask(umask);
    }
    expect(fs.statSync(path.join(base, 'ops', 'hub-urls')).mode & 0o777).toBe(0o755);
    expect(store.load('prod')).toBe('http://203.0.113.7/');
  });

  test('a deployment name that is no DNS label is refused by name before anything is written', () => {
    const store = records();
    expect(() => store.save('Prod_1', 'http://203.0.113.7/')).toThrow(/^deployment name /);
    expect(fs.existsSync(store.directory)).toBe(false);
  });
});
