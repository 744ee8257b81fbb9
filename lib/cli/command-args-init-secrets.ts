/** The arguments of `npm run init-secrets`, parsed and checked apart from the command (see command-args.ts), and what it says. */
import { HELP_OPTION, parseCliArgs } from './cli';
import { ParsedArgs } from './command-args';
import { ConfigError } from '../core/errors';
import { checkDnsLabel } from '../core/names';
import { CredentialName, InitOutcome } from '../secrets/secret-store';
import { DEFAULT_SECRETS_DIR } from '../secrets/secrets-folder';
import { rotationEffects, TOKEN_NAMES, TokenName, tokenNamesOption } from '../secrets/tokens';

export const INIT_SECRETS_USAGE = 'usage: npm run init-secrets -- [--force | --rotate <token>[,<token>...]] [--dir <folder>] [deployment...]';

/** `npm run init-secrets`'s arguments. */
export interface InitSecretsOptions {
  /** The deployments named, each once, in the order first given; none named: the app's (main.ts's). */
  readonly deployments: readonly string[];
  /** Every token of an existing file anew. */
  readonly force: boolean;
  /** Only these tokens anew (--rotate); undefined: none. Never with `force`. */
  readonly rotate?: readonly TokenName[];
  readonly dir: string;
}

/**
 * `npm run init-secrets`'s arguments (`argv` without node and the script), checked before any file is written; bad
 * ones are one-line ConfigErrors.
 */
export function parseInitSecretsArgs(argv: string[]): ParsedArgs<InitSecretsOptions> {
  const { values: args, positionals } = parseCliArgs({
    args: argv,
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false }, rotate: { type: 'string', multiple: true }, dir: { type: 'string', default: DEFAULT_SECRETS_DIR }, ...HELP_OPTION },
  });
  if (args.help) return 'help';
  const rotate = args.rotate === undefined ? undefined : tokenNamesOption('--rotate', args.rotate);
  if (rotate && args.force) throw new ConfigError('--force rotates every token and --rotate only those it names: give one of them');
  // A deployment names a file in the folder: `../x` would write outside it.
  for (const name of positionals) checkDnsLabel('deployment name', name);
  return { deployments: [...new Set(positionals)], force: args.force, rotate, dir: args.dir };
}

/** What init-secrets says of one deployment's file once `outcome` happened; `needed`: the credentials it holds placeholders for. */
export function initSecretsLine(outcome: InitOutcome, file: string, needed: ReadonlyArray<CredentialName> = []): string {
  switch (outcome) {
    case 'created': return `created ${file} (${TOKEN_NAMES.length} tokens${needed.map(name => `; replace the placeholder in credentials.${name}`).join('')})`;
    case 'rotated': return `rotated every token in ${file} (credentials kept); on the next apply ${rotationEffects(TOKEN_NAMES)}`;
    case 'kept': return `kept ${file}: it exists already (--force rotates every token, --rotate <token> only that one)`;
  }
}

/** What init-secrets says of one deployment's file once --rotate replaced `names` in it. */
export function rotatedLine(file: string, names: readonly TokenName[]): string {
  return `rotated ${names.join(', ')} in ${file} (the other tokens and the credentials kept); on the next apply ${rotationEffects(names)}`;
}
