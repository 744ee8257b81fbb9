/**
 * `binderhub-cdk8s init [<folder>] [--existing]`: scaffolds an operator's project that depends on this package
 * (see lib/cli/scaffold.ts). It refuses a folder with files unless --existing, and never replaces a file.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  ConfigError, INIT_USAGE, keptFileWarnings, parseInitArgs, projectRoot, runMain, scaffoldFiles, scaffoldNextStep, scaffoldPackageName, ScaffoldVersions, writeNewFile,
} from '../lib/internal';

runMain(() => {
  const args = parseInitArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(INIT_USAGE);
    return;
  }
  const folder = path.resolve(args.folder);
  if (fs.existsSync(folder) && !fs.statSync(folder).isDirectory()) throw new ConfigError(`${args.folder} is no folder; name a new or empty one`);
  const present = fs.existsSync(folder) ? fs.readdirSync(folder) : [];
  if (present.length > 0 && !args.existing) {
    throw new ConfigError(`${args.folder} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''}); name a new folder, or add --existing to write only the files that are missing`);
  }
  const files = scaffoldFiles(scaffoldPackageName(path.basename(folder)), versions());
  checkFoldersFree(args.folder, [...files.keys()]);
  for (const [file, text] of files) {
    const target = path.join(folder, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (writeNewFile(target, text, 0o644)) {
      console.log(`wrote ${path.join(args.folder, file)}`);
    } else {
      console.log(`kept ${path.join(args.folder, file)}: it exists`);
      for (const warning of keptFileWarnings(file, fs.readFileSync(target, 'utf8'))) console.warn(warning);
    }
  }
  console.log(scaffoldNextStep(args.folder, path.resolve(args.folder) === process.cwd()));
});

/** Refuses, before anything is written, a file in `folder` where one of `files` needs a folder (test/, with --existing). */
function checkFoldersFree(folder: string, files: string[]): void {
  for (const file of files) {
    for (let sub = path.dirname(file); sub !== '.'; sub = path.dirname(sub)) {
      const where = path.join(folder, sub);
      if (fs.existsSync(where) && !fs.statSync(where).isDirectory()) {
        throw new ConfigError(`${where} is a file, where init writes the folder of ${file}; move it away, then run init again`);
      }
    }
  }
}

/** This package's version, and the versions it is built and tested with, from its own package.json. */
function versions(): ScaffoldVersions {
  const own = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8'));
  return { ...own.devDependencies, ...own.peerDependencies, 'binderhub-cdk8s': `^${own.version}` };
}
