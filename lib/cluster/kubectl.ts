import { spawn } from 'child_process';
import * as fs from 'fs';
import { ConfigError } from '../core/errors';
import { describeFileKind } from '../core/input-files';
import { wholeSeconds } from '../core/whole-numbers';

/** How to reach the cluster. */
export interface KubectlOptions {
  /** The kubectl binary. */
  readonly kubectl: string;
  /** A kubeconfig file. @default - kubectl's own choice (KUBECONFIG, ~/.kube/config) */
  readonly kubeconfig?: string;
  /** A kubeconfig context. @default - the current context */
  readonly context?: string;
  /**
   * How long kubectl waits for the API server to answer one request, in seconds (`--request-timeout`); 0 for no
   * limit, which only a watch bounded otherwise (`rollout status --timeout`) should use.
   * @default DEFAULT_REQUEST_TIMEOUT_SEC
   */
  readonly requestTimeoutSec?: number;
}

/**
 * The default `--request-timeout`: an API server answers in well under a second; one that has not answered in 30 s
 * hangs. (kubectl's own default is none: a hanging server held a command until kubectl's retries gave up, 100 s.)
 */
export const DEFAULT_REQUEST_TIMEOUT_SEC = 30;

/** The longest `--request-timeout`: an hour. */
const MAX_REQUEST_TIMEOUT_SEC = 3600;

/** The seconds of a `--request-timeout` option, DEFAULT_REQUEST_TIMEOUT_SEC when not given. */
export function requestTimeoutSeconds(value: string | undefined): number {
  return value === undefined ? DEFAULT_REQUEST_TIMEOUT_SEC : wholeSeconds('--request-timeout', value, MAX_REQUEST_TIMEOUT_SEC, 'an hour');
}

/** What one `kubectl` call gets besides its arguments. */
export interface KubectlCallOptions {
  /** Written to kubectl's standard input (`-f -`): objects that must not touch the disk. @default - no input */
  readonly input?: string;
  /** Variables added to kubectl's environment. @default - none */
  readonly env?: Readonly<Record<string, string>>;
}

/** The outcome of one `kubectl` call. */
export interface KubectlResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The arguments that make kubectl talk to the chosen cluster. */
function kubectlGlobalArgs(options: KubectlOptions): string[] {
  return [
    ...(options.kubeconfig ? ['--kubeconfig', options.kubeconfig] : []),
    ...(options.context ? ['--context', options.context] : []),
    `--request-timeout=${options.requestTimeoutSec ?? DEFAULT_REQUEST_TIMEOUT_SEC}s`,
  ];
}

/** Runs kubectl without blocking the event loop. */
export function runKubectl(options: KubectlOptions, args: string[], call: KubectlCallOptions = {}): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    // Standard input is a pipe, closed once the input (if any) is written: kubectl reading it finds its end at once.
    const child = spawn(options.kubectl, [...kubectlGlobalArgs(options), ...args], { env: call.env ? { ...process.env, ...call.env } : process.env });
    // kubectl may exit before reading all of its input (a bad flag); its status tells what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(call.input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => { stdout += chunk; });
    child.stderr.on('data', chunk => { stderr += chunk; });
    child.on('error', error => {
      reject((error as NodeJS.ErrnoException).code === 'ENOENT'
        ? new ConfigError(`cannot run kubectl at ${options.kubectl}: run \`npm ci\` (it installs kubectl into .tools/) or set KUBECTL`)
        : error);
    });
    child.on('close', status => resolve({ status, stdout, stderr }));
  });
}

/** What kubectl's stderr says when the API server took longer than `--request-timeout` to answer. */
const KUBECTL_TIMED_OUT = /Client\.Timeout exceeded|context deadline exceeded/;

/** What kubectl's stderr says when it reaches no cluster, or the cluster does not know who it is. */
const KUBECTL_UNREACHABLE = /connect|refused|no such host|dial tcp|i\/o timeout|context deadline|certificate|Unauthorized|no configuration/i;

/** The last `count` lines of kubectl's output, blank lines left out. */
function kubectlLastLines(text: string, count: number): string[] {
  return text.split('\n').filter(Boolean).slice(-count);
}

/** The last line of kubectl's stderr: its error. */
export function kubectlLastLine(text: string): string {
  return kubectlLastLines(text, 1).join('');
}

/** The most characters of kubectl's output an error quotes: a line that long is something the server echoed (a host name of megabytes). */
const MAX_QUOTED = 1000;

/** `text`, cut to MAX_QUOTED characters, saying how many were left out. */
export function boundedQuote(text: string): string {
  return text.length <= MAX_QUOTED ? text : `${text.slice(0, MAX_QUOTED)}... (${text.length - MAX_QUOTED} more characters)`;
}

/**
 * kubectl's JSON output of `what` (`kubectl get ... --output json`), or a one-line error: a `KUBECTL` that is no
 * kubectl may print anything.
 */
