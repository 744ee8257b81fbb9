import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { publishManifests, writeFileAtomic } from '../lib';

// renameSync stays the real one unless a test makes it fail, as a crash between write and rename would.
jest.mock('fs', () => {
  const actual = jest.requireActual('fs');
  return { ...actual, renameSync: jest.fn(actual.renameSync) };
});

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

    const result = publishManifests(staging, { manifests: out, secrets: path.join(out, '..', 'dist-secrets') });

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

    const result = publishManifests(staging, { manifests: out, secrets });

    expect(fs.readdirSync(out)).toEqual(['prod.k8s.yaml']);
    expect(fs.readdirSync(secrets)).toEqual(['prod-secrets.k8s.yaml']);
    expect(fs.statSync(path.join(secrets, 'prod-secrets.k8s.yaml')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(secrets).mode & 0o777).toBe(0o700);
    expect(result.removed).toEqual([path.join(secrets, 'old-secrets.k8s.yaml')]);
  });
});
