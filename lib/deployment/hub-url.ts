import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { sha256 } from '../core/hash';
import { ConfigError } from '../core/errors';
import { withTrailingSlash } from '../core/names';
import { checkExtraEnv, withEnvEntries } from './binderhub-values';
import { parseYamlDocuments } from '../output/manifest-files';
import { stringifyManifests } from '../output/manifest-yaml';
import { PublicHostsProp } from '../service/public-hosts';
import { redactUrl } from '../core/redact';
import { isPlainObject, Values } from '../core/values';

/**
 * Where BinderHub's hub URL lives: a ConfigMap, not `config.BinderHub.hub_url` in Secret binder-secret, so that
 * `npm run patch-hub-url` never needs (or sees) a secret, and keeps working when Secrets are sealed or kept
 * out of dist/. The binder pod reads it into an environment variable, and a snippet in the chart's
 * `extraConfig` sets `c.BinderHub.hub_url` from it.
 */
export const HUB_URL_CONFIG_MAP = 'binder-hub-url';
/** The ConfigMap key. */
export const HUB_URL_KEY = 'hub_url';
/** The binder pod template annotation that changes with the hub URL, so the pod rolls when it changes. */
export const HUB_URL_CHECKSUM_ANNOTATION = 'checksum/hub-url';
/** The ConfigMap annotation that says where the URL came from. */
export const HUB_URL_SOURCE_ANNOTATION = 'binderhub-cdk8s.io/hub-url-source';
/** The environment variable of the binder container. */
export const HUB_URL_ENV = 'BINDERHUB_CDK8S_HUB_URL';
/** The key of the chart's `extraConfig` snippet that sets the hub URL from it. */
export const HUB_URL_EXTRA_CONFIG = 'binderhub-cdk8s-hub-url';

/**
 * Where a deployment's hub URL came from: `fixed` in code (a DNS name known up front; nothing to patch),
 * `discovered` by `npm run patch-hub-url`, or `pending` (not known yet).
 */
export type HubUrlSource = 'fixed' | 'discovered' | 'pending';

/**
 * Checks a hub URL and gives it the trailing slash BinderHub adds anyway, so the rendered value is final. Messages
 * quote the URL without any credentials in it, unless `quote` is false (a URL read from a file, which may be
 * anything): then they name only `setting`.
 */
