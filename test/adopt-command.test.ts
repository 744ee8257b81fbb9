import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SecretStore } from '../lib/internal';
import { defineAdopted, expectNoFixtureSecret, fixture, LEGACY, LEGACY_REPORT, TODAY } from './adopt-fixtures';
import { exampleWorkspace, find, FIXTURE_CHART, runCommand, secretValue } from './helpers';

const ROOT = path.join(__dirname, '..');

/** `npm run adopt -- <args>` in `cwd`; its output must never hold a fixture secret. */
function adopt(cwd: string, args: string[]) {
  const result = runCommand('adopt', cwd, {}, args);
  expectNoFixtureSecret(result.output);
  return result;
}

const fileArgs = (secret: string, config: string) => ['--secret', secret, '--config', config];
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('npm run adopt on the 2019 guide files', () => {
  const cwd = exampleWorkspace('adopt-');
  const result = adopt(cwd, ['--name', 'legacy', ...fileArgs(LEGACY[0], LEGACY[1])]);

  test('says what it wrote, which tokens it generated and what replaced the 2019 settings', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      ...LEGACY_REPORT,
      `no comparison with helm: helm template of ${LEGACY[0]}, ${LEGACY[1]} (local chart ${FIXTURE_CHART}, release legacy, namespace legacy, `
        + 'Kubernetes 1.35.0) failed: the chart\'s values schema refused the values of release legacy: binderhub: at \'\': additional properties \'github\' not allowed',
      '',
    ]);
  });

  test('the secrets file is mode 0600, holds the original tokens and credentials, and SecretStore reads it', () => {
    const file = path.join(cwd, 'secrets', 'legacy.json');
    expect(modeOf(file)).toBe(0o600);
    const loaded = new SecretStore(path.join(cwd, 'secrets')).load('legacy');
    expect(loaded.tokens.values.proxySecretToken).toBe('ad0b7e01'.repeat(8));
    expect(loaded.tokens.values.binderApiToken).toBe('ad0b7e02'.repeat(8));
    expect(loaded.credentials).toEqual({ registryPassword: 'adopt-fake-dockerhub-pw-7351', githubAccessToken: 'ghp_ADOPTFAKEgithubtoken0123456789' });
    expect(fs.readFileSync(path.join(cwd, 'hub-urls', 'legacy.url'), 'utf8')).toBe('http://35.190.10.20/\n');
  });

  test('the module holds no secret', () => {
    expectNoFixtureSecret(fs.readFileSync(path.join(cwd, 'deployments', 'legacy.ts'), 'utf8'));
  });

  test('a second run refuses to overwrite and changes nothing; --force replaces', () => {
    const before = fs.readFileSync(path.join(cwd, 'secrets', 'legacy.json'), 'utf8');
    const again = adopt(cwd, ['--name', 'legacy', ...fileArgs(LEGACY[0], LEGACY[1])]);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe('error: secrets/legacy.json exists already (another deployment of that name?); pick another --name or --out, or pass --force to replace it\n');
    expect(fs.readFileSync(path.join(cwd, 'secrets', 'legacy.json'), 'utf8')).toBe(before);
    const forced = adopt(cwd, ['--name', 'legacy', '--force', ...fileArgs(LEGACY[0], LEGACY[1])]);
    expect(forced.status).toBe(0);
    expect(modeOf(path.join(cwd, 'secrets', 'legacy.json'))).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(path.join(cwd, 'secrets', 'legacy.json'), 'utf8')).tokens.proxySecretToken).toBe('ad0b7e01'.repeat(8));
  });

  test('an existing file adopt did not write, where the module goes, is refused before the secrets file is written, even with --force', () => {
    fs.mkdirSync(path.join(cwd, 'deployments'), { recursive: true });
    fs.writeFileSync(path.join(cwd, 'deployments', 'taken.ts'), '// mine\n');
    for (const force of [[], ['--force']]) {
      const taken = adopt(cwd, ['--name', 'taken', ...force, ...fileArgs(LEGACY[0], LEGACY[1])]);
      expect(taken.stderr).toBe('error: deployments/taken.ts was not written by adopt (it lacks the header of adopt\'s modules), so adopt never replaces it, even with --force; pick another --out\n');
      expect(fs.existsSync(path.join(cwd, 'secrets', 'taken.json'))).toBe(false);
      expect(fs.readFileSync(path.join(cwd, 'deployments', 'taken.ts'), 'utf8')).toBe('// mine\n');
    }
  });
});