export function parseKubectlJson(stdout: string, what: string): any {
  try {
    return JSON.parse(stdout);
  } catch {
    throw new ConfigError(`${what} printed no JSON; check the kubectl in use (KUBECTL)`);
  }
}

/** What kubectl prints after its error about a kind the cluster does not serve: it names no kind. */
const CRD_ADVICE = 'ensure CRDs are installed first';

/**
 * A failed kubectl call as one line: an unreachable cluster says what to check; anything else (a refusal, a
 * forbidden verb, an invalid object) is `<what> failed: <kubectl's error>`.
 */
export function kubectlError(what: string, stderr: string, options: KubectlOptions): ConfigError {
  // kubectl's error is its last line, but for a kind the cluster does not serve: that one is on the line before the advice.
  const missingKind = kubectlLastLine(stderr) === CRD_ADVICE;
  // kubectl suggests --validate=false when it cannot fetch the schemas; with no cluster that would not help.
  const last = boundedQuote(kubectlLastLines(stderr, missingKind ? 2 : 1).join('; ')
    .replace('; if you choose to ignore these errors, turn validation off with --validate=false', ''));
  // A cluster that answered (it refused the verb, or serves no such kind) is reachable, whatever the kind or file is named.
  if (!missingKind && !/forbidden/i.test(stderr) && KUBECTL_TIMED_OUT.test(stderr)) {
    return new ConfigError(`the API server did not answer within ${options.requestTimeoutSec ?? DEFAULT_REQUEST_TIMEOUT_SEC}s (--request-timeout)${options.context ? ` (context ${options.context})` : ''}: `
      + `${last}; check that the cluster is up (kubectl cluster-info), or give it longer with --request-timeout`);
  }
  if (!missingKind && !/forbidden/i.test(stderr) && KUBECTL_UNREACHABLE.test(stderr)) {
    return new ConfigError(`no cluster reachable through kubectl${options.context ? ` (context ${options.context})` : ''}: ${last}; `
      + 'check --kubeconfig / --context (kubectl config current-context)');
  }
  return new ConfigError(`${what} failed: ${last}`);
}

/**
 * Refuses a `--kubeconfig` that is no file and a `--context` the kubeconfig lacks, in one line each, before any call
 * reaches the cluster (kubectl's own errors come only after a command has started, and name neither option). The
 * contexts are read with `kubectl config get-contexts`, which reads the kubeconfig and nothing else.
 */
export async function checkKubectlTarget(options: KubectlOptions): Promise<void> {
  for (const option of ['kubeconfig', 'context'] as const) {
    if (options[option] === '') throw new ConfigError(`--${option} is empty: name a ${option === 'context' ? 'context' : 'kubeconfig file'}, or leave the option out for kubectl's default`);
  }
  if (options.kubeconfig !== undefined) {
    const stat = fs.statSync(options.kubeconfig, { throwIfNoEntry: false });
    if (!stat?.isFile()) {
      throw new ConfigError(`--kubeconfig ${options.kubeconfig}: ${stat ? `is ${describeFileKind(stat)}, not` : 'no such file; give'} a kubeconfig file (or leave the option out for KUBECONFIG, ~/.kube/config)`);
    }
  }
  if (options.context !== undefined) await checkContext(options, options.context);
  await checkApiServer(options);
}

/** Refuses a `--context` the kubeconfig lacks, naming those it has. */
async function checkContext(options: KubectlOptions, context: string): Promise<void> {
  const source = options.kubeconfig ?? 'the kubeconfig (KUBECONFIG, ~/.kube/config)';
  const result = await runKubectl({ ...options, context: undefined }, ['config', 'get-contexts', '--output', 'name']);
  if (result.status !== 0) throw new ConfigError(`--context ${context}: kubectl cannot read ${source}: ${kubectlLastLine(result.stderr)}`);
  const contexts = result.stdout.split('\n').filter(Boolean);
  if (!contexts.includes(context)) {
    throw new ConfigError(`--context ${context}: no such context in ${source}; ${contexts.length > 0 ? `its contexts: ${contexts.join(', ')}` : 'it has none'}`);
  }
}

/**
 * Asks the API server its version, one request that needs no discovery first: a server that hangs fails after
 * one `--request-timeout` (not after kubectl's retries of each discovery request), and a server that answers
 * with no Kubernetes version (a web page, a proxy's error) is named as no Kubernetes API, not as kubectl's parse error.
 */
async function checkApiServer(options: KubectlOptions): Promise<void> {
  const result = await runKubectl(options, ['get', '--raw', '/version']);
  if (result.status !== 0) throw kubectlError('kubectl get --raw /version', result.stderr, options);
  let version: unknown;
  try {
    version = JSON.parse(result.stdout);
  } catch {
    version = undefined;
  }
  if (typeof (version as { gitVersion?: unknown } | undefined)?.gitVersion !== 'string') {
    throw new ConfigError(`the server${options.context ? ` of context ${options.context}` : ''} answered kubectl with no Kubernetes version (a web page, a proxy?): `
      + 'it is no Kubernetes API server; check --kubeconfig / --context (kubectl config view --minify)');
  }
}