export function normalizeHubUrl(hubUrl: string, setting = 'hubUrl', quote = true): string {
  const quoted = quote ? `${setting} "${redactUrl(hubUrl)}"` : `the URL in ${setting}`;
  let url: URL;
  try {
    url = new URL(hubUrl);
  } catch {
    throw new ConfigError(`${quoted} is not a URL; give the public address of JupyterHub, such as http://203.0.113.7 or https://hub.example.org`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${quoted} must start with http:// or https://`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`${quoted} must have no query, fragment or credentials`);
  }
  return withTrailingSlash(url.href);
}

/** The ways a deployment's hub URL can be given. */
export interface HubUrlInputs {
  /** Set in code (the `hubUrl` prop). */
  readonly fixed?: string;
  /** Recorded by `npm run patch-hub-url` (the `discoveredHubUrl` prop). */
  readonly discovered?: string;
  /** Made from the hub host of the `ingress` or `gateway` prop. */
  readonly fromHost?: { readonly url: string; readonly prop: PublicHostsProp };
}

/** Decides a deployment's hub URL and where it came from; fails on inputs that contradict each other. */
export function resolveHubUrl(deployment: string, inputs: HubUrlInputs): { url: string; source: HubUrlSource } {
  if (inputs.fixed !== undefined && inputs.discovered !== undefined) {
    throw new ConfigError(`deployment "${deployment}" has both hubUrl (fixed) and discoveredHubUrl; keep one (a fixed URL needs no discovery)`);
  }
  const setting = inputs.fixed !== undefined ? 'hubUrl' : 'discoveredHubUrl';
  const given = inputs.fixed ?? inputs.discovered;
  const url = given === undefined ? undefined : normalizeHubUrl(given, setting);
  if (inputs.fromHost !== undefined) {
    const { url: hostUrl, prop } = inputs.fromHost;
    if (url !== undefined && url !== hostUrl) {
      throw new ConfigError(`${setting} "${url}" contradicts the ${prop} hub host, which makes the hub URL ${hostUrl}; leave it out`);
    }
    return { url: hostUrl, source: 'fixed' };
  }
  if (url === undefined) return { url: '', source: 'pending' };
  return { url, source: inputs.fixed !== undefined ? 'fixed' : 'discovered' };
}

/** The hub URL for an address that `proxy-public` got: an IP (v4 or v6) or a host name. */
export function hubUrlForAddress(address: string, scheme: 'http' | 'https'): string {
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return normalizeHubUrl(`${scheme}://${host}`, '--address');
}

/** The value of the binder pod's hub URL checksum annotation. */
export function hubUrlChecksum(hubUrl: string): string {
  return sha256(hubUrl);
}

/**
 * The chart values that make the binder pod read the hub URL from the ConfigMap. `userExtraEnv` is the operator's
 * own `extraEnv`, kept: a list gets ours after its entries (helm would replace the list, not merge it), a map (name
 * to value, or to an EnvVar without its name, which the chart also reads) gets ours as one more name.
 */
export function hubUrlChartValues(hubUrl: string, userExtraEnv: unknown): Values {
  const ours = { valueFrom: { configMapKeyRef: { name: HUB_URL_CONFIG_MAP, key: HUB_URL_KEY, optional: true } } };
  checkExtraEnv(userExtraEnv, 'chartValues.extraEnv');
  return {
    podAnnotations: { [HUB_URL_CHECKSUM_ANNOTATION]: hubUrlChecksum(hubUrl) },
    extraEnv: withEnvEntries(userExtraEnv, [{ name: HUB_URL_ENV, ...ours }]),
    extraConfig: {
      [HUB_URL_EXTRA_CONFIG]: [
        '# hub_url comes from ConfigMap binder-hub-url (npm run patch-hub-url fills it in).',
        '# The chart derives HubOAuth.hub_host from hub_url before extraConfig runs, so derive it again here.',
        'import os',
        'from urllib.parse import urlparse',
        `_hub_url = os.environ.get("${HUB_URL_ENV}", "")`,
        'if _hub_url:',
        '    c.BinderHub.hub_url = _hub_url',
        '    if c.BinderHub.auth_enabled:  # the chart\'s own condition',
        '        _hub = urlparse(_hub_url)',
        '        c.HubOAuth.hub_host = f"{_hub.scheme}://{_hub.netloc}"',
        '',
      ].join('\n'),
    },
  };
}

/** Props for `HubUrlConfig`. */
export interface HubUrlConfigProps {
  /** The hub URL, normalized, or '' while it is pending. */
  readonly hubUrl: string;
  /** Where it came from. */
  readonly source: HubUrlSource;
}

/** Defines the ConfigMap that holds a deployment's hub URL. */
export class HubUrlConfig extends Construct {
  constructor(scope: Construct, id: string, props: HubUrlConfigProps) {
    super(scope, id);
    // The plain object keeps an empty (pending) value, so a patch changes a value and never adds a key.
    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: HUB_URL_CONFIG_MAP, annotations: { [HUB_URL_SOURCE_ANNOTATION]: props.source } },
      data: { [HUB_URL_KEY]: props.hubUrl },
    });
  }
}

/** What a synthesized manifest says about its hub URL. */
export interface HubUrlState {
  /** The deployment's namespace (from the ConfigMap). */
  readonly namespace: string;
  /** The URL, '' while pending. */
  readonly url: string;
  /** Where it came from. */
  readonly source: HubUrlSource;
}

/** What `patchHubUrl` did. */
export interface HubUrlPatch {
  /** The manifest with the new URL. */
  readonly manifest: string;
  /** Whether anything changed. */
  readonly changed: boolean;
}

/** The documents of a synthesized manifest file that carry the hub URL. */
interface HubUrlDocuments {
  readonly documents: string[];
  readonly configIndex: number;
  readonly binderIndex: number;
  readonly config: any;
  readonly binder: any;
}

/** A line that git writes where a merge left a conflict; none of it is YAML a synth writes. */
const CONFLICT_MARKER = /^(<{7}|={7}|>{7})( |$)/m;

