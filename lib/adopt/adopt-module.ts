import type { ChartSource } from '../chart/chart-source';
import type { HubUrlRecords } from '../deployment/hub-url-records';
import type { SecretStore } from '../secrets/secret-store';
import type { AdoptionPlan } from './adopt';
import type { TlsPlan } from './adopt-ingress';
import { ConfigError } from '../core/errors';
import { formatBytes, MAX_OBJECT_BYTES } from '../core/input-files';

/** What a module written by `npm run adopt` reads its deployment's secrets, hub URL and chart from. */
export interface AdoptedDeploymentInputs {
  /** @default new SecretStore('secrets') */
  readonly secrets?: SecretStore;
  /** @default new HubUrlRecords('hub-urls') */
  readonly hubUrls?: HubUrlRecords;
  /** @default ChartSource.repository() */
  readonly chart?: ChartSource;
}

/** What a module written by `npm run adopt` exports. */
export interface AdoptedDeploymentModule {
  readonly DEPLOYMENT: string;
  defineDeployment(scope: import('constructs').Construct, inputs?: AdoptedDeploymentInputs): import('../deployment/binderhub').BinderHub;
}

/** What follows the deployment's name on the second line of every module adopt writes: how it knows its own modules. */
const ADOPTED_BY = ', adopted by `npm run adopt` from ';

/** Whether `text` is a module that `adoptedModuleText` wrote (by its header): the only files `adopt --force` replaces. */
export function isAdoptedModuleText(text: string): boolean {
  const [first, second = ''] = text.split('\n', 2);
  return first === '/**' && /^ \* Deployment "[a-z0-9-]+"/.test(second) && second.includes(ADOPTED_BY);
}

/**
 * The TypeScript module of an adoption plan: `defineDeployment(scope, inputs)` defines the deployment with the typed
 * props, its tokens and credentials read from the secrets file at synth (never written into the module), and the
 * settings adoption replaced or left out listed in its doc comment. `libImport` is the module specifier of lib/.
 * A module over 1 MiB is refused: the chart keeps the values in Secrets, which hold no more.
 */
export function adoptedModuleText(plan: AdoptionPlan, sources: ReadonlyArray<string>, libImport: string): string {
  const used = new Set(['BinderHub', 'SecretStore', 'AdoptedDeploymentInputs', 'Registry', 'Builder']);
  const location = [...(plan.releaseName ? [`releaseName: ${JSON.stringify(plan.releaseName)}`] : []), ...(plan.namespace ? [`namespace: ${JSON.stringify(plan.namespace)}`] : [])];
  const props: string[] = [...location, 'tokens: secrets.tokens', 'chart: inputs.chart'];
  props.push(`registry: Registry.${plan.registry.factory}(${registryArgs(plan, used)})`);
  props.push(`builder: Builder.${plan.builder.factory}(${builderArgs(plan, used)})`);
  if (plan.ingress) {
    const { binderTls, hubTls, ...hosts } = plan.ingress;
    const tls = (prop: string, t?: TlsPlan) => t === undefined ? [] : [`${prop}: ${tlsText(t, used)}`];
    const fields = [...Object.entries(hosts).map(([k, v]) => `${k}: ${JSON.stringify(v)}`), ...tls('binderTls', binderTls), ...tls('hubTls', hubTls)];
    props.push(`ingress: { ${fields.join(', ')} }`);
  }
  if (plan.hubUrl?.kind === 'fixed') props.push(`hubUrl: ${JSON.stringify(plan.hubUrl.url)}`);
  if (plan.hubUrl?.kind === 'discovered') {
    used.add('HubUrlRecords');
    props.push('discoveredHubUrl: (inputs.hubUrls ?? new HubUrlRecords(\'hub-urls\')).load(DEPLOYMENT)');
  }
  if (plan.credentials.githubAccessToken) props.push('githubAccessToken: secrets.credentials.githubAccessToken');
  if (plan.credentials.gitlabPrivateToken) props.push('gitlabPrivateToken: secrets.credentials.gitlabPrivateToken');
  if (Object.keys(plan.chartValues).length > 0) props.push(`chartValues: ${literal(plan.chartValues)}`);
  const notes = plan.notes.length === 0 ? [' * Every setting was carried over.']
    : [' * Settings replaced or not carried over, and what became of them:', ...plan.notes.map(n => ` * - ${comment(n.setting)}: ${comment(n.outcome)}`)];
  const text = [
    '/**',
    ` * Deployment "${plan.name}"${ADOPTED_BY}${sources.map(comment).join(', ')}.`,
    ` * Its tokens and credentials are read from secrets/${plan.name}.json at synth; this file holds no secret.`,
    ' *',
    ...notes,
    ' */',
    `import { ${[...used].sort().join(', ')} } from ${JSON.stringify(libImport)};`,
    'import type { Construct } from \'constructs\';',
    '',
    '/** The deployment\'s name: its construct id, and its release name and namespace where the props below give none. */',
    `export const DEPLOYMENT = ${JSON.stringify(plan.name)};`,
    '',
    '/** Defines the deployment in `scope` (see main.ts, defineAdopted). */',
    'export function defineDeployment(scope: Construct, inputs: AdoptedDeploymentInputs = {}): BinderHub {',
    '  const secrets = (inputs.secrets ?? new SecretStore(\'secrets\')).load(DEPLOYMENT);',
    '  return new BinderHub(scope, DEPLOYMENT, {',
    ...props.map(p => `    ${p},`),
    '  });',
    '}',
    '',
  ].join('\n');
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_OBJECT_BYTES) {
    throw new ConfigError(`the module of deployment ${plan.name} would be ${formatBytes(bytes)}, more than ${formatBytes(MAX_OBJECT_BYTES)}: the chart keeps its values in Secrets, `
      + 'which hold no more; check the values files for a section repeated many times');
  }
  return text;
}

function registryArgs(plan: AdoptionPlan, used: Set<string>): string {
  const { props, passwordProp } = plan.registry;
  const fields = Object.entries(props).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  if (passwordProp) {
    used.add('requiredCredential');
    fields.push(`${passwordProp}: requiredCredential(secrets, 'registryPassword')`);
  }
  return fields.length ? `{ ${fields.join(', ')} }` : '';
}

/** The builder's props as code: the resources as the values files wrote them, through containerResources. */
function builderArgs(plan: AdoptionPlan, used: Set<string>): string {
  const fields = Object.entries(plan.builder.props).map(([key, value]) => {
    if (key !== 'resources') return `${key}: ${literal(value)}`;
    used.add('containerResources');
    return `${key}: containerResources(${literal(value)})`;
  });
  return fields.length ? `{ ${fields.join(', ')} }` : '';
}

function tlsText(tls: TlsPlan, used: Set<string>): string {
  used.add('Tls');
  if ('certManager' in tls) return `Tls.certManager(${literal(tls.certManager)})`;
  return 'secretName' in tls ? `Tls.secret(${JSON.stringify(tls.secretName)})` : `Tls.letsEncrypt(${JSON.stringify(tls.letsEncrypt)})`;
}

/** A value as a TypeScript literal (JSON is one), indented to stand as a prop's value. */
function literal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, '\n    ');
}

/** Text that may stand in a block comment. */
function comment(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/[\r\n]+/g, ' ');
}
