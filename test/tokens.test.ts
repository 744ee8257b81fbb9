import { BinderHubTokens, redact } from '../lib/internal';
import { fakeTokenValues, TOKEN_NAMES } from './helpers';

describe('BinderHubTokens', () => {
  test('generate mints five distinct 32-byte hex tokens, new ones every time', () => {
    const a = BinderHubTokens.generate().values;
    const b = BinderHubTokens.generate().values;
    const values = Object.values(a);
    expect(Object.keys(a).sort()).toEqual([...TOKEN_NAMES].sort());
    for (const value of values) expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(values).size).toBe(5);
    expect(a.proxySecretToken).not.toEqual(b.proxySecretToken);
  });

  test('toChartValues puts each token where the charts read it, and a keyed hash of the API token on the binder pod', () => {
    const values = fakeTokenValues('x');
    expect(BinderHubTokens.fromValues(values, 'f').toChartValues()).toEqual({
      config: { BinderHub: { build_token_secret: values.buildTokenSecret } },
      // HMAC-SHA256 of the API token under deriveKey('binder-api-token-checksum'), as openssl computes it:
      // printf '%s' <token> | openssl dgst -sha256 -mac HMAC -macopt hexkey:<that key>
      podAnnotations: { 'checksum/binder-api-token': 'b56ba7478381618dce6faf47266cb35ee7661bb688f46d2ede14bc665d89d252' },
      jupyterhub: {
        proxy: { secretToken: values.proxySecretToken },
        hub: {
          cookieSecret: values.cookieSecret,
          config: { CryptKeeper: { keys: [values.cryptKeeperKey] } },
          services: { binder: { apiToken: values.binderApiToken } },
        },
      },
    });
  });

  test('deriveKey is the HMAC-SHA256 of binderhub-cdk8s/<purpose> under the build token secret: stable across synths, one key per purpose', () => {
    // The build token secret of fakeTokenValues('x') is sha256('fake-x-buildTokenSecret'); the keys are what
    // `printf '%s' binderhub-cdk8s/<purpose> | openssl dgst -sha256 -hmac <that secret>` prints.
    const tokens = BinderHubTokens.fromValues(fakeTokenValues('x'), 'f');
    expect(tokens.deriveKey('sealed-fingerprint').toString('hex')).toBe('a54f925b1ebace3e9695d72780ef1019e33562b84d57055494ed2f2e5d34a5a6');
    expect(tokens.deriveKey('other').toString('hex')).toBe('8457cf5b22b671a4c40ad4f1c09cce5b0041bfe64e159a7365ea913c68f57bba');
  });

  test('every token, read or minted, is redacted from what the tools print, plain and base64', () => {
    const read = fakeTokenValues('redacted-tokens');
    BinderHubTokens.fromValues(read, 'f');
    const minted = BinderHubTokens.generate().values;
    for (const value of [...Object.values(read), ...Object.values(minted)]) {
      expect(redact(`helm said ${value} and ${Buffer.from(value).toString('base64')}.`)).toBe('helm said *** and ***.');
    }
  });

  test.each([
    ['null', null], ['a list', [fakeTokenValues('x')]], ['a string', 'abc'],
  ])('tokens that are %s are refused as a whole', (_, values) => {
    expect(() => BinderHubTokens.fromValues(values, 'secrets/x.json')).toThrow(
      'secrets/x.json: "tokens" must be an object with proxySecretToken, binderApiToken, cookieSecret, cryptKeeperKey, buildTokenSecret; '
      + 'run `npm run init-secrets -- --force` to write a fresh set');
  });

  test('unknown token names are counted, never quoted (one could be a secret); the expected ones listed, and the one most likely meant', () => {
    expect(() => BinderHubTokens.fromValues({ ...fakeTokenValues('x'), proxyToken: 'a', cookiSecret: 'b' }, 'secrets/x.json')).toThrow(
      'secrets/x.json: 2 token name(s) other than proxySecretToken, binderApiToken, cookieSecret, cryptKeeperKey, buildTokenSecret '
      + '(did you mean "cookieSecret"?); fix the spelling (names we do not expect are not shown: one could be a secret)');
    const pasted = fakeTokenValues('pasted').cookieSecret;
    expect(() => BinderHubTokens.fromValues({ ...fakeTokenValues('x'), [pasted]: 'a' }, 'secrets/x.json')).toThrow(
      'secrets/x.json: 1 token name(s) other than proxySecretToken, binderApiToken, cookieSecret, cryptKeeperKey, buildTokenSecret; '
      + 'fix the spelling (names we do not expect are not shown: one could be a secret)');
  });

  test('a missing token is named, with how to write a fresh set', () => {
    const { cookieSecret, ...rest } = fakeTokenValues('x');
    expect(() => BinderHubTokens.fromValues(rest, 'secrets/x.json'))
      .toThrow('secrets/x.json: token "cookieSecret" is missing; run `npm run init-secrets -- --force` to write a fresh set');
  });

  test('a token that is not a string is refused with the rule and the fix', () => {
    expect(() => BinderHubTokens.fromValues({ ...fakeTokenValues('x'), buildTokenSecret: 42 }, 'f')).toThrow('f: token "buildTokenSecret" must be 64 '
      + 'lowercase hex characters (32 random bytes, as `openssl rand -hex 32` prints); run `npm run init-secrets -- --force` to write a fresh set');
  });

  test('a token in upper-case hex, or with more around it, is refused', () => {
    const upper = { ...fakeTokenValues('x'), cookieSecret: fakeTokenValues('x').cookieSecret.toUpperCase() };
    expect(() => BinderHubTokens.fromValues(upper, 'f')).toThrow(/^f: token "cookieSecret" must be 64 lowercase hex characters/);
    const longer = { ...fakeTokenValues('x'), cookieSecret: `${fakeTokenValues('x').cookieSecret}0` };
    expect(() => BinderHubTokens.fromValues(longer, 'f')).toThrow(/^f: token "cookieSecret" must be 64 lowercase hex characters/);
    const prefixed = { ...fakeTokenValues('x'), cookieSecret: ` ${fakeTokenValues('x').cookieSecret.slice(1)}` };
    expect(() => BinderHubTokens.fromValues(prefixed, 'f')).toThrow(/^f: token "cookieSecret" must be 64 lowercase hex characters/);
  });

  test('equal tokens are refused wherever they stand in the list', () => {
    const values = fakeTokenValues('x');
    expect(() => BinderHubTokens.fromValues({ ...values, buildTokenSecret: values.proxySecretToken }, 'f'))
      .toThrow('f: tokens "proxySecretToken" and "buildTokenSecret" are equal; every token must be generated on its own (`npm run init-secrets -- --force`)');
  });
});
