import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  completeInterruptedPublish, DEFAULT_TARGETS, deploymentFiles, fileSystemError, plannedFiles, publishManifests, replaceFilesTogether,
  writeFileAtomic, writeNewFile,
} from '../lib/internal';

// These stay the real ones unless a test makes them fail, as a crash between write and rename would.
jest.mock('fs', () => {
  const actual = jest.requireActual('fs');
  return {
    ...actual, renameSync: jest.fn(actual.renameSync), writeFileSync: jest.fn(actual.writeFileSync),
    rmSync: jest.fn(actual.rmSync), linkSync: jest.fn(actual.linkSync),
  };
});

afterEach(() => {
  const actual = jest.requireActual('fs');
  for (const name of ['renameSync', 'writeFileSync', 'rmSync', 'linkSync'] as const) (fs[name] as jest.Mock).mockImplementation(actual[name]);
});

/** Each removal of a file `match` accepts finds it gone already, as if another run (its cleanup) had just removed it. */
function goneBeforeRemoval(match: (file: string) => boolean): void {
  const actual = jest.requireActual('fs');
  (fs.rmSync as jest.Mock).mockImplementation((file: string, options?: fs.RmOptions) => {
    if (match(file)) actual.rmSync(file, { force: true });
    return actual.rmSync(file, options);
  });
}

