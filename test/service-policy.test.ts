import { spawnSync } from 'child_process';
import { BinderHub, BinderHubProps, binderHubValues, Builder, ChartSource, ServicePolicy, Values } from '../lib/internal';
import { binderView, configPython, describeWithChartConfig, effectiveConfigs, hubView } from './effective-config';
import { configErrorMessage, defineExample, exampleInputs, fakeTokens, find, FIXTURE_CHART, secretValue, synthBinderHub, TEST_REGISTRY } from './helpers';
import { Testing } from 'cdk8s';
import * as yaml from 'js-yaml';

/** The chart values of a deployment with `policy` and `chartValues`, as the construct merges them. */
function valuesWith(policy: ServicePolicy, chartValues: Values = {}): any {
  return binderHubValues({ tokens: fakeTokens('policy'), registryValues: {}, builderValues: {}, hubUrlValues: {}, policy: policy.setup(), chartValues });
}

describe('ServicePolicy.public(): safe values for what it is not given', () => {
  test('the defaults: user and build memory limits, a CPU limit, culling, a per-repository quota, metadata and private addresses closed', () => {
    const values = valuesWith(ServicePolicy.public());
    expect(values.jupyterhub.singleuser.memory).toEqual({ guarantee: '1G', limit: '2G' });
    expect(values.jupyterhub.singleuser.cpu).toEqual({ limit: 1 });
    expect(values.config.KubernetesBuildExecutor).toEqual({ memory_limit: '2G' });
    expect(values.jupyterhub.cull).toEqual({ enabled: true, timeout: 600, every: 660, maxAge: 21600 });
    expect(values.config.BinderHub.per_repo_quota).toBe(100);
    expect(values.jupyterhub.singleuser.networkPolicy.egressAllowRules).toEqual({ cloudMetadataServer: false, privateIPs: false, nonPrivateIPs: true });
  });

  test('a field given replaces its default only; the other defaults of its group stay', () => {
    const values = valuesWith(ServicePolicy.public({ users: { memoryLimit: '4G' }, culling: { timeoutSeconds: 1800 } }));
    expect(values.jupyterhub.singleuser.memory).toEqual({ guarantee: '1G', limit: '4G' });
    expect(values.jupyterhub.cull).toEqual({ enabled: true, timeout: 1800, every: 660, maxAge: 21600 });
  });

  test('chartValues change a default (it is no setting of the prop)', () => {
    expect(valuesWith(ServicePolicy.public(), { jupyterhub: { cull: { timeout: 900 } } }).jupyterhub.cull.timeout).toBe(900);
  });

  test('a setting given both in the policy and in chartValues is refused, naming both', () => {
    expect(configErrorMessage(() => valuesWith(ServicePolicy.public({ quotas: { perRepository: 50 } }), { config: { BinderHub: { per_repo_quota: 10 } } })))
      .toBe('chartValues.config.BinderHub.per_repo_quota is set by the policy prop; remove it from chartValues');
  });

  test('ServicePolicy.private() sets only what it is given', () => {
    expect(ServicePolicy.private({ quotas: { total: 40 } }).setup()).toEqual({ defaults: {}, values: { config: { LaunchQuota: { total_quota: 40 } } }, ownedPaths: ['config.LaunchQuota.total_quota'] });
  });

  test('quotas, patterns and allowed ranges land where BinderHub and the chart read them', () => {
    const values = valuesWith(ServicePolicy.public({
      quotas: { total: 300, perRepository: 100, perRepositoryHigher: 200, highQuotaRepositories: ['^jupyterlab/.*'], bannedRepositories: ['^spam/.*'] },
      network: { allowedRanges: ['10.20.0.0/16'] },
    }));
    expect(values.config.LaunchQuota.total_quota).toBe(300);
    expect(values.config.BinderHub).toMatchObject({ per_repo_quota: 100, per_repo_quota_higher: 200 });
    expect(values.config.RepoProvider).toEqual({ high_quota_specs: ['^jupyterlab/.*'], banned_specs: ['^spam/.*'] });
    expect(values.jupyterhub.singleuser.networkPolicy.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }] }]);
  });
});

