/** The options of `npm run bench`, parsed and checked apart from the script (see command-args.ts). */
import * as os from 'os';
import { HELP_OPTION, parseCliArgs } from './cli';
import { HELP_USAGE, ParsedArgs } from './command-args';
import { ConfigError } from '../core/errors';
import { isWholeNumber } from '../core/whole-numbers';

/** How often the bench measures each case unless --runs says. */
export const DEFAULT_BENCH_RUNS = 5;

/** The numbers of deployments the bench synthesizes in one app unless --sizes says. */
export const DEFAULT_BENCH_SIZES: readonly number[] = [1, 10, 50];

export const BENCH_USAGE = `usage: npm run bench [-- --runs <n>] [--sizes <n>,<n>...] [--busy <n>]

Measures, interleaved, the wall time of a synth of one deployment (app start included) against a raw helm template
of the same chart and values, how a synth of several deployments in one app grows, and the hub URL post-step on
the largest output; prints the medians beside the targets. The chart is BINDERHUB_CHART when set, else the real
chart in ../shared/charts when it is there, else the test chart; the first line says which.

  --runs <n>             how often each case is measured (default: ${DEFAULT_BENCH_RUNS})
  --sizes <n>,<n>...     the numbers of deployments synthesized in one app, the first compared with helm
                         (default: ${DEFAULT_BENCH_SIZES.join(',')})
  --busy <n>             keep n cores busy with a CPU-bound process for the whole run, as on a machine that does
                         other work (default: 0; at most the cores but one)
${HELP_USAGE}`;

/** `npm run bench`'s options. */
export interface BenchOptions {
  readonly runs: number;
  readonly sizes: readonly number[];
  /** How many cores a CPU-bound process keeps busy while the bench measures. */
  readonly busy: number;
}

/** `npm run bench`'s arguments (`argv` without node and the script), checked; bad ones are one-line ConfigErrors. */
export function parseBenchArgs(argv: string[], cores: number = os.availableParallelism()): ParsedArgs<BenchOptions> {
  const { values: args } = parseCliArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: String(DEFAULT_BENCH_RUNS) }, sizes: { type: 'string', default: DEFAULT_BENCH_SIZES.join(',') },
      busy: { type: 'string', default: '0' }, ...HELP_OPTION,
    },
  });
  if (args.help) return 'help';
  // Without a run there is no median, and a synth of no deployment has no output for the post-step.
  if (!isWholeNumber(args.runs)) throw new ConfigError(`--runs must be a whole number of at least 1, got "${args.runs}"`);
  const sizes = args.sizes.split(',');
  if (!sizes.every(size => isWholeNumber(size))) {
    throw new ConfigError(`--sizes must be whole numbers of at least 1 separated by commas, such as ${DEFAULT_BENCH_SIZES.join(',')}; got "${args.sizes}"`);
  }
  // One core stays for the bench: with every core busy it would measure the scheduler.
  if (!/^\d+$/.test(args.busy) || Number(args.busy) > cores - 1) {
    throw new ConfigError(`--busy must be a whole number from 0 to ${cores - 1} (this machine has ${cores} cores; one stays for the bench), got "${args.busy}"`);
  }
  return { runs: Number(args.runs), sizes: sizes.map(Number), busy: Number(args.busy) };
}
