import { ConfigError, helpOnly, intervalSeconds, timeoutSeconds } from '../lib';

describe('timeoutSeconds (--timeout of apply and patch-hub-url)', () => {
  test.each([['1', 1], ['600', 600], ['86400', 86400], ['007', 7]])('takes %s as %d seconds', (value, seconds) => {
    expect(timeoutSeconds(value)).toBe(seconds);
  });

  test.each(['0', '86401', '1e21', '0x3c', '1.5', '-5', ' 60', '60s', ''])('refuses "%s", naming the option and the range', value => {
    expect(() => timeoutSeconds(value)).toThrow(new ConfigError(`--timeout must be a whole number of seconds from 1 to 86400 (a day), got "${value}"`));
  });
});

describe('intervalSeconds (--interval of patch-hub-url)', () => {
  test.each([['1', 1], ['2', 2], ['15', 15]])('takes %s as %d seconds', (value, seconds) => {
    expect(intervalSeconds(value)).toBe(seconds);
  });

  test.each(['Infinity', '16', '0', '0.5', '1e1', '-2', 'NaN', ''])('refuses "%s": whole seconds up to the longest wait between polls', value => {
    expect(() => intervalSeconds(value)).toThrow(
      new ConfigError(`--interval must be a whole number of seconds from 1 to 15 (the longest wait between polls), got "${value}"`));
  });
});

describe('helpOnly (commands without arguments: check-dist, init-secrets)', () => {
  let printed: string[];
  beforeEach(() => {
    printed = [];
    jest.spyOn(console, 'log').mockImplementation((text: string) => { printed.push(text); });
  });
  afterEach(() => jest.restoreAllMocks());
  const runWith = (...args: string[]) => helpOnly('usage: npm run command', args);

  test.each([['--help'], ['-h']])('%s prints the usage and says so, so the command stops', option => {
    expect(runWith(option)).toBe(true);
    expect(printed).toEqual(['usage: npm run command']);
  });

  test('no argument: the command goes on and nothing is printed', () => {
    expect(runWith()).toBe(false);
    expect(printed).toEqual([]);
  });

  test('an argument the command does not take is refused in one line that points to --help', () => {
    // The first words are Node's (parseArgs); the end is ours.
    expect(() => runWith('--dist')).toThrow(/^Unknown option '--dist'.*; see --help$/);
    expect(() => runWith('extra')).toThrow(/^Unexpected argument 'extra'.*; see --help$/);
    expect(printed).toEqual([]);
  });
});
