import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ManifestObject } from './manifest-check';

/** The objects of every `*.k8s.yaml` file in `dir` (none if it does not exist), file by file in name order. */
export function readManifests(dir: string): ManifestObject[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter(name => /\.k8s\.ya?ml$/.test(name)).sort()
    .flatMap(name => readManifestFile(path.join(dir, name)));
}

/** The objects of one manifest file. */
export function readManifestFile(file: string): ManifestObject[] {
  return (yaml.loadAll(fs.readFileSync(file, 'utf8')) as Array<ManifestObject | null>).filter((o): o is ManifestObject => o !== null);
}
