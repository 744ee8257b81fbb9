import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { ConfigError, helpOnly, intervalSeconds, isWholeNumber, timeoutSeconds } from '../lib/internal';

describe('timeoutSeconds (--timeout of apply and patch-hub-url)', () => {
  test.each([['1', 1], ['600', 600], ['86400', 86400], ['007', 7]])('takes %s as %d seconds', (value, seconds) => {
    expect(timeoutSeconds(value)).toBe(seconds);
  });

  test.each(['0', '86401', '1e21', '0x3c', '1.5', '-5', ' 60', '60s', ''])('refuses "%s", naming the option and the range', value => {
    expect(() => timeoutSeconds(value)).toThrow(new ConfigError(`--timeout must be a whole number of seconds from 1 to 86400 (a day), got "${value}"`));
  });
});

describe('isWholeNumber (the counts of options: --timeout, bench\'s --runs and --sizes)', () => {
  test.each([['1', undefined], ['50', undefined], ['007', undefined], ['9007199254740991', undefined], ['3', 3]])('takes "%s" up to %s', (value, max) => {
    expect(isWholeNumber(value, max)).toBe(true);
  });

  test.each([['0', undefined], ['', undefined], [' 1', undefined], ['1e3', undefined], ['0x10', undefined], ['-1', undefined], ['1.0', undefined],
    ['9007199254740992', undefined], ['4', 3]])('refuses "%s" up to %s', (value, max) => {
    expect(isWholeNumber(value, max)).toBe(false);
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

describe('runMain (how every command runs)', () => {
  /** Runs `body` (the command's main) as a command runs it, in a process of its own. */
  function command(body: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-main-'));
    const entry = path.join(dir, 'entry.ts');
    const lib = (module: string) => JSON.stringify(path.join(__dirname, '..', 'lib', module));
    fs.writeFileSync(entry, `import { runMain } from ${lib('cli/cli')};\nimport { ConfigError } from ${lib('core/errors')};\n`
      + `void ConfigError;\nrunMain(async () => {\n${body}\n});\n`);
    esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: 'node', outfile: path.join(dir, 'entry.js'), logLevel: 'silent' });
    return spawnSync(process.execPath, [path.join(dir, 'entry.js')], { encoding: 'utf8' });
  }

  test('ends the process with its exit code once main is done and its output is out, not when a timer left behind fires', () => {
    const result = command("setTimeout(() => console.log('late'), 10_000);\nconsole.log('done');\nprocess.exitCode = 3;");
    expect([result.status, result.stdout]).toEqual([3, 'done\n']);
  });

  test('a ConfigError is one line on stderr and exit code 1', () => {
    const result = command("throw new ConfigError('bad setting; fix it');");
    expect([result.status, result.stdout, result.stderr]).toEqual([1, '', 'error: bad setting; fix it\n']);
  });
});
