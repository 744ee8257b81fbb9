import * as crypto from 'crypto';
import { ConfigError } from '../core/errors';
import { registerSecrets } from '../core/redact';
import { unexpectedNames } from '../core/unexpected-keys';
import { isPlainObject } from '../core/values';

/**
 * The random values a BinderHub deployment needs and that must stay the same from one synth to the next.
 *
 * Under `helm template` the jupyterhub chart cannot look up the values it minted before, so without these it
 * would mint new ones on every synth: the hub and proxy would restart and users would be signed out.
 */
export interface BinderHubTokenValues {
  /** The proxy's API token (`jupyterhub.proxy.secretToken`; the guide's first `openssl rand -hex 32`). */
  readonly proxySecretToken: string;
  /** BinderHub's JupyterHub API token (`jupyterhub.hub.services.binder.apiToken`; the guide's second one). */
  readonly binderApiToken: string;
  /** The hub's cookie signing key (`jupyterhub.hub.cookieSecret`). */
  readonly cookieSecret: string;
  /** The key that encrypts auth state (`jupyterhub.hub.config.CryptKeeper.keys`). */
  readonly cryptKeeperKey: string;
  /** The key that signs build tokens, shared by every binder replica (`config.BinderHub.build_token_secret`). */
  readonly buildTokenSecret: string;
}

/** The name of one token in a secrets file. */
export type TokenName = keyof BinderHubTokenValues;

export const TOKEN_NAMES: ReadonlyArray<TokenName> = [
  'proxySecretToken', 'binderApiToken', 'cookieSecret', 'cryptKeeperKey', 'buildTokenSecret',
];

/** A Deployment of the chart that holds a token. */
export type TokenHolder = 'hub' | 'proxy' | 'binder';

/** What replacing one token does once applied. */
export interface TokenRotation {
  /** The Deployments whose pod-template checksums cover the token, so that they restart with it. */
  readonly restarts: readonly TokenHolder[];
  /** What users notice. */
  readonly breaks?: string;
}

/**
 * What replacing each token does, as the chart wires them: hub's `checksum/secret` covers Secret `hub` (the four
 * JupyterHub tokens), proxy's `checksum/auth-token` its token, binder's `checksum/config` Secret `binder-secret` (the
 * build token secret). binder reads its API token from Secret `hub` (an environment variable), which no checksum of
 * the chart covers: the binder pod's `checksum/binder-api-token` (ours) does, so that binder restarts with it.
 */
export const TOKEN_ROTATIONS: Readonly<Record<TokenName, TokenRotation>> = {
  proxySecretToken: { restarts: ['hub', 'proxy'] },
  binderApiToken: { restarts: ['hub', 'binder'] },
  cookieSecret: { restarts: ['hub'], breaks: 'every user is signed out' },
  cryptKeeperKey: { restarts: ['hub'], breaks: 'the hub cannot read the auth state it encrypted before (users who have some sign in again)' },
  buildTokenSecret: { restarts: ['binder'], breaks: 'build tokens issued before are refused (a launch page opened before must be reloaded)' },
};

/** What rotating `names` does on the next apply, in one line: what restarts, what breaks. */
export function rotationEffects(names: readonly TokenName[]): string {
  const rotations = names.map(name => TOKEN_ROTATIONS[name]);
  const restarts = (['hub', 'proxy', 'binder'] as const).filter(holder => rotations.some(rotation => rotation.restarts.includes(holder)));
  const listed = restarts.length === 1 ? restarts[0] : `${restarts.slice(0, -1).join(', ')} and ${restarts[restarts.length - 1]}`;
  return [
    `${restarts.length === 1 ? 'Deployment' : 'Deployments'} ${listed} restart${restarts.length === 1 ? 's' : ''}`,
    ...rotations.flatMap(rotation => rotation.breaks ?? []),
  ].join('; ');
}

/**
 * The binder pod's annotation that changes with the binder service's API token, so that binder restarts and reads the
 * new one (it reads it from Secret `hub` only as it starts, and the chart's checksums do not cover that Secret).
 */
export const BINDER_API_TOKEN_CHECKSUM_ANNOTATION = 'checksum/binder-api-token';

