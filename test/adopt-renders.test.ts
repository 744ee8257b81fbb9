/**
 * The comparison adopt shows (lib/adopt/adopt-renders.ts), in this process: our synth of the adopted deployment against
 * `helm template` of the original values files, with the test chart.
 */
import {
  adoptedSecrets, ChartSource, formatAdoptionComparison, renderAdoptionComparison, planAdoption, readValuesLayers, withClusterTokens,
} from '../lib/internal';
import { expectNoFixtureSecret, fixture, guideFiles, LEGACY, TODAY } from './adopt-fixtures';
import { exampleWorkspace, FIXTURE_CHART } from './helpers';
import { describeWithRealChart } from './real-chart';

const CHART = ChartSource.local(FIXTURE_CHART);

/** The comparison of adopting `files` as `name`, with the live tokens given. */
function compare(name: string, files: string[], cluster: Record<string, string> = {}, chart = CHART) {
  const { plan, fromCluster } = withClusterTokens(planAdoption(name, readValuesLayers(files)), cluster);
  const secrets = adoptedSecrets(plan);
  return renderAdoptionComparison({
    plan, secrets: { tokens: secrets.tokens, credentials: plan.credentials }, generatedTokens: secrets.generated,
    clusterTokens: Object.fromEntries(fromCluster.map(token => [token, cluster[token]])), files, chart,
  });
}

test('says what helm rendered: the files in order, the chart, the release, the namespace and the Kubernetes version', () => {
  expect(compare('today', TODAY).rendered).toBe(`helm template of ${TODAY[0]}, ${TODAY[1]} (local chart ${FIXTURE_CHART}, `
    + 'release today, namespace today, Kubernetes 1.35.0)');
});

test('values helm refuses (the 2019 layout) give no comparison, and say why, instead of failing', () => {
  const result = compare('legacy', LEGACY);
  expect('comparison' in result).toBe(false);
  expect('unavailable' in result && result.unavailable).toBe('the chart\'s values schema refused the values of release legacy: binderhub: at \'\': '
    + 'additional properties \'github\' not allowed');
});

/** The formatted comparison, which fails the test when there is none. */
function formatted(result: ReturnType<typeof compare>): string[] {
  if (!('comparison' in result)) throw new Error(`no comparison: ${result.unavailable}`);
  return formatAdoptionComparison(result.comparison, 'dist-secrets/x-secrets.k8s.yaml');
}

test('files with every token: no new token, nothing to review, and no secret value in the result', () => {
  const result = compare('today', TODAY);
  expect(formatted(result).slice(-4)).toEqual([
    'to review: nothing',
    'restarts on the first apply: Deployment/today/hub (checksum/secret differ)',
    'restarts on the first apply: Deployment/today/binder (checksum/config, checksum/binder-api-token, checksum/hub-url differ)',
    '34 difference(s) on purpose, 0 new token(s), 0 to review; 2 workload(s) restart',
  ]);
  expectNoFixtureSecret(JSON.stringify(result));
});

// The reasons name the deployment's builder, registry and ingress: the whole comparison is pinned for two layouts.
test.each([
  ['today\'s layout (Harbor, pink, ingress)', 'today', () => TODAY],
  ['the guide\'s Docker Hub example (DinD, no ingress)', 'guide', () => guideFiles('dockerhub', exampleWorkspace('adopt-renders-'))],
])('the comparison of %s', (_, name, files) => {
  expect(formatted(compare(name, files())).join('\n')).toMatchSnapshot();
});

describeWithRealChart('adopt\'s comparison with the live release\'s tokens', chart => {
  test('they reach helm\'s render too (the CryptKeeper key as the list the chart wants): only the build token secret is new, and only it is said to be generated', () => {
    const files = guideFiles('dockerhub', exampleWorkspace('adopt-renders-'));
    const lines = formatted(compare('g', files, { cookieSecret: 'c00c1e5e'.repeat(8), cryptKeeperKey: 'c4e7c4e7'.repeat(8) }, ChartSource.local(chart)));
    const newTokens = lines.findIndex(line => line.startsWith('new tokens: '));
    expect(lines[newTokens]).toMatch(/adopt generated buildTokenSecret$/);
    expect(lines.slice(newTokens + 1, newTokens + 3)).toEqual([
      '  changed: Secret/g/binder-secret: key values.yaml settings config.BinderHub.build_token_secret added',
      'to review: nothing',
    ]);
  }, 60000);
});

describeWithRealChart('Ingresses as operators write them, adopted and compared with helm template', chart => {
  // Each over the guide's Docker Hub example: mybinder.org-deploy's kube-lego https with the class annotation and two
  // binder hosts, and Traefik's middlewares with a second hub host.
  test.each([
    ['ingress-kube-lego', []],
    // The class only the binder Ingress named reaches the hub's (noted by adopt): in the Ingress and in the values the chart keeps.
    ['ingress-traefik', ['Ingress/ovh2/jupyterhub spec.ingressClassName', 'Secret/ovh2/hub ingress.ingressClassName']],
  ])('%s: both Ingresses as helm renders them; to review only what adopt noted', (layer, review) => {
    const files = [...guideFiles('dockerhub', exampleWorkspace('adopt-renders-')), fixture(`layers/${layer}.yaml`)];
    const result = compare('ovh2', files, {}, ChartSource.local(chart));
    if (!('comparison' in result)) throw new Error(`no comparison: ${result.unavailable}`);
    expect(result.comparison.review.map(d => `${d.id} ${d.type === 'field' ? d.field.path : d.type === 'setting' ? d.setting.path : d.type}`)).toEqual(review);
    const onPurpose = result.comparison.onPurpose.flatMap(group => group.differences).filter(d => d.id.startsWith('Ingress/'));
    expect(onPurpose.every(d => d.type === 'field' && d.field.path.startsWith('metadata.labels'))).toBe(true); // our deployment label
  }, 60000);
});