describe('--out: modules only inside the project, never over its sources; all files or none', () => {
  /** The example's main.ts, marked: a replaced one would lose the mark. */
  const MAIN = `${fs.readFileSync(path.join(ROOT, 'main.ts'), 'utf8')}// marked by the test\n`;
  /** A working folder with sources of its own, as the project's clone has. */
  const workspace = () => {
    const cwd = exampleWorkspace('adopt-out-');
    fs.mkdirSync(path.join(cwd, 'bin'));
    fs.writeFileSync(path.join(cwd, 'main.ts'), MAIN);
    fs.writeFileSync(path.join(cwd, 'bin', 'synth.ts'), '// synth\n');
    return cwd;
  };
  const refused = (cwd: string, args: string[]) => {
    const result = adopt(cwd, ['--name', 'out', ...args, ...fileArgs(LEGACY[0], LEGACY[1])]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(fs.existsSync(path.join(cwd, 'secrets'))).toBe(false);
    expect(fs.readFileSync(path.join(cwd, 'main.ts'), 'utf8')).toBe(MAIN);
    expect(fs.readFileSync(path.join(cwd, 'bin', 'synth.ts'), 'utf8')).toBe('// synth\n');
    return result.stderr;
  };

  test.each([
    ['../x.ts', () => '../x.ts'], ['an absolute path in a new folder', (cwd: string) => `${cwd}-elsewhere/x.ts`],
  ])('--out %s, outside the project, writes nothing there or here', (_name, outFor) => {
    const cwd = workspace();
    const out = outFor(cwd);
    expect(refused(cwd, ['--out', out])).toBe(`error: --out ${out} is outside the project folder ${fs.realpathSync(cwd)}; adopt writes modules only inside it (such as deployments/<name>.ts)\n`);
    expect(fs.existsSync(path.dirname(path.resolve(cwd, out)))).toBe(out === '../x.ts');
    expect(fs.existsSync(path.resolve(cwd, out))).toBe(false);
  });

  test.each([['main.ts'], ['deployments/../bin/synth.ts']])('--force --out %s, a source of the project, replaces nothing', out => {
    const cwd = workspace();
    expect(refused(cwd, ['--force', '--out', out])).toBe(`error: ${out} was not written by adopt (it lacks the header of adopt's modules), so adopt never replaces it, even with --force; pick another --out\n`);
    expect(fs.existsSync(path.join(cwd, 'deployments'))).toBe(false);
  });

  test('--force --out a folder is refused before the secrets file is written, so a second run is not told it exists', () => {
    const cwd = workspace();
    fs.mkdirSync(path.join(cwd, 'deployments', 'out.ts'), { recursive: true });
    expect(refused(cwd, ['--force'])).toBe('error: deployments/out.ts is a folder, which adopt does not replace; move it away, or pick another --name or --out\n');
    fs.rmdirSync(path.join(cwd, 'deployments', 'out.ts'));
    expect(adopt(cwd, ['--name', 'out', '--no-compare', ...fileArgs(LEGACY[0], LEGACY[1])]).status).toBe(0);
  });
});

describe('values files that are no regular file, or bombs, are one line', () => {
  test.each([['/dev/zero', 'a device'], ['/dev/urandom', 'a device']])('--config %s is refused as not a regular file, at once', (file, kind) => {
    const cwd = exampleWorkspace('adopt-device-');
    const result = adopt(cwd, ['--name', 'dev', '--secret', LEGACY[0], '--config', file]);
    expect(result.stderr).toBe(`error: ${file} is ${kind}, not a regular file; give the path of the guide's secret.yaml or config.yaml\n`);
    expect(fs.readdirSync(cwd).sort()).toEqual(['main.ts', 'sealed-secrets']);
  });

  test('a 366-byte anchor bomb is refused in one line, not written as a module of megabytes', () => {
    const cwd = exampleWorkspace('adopt-bomb-');
    const levels = 'abcdefghi'.split('');
    const bomb = path.join(cwd, 'bomb.yaml');
    fs.writeFileSync(bomb, `jupyterhub:\n${levels.map((n, i) => `  ${n}: &${n} [${Array(9).fill(i === 0 ? 'lol' : `*${levels[i - 1]}`).join(',')}]\n`).join('')}`);
    const result = adopt(cwd, ['--name', 'bomb', '--no-compare', '--secret', LEGACY[0], '--config', LEGACY[1], '-f', bomb]);
    expect(result.stderr).toBe(`error: values file ${bomb} line 5: the alias at setting jupyterhub.d[3] expands to more values than helm's YAML reader allows (it refuses the file: excessive aliasing); write the values out without it\n`);
    expect(fs.readdirSync(cwd).sort()).toEqual(['bomb.yaml', 'main.ts', 'sealed-secrets']);
  });
});

describe('layers, merged in the order given', () => {
  const moduleOf = (args: string[]) => {
    const cwd = exampleWorkspace('adopt-layers-');
    expect(adopt(cwd, ['--name', 'layered', ...args]).status).toBe(0);
    return fs.readFileSync(path.join(cwd, 'deployments', 'layered.ts'), 'utf8');
  };
  const common = fixture('layers/common.yaml');
  const prod = fixture('layers/prod.yaml');

  test('a later -f wins over --config, lists replaced, maps merged', () => {
    const text = moduleOf([...fileArgs(LEGACY[0], LEGACY[1]), '-f', common, '-f', prod]);
    expect(text).toContain('"replicas": 3,');
    expect(text).toContain('"name": "FROM_PROD"');
    expect(text).not.toContain('FROM_COMMON');
    expect(text).toContain('"guarantee": "1G",\n            "limit": "4G"');
  });

  test('--secret, --config and -f count in the order given, whichever the option', () => {
    const text = moduleOf(['-f', prod, '--config', common, '--secret', LEGACY[0], '--config', LEGACY[1]]);
    expect(text).toContain('"replicas": 1,');
    expect(text).toContain('"name": "FROM_COMMON"');
    expect(text).not.toContain('FROM_PROD');
  });
});

describe('bad input writes nothing', () => {
  test.each([
    ['a missing file', [LEGACY[0], '--config', 'missing.yaml'], /^error: values file missing\.yaml does not exist; give the path of the guide's secret\.yaml or config\.yaml\n$/],
    ['no files', [], /^error: give the values files: --secret secret\.yaml --config config\.yaml/],
    ['a registry whose hosts disagree', [LEGACY[0], '--config', LEGACY[1], '-f', fixture('bad/hosts-disagree.yaml')],
      /^error: the registry settings .* map to Registry\.custom, which refuses them: Registry\.custom imagePrefix "binderorg\/binder-legacy-" must start with the registry host registry\.example\.org\/\n$/],
    ['invalid YAML', [fixture('bad/not-yaml.yaml')], /^error: values file .*not-yaml\.yaml is not valid YAML \(line 4\); fix it/],
    ['a Kubernetes manifest', [fixture('bad/manifest.yaml')],
      /^error: values file .*manifest\.yaml is a Kubernetes manifest \(it has apiVersion and kind\), not chart values; give the guide's secret\.yaml or config\.yaml, or what `helm get values <release> -o yaml` prints\n$/],
    ['binderhub\'s values nested in a parent chart\'s', [fixture('bad/nested.yaml')],
      /^error: values file .*nested\.yaml holds the binderhub chart's values under `binderhub:`, as the values of a chart that depends on it \(such as mybinder\.org-deploy's\) do; put the map under it in a file of its own and adopt that\n$/],
    ['helm get values without -o yaml', [LEGACY[0], '--config', fixture('bad/helm-heading.yaml')],
      /^error: values file .*helm-heading\.yaml starts with the heading `USER-SUPPLIED VALUES:` of `helm get values`; run it with -o yaml, which prints the values alone\n$/],
    ['a map of no chart settings', [fixture('bad/unknown.yaml'), '--config', LEGACY[1]],
      /^error: values file .*unknown\.yaml has no setting of the binderhub chart among its 2 top-level keys; give the guide's secret\.yaml/],
  ])('%s', (_name, files, message) => {
    const cwd = exampleWorkspace('adopt-bad-');
    const args = files.length > 0 ? ['--secret', ...files] : [];
    const result = adopt(cwd, ['--name', 'bad', ...args]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(fs.readdirSync(cwd).sort()).toEqual(['main.ts', 'sealed-secrets']);
  });
});

describe('a name another deployment has writes nothing', () => {
  test.each([
    ['the name of the example\'s staging', ['--name', 'staging'],
      'error: --name staging is the name of main.ts\'s deployment "staging"; pick another, or take "staging" out of main.ts first\n'],
    ['the release name of the example\'s prod', ['--name', 'mine', '--release', 'prod'],
      'error: release prod (--release, default --name) is the release name of main.ts\'s deployment "prod"; pick another, or take "prod" out of main.ts '
        + 'first: cluster-wide objects such as ClusterRole prod-image-cleaner would collide\n'],
    ['the namespace of the example\'s staging', ['--name', 'binderhub-staging'],
      'error: namespace binderhub-staging (--namespace, default --name) is the namespace of main.ts\'s deployment "staging"; pick another, or take '
        + '"staging" out of main.ts first: the jupyterhub chart\'s objects carry no release prefix\n'],
  ])('%s', (_name, args, message) => {
    const cwd = exampleWorkspace('adopt-taken-');
    const result = adopt(cwd, [...args, ...fileArgs(LEGACY[0], LEGACY[1])]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(message);
    expect(fs.readdirSync(cwd).sort()).toEqual(['main.ts', 'sealed-secrets']);
  });
});

/**
 * Adds the module to main.ts in `cwd` as adopt's output says (its import at the top, its call inside the
 * BinderHubApp), from the line of `stdout` that says it.
 */
function addToMain(cwd: string, stdout: string): void {
  const said = /^add it to the app: `(.+)` at the top of main\.ts, and `(.+)` inside its BinderHubApp$/m.exec(stdout);
  if (!said) throw new Error(`adopt did not say how to add the module to main.ts:\n${stdout}`);
  const [, importLine, call] = said;
  const file = path.join(cwd, 'main.ts');
  const text = fs.readFileSync(file, 'utf8').replace(/^(import .*\n)/m, `$1${importLine}\n`).replace(/\n\}\);\n$/, `\n  ${call}\n});\n`);
  expect(text).toContain(`${importLine}\n`);
  expect(text).toContain(`  ${call}\n});\n`);
  fs.writeFileSync(file, text);
}

describe('the written module compiles and synthesizes with the test chart', () => {
  const dir = exampleWorkspace('adopt-module-');

  const define = (name: string, files: string[]) => {
    const out = path.join(dir, `${name}.ts`);
    expect(adopt(dir, ['--name', name, '--out', out, ...fileArgs(files[0], files[1])]).status).toBe(0);
    return defineAdopted(out, dir, FIXTURE_CHART);
  };

  test('added to main.ts as adopt says, tsc type-checks both against the library\'s public API', () => {
    const cwd = exampleWorkspace('adopt-typed-');
    const result = adopt(cwd, ['--name', 'typed', '--no-compare', ...fileArgs(TODAY[0], TODAY[1])]);
    expect(result.status).toBe(0);
    addToMain(cwd, result.stdout);
    // 'binderhub-cdk8s' is lib/index.ts, as the package's types are; packages and @types from this project.
    fs.writeFileSync(path.join(cwd, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        noEmit: true, strict: true, noUnusedLocals: true, esModuleInterop: true, skipLibCheck: true, target: 'ES2022', module: 'commonjs',
        types: ['node'], typeRoots: [path.join(ROOT, 'node_modules', '@types')], paths: { 'binderhub-cdk8s': [path.join(ROOT, 'lib', 'index.ts')] },
      },
      files: ['main.ts'],
    }));
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', cwd], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 60000);

  test('--release and --namespace of the live release: the module keeps them, and the comparison renders them', () => {
    const out = path.join(dir, 'kept.ts');
    const result = adopt(dir, ['--name', 'kept', '--release', 'binder', '--namespace', 'binderhub', '--out', out, ...fileArgs(TODAY[0], TODAY[1])]);
    expect(result.stdout).toContain('wrote ' + out + ': release binder, namespace binderhub, Registry.harbor, Builder.pink(), ingress, 2 top-level chartValues\n');
    expect(result.stdout).toContain(`(local chart ${FIXTURE_CHART}, release binder, namespace binderhub, Kubernetes 1.35.0):\n`);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('    releaseName: "binder",\n    namespace: "binderhub",\n    tokens: secrets.tokens,\n');
    const { deployment, objects } = defineAdopted(out, dir, FIXTURE_CHART);
    expect([deployment.releaseName, deployment.namespace]).toEqual(['binder', 'binderhub']);
    expect(find(objects, 'DaemonSet', 'binder-pink').metadata.namespace).toBe('binderhub');
  });

  test('2019 layout: the same tokens, Docker Hub, dind on the same folders, the recorded hub URL, GitHub token', () => {
    const { objects, secrets } = define('legacy', LEGACY);
    const hub = find(secrets, 'Secret', 'hub');
    expect(secretValue(hub, 'hub.config.ConfigurableHTTPProxy.auth_token')).toBe('ad0b7e01'.repeat(8));
    expect(secretValue(hub, 'hub.services.binder.apiToken')).toBe('ad0b7e02'.repeat(8));
    const dind = find(objects, 'DaemonSet', 'legacy-dind');
    expect(dind.spec.template.spec.volumes.map((v: any) => v.hostPath?.path).filter(Boolean).sort()).toEqual(['/var/lib/dind/legacy', '/var/run/dind/legacy']);
    expect(find(objects, 'ConfigMap', 'binder-hub-url').data.hub_url).toBe('http://35.190.10.20/');
    const values = secretValue(find(secrets, 'Secret', 'binder-secret'), 'values.yaml');
    expect(values).toContain('access_token: ghp_ADOPTFAKEgithubtoken0123456789');
    expect(values).toContain('image_prefix: binderorg/binder-legacy-');
  });

  test('today\'s layout: every token, Harbor, pink, the Ingress hosts with TLS', () => {
    const { objects, secrets } = define('today', TODAY);
    const hub = find(secrets, 'Secret', 'hub');
    expect(secretValue(hub, 'hub.config.JupyterHub.cookie_secret')).toBe(`${'7da70003bd'.repeat(6)}7da7`);
    expect(secretValue(hub, 'hub.config.CryptKeeper.keys')).toBe(`${'7da70004bd'.repeat(6)}7da7`);
    expect(find(objects, 'DaemonSet', 'today-pink')).toBeDefined();
    expect(find(objects, 'Ingress', 'binderhub').spec.rules[0].host).toBe('binder.example.org');
    expect(find(objects, 'Ingress', 'jupyterhub').spec.tls[0].hosts).toEqual(['hub.example.org']);
    expect(find(objects, 'ConfigMap', 'binder-hub-url').data.hub_url).toBe('https://hub.example.org/');
    expect(find(objects, 'Deployment', 'binder').spec.replicas).toBe(2);
  });
});

describe('a module adopt wrote, added to main.ts, goes through the commands', () => {
  test('no init-secrets for it (adopt wrote its secrets file): synth writes dist/legacy.k8s.yaml with its recorded hub URL, and check-dist passes', () => {
    const cwd = exampleWorkspace('adopt-app-');
    expect(runCommand('init-secrets', cwd).status).toBe(0);
    const adopted = adopt(cwd, ['--name', 'legacy', '--no-compare', ...fileArgs(LEGACY[0], LEGACY[1])]);
    expect(adopted.status).toBe(0);
    addToMain(cwd, adopted.stdout);
    // The example's prod still has init-secrets' placeholder for its registry password; the adopted deployment has its own.
    const prodPlaceholder = 'warning: secrets/prod.json credentials.registryPassword is still the placeholder that npm run init-secrets wrote: '
      + 'put the real value there before you apply prod\'s manifests\n';
    // The adopted deployment keeps the 2019 files' resources (ServicePolicy.private()), which a public BinderHub would not.
    const privatePolicy = 'warning: deployment "legacy" (ServicePolicy.private()) would not be safe to open to the public: no launch quota '
      + '(quotas.total or quotas.perRepository), no memory limit for user servers (users.memoryLimit), no memory limit for builds (builds.memoryLimit)\n';
    const synth = runCommand('synth', cwd);
    expect(synth.stderr).toBe(prodPlaceholder + privatePolicy);
    expect(synth.stdout).toBe(['dist-secrets/legacy-secrets.k8s.yaml', 'dist/legacy.k8s.yaml', 'dist/prod-delivery.k8s.yaml', 'dist/prod.k8s.yaml', 'dist-secrets/staging-secrets.k8s.yaml',
      'dist/staging.k8s.yaml'].map(file => `wrote ${file}\n`).join(''));
    expect(synth.status).toBe(0);
    expect(fs.readFileSync(path.join(cwd, 'dist', 'legacy.k8s.yaml'), 'utf8')).toContain('  hub_url: http://35.190.10.20/\n');
    const check = runCommand('check-dist', cwd);
    expect(check.stdout).toBe('check-dist: dist/ and dist-secrets/ match a fresh synth, hold no Secret data they should not, and are apply-ready\n');
    expect(check.stderr).toBe(`${prodPlaceholder}warning: deployment prod is sealed for sealed-secrets/prod.pem, the example's stand-in certificate, whose private `
      + 'key is gone (no controller can unseal its Secrets): fetch your controller\'s with `kubeseal --fetch-cert > sealed-secrets/prod.pem` and run `npm run synth`\n');
    expect(check.status).toBe(0);
  });
});
