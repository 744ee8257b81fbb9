import { parseArgs, ParseArgsConfig } from 'util';
import { ConfigError } from '../core/errors';
import { LONGEST_POLL_DELAY_MS } from '../cluster/proxy-address';
import { fileSystemError } from '../output/publish';
import { redact } from '../core/redact';
import { wholeSeconds } from '../core/whole-numbers';

/**
 * Runs a command-line entry point. A failure prints one line, `error: <message>`, with known secret values
 * redacted, and exits `errorExitCode` (a file-system failure names the path and what went wrong); only unexpected
 * errors (bugs) add their stack, also redacted. A command whose exit status 1 means something else (`npm run diff`:
 * "something changes") passes 2.
 */
export function runMain(main: () => void | Promise<void>, errorExitCode = 1): void {
  const fail = (error: unknown) => {
    const err = fileSystemError(error);
    const detail = err instanceof ConfigError ? err.message : (err.stack ?? err.message);
    process.stderr.write(`error: ${redact(detail)}\n`);
    process.exitCode = errorExitCode;
  };
  // The executor runs main at once; what it throws, there or later, rejects the promise.
  void new Promise<void>(resolve => resolve(main())).catch(fail).then(exitOnceFlushed);
}

/**
 * Ends the process with its exit code once what it printed is out, instead of when node has nothing left to do:
 * nothing is left by then but node's own teardown, which takes tens of milliseconds after a synth.
 */
function exitOnceFlushed(): void {
  let streams = 2;
  const flushed = () => {
    if (--streams === 0) process.exit();
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}

/** Node's `parseArgs`, with its errors (an unknown option, a missing value) as one-line ConfigErrors. */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}; see --help`);
  }
}

/** The --help (-h) every command takes. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h', default: false } } as const;

/**
 * For commands that take no arguments: `--help` prints `usage` and returns true; anything else is refused before the
 * command does any work. `args` default to the process's.
 */
export function helpOnly(usage: string, args?: string[]): boolean {
  const { values } = parseCliArgs({ args, options: HELP_OPTION });
  if (values.help) console.log(usage);
  return values.help === true;
}

/** The longest `--timeout`: a wait still going after a day is stuck. */
const MAX_TIMEOUT_SEC = 86400;

/** The seconds of a `--timeout` option: at most a day, as kubectl refuses a timeout beyond the range of its durations. */
export function timeoutSeconds(value: string): number {
  return wholeSeconds('--timeout', value, MAX_TIMEOUT_SEC, 'a day');
}

/** The seconds of patch-hub-url's `--interval`, the first wait between polls: at most the longest one. */
export function intervalSeconds(value: string): number {
  return wholeSeconds('--interval', value, LONGEST_POLL_DELAY_MS / 1000, 'the longest wait between polls');
}
