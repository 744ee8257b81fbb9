/**
 * `npm run init-secrets -- [--force | --rotate <token>[,<token>...]] [--dir <folder>] [deployment...]`
 *
 * Generates each deployment's tokens once into `<folder>/<deployment>.json` (mode 0600, git-ignored). Without
 * deployment names it covers the deployments main.ts defines, with a placeholder for each credential they ask for
 * (`app.credential`). An existing file is never overwritten without --force (every token anew) or --rotate (only
 * the tokens named).
 */
import {
  discoverDeployments, DiscoveredDeployment, INIT_SECRETS_USAGE, initSecretsLine, loadProjectApp, parseInitSecretsArgs, rotatedLine, runMain, SecretStore,
} from '../lib/internal';

runMain(() => {
  const args = parseInitSecretsArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(INIT_SECRETS_USAGE);
    return;
  }
  // Rotating named deployments' tokens needs nothing of the app; everything else follows its definition.
  const defined: DiscoveredDeployment[] = args.rotate && args.deployments.length > 0 ? [] : discoverDeployments(loadProjectApp());
  const names = args.deployments.length > 0 ? args.deployments : defined.map(d => d.name);
  const store = new SecretStore(args.dir);
  for (const name of names) {
    const file = store.fileFor(name);
    if (args.rotate) {
      store.rotate(name, args.rotate);
      console.log(rotatedLine(file, args.rotate));
    } else {
      const deployment = defined.find(d => d.name === name);
      if (!deployment) console.warn(`warning: main.ts defines no deployment ${name}; its file holds tokens only`);
      const needed = deployment?.credentials ?? [];
      console.log(initSecretsLine(store.init(name, args.force, needed), file, needed));
    }
  }
});
