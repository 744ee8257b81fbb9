/**
 * The example app end to end, as operators run it: the commands through scripts/run.js, as `npm run synth` and the
 * other npm scripts run them (`npm test` builds first), in a working folder with secrets/ and dist/.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SealingCertificate } from '../lib/internal';
import { exampleWorkspace, FIXTURE_CHART, runCommand as run } from './helpers';

const workspace = () => exampleWorkspace('synth-e2e-');

/** Every file under dist/ with its bytes and modification time. */
function snapshotDist(cwd: string): Record<string, string> {
  const dist = path.join(cwd, 'dist');
  return Object.fromEntries(fs.readdirSync(dist).map(f => [f, `${fs.statSync(path.join(dist, f)).mtimeMs}:${fs.readFileSync(path.join(dist, f), 'base64')}`]));
}

function allTokens(cwd: string): string[] {
  // Not .helm-renders.json, the calls a synth leaves there (with the values, so the tokens too).
  return fs.readdirSync(path.join(cwd, 'secrets')).filter(f => !f.startsWith('.')).flatMap(f => Object.values<string>(JSON.parse(fs.readFileSync(path.join(cwd, 'secrets', f), 'utf8')).tokens));
}

describe('npm run synth', () => {
  let cwd: string;
  let first: ReturnType<typeof run>;

  beforeAll(() => {
    cwd = workspace();
    expect(run('init-secrets', cwd).status).toBe(0);
    first = run('synth', cwd);
  });

  test('writes both example deployments to dist/ from helm output, and staging\'s Secrets to dist-secrets/', () => {
    expect(first.status).toBe(0);
    expect(fs.readdirSync(path.join(cwd, 'dist')).sort()).toEqual(['prod-delivery.k8s.yaml', 'prod.k8s.yaml', 'staging.k8s.yaml']);
    expect(fs.readdirSync(path.join(cwd, 'dist-secrets'))).toEqual(['staging-secrets.k8s.yaml']);
    expect(fs.statSync(path.join(cwd, 'dist-secrets', 'staging-secrets.k8s.yaml')).mode & 0o777).toBe(0o600);
    const prod = fs.readFileSync(path.join(cwd, 'dist', 'prod.k8s.yaml'), 'utf8');
    expect(prod).toContain('name: proxy-public');
    expect(prod).toContain('checksum/config:');
    expect(prod).toMatch(/namespace: binderhub-prod/);
  });

  test('a second synth leaves dist/ byte-identical', () => {
    const before = snapshotDist(cwd);
    const second = run('synth', cwd);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/unchanged dist\/prod\.k8s\.yaml/);
    expect(snapshotDist(cwd)).toEqual(before);
  });

  test('a synth after patch-hub-url keeps the patched URL', () => {
    const patched = run('patch-hub-url', cwd, {}, ['--deployment', 'staging', '--address', '203.0.113.9']);
    expect(patched.status).toBe(0);
    const before = snapshotDist(cwd);
    expect(fs.readFileSync(path.join(cwd, 'dist', 'staging.k8s.yaml'), 'utf8')).toContain('hub_url: http://203.0.113.9/');
    expect(run('synth', cwd).status).toBe(0);
    expect(snapshotDist(cwd)).toEqual(before);
  });

  test('no token value appears anywhere under dist/', () => {
    const dist = fs.readdirSync(path.join(cwd, 'dist')).map(f => fs.readFileSync(path.join(cwd, 'dist', f), 'utf8')).join('\n');
    expect(dist).toContain('kind: SealedSecret');
    for (const token of allTokens(cwd)) {
      expect(dist).not.toContain(token);
      expect(dist).not.toContain(Buffer.from(token).toString('base64'));
    }
  });

  test('check-dist passes on what the synth wrote, and fails on a Secret with data in a sealed deployment\'s file', () => {
    const passed = run('check-dist', cwd);
    expect(passed.stdout).toMatch(/match a fresh synth, hold no Secret data they should not, and are apply-ready/);
    expect(passed.status).toBe(0);

    const file = path.join(cwd, 'dist', 'prod.k8s.yaml');
    const original = fs.readFileSync(file, 'utf8');
    fs.appendFileSync(file, '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\n  namespace: binderhub-prod\ndata:\n  token: c2VjcmV0\n');
    try {
      const failed = run('check-dist', cwd);
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain('problem: dist/prod.k8s.yaml differs from a fresh synth');
      expect(failed.stderr).toMatch(/problem: dist\/prod\.k8s\.yaml: Secret binderhub-prod\/leaked holds plaintext data, but deployment prod keeps its Secrets out of dist\/ \(sealed mode\)/);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  test('check-dist warns, without failing, about the example\'s placeholder credential and stand-in sealing certificate, naming the file and the fix', () => {
    const checked = run('check-dist', cwd);
    expect(checked.status).toBe(0);
    expect(checked.stderr.split('\n').filter(line => line.startsWith('warning:'))).toEqual([
      'warning: secrets/prod.json credentials.registryPassword is still the placeholder that npm run init-secrets wrote: put the real value there before you apply prod\'s manifests',
      'warning: deployment prod is sealed for sealed-secrets/prod.pem, the example\'s stand-in certificate, whose private key is gone (no controller can unseal '
        + 'its Secrets): fetch your controller\'s with `kubeseal --fetch-cert > sealed-secrets/prod.pem` and run `npm run synth`',
    ]);
  });

  test('check-dist names plaintext Secret data in a dist/ file of no deployment', () => {
    const file = path.join(cwd, 'dist', 'copy.k8s.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: copied\n  namespace: binderhub-staging\nstringData:\n  token: secret-value-9\n');
    try {
      const failed = run('check-dist', cwd);
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain('problem: dist/copy.k8s.yaml is not produced by the synth any more');
      expect(failed.stderr).toContain('problem: dist/copy.k8s.yaml: Secret binderhub-staging/copied holds plaintext data, but no deployment chose '
        + 'SecretsMode.inline() for this file: remove it and run `npm run synth`\n');
      expect(failed.output).not.toContain('secret-value-9');
    } finally {
      fs.rmSync(file);
    }
  });

  test('check-dist names a file the synth produces that dist/ or dist-secrets/ lacks', () => {
    const files = [path.join(cwd, 'dist', 'staging.k8s.yaml'), path.join(cwd, 'dist-secrets', 'staging-secrets.k8s.yaml')];
    const originals = files.map(file => ({ content: fs.readFileSync(file), mode: fs.statSync(file).mode & 0o777 }));
    files.forEach(file => fs.rmSync(file));
    try {
      const failed = run('check-dist', cwd);
      expect(failed.status).toBe(1);
      expect(failed.stderr.split('\n').filter(line => line.includes(' is missing')).sort()).toEqual([
        'problem: dist-secrets/staging-secrets.k8s.yaml is missing: run `npm run synth`',
        'problem: dist/staging.k8s.yaml is missing: run `npm run synth`',
      ]);
    } finally {
      files.forEach((file, i) => fs.writeFileSync(file, originals[i].content, { mode: originals[i].mode }));
    }
  });

  test('init-secrets keeps existing files, and refuses an unknown option in one line', () => {
    const again = run('init-secrets', cwd);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('kept secrets/staging.json: it exists already (--force rotates every token, --rotate <token> only that one)\n'
      + 'kept secrets/prod.json: it exists already (--force rotates every token, --rotate <token> only that one)\n');
    const bad = run('init-secrets', cwd, {}, ['--forse']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error: Unknown option '--forse'.*; see --help\n$/);
  });

  test('no token value reaches stdout or stderr', () => {
    for (const token of allTokens(cwd)) {
      expect(first.output).not.toContain(token);
    }
  });

  test('a dist/ file with a merge conflict: check-dist names it, and the next synth goes on, warns in one line and re-seals', () => {
    const dir = workspace();
    expect(run('init-secrets', dir).status).toBe(0);
    expect(run('synth', dir).status).toBe(0);
    const file = path.join(dir, 'dist', 'prod.k8s.yaml');
    const sealedBefore = fs.readFileSync(file, 'utf8').match(/^    \.dockerconfigjson: .*$/m)![0];
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.splice(5, 1, '<<<<<<< HEAD', '  name: binderhub-prod', '=======', '  name: binderhub-prod-2', '>>>>>>> other');
    fs.writeFileSync(file, lines.join('\n'));

    const checked = run('check-dist', dir);
    expect(checked.status).toBe(1);
    expect(checked.stderr).toContain('problem: dist/prod.k8s.yaml is not valid YAML (line 7); run `npm run synth` to write it again\n');
    expect(checked.stderr).not.toMatch(/^error:/m);

    const synth = run('synth', dir);
    expect(synth.status).toBe(0);
    expect(synth.stderr.split('\n').filter(line => line.includes('dist/'))).toEqual([
      'warning: dist/prod.k8s.yaml is not valid YAML (line 7): ignored, so its sealed values are sealed anew; this synth writes the file again',
    ]);
    expect(synth.stdout).toContain('wrote dist/prod.k8s.yaml');
    expect(fs.readFileSync(file, 'utf8')).not.toContain(sealedBefore);
    expect(run('check-dist', dir).status).toBe(0);
  });

  test('swapped and forged sealed values: check-dist names each, and the next synth seals them anew with a warning', () => {
    const dir = workspace();
    expect(run('init-secrets', dir).status).toBe(0);
    expect(run('synth', dir).status).toBe(0);
    const file = path.join(dir, 'dist', 'prod.k8s.yaml');
    const certificate = SealingCertificate.fromPem(fs.readFileSync(path.join(dir, 'sealed-secrets', 'prod.pem'), 'utf8'), 'prod.pem');
    const forged = certificate.seal(Buffer.from('{"auths":{}}'), Buffer.from('binderhub-prod/binder-build-docker-config'));
    const honest = fs.readFileSync(file, 'utf8');
    const tampered = honest
      .replace(/^( {4}binderhub_config\.py: )(\S+)\n( {4}values\.yaml: )(\S+)$/m, '$1$4\n$3$2')
      .replace(/^( {4}config\.json: )\S+$/m, `$1${forged}`);
    expect(tampered).not.toBe(honest);
    fs.writeFileSync(file, tampered);
    const named = (prefix: string, suffix: string) => ['binder-build-docker-config key config.json', 'binder-secret key binderhub_config.py', 'binder-secret key values.yaml']
      .map(entry => `${prefix}SealedSecret binderhub-prod/${entry} in dist/ holds a ciphertext not sealed for its value by this deployment (swapped with `
        + `another, sealed by someone with the public certificate, or sealed before binderhub-cdk8s bound ciphertexts to values)${suffix}`);

    const checked = run('check-dist', dir);
    expect(checked.status).toBe(1);
    const lines = checked.stderr.split('\n');
    const problems = lines.filter(line => line.startsWith('problem: ') && line.includes('SealedSecret')).sort();
    expect(problems).toEqual(named('problem: ', ': run `npm run synth` to seal it anew, and find out who changed it'));
    // The diff check-dist prints before them: the same three values, re-sealed by a fresh synth.
    expect(lines.filter(line => line.includes('re-sealed')).sort()).toEqual([
      '  changed: SealedSecret/binderhub-prod/binder-build-docker-config key config.json re-sealed',
      '  changed: SealedSecret/binderhub-prod/binder-secret key binderhub_config.py re-sealed',
      '  changed: SealedSecret/binderhub-prod/binder-secret key values.yaml re-sealed',
    ]);

    const synth = run('synth', dir);
    expect(synth.status).toBe(0);
    expect(synth.stderr.split('\n').filter(line => line.includes('SealedSecret')).sort()).toEqual(named('warning: ', '; sealed anew'));
    const resealed = fs.readFileSync(file, 'utf8');
    expect(resealed).not.toContain(forged);
    expect(resealed.match(/^ {4}hub\.services\.binder\.apiToken: .*$/m)![0]).toBe(honest.match(/^ {4}hub\.services\.binder\.apiToken: .*$/m)![0]);
    expect(run('check-dist', dir).status).toBe(0);
  });

  describe('fails with one line naming the fix, and leaves dist/ untouched', () => {
    const failures: Array<[string, (dir: string) => Record<string, string | undefined>, RegExp]> = [
      ['a missing secrets file', dir => { fs.rmSync(path.join(dir, 'secrets', 'prod.json')); return {}; },
        /^error: secrets file secrets\/prod\.json for deployment "prod" does not exist; run `npm run init-secrets -- prod`/],
      ['a malformed token', dir => {
        const file = path.join(dir, 'secrets', 'staging.json');
        const content = JSON.parse(fs.readFileSync(file, 'utf8'));
        content.tokens.proxySecretToken = content.tokens.proxySecretToken.toUpperCase();
        fs.writeFileSync(file, JSON.stringify(content));
        return {};
      }, /^error: secrets\/staging\.json: token "proxySecretToken" must be 64 lowercase hex characters/],
      ['a public chart that charts.lock does not lock', () => ({ BINDERHUB_CHART: undefined }),
        /^error: charts\.lock locks no binderhub chart from https:\/\/\S+; lock one by its digest with `npm run chart-update -- --version 1\.0\.0-0\.dev\.git\.\d+\.h[0-9a-f]+`/],
      ['a missing chart path', () => ({ BINDERHUB_CHART: '/no/such/chart' }), /^error: local chart \/no\/such\/chart does not exist/],
      ['a chart that renders nothing', dir => {
        const chart = path.join(dir, 'empty-chart');
        fs.mkdirSync(chart);
        fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: binderhub\nversion: 1.0.0-0.dev.git.3959.hb9fad995\n');
        return { BINDERHUB_CHART: chart };
      }, /^error: deployment "staging": helm rendered no objects from local chart .*\/empty-chart, .*; is BINDERHUB_CHART a binderhub chart\?/],
      ['a helm that prints nothing', dir => {
        const helm = path.join(dir, 'fake-helm');
        fs.writeFileSync(helm, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
        return { HELM: helm };
      }, /^error: deployment "staging": helm rendered no objects .*\? a helm that printed nothing: check HELM or helmExecutable \(.*\/fake-helm\)$/m],
      ['a chart older than the oldest supported build', dir => {
        const chart = path.join(dir, 'old-chart');
        fs.cpSync(FIXTURE_CHART, chart, { recursive: true });
        fs.writeFileSync(path.join(chart, 'Chart.yaml'), fs.readFileSync(path.join(chart, 'Chart.yaml'), 'utf8').replace(/^version: .*$/m, 'version: 1.0.0-0.dev.git.3506.hba24eb2a'));
        return { BINDERHUB_CHART: chart };
      }, /^error: local chart .*\/old-chart: it is binderhub 1\.0\.0-0\.dev\.git\.3506\.hba24eb2a, older than the oldest supported build 1\.0\.0-0\.dev\.git\.3852; pin/],
    ];
    test.each(failures)('%s', (_, spoil, message) => {
      const dir = workspace();
      expect(run('init-secrets', dir).status).toBe(0);
      expect(run('synth', dir).status).toBe(0);
      const tokens = allTokens(dir);
      const before = snapshotDist(dir);
      const env = spoil(dir);

      const failed = run('synth', dir, env);

      expect(failed.status).toBe(1);
      expect(failed.stdout).toBe('');
      expect(failed.stderr).toMatch(message);
      expect(failed.stderr.trimEnd().split('\n')).toHaveLength(1);
      for (const token of tokens) expect(failed.output).not.toContain(token);
      expect(snapshotDist(dir)).toEqual(before);
    });
  });
});

describe('commands that take no arguments', () => {
  test.each(['synth', 'check-dist'])('%s: --help prints its usage and synthesizes nothing; anything else is refused', command => {
    const dir = exampleWorkspace('args-');
    const help = run(command, dir, {}, ['--help']);
    expect([help.status, help.stdout]).toEqual([0, expect.stringMatching(new RegExp(`^usage: npm run ${command}`))]);
    const unknown = run(command, dir, {}, ['--bogus']);
    expect([unknown.status, unknown.stderr]).toEqual([1, "error: Unknown option '--bogus'; see --help\n"]);
    const extra = run(command, dir, {}, ['prod']);
    expect(extra.status).toBe(1);
    expect(extra.stderr).toMatch(/^error: Unexpected argument 'prod'/);
    expect(fs.readdirSync(dir).sort()).toEqual(['main.ts', 'sealed-secrets']);
  });
});

describe('cdk8s synth', () => {
  const CDK8S = path.join(__dirname, '..', 'node_modules', '.bin', 'cdk8s');
  /** A workspace with the example's cdk8s.yaml, its app pointed at this checkout. */
  const cdk8sWorkspace = () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `language: typescript\napp: node ${path.join(__dirname, '..', 'scripts', 'run.js')} synth\noutput: build/staging\n`);
    expect(run('init-secrets', dir).status).toBe(0);
    return dir;
  };
  const cdk8s = (dir: string, args: string[] = []) => spawnSync(CDK8S, ['synth', ...args], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, BINDERHUB_CHART: FIXTURE_CHART, CDK8S_CHECK_UPGRADE: 'false', CDK8S_OUTDIR: undefined },
  });
  const secretValues = (dir: string) => ['staging', 'prod'].flatMap(name => {
    const content = JSON.parse(fs.readFileSync(path.join(dir, 'secrets', `${name}.json`), 'utf8'));
    return Object.values(content.tokens) as string[];
  });

  test('publishes to dist/ and dist-secrets/; the CLI\'s folder gets the dist/ files only, never a Secret', () => {
    const dir = cdk8sWorkspace();
    const result = cdk8s(dir);
    expect(result.status).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['prod-delivery.k8s.yaml', 'prod.k8s.yaml', 'staging.k8s.yaml']);
    expect(fs.readdirSync(path.join(dir, 'dist-secrets'))).toEqual(['staging-secrets.k8s.yaml']);
    const staging = path.join(dir, 'build', 'staging');
    expect(fs.readdirSync(staging).sort()).toEqual(['prod-delivery.k8s.yaml', 'prod.k8s.yaml', 'staging.k8s.yaml']);
    expect(fs.readFileSync(path.join(staging, 'staging.k8s.yaml'))).toEqual(fs.readFileSync(path.join(dir, 'dist', 'staging.k8s.yaml')));
    for (const file of fs.readdirSync(staging)) {
      const content = fs.readFileSync(path.join(staging, file), 'utf8');
      for (const secret of secretValues(dir)) expect(content).not.toContain(secret);
    }
  });

  test('--output dist: the CLI deletes dist/ first; the synth publishes again and says what was lost', () => {
    const dir = cdk8sWorkspace();
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'README.md'), 'notes\n');
    const result = cdk8s(dir, ['--output', 'dist']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('warning: cdk8s synth --output dist deleted that folder before this synth ran');
    expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['prod-delivery.k8s.yaml', 'prod.k8s.yaml', 'staging.k8s.yaml']);
  });
});
