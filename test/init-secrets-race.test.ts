import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SecretStore } from '../lib/internal';
import { fakeTokenValues, projectWorkspace } from './helpers';

// Every way of putting a file in place can be made to find another run's file there first (rivalAppearsAt).
jest.mock('fs', () => {
  const actual = jest.requireActual('fs');
  return {
    ...actual, linkSync: jest.fn(actual.linkSync), renameSync: jest.fn(actual.renameSync),
    copyFileSync: jest.fn(actual.copyFileSync), writeFileSync: jest.fn(actual.writeFileSync),
  };
});

afterEach(() => {
  const actual = jest.requireActual('fs');
  for (const name of ['linkSync', 'renameSync', 'copyFileSync', 'writeFileSync'] as const) (fs[name] as jest.Mock).mockImplementation(actual[name]);
});

/**
 * Another run's secrets file (`content`) appears at `target` right before this run first puts a file there (link,
 * rename, copy or write): after any check this run made that the file was absent.
 */
function rivalAppearsAt(target: string, content: string): void {
  const actual = jest.requireActual('fs');
  let appeared = false;
  const appearAt = (destination: fs.PathLike | number) => {
    if (appeared || typeof destination === 'number' || path.resolve(destination.toString()) !== path.resolve(target)) return;
    appeared = true;
    actual.writeFileSync(target, content, { mode: 0o600 });
  };
  for (const name of ['linkSync', 'renameSync', 'copyFileSync'] as const) {
    (fs[name] as jest.Mock).mockImplementation((source: fs.PathLike, destination: fs.PathLike, ...rest: unknown[]) => {
      appearAt(destination);
      return actual[name](source, destination, ...rest);
    });
  }
  (fs.writeFileSync as jest.Mock).mockImplementation((file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    appearAt(file as fs.PathLike | number);
    return actual.writeFileSync(file, ...rest);
  });
}

test('init-secrets keeps a secrets file another run creates between its check and its write, byte for byte', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'init-race-'));
  const store = new SecretStore(dir);
  const theirs = `${JSON.stringify({ tokens: fakeTokenValues('the other run'), credentials: {} }, null, 2)}\n`;
  rivalAppearsAt(store.fileFor('race'), theirs);
  expect(store.init('race')).toBe('kept');
  expect(fs.readFileSync(store.fileFor('race'), 'utf8')).toBe(theirs);
  expect(fs.readdirSync(dir)).toEqual(['race.json']); // no temp file left
});

const RUN = path.join(__dirname, '..', 'scripts', 'run.js');

/** Runs `npm run init-secrets -- <args>` as a process of its own; resolves with what it printed. */
function initSecrets(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, 'init-secrets', ...args], { cwd });
    let output = '';
    child.stdout.on('data', chunk => { output += chunk; });
    child.stderr.on('data', chunk => { output += chunk; });
    child.on('error', reject);
    child.on('close', () => resolve(output));
  });
}

test('init-secrets run eight times at once for a new deployment: one creates, the others keep what it wrote', async () => {
  const cwd = projectWorkspace(['race']);
  const outputs = await Promise.all(Array.from({ length: 8 }, () => initSecrets(cwd, ['--dir', 'secrets', 'race'])));
  const created = outputs.filter(o => o.startsWith('created secrets/race.json'));
  const kept = outputs.filter(o => o.startsWith('kept secrets/race.json: it exists already'));
  expect([created.length, kept.length]).toEqual([1, 7]);
  expect(fs.readdirSync(path.join(cwd, 'secrets'))).toEqual(['race.json']);
  expect(fs.statSync(path.join(cwd, 'secrets', 'race.json')).mode & 0o777).toBe(0o600);
});