describe('the posture: what a public service lacks', () => {
  const gaps = (policy: ServicePolicy, chartValues: Values = {}) => policy.gaps(valuesWith(policy, chartValues));

  test('a public policy\'s own values lack nothing', () => {
    expect(gaps(ServicePolicy.public())).toEqual([]);
  });

  test.each<[string, string, ServicePolicy, Values]>([
    ['culling turned off in the policy', 'no culling of idle user servers (culling)', ServicePolicy.public({ culling: false }), {}],
    ['culling turned off in chartValues', 'no culling of idle user servers (culling)', ServicePolicy.public(), { jupyterhub: { cull: { enabled: false } } }],
    ['the metadata address opened', 'the cloud metadata address open to user code (network.cloudMetadata)', ServicePolicy.public({ network: { cloudMetadata: true } }), {}],
    ['no network policy and no iptables block', 'the cloud metadata address open to user code', ServicePolicy.public(),
      { jupyterhub: { singleuser: { networkPolicy: { enabled: false }, cloudMetadata: { blockWithIptables: false } } } }],
    ['the user memory limit removed in chartValues', 'no memory limit for user servers (users.memoryLimit)', ServicePolicy.public(), { jupyterhub: { singleuser: { memory: { limit: null } } } }],
    ['a private policy with nothing', 'no launch quota (quotas.total or quotas.perRepository)', ServicePolicy.private(), {}],
    ['a private policy with nothing', 'no memory limit for builds (builds.memoryLimit)', ServicePolicy.private(), {}],
  ])('%s: %s', (_name, gap, policy, chartValues) => {
    expect(gaps(policy, chartValues).join('; ')).toContain(gap);
  });

  test('the jupyterhub chart\'s default network policy closes the metadata address: a private policy does not list it', () => {
    expect(gaps(ServicePolicy.private()).join('; ')).not.toContain('metadata');
  });
});

describe('ServicePolicy\'s patterns (its other bad inputs: test/bad-inputs.test.ts, group policy)', () => {
  const python = configPython();
  (python ? test : test.skip)('the patterns it takes and refuses are the ones Python\'s re compiles and refuses', () => {
    const accepted = ['^jupyterlab/.*', '^(?P<org>[a-z]+)/(?P=org)$', '^org/repo\\.git$', '^[\\w-]+/\\d+$', '(?i)^Spam/.*'];
    const refused = ['^spam/[a-', '^spam\\q', '(unclosed', '*start'];
    const compiles = (pattern: string) => spawnSync(python!, ['-c', 'import re, sys; re.compile(sys.argv[1])', pattern]).status === 0;
    const ours = (pattern: string) => {
      try {
        ServicePolicy.public({ quotas: { bannedRepositories: [pattern] } });
        return true;
      } catch {
        return false;
      }
    };
    expect([...accepted, ...refused].map(p => [p, compiles(p)])).toEqual([...accepted.map(p => [p, true]), ...refused.map(p => [p, false])]);
    expect([...accepted, ...refused].map(p => [p, ours(p)])).toEqual([...accepted, ...refused].map(p => [p, compiles(p)]));
  });
});

describe('a BinderHub\'s posture at synth', () => {
  test('public (the default): chartValues that undo what a public service needs are refused, naming what is missing and the way out', () => {
    expect(configErrorMessage(() => synthBinderHub({ builder: Builder.host(), chartValues: { jupyterhub: { cull: { enabled: false } } } }, 'open')))
      .toBe('deployment "open" is a public service (ServicePolicy.public()) with no culling of idle user servers (culling); set those in its policy '
        + '(and remove chartValues that undo them), or use ServicePolicy.private() for a BinderHub behind login or on a private network');
  });

  test('private: one warning line naming every gap', () => {
    const deployment = new BinderHub(Testing.app(), 'private', {
      chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens('private'), registry: TEST_REGISTRY, builder: Builder.host(), policy: ServicePolicy.private(),
    });
    expect(deployment.warnings).toEqual(['deployment "private" (ServicePolicy.private()) would not be safe to open to the public: no launch quota (quotas.total or '
      + 'quotas.perRepository), no memory limit for user servers (users.memoryLimit), no memory limit for builds (builds.memoryLimit)']);
  });

  test('the example\'s deployments run with the public posture: quotas, limits, culling, metadata closed in their output', () => {
    const { deployments } = defineExample(exampleInputs());
    for (const deployment of deployments) {
      expect(deployment.warnings).toEqual([]);
      const values: any = deployment.helmChart.values;
      expect(values.config.BinderHub.per_repo_quota).toBe(100);
      expect(values.jupyterhub.singleuser.memory.limit).toBe('2G');
      expect(values.config.KubernetesBuildExecutor.memory_limit).toBe('2G');
      expect(values.jupyterhub.cull.enabled).toBe(true);
      expect(values.jupyterhub.singleuser.networkPolicy.egressAllowRules.cloudMetadataServer).toBe(false);
    }
  });
});

