import { ConfigError, timeoutSeconds } from '../lib';

describe('timeoutSeconds (--timeout of apply and patch-hub-url)', () => {
  test.each([['1', 1], ['600', 600], ['86400', 86400], ['007', 7]])('takes %s as %d seconds', (value, seconds) => {
    expect(timeoutSeconds(value)).toBe(seconds);
  });

  test.each(['0', '86401', '1e21', '0x3c', '1.5', '-5', ' 60', '60s', ''])('refuses "%s", naming the option and the range', value => {
    expect(() => timeoutSeconds(value)).toThrow(new ConfigError(`--timeout must be a whole number of seconds from 1 to 86400 (a day), got "${value}"`));
  });
});