/** Fails on a merge conflict left in `manifest`, naming `file` and the line: a patch would keep it, and half of each side. */
function checkNoConflictMarker(manifest: string, file: string): void {
  const marker = CONFLICT_MARKER.exec(manifest);
  if (marker !== null) {
    const line = manifest.slice(0, marker.index).split('\n').length;
    throw new ConfigError(`${file} line ${line}: a merge conflict marker; resolve the conflict by running \`npm run synth\` again (never merge dist/ by hand)`);
  }
}

/** The lines the two documents have, as the synth writes them: the ConfigMap of the hub URL and Deployment binder. */
const HUB_URL_DOCUMENT_LINES = [
  [/^kind: ConfigMap$/m, new RegExp(`^  name: ${HUB_URL_CONFIG_MAP}$`, 'm')],
  [/^kind: Deployment$/m, /^  name: binder$/m],
];

function locateHubUrl(manifest: string, file: string): HubUrlDocuments {
  checkNoConflictMarker(manifest, file);
  const documents = manifest.split(/^---\n/m);
  // Only a document whose lines name the kind and name of one of the two is parsed (a file holds dozens, among them the
  // hub's large ConfigMap); the synth writes metadata.name two spaces in, and the kind and name are checked once parsed.
  // Stryker disable next-line Regex: equivalent on valid YAML: the test only spares parsing; what it lets through is matched by kind and name below
  const parsed = documents.map(doc => HUB_URL_DOCUMENT_LINES.some(lines => lines.every(line => line.test(doc))) ? parseYamlDocuments(doc, file)[0] : undefined);
  const indexOf = (kind: string, name: string) => parsed.findIndex(d => d?.kind === kind && d.metadata?.name === name);
  const configIndex = indexOf('ConfigMap', HUB_URL_CONFIG_MAP);
  const binderIndex = indexOf('Deployment', 'binder');
  if (configIndex < 0 || binderIndex < 0) {
    throw new ConfigError(`the manifest has no ConfigMap ${HUB_URL_CONFIG_MAP} or no Deployment binder; synthesize it with \`npm run synth\` first`);
  }
  for (const index of [configIndex, binderIndex]) {
    if (stringifyManifests(parsed[index]) !== documents[index]) {
      throw new ConfigError('the manifest was edited after synth (a document does not read back as written); run `npm run synth` again');
    }
  }
  return { documents, configIndex, binderIndex, config: parsed[configIndex], binder: parsed[binderIndex] };
}

/** Reads the hub URL, its source and the namespace from a synthesized manifest file (`file` names it in errors). */
export function hubUrlState(manifest: string, file = 'the manifest'): HubUrlState {
  const { config } = locateHubUrl(manifest, file);
  return {
    namespace: config.metadata.namespace,
    url: config.data?.[HUB_URL_KEY] ?? '',
    source: config.metadata.annotations?.[HUB_URL_SOURCE_ANNOTATION] ?? 'pending',
  };
}

/**
 * Sets a discovered hub URL in a synthesized manifest file (many YAML documents) exactly as a synth with
 * that URL would: the ConfigMap's value and source, and the binder pod's checksum annotation. Every other
 * document is kept byte for byte; the two changed ones are written by the serializer the synth wrote them with.
 */
export function patchHubUrl(manifest: string, hubUrl: string, file = 'the manifest'): HubUrlPatch {
  const { documents, configIndex, binderIndex, config, binder } = locateHubUrl(manifest, file);
  config.data = { ...config.data, [HUB_URL_KEY]: hubUrl };
  config.metadata.annotations = { ...config.metadata.annotations, [HUB_URL_SOURCE_ANNOTATION]: 'discovered' };
  const template = binder.spec.template;
  template.metadata.annotations = { ...template.metadata.annotations, [HUB_URL_CHECKSUM_ANNOTATION]: hubUrlChecksum(hubUrl) };

  const patched = [...documents];
  patched[configIndex] = stringifyManifests(config);
  patched[binderIndex] = stringifyManifests(binder);
  const result = patched.join('---\n');
  return { manifest: result, changed: result !== manifest };
}

/** Whether `values` turn on BinderHub's own JupyterHub auth, which needs the hub API address at render time. */
export function needsHubUrlLocal(chartValues: Values | undefined): boolean {
  const binderHub = isPlainObject(chartValues?.config) && isPlainObject(chartValues.config.BinderHub) ? chartValues.config.BinderHub : {};
  return binderHub.auth_enabled === true && !binderHub.hub_url_local;
}