describeWithChartConfig('a policy on the real chart: what BinderHub, JupyterHub and the cluster enforce', chart => {
  const props: Partial<BinderHubProps> = {
    chart: ChartSource.local(chart), builder: Builder.host(),
    policy: ServicePolicy.public({
      users: { cpuGuarantee: 0.25 },
      quotas: { total: 300, perRepositoryHigher: 200, highQuotaRepositories: ['^jupyterlab/.*'], bannedRepositories: ['^spam/.*'] },
      network: { allowedRanges: ['10.20.0.0/16'] },
    }),
  };
  let objects: any[];
  let hub: Record<string, any>;
  let binder: Record<string, any>;

  beforeAll(() => {
    objects = synthBinderHub(props, 'policy');
    [hub, binder] = effectiveConfigs([hubView(objects), binderView(objects)]);
  }, 60_000);

  test('BinderHub: the quotas, the patterns, the build memory limit', () => {
    expect(binder.LaunchQuota.total_quota).toBe(300);
    expect(binder.BinderHub).toMatchObject({ per_repo_quota: 100, per_repo_quota_higher: 200 });
    expect(binder.RepoProvider).toEqual({ high_quota_specs: ['^jupyterlab/.*'], banned_specs: ['^spam/.*'] });
    expect(binder.KubernetesBuildExecutor.memory_limit).toBe('2G');
  });

  test('JupyterHub: the user servers\' resources, and the culler\'s arguments', () => {
    expect(hub.KubeSpawner).toMatchObject({ mem_guarantee: '1G', mem_limit: '2G', cpu_guarantee: 0.25, cpu_limit: 1 });
    const culler = hub.JupyterHub.services.find((s: any) => s.name === 'jupyterhub-idle-culler');
    expect(culler.command).toEqual(expect.arrayContaining(['--timeout=600', '--cull-every=660', '--max-age=21600']));
  });

  test('the user servers\' NetworkPolicy: the metadata address and private ranges closed, the internet and the allowed range open', () => {
    const policy = find(objects, 'NetworkPolicy', 'singleuser');
    const blocks = policy.spec.egress.flatMap((rule: any) => (rule.to ?? []).map((to: any) => to.ipBlock).filter(Boolean));
    const internet = blocks.find((block: any) => block.cidr === '0.0.0.0/0');
    expect(internet.except).toEqual(expect.arrayContaining(['169.254.169.254/32', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']));
    expect(blocks).toContainEqual({ cidr: '10.20.0.0/16' });
    // The metadata address only on DNS ports (the chart's dnsPortsCloudMetadataServer: some clouds serve DNS there).
    const toMetadata = policy.spec.egress.filter((rule: any) => (rule.to ?? []).some((to: any) => to.ipBlock?.cidr === '169.254.169.254/32'));
    expect(toMetadata.flatMap((rule: any) => rule.ports.map((port: any) => port.port))).toEqual([53, 53]);
  });

  test('the chart\'s values reach BinderHub as the policy wrote them (Secret binder-secret)', () => {
    const values: any = yaml.load(secretValue(find(objects, 'Secret', 'binder-secret'), 'values.yaml'));
    expect(values.config.BinderHub.per_repo_quota).toBe(100);
  });
});
