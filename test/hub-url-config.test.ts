import { BinderHubProps, Builder, ChartSource, parseManifest, patchHubUrl, Tls } from '../lib/internal';
import { binderView, describeWithChartConfig, effectiveConfigs } from './effective-config';
import { synthBinderHub, synthManifest } from './helpers';

/** One way a deployment gets its hub URL, and what the binder pod's config must then say. */
interface HubUrlSourceCase {
  readonly props: Partial<BinderHubProps>;
  /** A URL that `patchHubUrl` sets in the synthesized manifest, as `npm run patch-hub-url` does. */
  readonly patch?: string;
  readonly hubUrl: string;
  /** `HubOAuth.hub_host` with auth on; none while the URL is pending. */
  readonly hubHost?: string;
}

const INGRESS = {
  binderHost: 'binder.example.org', hubHost: 'jupyter.example.org', ingressClassName: 'nginx',
  binderTls: Tls.certManager({ clusterIssuer: 'letsencrypt-prod' }), hubTls: Tls.certManager({ clusterIssuer: 'letsencrypt-prod' }),
};

const GATEWAY = { binderHost: 'binder.example.org', hubHost: 'jupyter.example.org', parent: { name: 'public', namespace: 'gateway-system' } };

const SOURCES: Record<string, HubUrlSourceCase> = {
  'fixed (hubUrl)': { props: { hubUrl: 'https://hub.example.org' }, hubUrl: 'https://hub.example.org/', hubHost: 'https://hub.example.org' },
  'ingress': { props: { ingress: INGRESS }, hubUrl: 'https://jupyter.example.org/', hubHost: 'https://jupyter.example.org' },
  'gateway': { props: { gateway: GATEWAY }, hubUrl: 'https://jupyter.example.org/', hubHost: 'https://jupyter.example.org' },
  'gateway, HTTP listener': { props: { gateway: { ...GATEWAY, listenerProtocol: 'HTTP' } }, hubUrl: 'http://jupyter.example.org/', hubHost: 'http://jupyter.example.org' },
  'discovered (discoveredHubUrl)': { props: { discoveredHubUrl: 'http://203.0.113.7' }, hubUrl: 'http://203.0.113.7/', hubHost: 'http://203.0.113.7' },
  'patched (patchHubUrl)': { props: {}, patch: 'http://[2001:db8::7]/', hubUrl: 'http://[2001:db8::7]/', hubHost: 'http://[2001:db8::7]' },
  'pending': { props: {}, hubUrl: '' },
};

/** BinderHub's own JupyterHub auth; the in-cluster hub API address is the ingress or gateway prop's, else given here. */
function withAuth(props: Partial<BinderHubProps>): Partial<BinderHubProps> {
  const hubUrlLocal = props.ingress || props.gateway ? {} : { hub_url_local: 'http://proxy-public/' };
  return { ...props, chartValues: { config: { BinderHub: { auth_enabled: true, ...hubUrlLocal } } } };
}

describeWithChartConfig('the hub URL in the effective BinderHub config', chart => {
  const synth = (source: HubUrlSourceCase, auth: boolean): any[] => {
    const props: Partial<BinderHubProps> = { chart: ChartSource.local(chart), builder: Builder.host(), ...(auth ? withAuth(source.props) : source.props) };
    if (source.patch === undefined) return synthBinderHub(props, 'hub-url');
    return parseManifest(patchHubUrl(synthManifest(props, 'hub-url'), source.patch).manifest, 'the patched manifest');
  };
  const withHost = Object.entries(SOURCES).filter(([, source]) => source.hubHost !== undefined);
  const outputs = new Map<string, any[]>();
  const configs = new Map<string, Record<string, any>>();

  beforeAll(() => {
    for (const [name, source] of Object.entries(SOURCES)) outputs.set(name, synth(source, false));
    for (const [name, source] of withHost) outputs.set(`${name} with auth`, synth(source, true));
    const names = [...outputs.keys()];
    effectiveConfigs(names.map(name => binderView(outputs.get(name)!))).forEach((config, i) => configs.set(names[i], config));
  }, 60_000);

  test.each(Object.entries(SOURCES))('%s: BinderHub.hub_url', (name, source) => {
    expect(configs.get(name)!.BinderHub.hub_url).toBe(source.hubUrl);
  });

  test.each(withHost)('%s, with auth: HubOAuth.hub_host is the hub URL\'s scheme and host; the hub API is in-cluster', (name, source) => {
    const config = configs.get(`${name} with auth`)!;
    expect(config.BinderHub.auth_enabled).toBe(true);
    expect(config.BinderHub.hub_url).toBe(source.hubUrl);
    expect(config.HubOAuth.hub_host).toBe(source.hubHost);
    expect(binderView(outputs.get(`${name} with auth`)!).env.JUPYTERHUB_API_URL).toBe('http://proxy-public/hub/api/');
  });
});
