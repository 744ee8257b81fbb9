import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { adoptedModuleText, adoptionReport, checkAdoptTarget, checkModuleTarget, planAdoption, readValuesLayers, writeAdoptedFiles } from '../lib/internal';
import { LEGACY, LEGACY_REPORT } from './adopt-fixtures';
import { thrownMessage } from './helpers';

/** A project folder as a clone has it, its sources included, and a folder outside it. */
function project(): { dir: string; outside: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'adopt-files-'));
  const dir = path.join(root, 'project');
  for (const source of ['main.ts', 'lib/index.ts', 'bin/synth.ts']) {
    fs.mkdirSync(path.dirname(path.join(dir, source)), { recursive: true });
    fs.writeFileSync(path.join(dir, source), `// ${source}\n`);
  }
  fs.mkdirSync(path.join(root, 'outside'));
  return { dir, outside: path.join(root, 'outside') };
}

/** A module as adopt writes it. */
const ADOPTED = adoptedModuleText(planAdoption('mine', { imageBuilderType: 'host', config: { BinderHub: { use_registry: false } } }), ['v.yaml'], 'deployments/mine.ts');

describe('checkModuleTarget: modules go only inside the project, never over a file adopt did not write', () => {
  const { dir, outside } = project();
  /** checkModuleTarget's refusal of `out` as the working directory `dir` sees it, with --force. */
  const refusal = (out: string) => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      return thrownMessage(() => checkModuleTarget(out, '.', true));
    } finally {
      process.chdir(cwd);
    }
  };
  const accepted = (out: string, force = true) => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      checkModuleTarget(out, '.', force);
    } finally {
      process.chdir(cwd);
    }
  };
  const outsideMessage = (out: string) => `--out ${out} is outside the project folder ${fs.realpathSync(dir)}; adopt writes modules only inside it (such as deployments/<name>.ts)`;

  test.each(['../x.ts', '../outside/new/x.ts', '/tmp/adopt-anywhere/x.ts', 'deployments/../../x.ts'])('%s is outside the project: refused', out => {
    expect(refusal(out)).toBe(outsideMessage(out));
  });

  test('a folder of the path that links outside the project is resolved first: refused', () => {
    fs.symlinkSync(outside, path.join(dir, 'linked'));
    expect(refusal('linked/x.ts')).toBe(outsideMessage('linked/x.ts'));
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  test.each(['main.ts', 'lib/index.ts', 'deployments/../bin/synth.ts', './main.ts'])('%s, a source of the project, is never replaced, even with --force', out => {
    expect(refusal(out)).toBe(`${out} was not written by adopt (it lacks the header of adopt's modules), so adopt never replaces it, even with --force; pick another --out`);
  });

  test('a module adopt wrote is replaced with --force only', () => {
    fs.mkdirSync(path.join(dir, 'deployments'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'deployments', 'mine.ts'), ADOPTED);
    expect(() => accepted('deployments/mine.ts')).not.toThrow();
    expect(() => accepted('deployments/mine.ts', false)).toThrow('deployments/mine.ts exists already (another deployment of that name?); pick another --name or --out, or pass --force to replace it');
  });

  test('a new module in a new folder inside the project is accepted; a name that only starts with .. is inside', () => {
    expect(() => accepted('deployments/new/x.ts', false)).not.toThrow();
    expect(() => accepted('..x.ts', false)).not.toThrow();
  });

  test('a folder, a link, or a file where a folder should be: refused before anything is written, even with --force', () => {
    fs.mkdirSync(path.join(dir, 'folder.ts'));
    fs.symlinkSync(path.join(dir, 'main.ts'), path.join(dir, 'link.ts'));
    expect(refusal('folder.ts')).toBe('folder.ts is a folder, which adopt does not replace; move it away, or pick another --name or --out');
    expect(refusal('link.ts')).toBe('link.ts is a symbolic link, which adopt does not replace; move it away, or pick another --name or --out');
    expect(refusal('main.ts/x.ts')).toBe(`${fs.realpathSync(dir)}/main.ts is a file where a folder of main.ts/x.ts should be; move it away, or pick another --name or --out`);
  });

  test('a name not ending in .ts is refused', () => {
    expect(refusal('deployments/x.js')).toBe('--out "deployments/x.js" must name a .ts file');
  });
});