const errno = (code: string, file: string) => Object.assign(new Error(`${code}: fake`), { code, path: file });

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

  test('a publish that changes nothing writes nothing and leaves no journal', () => {
    const { staging, out } = dirs();
    const targets = { manifests: out, secrets: path.join(out, '..', 'dist-secrets') };
    fs.writeFileSync(path.join(staging, 'a.k8s.yaml'), 'a: 1\n');
    publishManifests(staged(staging), targets);
    (fs.writeFileSync as jest.Mock).mockClear();

    expect(publishManifests(staged(staging), targets)).toEqual({ written: [], unchanged: [path.join(out, 'a.k8s.yaml')], removed: [] });
    expect(fs.writeFileSync).not.toHaveBeenCalled();
    expect(fs.readdirSync(out)).toEqual(['a.k8s.yaml']);
  });

  test('removed manifests are listed by path: the secrets folder (dist-secrets/) sorts before dist/', () => {
    const { staging, out } = dirs();
    const secrets = path.join(out, '..', 'dist-secrets');
    fs.mkdirSync(out);
    fs.mkdirSync(secrets);
    fs.writeFileSync(path.join(out, 'old.k8s.yaml'), 'old: 1\n');
    fs.writeFileSync(path.join(secrets, 'old-secrets.k8s.yaml'), 'old: 1\n');
    expect(publishManifests(staged(staging), { manifests: out, secrets }).removed)
      .toEqual([path.join(secrets, 'old-secrets.k8s.yaml'), path.join(out, 'old.k8s.yaml')]);
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

test('deploymentFiles: a deployment\'s manifest in dist/, the file of its Secrets in dist-secrets/', () => {
  expect(deploymentFiles(DEFAULT_TARGETS, 'prod')).toEqual({ manifests: 'dist/prod.k8s.yaml', secrets: 'dist-secrets/prod-secrets.k8s.yaml' });
});

test('plannedFiles: only *.k8s.yaml files, by name, each to its folder', () => {
  const files = new Map([['prod.k8s.yaml', 'm'], ['notes.yaml', 'n'], ['prod-secrets.k8s.yaml', 's'], ['a.k8s.yml', 'a']]);
  expect(plannedFiles(files, DEFAULT_TARGETS).map(({ target, content, secret }) => [target, content.toString(), secret])).toEqual([
    ['dist/a.k8s.yml', 'a', false],
    ['dist-secrets/prod-secrets.k8s.yaml', 's', true],
    ['dist/prod.k8s.yaml', 'm', false],
  ]);
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

  test('a rename that fails after the journal: one line says the publish is half done, and the next run completes it', () => {
    const { staging, targets, read } = publishedOnce();
    const secretsFile = path.join(targets.secrets, 'prod-secrets.k8s.yaml');
    (fs.renameSync as jest.Mock)
      .mockImplementationOnce(jest.requireActual('fs').renameSync) // the journal
      .mockImplementationOnce(() => { throw errno('EACCES', secretsFile); });
    expect(() => publishManifests(staged(staging), targets))
      .toThrow(`${secretsFile}: permission denied (EACCES); the publish is half done; run the synth again to complete it`);
    completeInterruptedPublish(targets);
    expect(read()).toEqual(['new manifest\n', 'new secrets\n']);
  });

  test('files prepared by a publish that died before its journal are removed, never published', () => {
    const { targets, read, listing } = publishedOnce();
    fs.writeFileSync(path.join(targets.secrets, '.prod-secrets.k8s.yaml.4242.tmp'), 'prepared\n');
    completeInterruptedPublish(targets);
    expect(read()).toEqual(['old manifest\n', 'old secrets\n']);
    expect(listing()).toEqual(['prod-secrets.k8s.yaml', 'prod.k8s.yaml']);
  });
});

describe('a publish is completed or undone even when a file it removes is gone already', () => {
  test('a failed publish whose prepared files another run removed meanwhile still reports its own failure', () => {
    const { staging, out } = dirs();
    const targets = { manifests: out, secrets: path.join(out, '..', 'dist-secrets') };
    fs.writeFileSync(path.join(staging, 'a.k8s.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(staging, 'b.k8s.yaml'), 'b: 1\n');
    const actual = jest.requireActual('fs');
    (fs.writeFileSync as jest.Mock)
      .mockImplementationOnce(actual.writeFileSync)
      .mockImplementationOnce((file: string) => { throw errno('ENOSPC', file); });
    goneBeforeRemoval(file => file.endsWith('.tmp'));
    expect(() => publishManifests(staged(staging), targets))
      .toThrow(`${path.join(out, `.b.k8s.yaml.${process.pid}.tmp`)}: no space left on device (ENOSPC); nothing was published; dist/ and dist-secrets/ are as they were`);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test('a disk that fills while a file is written (the error has no path, only a file descriptor) names the file, not "a file"', () => {
    const { staging, out } = dirs();
    const targets = { manifests: out, secrets: path.join(out, '..', 'dist-secrets') };
    fs.writeFileSync(path.join(staging, 'a.k8s.yaml'), 'a: 1\n');
    (fs.writeFileSync as jest.Mock).mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    });
    expect(() => publishManifests(staged(staging), targets))
      .toThrow(new Error(`${path.join(out, `.a.k8s.yaml.${process.pid}.tmp`)}: no space left on device (ENOSPC); nothing was published; dist/ and dist-secrets/ are as they were`));
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test('a crash after a removal, before the journal went: the next run completes it and removes the journal', () => {
    const { staging, out } = dirs();
    const targets = { manifests: out, secrets: path.join(out, '..', 'dist-secrets') };
    fs.writeFileSync(path.join(staging, 'a.k8s.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(staging, 'old.k8s.yaml'), 'old: 1\n');
    publishManifests(staged(staging), targets);
    fs.rmSync(path.join(staging, 'old.k8s.yaml'));
    fs.writeFileSync(path.join(staging, 'a.k8s.yaml'), 'a: 2\n');
    const actual = jest.requireActual('fs');
    (fs.rmSync as jest.Mock).mockImplementation((file: string, options?: fs.RmOptions) => {
      if (file.endsWith('.publish-journal.json')) throw new Error('killed');
      return actual.rmSync(file, options);
    });
    expect(() => publishManifests(staged(staging), targets)).toThrow('killed');
    expect(fs.readdirSync(out)).toEqual(['a.k8s.yaml']);
    expect(fs.readdirSync(targets.secrets)).toEqual(['.publish-journal.json']); // git ignores that folder
    (fs.rmSync as jest.Mock).mockImplementation(actual.rmSync);

    completeInterruptedPublish(targets);
    expect(fs.readdirSync(out)).toEqual(['a.k8s.yaml']);
    expect(fs.readdirSync(targets.secrets)).toEqual([]);
    expect(fs.readFileSync(path.join(out, 'a.k8s.yaml'), 'utf8')).toBe('a: 2\n');
  });

  test('a leftover prepared file that another run removes first: the cleanup still succeeds', () => {
    const { out } = dirs();
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, '.prod.k8s.yaml.4242.tmp'), 'prepared\n');
    goneBeforeRemoval(file => file.endsWith('.tmp'));
    completeInterruptedPublish({ manifests: out, secrets: path.join(out, '..', 'dist-secrets') });
    expect(fs.readdirSync(out)).toEqual([]);
  });
});

test('the cleanup of an interrupted publish removes only the files a publish prepares (.<name>.k8s.yaml.<pid>.tmp)', () => {
  const { out } = dirs();
  fs.mkdirSync(out);
  for (const name of ['.prod.k8s.yaml.4242.tmp', '.prod.k8s.yml.4242.tmp', 'notes.prod.k8s.yaml.1.tmp', '.prod.k8s.yaml.4242.tmp.bak', '.prod.k8s.yaml.tmp']) {
    fs.writeFileSync(path.join(out, name), 'x\n');
  }
  completeInterruptedPublish({ manifests: out, secrets: path.join(out, '..', 'dist-secrets') });
  expect(fs.readdirSync(out).sort()).toEqual(['.prod.k8s.yaml.4242.tmp.bak', '.prod.k8s.yaml.tmp', 'notes.prod.k8s.yaml.1.tmp']);
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

describe('replaceFilesTogether undoing a file it created', () => {
  function failingSecondRename() {
    const { out } = dirs();
    fs.mkdirSync(out);
    const [record, manifest] = [path.join(out, 'prod.url'), path.join(out, 'prod.k8s.yaml')];
    fs.writeFileSync(manifest, 'old manifest\n');
    (fs.renameSync as jest.Mock)
      .mockImplementationOnce(jest.requireActual('fs').renameSync)
      .mockImplementationOnce(() => { throw errno('EROFS', manifest); });
    const replace = () => replaceFilesTogether([{ target: record, content: 'new url\n' }, { target: manifest, content: 'new manifest\n' }]);
    return { out, record, manifest, replace };
  }

  test('a failed second rename removes the file the first one created', () => {
    const { out, manifest, replace } = failingSecondRename();
    expect(replace).toThrow(`${manifest}: read-only file system (EROFS); nothing was changed`);
    expect(fs.readdirSync(out)).toEqual(['prod.k8s.yaml']);
    expect(fs.readFileSync(manifest, 'utf8')).toBe('old manifest\n');
  });

  test('the failure is still the one reported when that created file is gone already', () => {
    const { out, record, manifest, replace } = failingSecondRename();
    goneBeforeRemoval(file => file === record);
    expect(replace).toThrow(`${manifest}: read-only file system (EROFS); nothing was changed`);
    expect(fs.readdirSync(out)).toEqual(['prod.k8s.yaml']);
  });
});

describe('writeNewFile', () => {
  function folder(): string {
    const { out } = dirs();
    fs.mkdirSync(out);
    return out;
  }

  test('creates a missing file whole, with its mode, and says so; no temporary file is left', () => {
    const dir = folder();
    const target = path.join(dir, 'prod.json');
    expect(writeNewFile(target, 'tokens\n', 0o600)).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('tokens\n');
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['prod.json']);
  });

  test('keeps a file that exists (another run created it first) and says so; no temporary file is left', () => {
    const dir = folder();
    const target = path.join(dir, 'prod.json');
    fs.writeFileSync(target, 'first run\n');
    expect(writeNewFile(target, 'second run\n', 0o600)).toBe(false);
    expect(fs.readFileSync(target, 'utf8')).toBe('first run\n');
    expect(fs.readdirSync(dir)).toEqual(['prod.json']);
  });

  test('a link that fails for another reason (EPERM: no hard links on this file system) is thrown, even if the file exists', () => {
    const dir = folder();
    const target = path.join(dir, 'prod.json');
    fs.writeFileSync(target, 'first run\n');
    (fs.linkSync as jest.Mock).mockImplementationOnce(() => { throw errno('EPERM', target); });
    expect(() => writeNewFile(target, 'second run\n', 0o600)).toThrow('EPERM: fake');
    expect(fs.readdirSync(dir)).toEqual(['prod.json']);
  });

  test('EEXIST from a dangling link in the way is thrown: no file is there to keep', () => {
    const dir = folder();
    const target = path.join(dir, 'prod.json');
    fs.symlinkSync(path.join(dir, 'nowhere'), target);
    expect(() => writeNewFile(target, 'tokens\n', 0o600)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
  });

  test('still reports the file created when its temporary file was removed by another run first', () => {
    const dir = folder();
    goneBeforeRemoval(file => file.endsWith('.tmp'));
    expect(writeNewFile(path.join(dir, 'prod.json'), 'tokens\n', 0o600)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['prod.json']);
  });
});

test('a temporary file is only ever created, never written through: a link planted at its path fails the write', () => {
  const { out } = dirs();
  fs.mkdirSync(out);
  const [target, elsewhere] = [path.join(out, 'prod.json'), path.join(out, '..', 'elsewhere')];
  fs.writeFileSync(target, 'old\n');
  fs.writeFileSync(elsewhere, 'not ours\n');
  const actual = jest.requireActual('fs');
  (fs.rmSync as jest.Mock).mockImplementationOnce((file: string, options?: fs.RmOptions) => {
    actual.rmSync(file, options);
    actual.symlinkSync(elsewhere, file); // planted right after the removal
  });
  expect(() => writeFileAtomic(target, 'new\n', 0o600)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
  expect(fs.readFileSync(elsewhere, 'utf8')).toBe('not ours\n');
  expect(fs.readFileSync(target, 'utf8')).toBe('old\n');
  expect(fs.readdirSync(out)).toEqual(['prod.json']);
});

describe('fileSystemError: one line with the path, what went wrong and what it left', () => {
  test.each([
    ['EPERM', 'operation not permitted'],
    ['EDQUOT', 'disk quota exceeded'],
    ['ENOTDIR', 'a file stands where a folder should be'],
    ['EISDIR', 'a folder stands where a file should be'],
    ['ENOENT', 'no such file or folder'],
  ])('%s', (code, meaning) => {
    expect(fileSystemError(errno(code, 'dist/prod.k8s.yaml'), 'nothing was changed').message)
      .toBe(`dist/prod.k8s.yaml: ${meaning} (${code}); nothing was changed`);
  });

  test('without a consequence the line ends at the code; without a path it names "a file"', () => {
    expect(fileSystemError(errno('EACCES', 'dist/prod.k8s.yaml')).message).toBe('dist/prod.k8s.yaml: permission denied (EACCES)');
    expect(fileSystemError(Object.assign(new Error('EACCES: fake'), { code: 'EACCES' })).message).toBe('a file: permission denied (EACCES)');
  });

  test('a folder right in the temporary folder points at TMPDIR', () => {
    const folder = path.join(os.tmpdir(), 'synth-x');
    expect(fileSystemError(errno('ENOENT', folder)).message).toBe(`${folder} (in the temporary folder: check TMPDIR): no such file or folder (ENOENT)`);
  });
});
