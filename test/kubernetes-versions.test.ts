import { ChartSource, ConfigError, DEFAULT_KUBE_VERSION, IngressOptions, kubeVersionWarning, parseKubeVersion, servedApiVersions, unservedObjects } from '../lib/internal';
import { editedFixtureChart, synthBinderHub } from './helpers';
import { editChartFile } from './real-chart';

const object = (apiVersion: string, kind: string, name = 'x') => ({ apiVersion, kind, metadata: { name } });

describe('kubeVersion', () => {
  test('the default is 1.35, the pinned kubectl\'s minor, upstream-supported when it was chosen (2026-11-25)', () => {
    expect(DEFAULT_KUBE_VERSION).toBe('1.35.0');
    expect(kubeVersionWarning(parseKubeVersion(DEFAULT_KUBE_VERSION), new Date('2026-11-25'))).toBeUndefined();
  });

  test.each([
    ['1.35', '1.35.0', 35],
    ['1.34.2', '1.34.2', 34],
    ['v1.33.1', '1.33.1', 33],
    ['1.33.10', '1.33.10', 33],
    ['v1.32.4+k3s1', '1.32.4', 32],
    ['v1.35.2-gke.1200', '1.35.2', 35],
  ])('%s reads as %s', (given, version, minor) => {
    expect(parseKubeVersion(given)).toEqual({ version, minor });
  });

  test.each(['1', '2.0.0', 'x1.35', 'v1.35.2 ', '1.35x', '1.35.2junk', '1.35-rc.1', 'latest'])('%p is refused in one line naming the setting', given => {
    expect(() => parseKubeVersion(given)).toThrow(new ConfigError(`kubeVersion "${given}" is not a Kubernetes version; give your cluster's, such as 1.35.0 (kubectl version)`));
    expect(() => parseKubeVersion(given, 'KUBE_VERSION')).toThrow(`KUBE_VERSION "${given}" is not a Kubernetes version;`);
  });

  test('a minor past its end of upstream support gets a one-line warning; a supported one none', () => {
    expect(kubeVersionWarning(parseKubeVersion('1.31'), new Date('2026-11-25')))
      .toBe('warning: Kubernetes 1.31 left upstream support on 2025-10-28; upgrade the cluster and set kubeVersion to its new version');
    expect(kubeVersionWarning(parseKubeVersion('1.34'), new Date('2026-10-27'))).toBeUndefined();
    expect(kubeVersionWarning(parseKubeVersion('1.34'), new Date('2026-10-28'))).toMatch(/^warning: Kubernetes 1\.34 left upstream support on 2026-10-27;/);
    expect(kubeVersionWarning(parseKubeVersion('1.37'), new Date('2026-11-25'))).toBeUndefined();
    expect(kubeVersionWarning(parseKubeVersion('1.40'), new Date('2026-11-25')))
      .toBe('warning: Kubernetes 1.40.0 is newer than this project knows (1.37); the served-API check assumes it serves what 1.37 does');
  });

  test.each([
    [28, '2024-10-28'], [29, '2025-02-28'], [30, '2025-06-28'], [31, '2025-10-28'], [32, '2026-02-28'],
    [33, '2026-06-28'], [34, '2026-10-27'], [35, '2027-02-28'], [36, '2027-06-28'], [37, '2027-10-28'],
  ])('1.%i: no warning up to its last day of upstream support, %s; from the next day, one that names it', (minor, end) => {
    const version = parseKubeVersion(`1.${minor}`);
    const nextDay = new Date(new Date(end).getTime() + 24 * 3600 * 1000);
    expect(kubeVersionWarning(version, new Date(end))).toBeUndefined();
    expect(kubeVersionWarning(version, nextDay))
      .toBe(`warning: Kubernetes 1.${minor} left upstream support on ${end}; upgrade the cluster and set kubeVersion to its new version`);
  });

  test('a minor older than the table gets no warning: the chart\'s own kubeVersion check refuses it', () => {
    expect(kubeVersionWarning(parseKubeVersion('1.27'), new Date('2026-11-25'))).toBeUndefined();
  });

  test('a synth for an unsupported minor warns once on stderr and still renders', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      synthBinderHub({ kubeVersion: '1.29.4' }, 'a');
      synthBinderHub({ kubeVersion: '1.29.4' }, 'b');
      expect(warn.mock.calls.map(c => c[0])).toEqual([expect.stringMatching(/^warning: Kubernetes 1\.29 left upstream support on 2025-02-28;/)]);
    } finally {
      warn.mockRestore();
    }
  });

  test('a version the chart\'s kubeVersion constraint refuses is an error naming both', () => {
    expect(() => synthBinderHub({ kubeVersion: '1.27.3' }))
      .toThrow(/^kubeVersion v1\.27\.3 of release test is outside what local chart .* supports \(>=1\.28\.0-0\); set kubeVersion to your cluster's version \(kubectl version\), which must satisfy >=1\.28\.0-0$/);
  });
});

