/**
 * `npm run init-secrets -- [--force | --rotate <token>[,<token>...]] [--dir <folder>] [deployment...]`
 *
 * Generates each deployment's tokens once into `<folder>/<deployment>.json` (mode 0600, git-ignored). Without
 * deployment names it covers the secrets files main.ts reads (`app.secrets(name)`, whatever the name), with a
 * placeholder for each credential it asks of them (`app.credential`). An existing file is never overwritten without --force (every token anew) or --rotate (only
 * the tokens named).
 */
import {
  discoverApp, DiscoveredSecrets, INIT_SECRETS_USAGE, initSecretsLine, loadProjectApp, parseInitSecretsArgs, rotatedLine, runMain, SecretStore,
} from '../lib/internal';

runMain(() => {
  const args = parseInitSecretsArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(INIT_SECRETS_USAGE);
    return;
  }
  // Rotating named deployments' tokens needs nothing of the app; everything else follows the secrets files it reads.
  const read: DiscoveredSecrets[] = args.rotate && args.deployments.length > 0 ? [] : discoverApp(loadProjectApp()).secrets;
  const names = args.deployments.length > 0 ? args.deployments : read.map(secrets => secrets.name);
  const store = new SecretStore(args.dir);
  for (const name of names) {
    const file = store.fileFor(name);
    if (args.rotate) {
      store.rotate(name, args.rotate);
      console.log(rotatedLine(file, args.rotate));
    } else {
      const secrets = read.find(s => s.name === name);
      if (!secrets) console.warn(`warning: main.ts reads no secrets of ${name} (\`app.secrets('${name}')\`); its file holds tokens only`);
      const needed = secrets?.credentials ?? [];
      console.log(initSecretsLine(store.init(name, args.force, needed), file, needed));
    }
  }
});
