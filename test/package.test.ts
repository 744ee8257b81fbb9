/**
 * The package as an operator gets it: `npm pack`'s tarball (what a registry would serve), `binderhub-cdk8s init`
 * from it into an empty folder, the tarball installed there (with the pinned helm and kubectl of its postinstall),
 * then the scaffold's own workflow with the real chart: init-secrets, synth, `cdk8s synth` and its `npm test`; and
 * every command's --help from the installed package.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeWithRealChart } from './real-chart';

const ROOT = path.join(__dirname, '..');
const COMMANDS = ['init', 'init-secrets', 'synth', 'diff', 'chart-update', 'check-dist', 'apply', 'patch-hub-url', 'status', 'teardown', 'prune-command', 'adopt', 'bench'];

// npm installs from the registry (its cache, when warm): minutes on a busy machine, not seconds.
jest.setTimeout(15 * 60 * 1000);

/** Runs `command` in `cwd`; fails the test with its output unless it exits 0. Its output otherwise. */
function ok(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} in ${cwd} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return result.stdout + result.stderr;
}

describeWithRealChart('the packed package in a project of its own', chart => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'package-'));
  const project = path.join(work, 'binder-ops');
  const bin = path.join(project, 'node_modules', '.bin', 'binderhub-cdk8s');
  const env = { BINDERHUB_CHART: chart, HELM: undefined, KUBECTL: undefined };
  let tarball: string;

  beforeAll(() => {
    // `npm test` built the package just now; prepack would build it again.
    const packed = JSON.parse(ok(ROOT, 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work]).replace(/^[^[]*/, ''));
    tarball = path.join(work, packed[0].filename);
    execFileSync('tar', ['-xzf', tarball, '-C', work]);
    ok(work, process.execPath, [path.join(work, 'package', 'bin', 'binderhub-cdk8s.js'), 'init', 'binder-ops']);
    ok(project, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball]);
  });

  test('init wrote the scaffold, and the package holds what it needs and none of the sources', () => {
    expect(fs.readdirSync(project).filter(f => f !== 'node_modules' && f !== 'package-lock.json').sort())
      .toEqual(['.gitignore', 'README.md', 'cdk8s.yaml', 'main.ts', 'package.json', 'test', 'tsconfig.json']);
    const installed = path.join(project, 'node_modules', 'binderhub-cdk8s');
    expect(fs.existsSync(path.join(installed, 'lib'))).toBe(false);
    expect(fs.existsSync(path.join(installed, 'main.ts'))).toBe(false);
    expect(fs.existsSync(path.join(installed, 'build', 'types', 'lib', 'index.d.ts'))).toBe(true);
    // The postinstall installed the pinned tools into the package, as a dependency of another project.
    expect(ok(project, path.join(installed, '.tools', 'helm'), ['version', '--short'])).toMatch(/^v4\./);
    expect(ok(project, path.join(installed, '.tools', 'kubectl'), ['version', '--client'])).toMatch(/Client Version: v1\.35\./);
  });

  test('init-secrets, synth and cdk8s synth write the quick start deployment', () => {
    expect(ok(project, bin, ['init-secrets'], env)).toBe('created secrets/binder.json (5 tokens; replace the placeholder in credentials.registryPassword)\n');
    const synth = ok(project, bin, ['synth'], env);
    expect(synth).toContain('wrote dist/binder.k8s.yaml');
    expect(synth).toContain('warning: secrets/binder.json credentials.registryPassword is still the placeholder');
    expect(fs.readFileSync(path.join(project, 'dist', 'binder.k8s.yaml'), 'utf8')).toMatch(/name: proxy-public/);
    ok(project, 'npx', ['cdk8s', 'synth'], env);
    expect(fs.readFileSync(path.join(project, 'build', 'cdk8s', 'binder.k8s.yaml'))).toEqual(fs.readFileSync(path.join(project, 'dist', 'binder.k8s.yaml')));
    expect(ok(project, bin, ['check-dist'], env)).toContain('check-dist: dist/ and dist-secrets/ match a fresh synth');
  });

  test('the scaffold\'s own npm test type-checks and passes: it writes its snapshot, and a second run matches it', () => {
    // Told to write it even where jest runs as in CI (there it writes no new snapshot by default).
    ok(project, 'npm', ['test', '--', '--ci=false'], env);
    expect(fs.readdirSync(path.join(project, 'test', '__snapshots__'))).toEqual(['main.test.ts.snap']);
    ok(project, 'npm', ['test', '--', '--ci'], env);
  });

  test.each(COMMANDS)('binderhub-cdk8s %s --help prints its usage', command => {
    expect(ok(project, bin, [command, '--help'])).toMatch(/^usage: /);
  });

  test('binderhub-cdk8s alone lists the commands; an unknown one is refused in one line', () => {
    const listed = ok(project, bin, []);
    for (const command of COMMANDS) expect(listed).toMatch(new RegExp(`^  ${command} +[a-z]`, 'm'));
    const unknown = spawnSync(bin, ['sinth'], { cwd: project, encoding: 'utf8' });
    expect([unknown.status, unknown.stderr]).toEqual([2, `error: "sinth" is no command of binderhub-cdk8s; the commands are ${COMMANDS.join(', ')} (see --help)\n`]);
  });
});
