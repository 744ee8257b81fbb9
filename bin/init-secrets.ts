/**
 * `npm run init-secrets -- [--force | --rotate <token>[,<token>...]] [--dir <folder>] [deployment...]`
 *
 * Generates each deployment's tokens once into `<folder>/<deployment>.json` (mode 0600, git-ignored). Without
 * deployment names it covers the example's deployments. An existing file is never overwritten without --force
 * (every token anew) or --rotate (only the tokens named).
 */
import { EXAMPLE_CREDENTIALS, EXAMPLE_DEPLOYMENTS } from '../main';
import { checkDnsLabel, ConfigError, parseCliArgs, runMain, SecretStore, rotationEffects, TOKEN_NAMES, tokenNamesOption } from '../lib';

runMain(() => {
  const { values: args, positionals } = parseCliArgs({
    allowPositionals: true,
    options: {
      force: { type: 'boolean', default: false }, rotate: { type: 'string', multiple: true }, dir: { type: 'string', default: 'secrets' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (args.help) {
    console.log('usage: npm run init-secrets -- [--force | --rotate <token>[,<token>...]] [--dir <folder>] [deployment...]');
    return;
  }
  const rotate = args.rotate === undefined ? undefined : tokenNamesOption('--rotate', args.rotate);
  if (rotate && args.force) throw new ConfigError('--force rotates every token and --rotate only those it names: give one of them');
  const store = new SecretStore(args.dir);
  for (const name of positionals.length > 0 ? positionals : EXAMPLE_DEPLOYMENTS) {
    checkDnsLabel('deployment name', name);
    const file = store.fileFor(name);
    if (rotate) {
      store.rotate(name, rotate);
      console.log(`rotated ${rotate.join(', ')} in ${file} (the other tokens and the credentials kept); on the next apply ${rotationEffects(rotate)}`);
      continue;
    }
    switch (store.init(name, args.force, EXAMPLE_CREDENTIALS[name])) {
      case 'created': console.log(`created ${file} (5 tokens${placeholderNote(EXAMPLE_CREDENTIALS[name])})`); break;
      case 'rotated': console.log(`rotated every token in ${file} (credentials kept); on the next apply ${rotationEffects(TOKEN_NAMES)}`); break;
      case 'kept': console.log(`kept ${file}: it exists already (--force rotates every token, --rotate <token> only that one)`); break;
    }
  }
});

/** Tells the operator which credentials the file holds placeholders for. */
function placeholderNote(needed: ReadonlyArray<string> = []): string {
  return needed.map(name => `; replace the placeholder in credentials.${name}`).join('');
}
