/** `diffDeployments` and `deploymentOfFile`: a deployment's two files diffed together, on hand-made manifests. */
import { DEFAULT_TARGETS, deploymentOfFile, diffDeployments, formatDeploymentDiffs } from '../lib/internal';

const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const secret = (value: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: hub\n  namespace: a\nstringData:\n  token: ${value}\n`;
const diff = (before: Record<string, string>, after: Record<string, string>, only?: string[]) =>
  formatDeploymentDiffs(diffDeployments(new Map(Object.entries(before)), new Map(Object.entries(after)), DEFAULT_TARGETS, only));

describe('diffDeployments', () => {
  test('a Secret that moves from dist-secrets/ into dist/ (a change of secrets mode) with its value kept is no change', () => {
    expect(diff({ 'dist/a.k8s.yaml': namespace('a'), 'dist-secrets/a-secrets.k8s.yaml': secret('kept-value-1') },
      { 'dist/a.k8s.yaml': `${namespace('a')}---\n${secret('kept-value-1')}` })).toEqual([]);
  });

  test('each deployment under its own heading, in name order, its dist/ objects first; a new or gone file adds or removes its objects', () => {
    expect(diff({ 'dist/a.k8s.yaml': namespace('a'), 'dist-secrets/a-secrets.k8s.yaml': secret('old-value-1'), 'dist/gone.k8s.yaml': namespace('gone') },
      { 'dist/a.k8s.yaml': namespace('a2'), 'dist-secrets/a-secrets.k8s.yaml': secret('new-value-2'), 'dist/b.k8s.yaml': namespace('b') })).toEqual([
      'deployment a:',
      '  added: Namespace/a2',
      '  changed: Secret/a/hub key token',
      '  removed: Namespace/a',
      'deployment b:',
      '  added: Namespace/b',
      'deployment gone:',
      '  removed: Namespace/gone',
    ]);
  });

  test('--deployment limits the diff; a name with no file on either side is refused in one line', () => {
    const before = { 'dist/a.k8s.yaml': namespace('a'), 'dist/b.k8s.yaml': namespace('b') };
    expect(diff(before, { 'dist/a.k8s.yaml': namespace('a1'), 'dist/b.k8s.yaml': namespace('b1') }, ['b'])).toEqual([
      'deployment b:', '  added: Namespace/b1', '  removed: Namespace/b',
    ]);
    expect(() => diff(before, before, ['c'])).toThrow(/^--deployment c: no such deployment in main\.ts or dist\/; name one of a, b$/);
  });

  test('a deployment\'s dist/ objects come before those of its file in dist-secrets/, in whatever order the files are given', () => {
    expect(diff({}, { 'dist-secrets/a-secrets.k8s.yaml': secret('new-value-1'), 'dist/a.k8s.yaml': namespace('a') })).toEqual([
      'deployment a:', '  added: Namespace/a', '  added: Secret/a/hub',
    ]);
  });

  test('--deployment when no deployment has a file: the refusal says (none)', () => {
    expect(() => diff({}, {}, ['prod'])).toThrow(/^--deployment prod: no such deployment in main\.ts or dist\/; name one of \(none\)$/);
  });

  test('a file that does not parse fails with the file and line, without its text', () => {
    expect(() => diff({ 'dist/a.k8s.yaml': 'a: [\n  secret-text' }, {})).toThrow(/^dist\/a\.k8s\.yaml is not valid YAML \(line \d+\); run `npm run synth`/);
  });
});

test('deploymentOfFile: -secrets is dropped only in the secrets folder', () => {
  expect(deploymentOfFile('dist-secrets/prod-secrets.k8s.yaml', DEFAULT_TARGETS)).toBe('prod');
  expect(deploymentOfFile('dist/prod-secrets.k8s.yaml', DEFAULT_TARGETS)).toBe('prod-secrets');
  expect(deploymentOfFile('dist/prod.k8s.yml', DEFAULT_TARGETS)).toBe('prod');
});
