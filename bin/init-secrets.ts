/**
 * `npm run init-secrets -- [--force] [--dir <folder>] [deployment...]`
 *
 * Generates each deployment's tokens once into `<folder>/<deployment>.json` (mode 0600, git-ignored). Without
 * deployment names it covers the example's deployments. An existing file is never overwritten without --force.
 */
import { EXAMPLE_CREDENTIALS, EXAMPLE_DEPLOYMENTS } from '../main';
import { checkDnsLabel, parseCliArgs, runMain, SecretStore } from '../lib';

runMain(() => {
  const { values: args, positionals } = parseCliArgs({
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false }, dir: { type: 'string', default: 'secrets' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (args.help) {
    console.log('usage: npm run init-secrets -- [--force] [--dir <folder>] [deployment...]');
    return;
  }
  const store = new SecretStore(args.dir);
  for (const name of positionals.length > 0 ? positionals : EXAMPLE_DEPLOYMENTS) {
    checkDnsLabel('deployment name', name);
    const file = store.fileFor(name);
    switch (store.init(name, args.force, EXAMPLE_CREDENTIALS[name])) {
      case 'created': console.log(`created ${file} (5 tokens${placeholderNote(EXAMPLE_CREDENTIALS[name])})`); break;
      case 'rotated': console.log(`rotated the tokens in ${file} (credentials kept; the hub and proxy restart on the next apply)`); break;
      case 'kept': console.log(`kept ${file}: it exists already (--force rotates its tokens)`); break;
    }
  }
});

/** Tells the operator which credentials the file holds placeholders for. */
function placeholderNote(needed: ReadonlyArray<string> = []): string {
  return needed.map(name => `; replace the placeholder in credentials.${name}`).join('');
}
