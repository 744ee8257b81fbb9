import * as path from 'path';
import type { Construct } from 'constructs';
import type { BinderHub } from '../deployment/binderhub';
import type { CredentialName, DeploymentSecrets } from '../secrets/secret-store';
import type { AdoptionPlan } from './adopt';
import type { AuthPlan } from './adopt-auth';
import type { TlsPlan } from './adopt-ingress';
import { ConfigError } from '../core/errors';
import { formatBytes, MAX_OBJECT_BYTES } from '../core/input-files';
import { isPlainObject } from '../core/values';

/**
 * What an adopted module asks of the app it is defined in: a DeploymentsScope (lib/app, above this layer, so named
 * here by what the module calls) hands out the deployment's secrets and its required credentials.
 */
export interface AdoptedDeploymentScope extends Construct {
  secrets(deployment: string): DeploymentSecrets;
  credential(deployment: string, name: CredentialName): string;
}

/** What a module written by `npm run adopt` exports. */
export interface AdoptedDeploymentModule {
  readonly DEPLOYMENT: string;
  defineDeployment(app: AdoptedDeploymentScope): BinderHub;
}

/** What follows the deployment's name on the second line of every module adopt writes: how it knows its own modules. */
const ADOPTED_BY = ', adopted by `npm run adopt` from ';

/** Whether `text` is a module that `adoptedModuleText` wrote (by its header): the only files `adopt --force` replaces. */
export function isAdoptedModuleText(text: string): boolean {
  const [first, second = ''] = text.split('\n', 2);
  return first === '/**' && /^ \* Deployment "[a-z0-9-]+"/.test(second) && second.includes(ADOPTED_BY);
}

/**
 * The TypeScript module of an adoption plan, to stand at `modulePath` inside the project folder:
 * `defineDeployment(app)` defines the deployment in the app with the typed props, its tokens and credentials read from
 * the secrets file at synth (never written into the module), and the settings adoption replaced or left out listed in
 * its doc comment. The app gives it the chart BINDERHUB_CHART sets and its recorded hub URL.
 * A module over 1 MiB is refused: the chart keeps the values in Secrets, which hold no more.
 */
