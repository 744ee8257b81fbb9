import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { completeInterruptedPublish, publishManifests, replaceFilesTogether, writeFileAtomic } from '../lib';

// renameSync stays the real one unless a test makes it fail, as a crash between write and rename would.
jest.mock('fs', () => {
  const actual = jest.requireActual('fs');
  return { ...actual, renameSync: jest.fn(actual.renameSync), writeFileSync: jest.fn(actual.writeFileSync) };
});

/** The files a test wrote into `staging`, as a synth hands them to publishManifests. */
function staged(staging: string): Map<string, string> {
  return new Map(fs.readdirSync(staging).map(name => [name, fs.readFileSync(path.join(staging, name), 'utf8')]));
}

function dirs() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-'));
  const staging = path.join(root, 'staging');
  const out = path.join(root, 'dist');
  fs.mkdirSync(staging);
  return { staging, out };
}

describe('publishManifests', () => {
  test('writes new and changed manifests, leaves identical ones, removes ones no longer produced', () => {
    const { staging, out } = dirs();
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(staging, 'a.k8s.yaml'), 'a: 2\n');
    fs.writeFileSync(path.join(staging, 'b.k8s.yaml'), 'b: 1\n');
    fs.writeFileSync(path.join(out, 'a.k8s.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(out, 'b.k8s.yaml'), 'b: 1\n');
    fs.writeFileSync(path.join(out, 'old.k8s.yaml'), 'old: 1\n');
    fs.writeFileSync(path.join(out, 'README.md'), 'kept\n');

    const result = publishManifests(staged(staging), { manifests: out, secrets: path.join(out, '..', 'dist-secrets') });

    expect(result).toEqual({
      written: [path.join(out, 'a.k8s.yaml')],
      unchanged: [path.join(out, 'b.k8s.yaml')],
      removed: [path.join(out, 'old.k8s.yaml')],
    });
    expect(fs.readdirSync(out).sort()).toEqual(['README.md', 'a.k8s.yaml', 'b.k8s.yaml']);
    expect(fs.readFileSync(path.join(out, 'a.k8s.yaml'), 'utf8')).toBe('a: 2\n');
  });

  test('a crash while writing leaves the old file whole and no temporary file', () => {
    const { out } = dirs();
    fs.mkdirSync(out);
    const target = path.join(out, 'a.k8s.yaml');
    fs.writeFileSync(target, 'old\n');
    (fs.renameSync as jest.Mock).mockImplementationOnce(() => { throw new Error('crash'); });
    expect(() => writeFileAtomic(target, 'new\n')).toThrow('crash');
    expect(fs.readFileSync(target, 'utf8')).toBe('old\n');
    expect(fs.readdirSync(out)).toEqual(['a.k8s.yaml']);
  });
});

describe('publishManifests with Secrets kept apart', () => {
  test('files of Secrets go to the secrets folder, readable by the owner only; stale ones are removed there too', () => {
    const { staging, out } = dirs();
    const secrets = path.join(out, '..', 'dist-secrets');
    fs.writeFileSync(path.join(staging, 'prod.k8s.yaml'), 'kind: ConfigMap\n');
    fs.writeFileSync(path.join(staging, 'prod-secrets.k8s.yaml'), 'kind: Secret\n');
    fs.mkdirSync(secrets, { mode: 0o700 });
    fs.writeFileSync(path.join(secrets, 'old-secrets.k8s.yaml'), 'kind: Secret\n');

    const result = publishManifests(staged(staging), { manifests: out, secrets });

    expect(fs.readdirSync(out)).toEqual(['prod.k8s.yaml']);
    expect(fs.readdirSync(secrets)).toEqual(['prod-secrets.k8s.yaml']);
    expect(fs.statSync(path.join(secrets, 'prod-secrets.k8s.yaml')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(secrets).mode & 0o777).toBe(0o700);
    expect(result.removed).toEqual([path.join(secrets, 'old-secrets.k8s.yaml')]);
  });
});

describe('a publish is all or nothing', () => {
  /** A deployment published once (old), with a new synth staged that changes both of its files. */
  function publishedOnce() {
    const { staging, out } = dirs();
    const targets = { manifests: out, secrets: path.join(out, '..', 'dist-secrets') };
    fs.writeFileSync(path.join(staging, 'prod.k8s.yaml'), 'old manifest\n');
    fs.writeFileSync(path.join(staging, 'prod-secrets.k8s.yaml'), 'old secrets\n');
    publishManifests(staged(staging), targets);
    fs.writeFileSync(path.join(staging, 'prod.k8s.yaml'), 'new manifest\n');
    fs.writeFileSync(path.join(staging, 'prod-secrets.k8s.yaml'), 'new secrets\n');
    const read = () => [fs.readFileSync(path.join(out, 'prod.k8s.yaml'), 'utf8'), fs.readFileSync(path.join(targets.secrets, 'prod-secrets.k8s.yaml'), 'utf8')];
    const listing = () => [...fs.readdirSync(out), ...fs.readdirSync(targets.secrets)].sort();
    return { staging, targets, read, listing };
  }
  const errno = (code: string, file: string) => Object.assign(new Error(`${code}: fake`), { code, path: file });

  test.each([
    ['ENOSPC', 'no space left on device'],
    ['EACCES', 'permission denied'],
    ['EEXIST', 'a file is in the way'],
  ])('%s while preparing the second file: nothing changes, no file is left, one line says so', (code, meaning) => {
    const { staging, targets, read, listing } = publishedOnce();
    const actual = jest.requireActual('fs');
    let calls = 0;
    (fs.writeFileSync as jest.Mock).mockImplementation((file: string, ...rest: any[]) => {
      if (++calls === 2) throw errno(code, file);
      return actual.writeFileSync(file, ...rest);
    });
    let message = '';
    try {
      publishManifests(staged(staging), targets);
    } catch (error) {
      message = (error as Error).message;
    } finally {
      (fs.writeFileSync as jest.Mock).mockImplementation(actual.writeFileSync);
    }
    expect(message).toMatch(new RegExp(`^\\S+\\.tmp: ${meaning} \\(${code}\\); nothing was published; dist/ and dist-secrets/ are as they were$`));
    expect(read()).toEqual(['old manifest\n', 'old secrets\n']);
    expect(listing()).toEqual(['prod-secrets.k8s.yaml', 'prod.k8s.yaml']);
  });

  test('ENOTDIR when the secrets folder is a file: nothing changes', () => {
    const { staging, out } = dirs();
    const secrets = path.join(out, '..', 'dist-secrets');
    fs.writeFileSync(secrets, 'not a folder');
    fs.writeFileSync(path.join(staging, 'prod.k8s.yaml'), 'manifest\n');
    fs.writeFileSync(path.join(staging, 'prod-secrets.k8s.yaml'), 'secrets\n');
    expect(() => publishManifests(staged(staging), { manifests: out, secrets }))
      .toThrow(/dist-secrets: (a file is in the way \(EEXIST\)|a file stands where a folder should be \(ENOTDIR\)); nothing was published/);
    expect(fs.existsSync(path.join(out, 'prod.k8s.yaml'))).toBe(false);
  });

  test('a crash between two renames is completed by the next run: all new, never half', () => {
    const { staging, targets, read, listing } = publishedOnce();
    (fs.renameSync as jest.Mock)
      .mockImplementationOnce(jest.requireActual('fs').renameSync) // the journal
      .mockImplementationOnce(jest.requireActual('fs').renameSync) // the first file
      .mockImplementationOnce(() => { throw new Error('killed'); });
    expect(() => publishManifests(staged(staging), targets)).toThrow('killed');
    expect(read()).toEqual(['old manifest\n', 'new secrets\n']); // what the crash left: Secrets first, by name
    completeInterruptedPublish(targets);
    expect(read()).toEqual(['new manifest\n', 'new secrets\n']);
    expect(listing()).toEqual(['prod-secrets.k8s.yaml', 'prod.k8s.yaml']);
  });

  test('files prepared by a publish that died before its journal are removed, never published', () => {
    const { targets, read, listing } = publishedOnce();
    fs.writeFileSync(path.join(targets.secrets, '.prod-secrets.k8s.yaml.4242.tmp'), 'prepared\n');
    completeInterruptedPublish(targets);
    expect(read()).toEqual(['old manifest\n', 'old secrets\n']);
    expect(listing()).toEqual(['prod-secrets.k8s.yaml', 'prod.k8s.yaml']);
  });
});

describe('replaceFilesTogether', () => {
  test('a failed second rename undoes the first: both files change or neither', () => {
    const { out } = dirs();
    fs.mkdirSync(out);
    const [record, manifest] = [path.join(out, 'prod.url'), path.join(out, 'prod.k8s.yaml')];
    fs.writeFileSync(record, 'old url\n');
    fs.writeFileSync(manifest, 'old manifest\n');
    (fs.renameSync as jest.Mock)
      .mockImplementationOnce(jest.requireActual('fs').renameSync)
      .mockImplementationOnce(() => { throw Object.assign(new Error('EROFS: fake'), { code: 'EROFS', path: manifest }); });
    expect(() => replaceFilesTogether([{ target: record, content: 'new url\n' }, { target: manifest, content: 'new manifest\n' }]))
      .toThrow(`${manifest}: read-only file system (EROFS); nothing was changed`);
    expect([fs.readFileSync(record, 'utf8'), fs.readFileSync(manifest, 'utf8')]).toEqual(['old url\n', 'old manifest\n']);
    expect(fs.readdirSync(out).sort()).toEqual(['prod.k8s.yaml', 'prod.url']);
  });

  test('both change when nothing fails', () => {
    const { out } = dirs();
    fs.mkdirSync(out);
    const [record, manifest] = [path.join(out, 'prod.url'), path.join(out, 'prod.k8s.yaml')];
    fs.writeFileSync(manifest, 'old manifest\n');
    replaceFilesTogether([{ target: record, content: 'new url\n' }, { target: manifest, content: 'new manifest\n' }]);
    expect([fs.readFileSync(record, 'utf8'), fs.readFileSync(manifest, 'utf8')]).toEqual(['new url\n', 'new manifest\n']);
    expect(fs.readdirSync(out).sort()).toEqual(['prod.k8s.yaml', 'prod.url']);
  });
});
