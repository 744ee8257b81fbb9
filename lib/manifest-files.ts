import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ConfigError } from './errors';
import { ManifestObject } from './manifest-check';

/** The name of a synthesized manifest file: `<chart>.k8s.yaml` (`.yml` read too); group 1 is the chart's name. */
export const MANIFEST_FILE = /^(.*)\.k8s\.ya?ml$/;

/** The objects of every `*.k8s.yaml` file in `dir` (none if it does not exist), file by file in name order. */
export function readManifests(dir: string): ManifestObject[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter(name => MANIFEST_FILE.test(name)).sort()
    .flatMap(name => readManifestFile(path.join(dir, name)));
}

/** The objects of one manifest file. */
export function readManifestFile(file: string): ManifestObject[] {
  return parseManifest(fs.readFileSync(file, 'utf8'), file);
}

/** The objects of a manifest's text; `source` names it in errors. */
export function parseManifest(text: string, source: string): ManifestObject[] {
  return parseYamlDocuments(text, source).filter((o): o is ManifestObject => o !== null && o !== undefined);
}

/**
 * Parses each document of a multi-document YAML text. A syntax error names `source` and the line, but not the
 * text around it, which may be a Secret's value.
 */
export function parseYamlDocuments(text: string, source: string): any[] {
  try {
    return yaml.loadAll(text);
  } catch (error) {
    const line = (error as { mark?: { line?: number } }).mark?.line;
    throw new ConfigError(`${source} is not valid YAML${line === undefined ? '' : ` (line ${line + 1})`}; run \`npm run synth\` to write it again`);
  }
}