/**
 * The tokens that `option`'s values name, each value one name or several, comma-separated (`--rotate a,b --rotate c`);
 * a name that is no token is refused, listing the names.
 */
export function tokenNamesOption(option: string, values: readonly string[]): TokenName[] {
  const names = values.flatMap(value => value.split(','));
  const unknown = names.find(name => !(TOKEN_NAMES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    throw new ConfigError(`${option} "${unknown}" names no token; the tokens are ${TOKEN_NAMES.join(', ')}`);
  }
  return [...new Set(names as TokenName[])];
}

/** 32 random bytes as hex, like `openssl rand -hex 32`. */
export const TOKEN_PATTERN = /^[0-9a-f]{64}$/;

/** A validated set of deployment tokens. */
export class BinderHubTokens {
  /** Mints a fresh set from a crypto-strong source. */
  public static generate(): BinderHubTokens {
    const values = Object.fromEntries(TOKEN_NAMES.map(name => [name, crypto.randomBytes(32).toString('hex')]));
    return new BinderHubTokens(values as unknown as BinderHubTokenValues);
  }

  /**
   * Validates tokens read from somewhere (`source` names it in errors): every token present, 64 lowercase hex
   * characters, and no two alike. Messages name the token, never its value.
   */
  public static fromValues(values: unknown, source: string): BinderHubTokens {
    if (!isPlainObject(values)) {
      throw new ConfigError(`${source}: "tokens" must be an object with ${TOKEN_NAMES.join(', ')}; `
        + 'run `npm run init-secrets -- --force` to write a fresh set');
    }
    const unknown = Object.keys(values).filter(key => !(TOKEN_NAMES as readonly string[]).includes(key));
    if (unknown.length > 0) {
      throw new ConfigError(`${source}: ${unexpectedNames('token name', unknown, TOKEN_NAMES)}`);
    }
    for (const name of TOKEN_NAMES) {
      const value = values[name];
      if (value === undefined) {
        throw new ConfigError(`${source}: token "${name}" is missing; run \`npm run init-secrets -- --force\` to write a fresh set`);
      }
      if (typeof value !== 'string' || !TOKEN_PATTERN.test(value)) {
        throw new ConfigError(`${source}: token "${name}" must be 64 lowercase hex characters (32 random bytes, `
          + 'as `openssl rand -hex 32` prints); run `npm run init-secrets -- --force` to write a fresh set');
      }
    }
    for (const [i, a] of TOKEN_NAMES.entries()) {
      for (const b of TOKEN_NAMES.slice(i + 1)) {
        if (values[a] === values[b]) {
          throw new ConfigError(`${source}: tokens "${a}" and "${b}" are equal; every token must be generated on its own `
            + '(`npm run init-secrets -- --force`)');
        }
      }
    }
    return new BinderHubTokens(values as unknown as BinderHubTokenValues);
  }

  private constructor(public readonly values: BinderHubTokenValues) {
    registerSecrets(...Object.values(values));
  }

  /** A key for `purpose`, derived from the build token secret: secret, stable, and new when the tokens rotate. @internal */
  public deriveKey(purpose: string): Buffer {
    return crypto.createHmac('sha256', this.values.buildTokenSecret).update(`binderhub-cdk8s/${purpose}`).digest();
  }

  /**
   * The chart values that carry these tokens, and the binder pod's annotation of its API token: a keyed hash (the key
   * derived from the build token secret), so the committed manifest shows only whether the token changed.
   * @internal
   */
  public toChartValues() {
    const apiTokenChecksum = crypto.createHmac('sha256', this.deriveKey('binder-api-token-checksum')).update(this.values.binderApiToken).digest('hex');
    return {
      config: { BinderHub: { build_token_secret: this.values.buildTokenSecret } },
      podAnnotations: { [BINDER_API_TOKEN_CHECKSUM_ANNOTATION]: apiTokenChecksum },
      jupyterhub: {
        proxy: { secretToken: this.values.proxySecretToken },
        hub: {
          cookieSecret: this.values.cookieSecret,
          config: { CryptKeeper: { keys: [this.values.cryptKeeperKey] } },
          services: { binder: { apiToken: this.values.binderApiToken } },
        },
      },
    };
  }
}
