/**
 * `npm run init-secrets -- [--force | --rotate <token>[,<token>...]] [--dir <folder>] [deployment...]`
 *
 * Generates each deployment's tokens once into `<folder>/<deployment>.json` (mode 0600, git-ignored). Without
 * deployment names it covers the example's deployments. An existing file is never overwritten without --force
 * (every token anew) or --rotate (only the tokens named).
 */
import { EXAMPLE_CREDENTIALS, EXAMPLE_DEPLOYMENTS } from '../main';
import { INIT_SECRETS_USAGE, initSecretsLine, parseInitSecretsArgs, rotatedLine, runMain, SecretStore } from '../lib';

runMain(() => {
  const args = parseInitSecretsArgs(process.argv.slice(2), EXAMPLE_DEPLOYMENTS);
  if (args === 'help') {
    console.log(INIT_SECRETS_USAGE);
    return;
  }
  const store = new SecretStore(args.dir);
  for (const name of args.deployments) {
    const file = store.fileFor(name);
    if (args.rotate) {
      store.rotate(name, args.rotate);
      console.log(rotatedLine(file, args.rotate));
    } else {
      console.log(initSecretsLine(store.init(name, args.force, EXAMPLE_CREDENTIALS[name]), file, EXAMPLE_CREDENTIALS[name]));
    }
  }
});
