/** The options of `npm run adopt`, parsed and checked apart from the command (see command-args.ts). */
import * as path from 'path';
import { HELP_OPTION, parseCliArgs } from './cli';
import { KUBECTL_TARGET_OPTIONS, kubectlTarget, KubectlTargetOptions, ParsedArgs } from './command-args';
import { ConfigError } from '../core/errors';
import { DEFAULT_REQUEST_TIMEOUT_SEC } from '../cluster/kubectl';
import { checkDnsLabel } from '../core/names';

/** Where adopt writes the module unless --out says. */
export const ADOPTED_MODULES = 'deployments';

export const ADOPT_USAGE = `usage: npm run adopt -- --name <deployment> --secret secret.yaml --config config.yaml [-f more.yaml ...] [--out <file>.ts] [--force]
                        [--namespace <ns>] [--release <name>] [--from-cluster [--context <ctx>] [--kubeconfig <file>] [--request-timeout <s>]] [--no-compare | --all]

Reads the guide's values files (today's layout or the 2019 one), merged as helm merges -f files: in the order
given, later wins, maps merge, lists are replaced. Writes:
  secrets/<name>.json     the tokens found (the missing ones generated) and the registry, GitHub, GitLab credentials (mode 0600)
  ${ADOPTED_MODULES}/<name>.ts   defineDeployment(app): the typed props, for main.ts to import (or --out <file>.ts)
  hub-urls/<name>.url     a hand-set hub URL that is no https DNS name, for the next synth
Settings replaced or not carried over are listed, here and in the module. Nothing is overwritten without --force,
and the files are written all or none.
Then it shows what switching changes: a synth of the module against helm template of the same files with the same
chart (BINDERHUB_CHART, else the pinned public chart), object by object, the differences on purpose marked as such.

  --name <deployment>   the deployment's name (construct id, release name, namespace)
  --secret <file>       the guide's secret.yaml   } any number of each, merged in the order given
  --config <file>       the guide's config.yaml   }
  -f, --values <file>   more values files         }
  --out <file>.ts       where the module goes, inside the project folder (default: ${ADOPTED_MODULES}/<name>.ts)
  --force               replace existing files of that name (of modules, only those adopt wrote)
  --no-compare          skip the comparison with helm template (it needs the chart: BINDERHUB_CHART or the network)
  --all                 list every difference of the comparison: no objects counted, no paths cut short
  --namespace <ns>      the live release's namespace (default: --name); the module keeps it
  --release <name>      the live release's name (default: --name); the module keeps it
  --from-cluster        also read the live release's Secret hub (kubectl, read only): the tokens the values files
                        lack, such as the chart-minted cookieSecret and CryptKeeper key, so users stay signed in
  --context <ctx>, --kubeconfig <file>   which cluster kubectl reads (default: kubectl's own)
  --request-timeout <seconds>   how long the API server may take to answer one request, at most 3600 (default: ${DEFAULT_REQUEST_TIMEOUT_SEC})
  --help                this text`;

/** The deployments an adopted one must not collide with (main.ts's): their names and namespaces. */
export interface TakenDeployments {
  readonly names: readonly string[];
  readonly namespaces: Readonly<Record<string, string>>;
}

/** `npm run adopt`'s options. */
export interface AdoptOptions {
  readonly name: string;
  /** The values files of --secret, --config and -f, in the order given whichever the option: later wins. */
  readonly files: readonly string[];
  /** The files given with --secret: what no prop takes of them goes to the secrets file. */
  readonly secretFiles: readonly string[];
  /** Where the module goes, as given (checked against the project when the command runs). */
  readonly out: string;
  readonly force: boolean;
  /** The live release's namespace and name as given; undefined: --name, and the module leaves them out. */
  readonly namespace?: string;
  readonly release?: string;
  /** The cluster whose live release's Secret hub is read (--from-cluster); undefined: none is read. */
  readonly fromCluster?: KubectlTargetOptions;
  /** Whether the module is compared with helm template (not with --no-compare). */
  readonly compare: boolean;
  /** Whether the comparison lists every difference (--all). */
  readonly all: boolean;
}