describe('writeAdoptedFiles: all the files or none', () => {
  test('when the second file cannot be written, the first, created, is removed: a second run finds nothing', () => {
    const { dir } = project();
    const secrets = path.join(dir, 'secrets', 'x.json');
    expect(thrownMessage(() => writeAdoptedFiles([
      { target: secrets, content: '{}\n', secret: true }, { target: path.join(dir, 'main.ts', 'x.ts'), content: ADOPTED },
    ], false))).toMatch(/main\.ts(\/x\.ts)?: (a file stands where a folder should be \(ENOTDIR\)|a file is in the way \(EEXIST\)); adopt wrote nothing$/);
    expect(fs.existsSync(secrets)).toBe(false);
    expect(() => checkAdoptTarget(secrets, false)).not.toThrow();
  });

  test('with --force, a file replaced before the failure is put back as it was', () => {
    const { dir } = project();
    const secrets = path.join(dir, 'secrets', 'x.json');
    fs.mkdirSync(path.dirname(secrets), { mode: 0o700 });
    fs.writeFileSync(secrets, '{"old": true}\n', { mode: 0o600 });
    expect(() => writeAdoptedFiles([
      { target: secrets, content: '{}\n', secret: true }, { target: path.join(dir, 'main.ts', 'x.ts'), content: ADOPTED },
    ], true)).toThrow(/; adopt wrote nothing$/);
    expect(fs.readFileSync(secrets, 'utf8')).toBe('{"old": true}\n');
    expect(fs.readdirSync(path.dirname(secrets))).toEqual(['x.json']);
  });

  /** A new project whose deployments/x.ts holds `text`; the paths of that module and of secrets/x.json. */
  const projectWithModule = (text: string) => {
    const { dir } = project();
    const module = path.join(dir, 'deployments', 'x.ts');
    fs.mkdirSync(path.dirname(module));
    fs.writeFileSync(module, text);
    return { secrets: path.join(dir, 'secrets', 'x.json'), module };
  };

  test('all written: the secret one mode 0600 in a folder of 0700, the others 0644, no file kept aside', () => {
    const { secrets, module } = projectWithModule(ADOPTED.replace('"mine"', '"old"'));
    writeAdoptedFiles([{ target: secrets, content: '{}\n', secret: true }, { target: module, content: ADOPTED }], true);
    expect(fs.statSync(secrets).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(secrets)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(module).mode & 0o777).toBe(0o644);
    expect(fs.readFileSync(module, 'utf8')).toBe(ADOPTED);
    expect(fs.readdirSync(path.dirname(module))).toEqual(['x.ts']);
  });

  test('a file created meanwhile (after the checks) is kept, and so is nothing else', () => {
    const { secrets, module } = projectWithModule('// theirs\n');
    expect(thrownMessage(() => writeAdoptedFiles([{ target: secrets, content: '{}\n', secret: true }, { target: module, content: ADOPTED }], false)))
      .toBe(`${module} was created meanwhile; run adopt again`);
    expect(fs.existsSync(secrets)).toBe(false);
    expect(fs.readFileSync(module, 'utf8')).toBe('// theirs\n');
  });
});

describe('adoptionReport: what adopt says once it wrote the files', () => {
  test('the 2019 guide files: the tokens found and generated, the credentials, the module, the recorded hub URL, each setting replaced', () => {
    expect(adoptionReport(planAdoption('legacy', readValuesLayers(LEGACY)), {
      secretsFile: 'secrets/legacy.json', out: 'deployments/legacy.ts', modulePath: 'deployments/legacy.ts', record: 'hub-urls/legacy.url',
      generated: ['cookieSecret', 'cryptKeeperKey', 'buildTokenSecret'], fromCluster: [],
    })).toEqual(LEGACY_REPORT);
  });

  test('no token in the values files, some from the live release, none generated: the release and namespace kept, nothing replaced; main.ts imports an absolute --out from inside the project', () => {
    const plan = planAdoption('mine', { imageBuilderType: 'host', config: { BinderHub: { use_registry: false } } }, { releaseName: 'rel', namespace: 'ns' });
    const written = { secretsFile: 'secrets/mine.json', out: '/home/me/site/adopted/mine.ts', modulePath: 'adopted/mine.ts', generated: [], fromCluster: ['cookieSecret'] };
    expect(adoptionReport(plan, written)).toEqual([
      'wrote secrets/mine.json (mode 0600): tokens none from the values files; cookieSecret from Secret hub of the live release; credentials none',
      'wrote /home/me/site/adopted/mine.ts: release rel, namespace ns, Registry.none, Builder.host(), 0 top-level chartValues',
      'add it to the app: `import * as mine from \'./adopted/mine\';` at the top of main.ts, and `mine.defineDeployment(app);` inside its BinderHubApp',
    ]);
  });
});
