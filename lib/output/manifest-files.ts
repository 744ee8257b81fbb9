import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ConfigError } from '../core/errors';
import { ManifestObject } from './manifest-check';
import { isPlainObject } from '../core/values';

/** The name of a synthesized manifest file: `<chart>.k8s.yaml` (`.yml` read too); group 1 is the chart's name. */
export const MANIFEST_FILE = /^(.*)\.k8s\.ya?ml$/;

/** A manifest file that cannot be read as Kubernetes objects; `problem` names the file and the line, not the fix. */
export class ManifestFileError extends ConfigError {
  constructor(public readonly problem: string) {
    super(`${problem}; run \`npm run synth\` to write it again`);
  }
}

/** The objects of every `*.k8s.yaml` file in `dir` (none if it does not exist), file by file in name order. */
export function readManifests(dir: string): ManifestObject[] {
  return manifestFiles(dir).flatMap(readManifestFile);
}

/** What `readPreviousManifests` found. */
export interface PreviousManifests {
  /** The objects of every file that could be read. */
  readonly objects: ManifestObject[];
  /** Each file that could not be read (a merge conflict, an unreadable file), with the line: one line each. */
  readonly unreadable: string[];
}

/**
 * Reads `dir` as `readManifests` does, but leaves out a file that cannot be read, and names it, instead of failing:
 * for what a synth only reuses from the previous one, so a damaged file never blocks the synth that replaces it.
 */
export function readPreviousManifests(dir: string): PreviousManifests {
  const result: PreviousManifests = { objects: [], unreadable: [] };
  for (const file of manifestFiles(dir)) {
    try {
      result.objects.push(...readManifestFile(file));
    } catch (error) {
      result.unreadable.push(unreadableFile(file, error));
    }
  }
  return result;
}

/** The objects of one manifest file. */
export function readManifestFile(file: string): ManifestObject[] {
  return parseManifest(fs.readFileSync(file, 'utf8'), file);
}

/**
 * The objects of a manifest's text; `source` names it in errors. Every document must be a Kubernetes object
 * (apiVersion, kind, metadata.name); text such as a merge conflict's markers is refused with its line.
 */
export function parseManifest(text: string, source: string): ManifestObject[] {
  const documents = parseYamlDocuments(text, source);
  const lines = documentLines(text);
  documents.forEach((document, i) => {
    if (document !== null && !isKubernetesObject(document)) {
      // Stryker disable next-line ConditionalExpression: no YAML stream we know of makes the counts differ (the tests pin the forms); the check keeps a wrong line out of the message if one does
      const line = lines.length === documents.length ? ` (line ${lines[i]})` : '';
      throw new ManifestFileError(`${source} document ${i + 1}${line} is not a Kubernetes object with apiVersion, kind and metadata.name`);
    }
  });
  return documents.filter((o): o is ManifestObject => o !== null);
}

/**
 * Parses each document of a multi-document YAML text (an empty document is null). A syntax error names `source`
 * and the line, but not the text around it, which may be a Secret's value.
 */
export function parseYamlDocuments(text: string, source: string): any[] {
  try {
    return yaml.loadAll(text);
  } catch (error) {
    const line = (error as { mark?: { line?: number } }).mark?.line;
    throw new ManifestFileError(`${source} is not valid YAML${line === undefined ? '' : ` (line ${line + 1})`}`);
  }
}

function manifestFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter(name => MANIFEST_FILE.test(name)).sort().map(name => path.join(dir, name));
}

/** Why `file` could not be read, in one line without its content: a parse problem, or the file system's code. */
function unreadableFile(file: string, error: unknown): string {
  if (error instanceof ManifestFileError) return error.problem;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) throw error;
  return `${file} cannot be read (${code})`;
}

/** YAML gives plain objects, lists and scalars; only an object can have a string apiVersion. */
function isKubernetesObject(value: any): boolean {
  return typeof value.apiVersion === 'string' && typeof value.kind === 'string' && isPlainObject(value.metadata)
    && (typeof value.metadata.name === 'string' || /List$/.test(value.kind));
}

/** The 1-based line where each document of a YAML stream starts, counted as js-yaml counts documents. */
function documentLines(text: string): number[] {
  const starts: number[] = [];
  let inDocument = false;
  text.split('\n').forEach((line, i) => {
    if (/^---(\s|$)/.test(line)) {
      starts.push(i + 1);
      inDocument = true;
    } else if (/^\.\.\.(\s|$)/.test(line)) {
      inDocument = false;
    } else if (!inDocument && !/^\s*(#.*)?$/.test(line) && !line.startsWith('%')) {
      starts.push(i + 1);
      inDocument = true;
    }
  });
  return starts;
}
