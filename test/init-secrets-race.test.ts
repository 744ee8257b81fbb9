import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

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
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'init-race-'));
  const outputs = await Promise.all(Array.from({ length: 8 }, () => initSecrets(cwd, ['--dir', 'secrets', 'race'])));
  const created = outputs.filter(o => o.startsWith('created secrets/race.json'));
  const kept = outputs.filter(o => o.startsWith('kept secrets/race.json: it exists already'));
  expect([created.length, kept.length]).toEqual([1, 7]);
  expect(fs.readdirSync(path.join(cwd, 'secrets'))).toEqual(['race.json']);
  expect(fs.statSync(path.join(cwd, 'secrets', 'race.json')).mode & 0o777).toBe(0o600);
});
