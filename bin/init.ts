/**
 * `binderhub-cdk8s init [<folder>] [--existing]`: scaffolds an operator's project that depends on this package
 * (see lib/cli/scaffold.ts). It refuses a folder with files unless --existing, and never replaces a file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, INIT_USAGE, parseInitArgs, projectRoot, runMain, scaffoldFiles, ScaffoldVersions, writeNewFile } from '../lib/internal';

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
  const files = scaffoldFiles(packageName(path.basename(folder)), versions());
  for (const [file, text] of files) {
    const target = path.join(folder, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    console.log(writeNewFile(target, text, 0o644) ? `wrote ${path.join(args.folder, file)}` : `kept ${path.join(args.folder, file)}: it exists`);
  }
  const cd = path.resolve(args.folder) === process.cwd() ? '' : `cd ${args.folder} && `;
  console.log(`next: ${cd}npm install && npm run init-secrets && npm run synth`);
});

/** A package name from a folder name: lower case, and only the characters npm allows. */
function packageName(folder: string): string {
  return folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'binderhub-deployments';
}

/** This package's version, and the versions it is built and tested with, from its own package.json. */
function versions(): ScaffoldVersions {
  const own = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8'));
  const dev = own.devDependencies ?? {};
  const peer = own.peerDependencies ?? {};
  return {
    binderhubCdk8s: own.version, cdk8s: peer.cdk8s, constructs: peer.constructs, cdk8sCli: dev['cdk8s-cli'], typescript: dev.typescript,
    jest: dev.jest, tsJest: dev['ts-jest'], typesJest: dev['@types/jest'], typesNode: dev['@types/node'],
  };
}
