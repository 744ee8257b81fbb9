import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { completeInterruptedPublish, hubUrlState, toolPath } from '../lib/internal';
import { exampleWorkspace, FIXTURE_CHART, runCommand } from './helpers';

const RUN = path.join(__dirname, '..', 'scripts', 'run.js');

/** Every file under `dir`, recursively, but for the folders named in `skip`. */
function filesUnder(dir: string, skip: string[] = []): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skip.includes(entry.name) ? [] : filesUnder(full, skip);
    return entry.isFile() ? [full] : [];
  });
}

/** The secret values of a workspace's secrets files, plain and base64. */
function secretsOf(dir: string): string[] {
  const values = filesUnder(path.join(dir, 'secrets')).flatMap(file => {
    const content = JSON.parse(fs.readFileSync(file, 'utf8'));
    return [...Object.values(content.tokens ?? {}), ...Object.values(content.credentials ?? {})] as string[];
  });
  return values.flatMap(v => [v, Buffer.from(v).toString('base64')]);
}

/** What dist/ and dist-secrets/ hold, by file. */
function published(dir: string): Record<string, string> {
  return Object.fromEntries(['dist', 'dist-secrets'].flatMap(folder => filesUnder(path.join(dir, folder)))
    .map(file => [path.relative(dir, file), fs.readFileSync(file, 'utf8')]));
}

/**
 * Whether `now` is the `old` or the `fresh` (new) output; else which files differ from each, by name only, so a
 * failure never prints their content (the Secrets in dist-secrets/).
 */
function publishedState(now: Record<string, string>, old: Record<string, string>, fresh: Record<string, string>): string {
  const differing = (other: Record<string, string>) => Object.keys({ ...now, ...other }).filter(file => now[file] !== other[file]).sort();
  if (differing(old).length === 0) return 'old';
  if (differing(fresh).length === 0) return 'new';
  return `torn: ${differing(old).join(', ')} differ from the old output and ${differing(fresh).join(', ')} from the new`;
}

/** Starts a command and kills it with `signal` once `delayMs` have passed. */
function killed(dir: string, env: Record<string, string>, command: string[], signal: NodeJS.Signals, delayMs: number): Promise<void> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [RUN, ...command], { cwd: dir, env: { ...process.env, CDK8S_OUTDIR: '', ...env }, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill(signal), delayMs);
    child.on('close', () => { clearTimeout(timer); resolve(); });
  });
}

describe('an interrupted synth', () => {
  const dir = exampleWorkspace('interrupt-');
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  const env = { BINDERHUB_CHART: FIXTURE_CHART, TMPDIR: tmp };

  /** The example synthesized once (old), then given inputs that change both a dist/ and a dist-secrets/ file (new). */
  const setup = () => {
    expect(runCommand('init-secrets', dir, env).status).toBe(0);
    expect(runCommand('synth', dir, env).status).toBe(0);
    const old = published(dir);
    const file = path.join(dir, 'secrets', 'staging.json');
    const content = JSON.parse(fs.readFileSync(file, 'utf8'));
    content.credentials = { githubAccessToken: 'ghp_interruptTestToken0123456789' };
    fs.writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
    fs.mkdirSync(path.join(dir, 'hub-urls'));
    fs.writeFileSync(path.join(dir, 'hub-urls', 'staging.url'), 'http://203.0.113.9/\n');
    return old;
  };

  test('killed at any point leaves no secret outside secrets/ and dist-secrets/, and dist/ with dist-secrets/ all old or all new', async () => {
    const old = setup();
    const secrets = secretsOf(dir);
    // What a whole synth of the new inputs gives, made in a copy (the output is deterministic).
    const copy = `${dir}-copy`;
    fs.cpSync(dir, copy, { recursive: true });
    expect(runCommand('synth', copy, { ...env, TMPDIR: path.join(copy, 'tmp') }).status).toBe(0);
    const fresh = published(copy);
    expect(fresh).not.toEqual(old);
    const points: Array<[NodeJS.Signals, number]> = [['SIGKILL', 40], ['SIGKILL', 120], ['SIGKILL', 200], ['SIGKILL', 280], ['SIGKILL', 360],
      ['SIGKILL', 440], ['SIGKILL', 520], ['SIGKILL', 650], ['SIGINT', 150], ['SIGINT', 300], ['SIGTERM', 250]];
    for (const [signal, delay] of points) {
      await killed(dir, env, ['synth'], signal, delay);
      const leaked = [...filesUnder(dir, ['secrets', 'dist-secrets']), ...filesUnder(tmp)]
        .filter(file => secrets.some(secret => fs.readFileSync(file, 'utf8').includes(secret)));
      expect(leaked).toEqual([]);
      // As our commands read the folders: they finish an interrupted publish first.
      completeInterruptedPublish({ manifests: path.join(dir, 'dist'), secrets: path.join(dir, 'dist-secrets') });
      expect(publishedState(published(dir), old, fresh)).toMatch(/^(old|new)$/);
    }
    expect(filesUnder(tmp)).toEqual([]);
  }, 60000);

  test('helm gets the values on its standard input: no file under TMPDIR holds them while it renders', () => {
    const dir = exampleWorkspace('stdin-');
    const env = { BINDERHUB_CHART: FIXTURE_CHART, TMPDIR: path.join(dir, 'tmp') };
    fs.mkdirSync(env.TMPDIR);
    expect(runCommand('init-secrets', dir, env).status).toBe(0);
    const helm = path.join(dir, 'recording-helm');
    const seen = path.join(dir, 'seen-while-rendering.txt');
    fs.writeFileSync(helm, `#!/bin/sh\nfind "$TMPDIR" -type f -exec cat {} + > "${seen}" 2>/dev/null\nexec "${toolPath('helm')}" "$@"\n`, { mode: 0o755 });
    expect(runCommand('synth', dir, { ...env, HELM: helm }).status).toBe(0);
    const during = fs.readFileSync(seen, 'utf8');
    for (const secret of secretsOf(dir)) expect(during).not.toContain(secret);
  });
});

describe('an interrupted patch-hub-url', () => {
  test('killed at any point: the record leads or both are whole, and the next synth makes them agree', async () => {
    const dir = exampleWorkspace('interrupt-patch-');
    const env = { BINDERHUB_CHART: FIXTURE_CHART, TMPDIR: dir };
    expect(runCommand('init-secrets', dir, env).status).toBe(0);
    expect(runCommand('synth', dir, env).status).toBe(0);
    const manifestUrl = () => hubUrlState(fs.readFileSync(path.join(dir, 'dist', 'staging.k8s.yaml'), 'utf8')).url;
    const record = () => { const file = path.join(dir, 'hub-urls', 'staging.url'); return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : ''; };
    const url = 'http://203.0.113.7/';
    for (const delay of [20, 60, 100, 140, 180, 220, 260, 320]) {
      await killed(dir, env, ['patch-hub-url', '--deployment', 'staging', '--address', '203.0.113.7'], 'SIGKILL', delay);
      expect([['', ''], [url, ''], [url, url]]).toContainEqual([record(), manifestUrl()]);
      if (record() === url && manifestUrl() !== url) {
        expect(runCommand('synth', dir, env).status).toBe(0);
        expect(manifestUrl()).toBe(url);
      }
    }
    expect(runCommand('patch-hub-url', dir, env, ['--deployment', 'staging', '--address', '203.0.113.7']).status).toBe(0);
    expect([record(), manifestUrl()]).toEqual([url, url]);
  }, 60000);
});
