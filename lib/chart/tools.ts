import * as fs from 'fs';
import * as path from 'path';

/** The folder that holds package.json, whether this file runs from `lib/` (ts-jest) or `build/lib/` (compiled). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`no package.json above ${__dirname}`);
    }
    dir = parent;
  }
  return dir;
}

/**
 * The executable to run for `tool` (helm or kubectl): an explicit path first, then the environment variable
 * (HELM, KUBECTL), then the pinned binary that `npm ci` installs into `.tools/` (scripts/install-tools.sh).
 * An empty variable counts as unset, as in shells (`HELM= npm run synth`, `${HELM:-…}`).
 */
export function toolPath(tool: 'helm' | 'kubectl', explicit?: string): string {
  return explicit ?? (process.env[tool.toUpperCase()] || path.join(projectRoot(), '.tools', tool));
}
