/** The options of `npm run chart-update`, parsed and checked apart from the command (see command-args.ts). */
import { HELP_OPTION, parseCliArgs } from './cli';
import { HELP_USAGE, ParsedArgs } from './command-args';
import { BINDERHUB_CHART_REPOSITORY, ChartSource } from '../chart/chart-source';
import { OLDEST_SUPPORTED_CHART_VERSION } from '../chart/chart-metadata';
import { CHARTS_LOCK_FILE } from '../chart/chart-lock';

export const CHART_UPDATE_USAGE = `usage: npm run chart-update [-- --repository <url>] [--version <version>] [--check]

Moves ${CHARTS_LOCK_FILE} to another binderhub chart: reads the repository's index.yaml, picks the newest build this
project supports (${OLDEST_SUPPORTED_CHART_VERSION} or later; builds compare by number; versions it does not support
yet are listed, never picked) or the version given, downloads it into the chart cache checking the digest the index
lists, refuses it if its values schema does not accept a setting of a deployment (named), prints what moving to it
changes in every deployment as \`npm run diff\` does (Secrets masked, the workloads that restart) and the images each
deployment runs, then rewrites ${CHARTS_LOCK_FILE}. Review that, run \`npm run synth\`, and commit ${CHARTS_LOCK_FILE}
and dist/. BINDERHUB_CHART must be unset.

  --repository <url>     the chart repository (default: ${BINDERHUB_CHART_REPOSITORY})
  --version <version>    the exact version to lock (default: the newest supported build)
  --check                change nothing: exit 0 when ${CHARTS_LOCK_FILE} locks that version, 1 when it does not
                         (naming it), 2 on an error; for a scheduled CI job
${HELP_USAGE}`;

/** `npm run chart-update`'s options. */
export interface ChartUpdateArgs {
  readonly repository: string;
  readonly version?: string;
  readonly check: boolean;
}

/** `npm run chart-update`'s arguments (`argv` without node and the script), checked; bad ones are one-line ConfigErrors. */
export function parseChartUpdateArgs(argv: string[]): ParsedArgs<ChartUpdateArgs> {
  const { values: args } = parseCliArgs({
    args: argv,
    options: { repository: { type: 'string', default: BINDERHUB_CHART_REPOSITORY }, version: { type: 'string' }, check: { type: 'boolean', default: false }, ...HELP_OPTION },
  });
  if (args.help) return 'help';
  // The checks a deployment's chart source makes: an http(s) repository, an exact version not known to be too old.
  ChartSource.repository({ url: args.repository, version: args.version });
  return { repository: args.repository, version: args.version, check: args.check };
}