/** The options that name the values files, each any number of times. */
const VALUES_FILE_OPTIONS = ['secret', 'config', 'values'];

/**
 * `npm run adopt`'s arguments (`argv` without node and the script), checked before any file is read; bad ones are
 * one-line ConfigErrors. `taken`: the deployments of main.ts, whose name, release or namespace it must not take (asked
 * for only once the arguments are otherwise good).
 */
export function parseAdoptArgs(argv: string[], taken: () => TakenDeployments): ParsedArgs<AdoptOptions> {
  const { values: args, tokens } = parseCliArgs({
    args: argv,
    tokens: true,
    options: {
      name: { type: 'string' }, secret: { type: 'string', multiple: true }, config: { type: 'string', multiple: true },
      values: { type: 'string', short: 'f', multiple: true }, out: { type: 'string' }, force: { type: 'boolean', default: false },
      'no-compare': { type: 'boolean', default: false }, all: { type: 'boolean', default: false },
      'from-cluster': { type: 'boolean', default: false }, namespace: { type: 'string' }, release: { type: 'string' },
      ...KUBECTL_TARGET_OPTIONS, ...HELP_OPTION,
    },
  });
  if (args.help) return 'help';
  if (!args.name) throw new ConfigError('--name is required: the deployment\'s name, such as binderhub; see --help');
  checkDnsLabel('--name', args.name);
  // The three options count as one list: helm merges -f files in the order given.
  const files = tokens.flatMap(t => t.kind === 'option' && VALUES_FILE_OPTIONS.includes(t.name) && t.value !== undefined ? [t.value] : []);
  if (files.length === 0) throw new ConfigError('give the values files: --secret secret.yaml --config config.yaml (and -f for more); see --help');
  const clusterOptions = [args.context, args.kubeconfig, args['request-timeout']].some(v => v !== undefined);
  if (clusterOptions && !args['from-cluster']) throw new ConfigError('--context, --kubeconfig and --request-timeout go with --from-cluster; see --help');
  if (args.all && args['no-compare']) throw new ConfigError('--all lists the comparison\'s differences, which --no-compare skips; give one of them');
  const target = kubectlTarget(args);
  if (args.namespace !== undefined) checkDnsLabel('--namespace', args.namespace);
  if (args.release !== undefined) checkDnsLabel('--release', args.release, 53);
  checkCollision(taken(), args.name, args.release ?? args.name, args.namespace ?? args.name);
  return {
    name: args.name, files, secretFiles: args.secret ?? [], out: args.out ?? path.join(ADOPTED_MODULES, `${args.name}.ts`), force: args.force,
    namespace: args.namespace, release: args.release, fromCluster: args['from-cluster'] ? target : undefined, compare: !args['no-compare'],
    all: args.all,
  };
}

/**
 * Fails if the adopted deployment would collide with one that main.ts defines: its name (the construct id and secrets
 * file), its release name (cluster-wide objects carry it) or its namespace (the jupyterhub chart's objects carry no
 * prefix).
 */
function checkCollision(taken: TakenDeployments, name: string, release: string, namespace: string): void {
  for (const other of taken.names) {
    const theirs = `of main.ts's deployment "${other}"; pick another, or take "${other}" out of main.ts first`;
    if (name === other) throw new ConfigError(`--name ${name} is the name ${theirs}`);
    if (release === other) throw new ConfigError(`release ${release} (--release, default --name) is the release name ${theirs}: cluster-wide objects such as ClusterRole ${release}-image-cleaner would collide`);
    if (namespace === taken.namespaces[other]) {
      throw new ConfigError(`namespace ${namespace} (--namespace, default --name) is the namespace ${theirs}: the jupyterhub chart's objects carry no release prefix`);
    }
  }
}