export function adoptedModuleText(plan: AdoptionPlan, sources: ReadonlyArray<string>, modulePath: string): string {
  const used = new Set(['BinderHub', 'Builder', 'DeploymentsScope', 'Registry', 'ServicePolicy']);
  const location = [...(plan.releaseName ? [`releaseName: ${JSON.stringify(plan.releaseName)}`] : []), ...(plan.namespace ? [`namespace: ${JSON.stringify(plan.namespace)}`] : [])];
  const props: string[] = [...location, 'tokens: secrets.tokens'];
  props.push(`registry: Registry.${plan.registry.factory}(${registryArgs(plan)})`);
  props.push(`builder: Builder.${plan.builder.factory}(${builderArgs(plan, used)})`);
  if (plan.ingress) {
    const { binderTls, hubTls, ...hosts } = plan.ingress;
    const tls = (prop: string, t?: TlsPlan) => t === undefined ? [] : [`${prop}: ${tlsText(t, used)}`];
    const fields = [...Object.entries(hosts).map(([k, v]) => `${k}: ${literal(v)}`), ...tls('binderTls', binderTls), ...tls('hubTls', hubTls)];
    props.push(`ingress: { ${fields.join(', ')} }`);
  }
  if (plan.hubUrl?.kind === 'fixed') props.push(`hubUrl: ${JSON.stringify(plan.hubUrl.url)}`);
  if (plan.auth) {
    used.add('Auth');
    props.push(`auth: Auth.${plan.auth.factory}(${authArgs(plan.auth)})`);
  }
  if (plan.credentials.githubAccessToken) props.push('githubAccessToken: secrets.credentials.githubAccessToken');
  if (plan.credentials.gitlabPrivateToken) props.push('gitlabPrivateToken: secrets.credentials.gitlabPrivateToken');
  if (Object.keys(plan.secretChartValues).length > 0) props.push('secretChartValues: secrets.chartValues');
  // What the release runs with, unchanged: a public policy would add limits, quotas and culling the files may lack.
  props.push('policy: ServicePolicy.private()');
  if (Object.keys(plan.chartValues).length > 0) props.push(`chartValues: ${literal(plan.chartValues)}`);
  const notes = plan.notes.length === 0 ? [' * Every setting was carried over.']
    : [' * Settings replaced or not carried over, and what became of them:', ...plan.notes.map(n => ` * - ${comment(n.setting)}: ${comment(n.outcome)}`)];
  const text = [
    '/**',
    ` * Deployment "${plan.name}"${ADOPTED_BY}${sources.map(comment).join(', ')}.`,
    ` * Its tokens and credentials are read from secrets/${plan.name}.json at synth; this file holds no secret.`,
    ` * Add it to the app: ${comment(mainTsLines(plan.name, modulePath))}.`,
    ' * Its resources, culling and quotas are the values files\' own (ServicePolicy.private(): the synth warns about what a BinderHub',
    ' * open to the public would need); ServicePolicy.public() adds safe values for those (docs/deployments.md#running-a-public-binderhub).',
    ' *',
    ...notes,
    ' */',
    `import { ${[...used].sort().join(', ')} } from 'binderhub-cdk8s';`,
    '',
    '/** The deployment\'s name: its construct id, and its release name and namespace where the props below give none. */',
    `export const DEPLOYMENT = ${JSON.stringify(plan.name)};`,
    '',
    '/** Defines the deployment in the app that main.ts exports (see above); the app gives it its chart and recorded hub URL. */',
    'export function defineDeployment(app: DeploymentsScope): BinderHub {',
    '  const secrets = app.secrets(DEPLOYMENT);',
    '  return new BinderHub(app, DEPLOYMENT, {',
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

/**
 * What main.ts needs for the module of deployment `name` at `modulePath` (inside the project folder), as the end of
 * a sentence: its import, and the call inside the BinderHubApp.
 */
export function mainTsLines(name: string, modulePath: string): string {
  const binding = moduleBinding(name);
  const specifier = `./${modulePath.split(path.sep).join('/').replace(/\.ts$/, '')}`.replace(/[\\']/g, c => `\\${c}`);
  return `\`import * as ${binding} from '${specifier}';\` at the top of main.ts, and \`${binding}.defineDeployment(app);\` inside its BinderHubApp`;
}

/** Words that cannot name an import binding in a module (strict mode), and `app`, which the BinderHubApp's parameter shadows. */
const UNUSABLE_BINDINGS = new Set([
  'app', 'arguments', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'eval',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new', 'null',
  'package', 'private', 'protected', 'public', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void',
  'while', 'with', 'yield',
]);

/** The name main.ts imports the module of deployment `name` (a DNS label) as: camelCase, so `binder-prod` is `binderProd`. */
function moduleBinding(name: string): string {
  const camel = name.replace(/-+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return /^[0-9]/.test(camel) || UNUSABLE_BINDINGS.has(camel) ? `deployment${camel[0].toUpperCase()}${camel.slice(1)}` : camel;
}

/** The registry's props as code: the password is the credential the app requires (init-secrets knows to ask for it). */
function registryArgs(plan: AdoptionPlan): string {
  const { props, passwordProp } = plan.registry;
  const fields = Object.entries(props).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  if (passwordProp) fields.push(`${passwordProp}: app.credential(DEPLOYMENT, 'registryPassword')`);
  return fields.length ? `{ ${fields.join(', ')} }` : '';
}

/** The auth's options as code: the client secret is the credential the app requires (init-secrets knows to ask for it). */
function authArgs(auth: AuthPlan): string {
  const fields = Object.entries(auth.options).map(([k, v]) => `${k}: ${literal(v, '    ')}`);
  return `{ ${[...fields, 'clientSecret: app.credential(DEPLOYMENT, \'oauthClientSecret\')'].join(', ')} }`;
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

/**
 * A value as a TypeScript literal, indented (from `indent`) to stand as a prop's value: JSON, which is one, but for a
 * string of several lines (extraConfig's Python, a template), written as a template literal so it reads as the
 * values file had it.
 */
function literal(value: unknown, indent = '    '): string {
  const inner = `${indent}  `;
  if (typeof value === 'string' && value.includes('\n')) return templateLiteral(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[\n${value.map(item => inner + literal(item, inner)).join(',\n')}\n${indent}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${literal(item, inner)}`);
    return entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/**
 * What a template literal must escape to hold a text as it is: `\`, the backquote, `${`, a carriage return (which
 * a template literal reads as a newline), and, to be seen, other control characters, line separators and unpaired
 * surrogates.
 */
const TEMPLATE_ESCAPED = /[\\`]|\$\{|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` as a template literal whose value is `text`: its lines as they are, from the line's start. */
function templateLiteral(text: string): string {
  return `\`${text.replace(TEMPLATE_ESCAPED, c => c.length > 1 || c === '\\' || c === '`' ? `\\${c}`
    : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\``;
}

/** Text that may stand in a block comment. */
function comment(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/[\r\n]+/g, ' ');
}
