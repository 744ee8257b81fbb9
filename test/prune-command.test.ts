/**
 * `npm run prune-command` end to end: the example synthesized by `npm run synth` in a working folder, then the
 * command as its npm script runs it; its output run by a shell with the pinned kubectl.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { toolPath } from '../lib/internal';
import { exampleWorkspace, runCommand } from './helpers';
import { describeWithRealChart } from './real-chart';
import { writeKubeconfig } from './support/fake-kube-api';

/** A working folder with the example synthesized from `chart` (the test chart unless given). */
function synthesized(chart?: string): string {
  const dir = exampleWorkspace('prune-e2e-');
  const env = chart ? { BINDERHUB_CHART: chart } : {};
  expect(runCommand('init-secrets', dir, env).status).toBe(0);
  expect(runCommand('synth', dir, env).status).toBe(0);
  return dir;
}

const NAMESPACE_LINE = (namespace: string) =>
  `# never pruned: Namespace ${namespace}: pruning a Namespace deletes everything in it; delete it by hand when the deployment goes away`;

describe('npm run prune-command', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = synthesized();
  });

  test('staging: both files, its Secrets allowlisted from dist-secrets/, the namespace never pruned', () => {
    const result = runCommand('prune-command', cwd, {}, ['staging']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe([
      'kubectl apply -f dist/staging.k8s.yaml -f dist-secrets/staging-secrets.k8s.yaml --prune -l binderhub-cdk8s.io/deployment=staging \\',
      '  --prune-allowlist=apps/v1/DaemonSet \\',
      '  --prune-allowlist=apps/v1/Deployment \\',
      '  --prune-allowlist=core/v1/ConfigMap \\',
      '  --prune-allowlist=core/v1/Secret \\',
      '  --prune-allowlist=core/v1/Service \\',
      '  --prune-allowlist=core/v1/ServiceAccount \\',
      '  --prune-allowlist=policy/v1/PodDisruptionBudget \\',
      '  --prune-allowlist=rbac.authorization.k8s.io/v1/ClusterRole \\',
      '  --prune-allowlist=rbac.authorization.k8s.io/v1/ClusterRoleBinding \\',
      '  --prune-allowlist=rbac.authorization.k8s.io/v1/Role \\',
      '  --prune-allowlist=rbac.authorization.k8s.io/v1/RoleBinding',
      NAMESPACE_LINE('binderhub-staging'),
      '',
    ].join('\n'));
  });

  test('prod (sealed, with an ingress): SealedSecrets and Ingresses, no plain Secrets', () => {
    const result = runCommand('prune-command', cwd, {}, ['prod']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe([
      'kubectl apply -f dist/prod.k8s.yaml --prune -l binderhub-cdk8s.io/deployment=prod \\',
      '  --prune-allowlist=apps/v1/DaemonSet \\',
      '  --prune-allowlist=apps/v1/Deployment \\',
      '  --prune-allowlist=bitnami.com/v1alpha1/SealedSecret \\',
      '  --prune-allowlist=core/v1/ConfigMap \\',
      '  --prune-allowlist=core/v1/Service \\',
      '  --prune-allowlist=core/v1/ServiceAccount \\',
      '  --prune-allowlist=networking.k8s.io/v1/Ingress \\',
      '  --prune-allowlist=policy/v1/PodDisruptionBudget \\',
      '  --prune-allowlist=rbac.authorization.k8s.io/v1/ClusterRole \\',
      '  --prune-allowlist=rbac.authorization.k8s.io/v1/ClusterRoleBinding \\',
      '  --prune-allowlist=rbac.authorization.k8s.io/v1/Role \\',
      '  --prune-allowlist=rbac.authorization.k8s.io/v1/RoleBinding',
      NAMESPACE_LINE('binderhub-prod'),
      '',
    ].join('\n'));
  });

  test('reads other folders with --dist and --dist-secrets, and names them in the command', () => {
    fs.cpSync(path.join(cwd, 'dist'), path.join(cwd, 'out'), { recursive: true });
    fs.cpSync(path.join(cwd, 'dist-secrets'), path.join(cwd, 'out-secrets'), { recursive: true });
    const result = runCommand('prune-command', cwd, {}, ['staging', '--dist', 'out', '--dist-secrets', 'out-secrets']);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0])
      .toBe('kubectl apply -f out/staging.k8s.yaml -f out-secrets/staging-secrets.k8s.yaml --prune -l binderhub-cdk8s.io/deployment=staging \\');
  });

  test('what it prints is a shell command the pinned kubectl accepts: it gets as far as calling the cluster', () => {
    const printed = runCommand('prune-command', cwd, {}, ['staging']).stdout;
    const kubeconfig = writeKubeconfig(cwd, 'http://127.0.0.1:9');
    const shell = spawnSync('bash', ['-c', printed], {
      cwd, encoding: 'utf8',
      env: { ...process.env, PATH: `${path.dirname(toolPath('kubectl'))}:${process.env.PATH}`, KUBECONFIG: kubeconfig, KUBECACHEDIR: path.join(cwd, 'kube-cache') },
    });
    expect(shell.stderr).not.toMatch(/unknown flag|unknown shorthand|invalid argument|command not found/);
    expect(shell.stderr).toContain('The connection to the server 127.0.0.1:9 was refused');
    expect(shell.status).toBe(1);
  });

  test.each([
    ['a deployment without a synthesized file', ['nope'], 'error: dist/nope.k8s.yaml does not exist: dist/ holds prod, staging; run `npm run synth` first if nope is new (or pass --dist)\n'],
    ['no deployment', [], 'error: name exactly one deployment, such as `npm run prune-command -- binder` (got 0); see --help\n'],
    ['two deployments', ['staging', 'prod'], 'error: name exactly one deployment, such as `npm run prune-command -- binder` (got 2); see --help\n'],
  ])('fails in one line on %s', (_, args, message) => {
    const result = runCommand('prune-command', cwd, {}, args);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(message);
  });
});

describeWithRealChart('npm run prune-command', chart => {
  test('staging: the chart\'s NetworkPolicies and StatefulSet are pruned, its hub database claim never', () => {
    const cwd = synthesized(chart);
    const result = runCommand('prune-command', cwd, { BINDERHUB_CHART: chart }, ['staging']);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('  --prune-allowlist=networking.k8s.io/v1/NetworkPolicy \\');
    expect(lines).toContain('  --prune-allowlist=apps/v1/StatefulSet \\');
    expect(lines).toContain('  --prune-allowlist=core/v1/Secret \\');
    expect(result.stdout).not.toMatch(/--prune-allowlist=core\/v1\/(PersistentVolumeClaim|Namespace)/);
    expect(lines.filter(l => l.startsWith('#'))).toEqual([
      NAMESPACE_LINE('binderhub-staging'),
      '# never pruned: PersistentVolumeClaim binderhub-staging/hub-db-dir: a claim holds state that pruning would delete for good '
        + '(hub-db-dir is the hub\'s database: its users, their servers and tokens); delete a claim the synth no longer produces by hand, on purpose',
    ]);
  });
});
