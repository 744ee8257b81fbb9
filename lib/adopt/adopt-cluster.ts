import { ConfigError } from '../core/errors';
import { kubectlError, KubectlOptions, parseKubectlJson, runKubectl } from '../cluster/kubectl';
import { registerSecrets } from '../core/redact';
import { BinderHubTokenValues, TOKEN_PATTERN } from '../secrets/tokens';

/** Where the live release's tokens are: Secret `hub` of the jupyterhub chart, by key. */
export const HUB_SECRET_KEYS: ReadonlyArray<[keyof BinderHubTokenValues, string]> = [
  ['proxySecretToken', 'hub.config.ConfigurableHTTPProxy.auth_token'],
  ['binderApiToken', 'hub.services.binder.apiToken'],
  ['cookieSecret', 'hub.config.JupyterHub.cookie_secret'],
  ['cryptKeeperKey', 'hub.config.CryptKeeper.keys'],
];

/** Which live release to read. */
export interface ClusterRelease extends KubectlOptions {
  readonly namespace: string;
  readonly release: string;
}

/**
 * Reads the tokens of the live release from its Secret `hub` (read only, through kubectl): the ones the chart
 * minted (`cookieSecret`, the first CryptKeeper key) are nowhere else, and keeping them keeps users signed in. The
 * Secret's values are registered for redaction and never quoted; failures are one line naming the fix.
 */
export async function readClusterTokens(options: ClusterRelease): Promise<Partial<BinderHubTokenValues>> {
  const result = await runKubectl(options, ['get', 'secret', 'hub', '--namespace', options.namespace, '--output', 'json']);
  if (result.status !== 0) throw clusterError(result.stderr.trim(), options);
  return hubSecretTokens(parseKubectlJson(result.stdout, `kubectl get secret hub --namespace ${options.namespace}`), options);
}

/** The tokens in Secret `hub` (as `kubectl get -o json` prints it), checked to belong to the release. */
export function hubSecretTokens(secret: any, options: { namespace: string; release: string }): Partial<BinderHubTokenValues> {
  const owner = secret?.metadata?.labels?.release;
  if (owner !== undefined && owner !== options.release) {
    throw new ConfigError(`Secret hub in namespace ${options.namespace} belongs to release ${owner}, not ${options.release}; pass --release ${owner}, or the namespace of ${options.release}`);
  }
  const tokens: Partial<Record<keyof BinderHubTokenValues, string>> = {};
  for (const [token, key] of HUB_SECRET_KEYS) {
    const encoded = secret?.data?.[key];
    if (typeof encoded !== 'string') continue;
    const value = Buffer.from(encoded, 'base64').toString('utf8').split(';')[0].trim();
    registerSecrets(value);
    if (!TOKEN_PATTERN.test(value)) {
      throw new ConfigError(`Secret hub in namespace ${options.namespace}, key ${key}, is not 64 lowercase hex characters, which the secrets file needs; adopt without --from-cluster to have it generated`);
    }
    tokens[token] = value;
  }
  return tokens;
}

function clusterError(stderr: string, options: ClusterRelease): ConfigError {
  const where = `namespace ${options.namespace}`;
  if (/NotFound|not found/.test(stderr)) {
    return new ConfigError(`no Secret hub in ${where}: release ${options.release} is not installed there; pass --namespace (and --release) of the live release, or leave out --from-cluster`);
  }
  if (/Forbidden|forbidden/.test(stderr)) {
    return new ConfigError(`kubectl may not read Secret hub in ${where} (forbidden); use a context that may (\`kubectl auth can-i get secret/hub -n ${options.namespace}\`) with --context`);
  }
  return kubectlError('kubectl get secret hub', stderr, options);
}
