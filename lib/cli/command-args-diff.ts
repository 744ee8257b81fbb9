/** The options of `npm run diff`, parsed and checked apart from the command (see command-args.ts). */
import { HELP_OPTION, parseCliArgs } from './cli';
import { HELP_USAGE, KUBECTL_TARGET_OPTIONS, KUBECTL_TARGET_USAGE, kubectlTarget, KubectlTargetOptions, ParsedArgs } from './command-args';
import { ConfigError } from '../core/errors';

export const DIFF_USAGE = `usage: npm run diff [-- --deployment <name>...] [--against <git-ref>]
       npm run diff -- --live [--deployment <name>...] [--prune] [--context <ctx>] [--kubeconfig <file>] [--request-timeout <seconds>]

Shows, object by object, what a fresh synth of main.ts changes against dist/ and dist-secrets/ (or against dist/
at <git-ref>: what a pull request changes), or with --live what applying dist/ and dist-secrets/ would change in
the cluster (kubectl diff, the server's dry run of the apply; with --prune also what \`npm run apply -- --prune\` would delete).
Secret values are never shown, only which keys change. Exits 0 when nothing changes, 1 when something does, 2 on
an error.

  --deployment <name>    only this deployment; give it again for more (default: every deployment)
  --against <git-ref>    compare with dist/ at this commit, branch or tag (default: dist/ and dist-secrets/ as they are)
  --live                 compare dist/ and dist-secrets/ with the cluster instead of a synth with them
  --prune                with --live: also show what \`npm run apply -- --prune\` would delete
${KUBECTL_TARGET_USAGE}
${HELP_USAGE}`;

/**
 * `npm run diff`'s options, named as its options are. The kubectl target and `prune` are --live's: without --live,
 * `kubeconfig` and `context` are undefined and `prune` false.
 */
export interface DiffOptions extends KubectlTargetOptions {
  /** The deployments named, each once, in the order first given; empty: every deployment. */
  readonly deployment: string[];
  /** The git ref whose dist/ a fresh synth is compared with; undefined: the working folders. Never with `live`. */
  readonly against?: string;
  readonly live: boolean;
  readonly prune: boolean;
}

/** The options that only --live takes. */
const LIVE_ONLY = ['prune', 'context', 'kubeconfig', 'request-timeout'] as const;

/** `npm run diff`'s arguments (`argv` without node and the script), checked; bad ones are one-line ConfigErrors. */
export function parseDiffArgs(argv: string[]): ParsedArgs<DiffOptions> {
  const { values: args } = parseCliArgs({
    args: argv,
    options: {
      deployment: { type: 'string', multiple: true, default: [] }, against: { type: 'string' },
      live: { type: 'boolean', default: false }, prune: { type: 'boolean', default: false },
      ...KUBECTL_TARGET_OPTIONS, ...HELP_OPTION,
    },
  });
  if (args.help) return 'help';
  if (args.live && args.against !== undefined) {
    throw new ConfigError('--live compares dist/ with the cluster, --against a synth with a git ref: give one of them');
  }
  const misplaced = args.live ? undefined : LIVE_ONLY.find(option => args[option] !== undefined && args[option] !== false);
  if (misplaced) throw new ConfigError(`--${misplaced} goes with --live; see --help`);
  return {
    deployment: [...new Set(args.deployment)], // a deployment named twice is diffed once
    against: args.against, live: args.live, prune: args.prune, ...kubectlTarget(args),
  };
}