describe('served APIs', () => {
  test('helm is told every served group/version and group/version/Kind, and not the removed ones', () => {
    const at35 = servedApiVersions(35);
    expect(at35).toEqual(expect.arrayContaining(['policy/v1', 'policy/v1/PodDisruptionBudget', 'apps/v1/Deployment', 'v1/Secret', 'flowcontrol.apiserver.k8s.io/v1/FlowSchema']));
    expect(at35.filter(v => /v1beta|v2beta/.test(v))).toEqual([]);
    expect(servedApiVersions(31)).toContain('flowcontrol.apiserver.k8s.io/v1beta3');
    expect(servedApiVersions(32)).not.toContain('flowcontrol.apiserver.k8s.io/v1beta3');
    expect(servedApiVersions(33)).not.toContain('resource.k8s.io/v1/ResourceClaim');
    expect(servedApiVersions(34)).toContain('resource.k8s.io/v1/ResourceClaim');
    expect([...at35].sort()).toEqual(at35);
  });

  test('an object of a removed version is named with the version to use', () => {
    expect(unservedObjects([object('policy/v1beta1', 'PodDisruptionBudget', 'binderhub')], 35))
      .toEqual(['PodDisruptionBudget/binderhub is policy/v1beta1, which Kubernetes 1.35 does not serve; it needs policy/v1']);
    expect(unservedObjects([object('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema')], 32))
      .toEqual(['FlowSchema/x is flowcontrol.apiserver.k8s.io/v1beta3, which Kubernetes 1.32 does not serve; it needs flowcontrol.apiserver.k8s.io/v1']);
    expect(unservedObjects([object('policy/v1beta1', 'PodSecurityPolicy', 'psp')], 35))
      .toEqual(['PodSecurityPolicy/psp is policy/v1beta1, and Kubernetes 1.35 serves no PodSecurityPolicy at all']);
    expect(unservedObjects([object('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema')], 31)).toEqual([]);
  });

  test('a chart that renders objects of versions the cluster no longer serves is refused, naming each object and the version to use', () => {
    const chart = editedFixtureChart('templates/pdb.yaml', text => text.replace('"policy/v1/PodDisruptionBudget"', '"policy/v0/PodDisruptionBudget"'));
    editChartFile(chart, 'templates/ingress.yaml', text => text.replace('apiVersion: networking.k8s.io/v1\n', 'apiVersion: networking.k8s.io/v1beta1\n'));
    const render = (ingress?: IngressOptions) => synthBinderHub({ chart: ChartSource.local(chart), ingress });
    expect(render).toThrow(ConfigError);
    expect(render).toThrow(new ConfigError('deployment "test" renders objects that Kubernetes 1.35.0 (kubeVersion) does not serve: '
      + 'PodDisruptionBudget/binderhub is policy/v1beta1, which Kubernetes 1.35 does not serve; it needs policy/v1; '
      + 'set kubeVersion to your cluster\'s version, or use a chart that supports it'));
    expect(() => render({ binderHost: 'binder.example.org', hubHost: 'hub.example.org' })).toThrow(new ConfigError(
      'deployment "test" renders objects that Kubernetes 1.35.0 (kubeVersion) does not serve: '
      + 'PodDisruptionBudget/binderhub is policy/v1beta1, which Kubernetes 1.35 does not serve; it needs policy/v1; '
      + 'Ingress/binderhub is networking.k8s.io/v1beta1, which Kubernetes 1.35 does not serve; it needs networking.k8s.io/v1; '
      + 'set kubeVersion to your cluster\'s version, or use a chart that supports it'));
  });

  test('served built-in objects and custom resources pass', () => {
    expect(unservedObjects([
      object('v1', 'Secret'), object('apps/v1', 'DaemonSet'), object('policy/v1', 'PodDisruptionBudget'),
      object('bitnami.com/v1alpha1', 'SealedSecret'), object('gateway.networking.k8s.io/v1', 'HTTPRoute'),
    ], 35)).toEqual([]);
    expect(unservedObjects([object('apps/v1', 'Secret')], 35)).toEqual(['Secret/x is apps/v1, which Kubernetes 1.35 does not serve; it needs v1']);
  });
});
