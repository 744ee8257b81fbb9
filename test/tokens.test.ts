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
});
