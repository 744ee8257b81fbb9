import { BinderHubTokens } from '../lib';
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

  test('toChartValues puts each token where the charts read it', () => {
    const values = fakeTokenValues('x');
    expect(BinderHubTokens.fromValues(values, 'f').toChartValues()).toEqual({
      config: { BinderHub: { build_token_secret: values.buildTokenSecret } },
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

  const bad: Array<[string, (v: Record<string, unknown>) => void, RegExp]> = [
    ['a token is missing', v => { delete v.cookieSecret; }, /token "cookieSecret" is missing; run `npm run init-secrets -- --force`/],
    ['a token is too short', v => { v.proxySecretToken = (v.proxySecretToken as string).slice(2); }, /token "proxySecretToken" must be 64 lowercase hex/],
    ['a token is not hex', v => { v.binderApiToken = 'g'.repeat(64); }, /token "binderApiToken" must be 64 lowercase hex/],
    ['a token is not a string', v => { v.buildTokenSecret = 42; }, /token "buildTokenSecret" must be 64 lowercase hex/],
    ['two tokens are equal', v => { v.cryptKeeperKey = v.cookieSecret; }, /tokens "cookieSecret" and "cryptKeeperKey" are equal/],
    ['a token name is unknown', v => { v.proxyToken = 'x'; }, /unknown token "proxyToken"/],
  ];
  test.each(bad)('throws if %s, naming the token but not any value', (_, spoil, message) => {
    const values: Record<string, unknown> = fakeTokenValues('bad');
    spoil(values);
    let error: Error | undefined;
    try {
      BinderHubTokens.fromValues(values, 'secrets/x.json');
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).toMatch(/^secrets\/x\.json: /);
    for (const value of Object.values(values)) {
      if (typeof value === 'string' && value.length > 8) expect(error?.message).not.toContain(value);
    }
  });

  test('throws if tokens is not an object', () => {
    expect(() => BinderHubTokens.fromValues('abc', 'f.json')).toThrow(/f\.json: "tokens" must be an object/);
  });
});
