/**
 * `npm run init-secrets -- [--force] [--dir <folder>] [deployment...]`
 *
 * Generates each deployment's tokens once into `<folder>/<deployment>.json` (mode 0600, git-ignored). Without
 * deployment names it covers the example's deployments. An existing file is never overwritten without --force.
 */
import { EXAMPLE_DEPLOYMENTS } from '../main';
import { ConfigError, runMain, SecretStore } from '../lib';

runMain(() => {
  const args = process.argv.slice(2);
  let force = false;
  let dir = 'secrets';
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--force') {
      force = true;
    } else if (arg === '--dir') {
      dir = args[++i] ?? '';
      if (!dir) throw new ConfigError('--dir needs a folder');
    } else if (arg === '--help' || arg === '-h') {
      console.log('usage: npm run init-secrets -- [--force] [--dir <folder>] [deployment...]');
      return;
    } else if (arg.startsWith('-')) {
      throw new ConfigError(`unknown option ${arg}; see --help`);
    } else {
      names.push(arg);
    }
  }
  const store = new SecretStore(dir);
  for (const name of names.length > 0 ? names : EXAMPLE_DEPLOYMENTS) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      throw new ConfigError(`deployment name "${name}" must be lowercase letters, digits and '-'`);
    }
    const file = store.fileFor(name);
    switch (store.init(name, force)) {
      case 'created': console.log(`created ${file} (5 tokens)`); break;
      case 'rotated': console.log(`rotated the tokens in ${file} (credentials kept; the hub and proxy restart on the next apply)`); break;
      case 'kept': console.log(`kept ${file}: it exists already (--force rotates its tokens)`); break;
    }
  }
});
