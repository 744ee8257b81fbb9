/**
 * `npm run status`: whether a deployment works and, if not, why, decided from what the cluster holds (read by
 * cluster-read.ts) against what its files hold. Pure: one check a line, ok / warning / failing, with the evidence.
 */
import { isIP } from 'net';
import { Workload } from './apply-plan';
import { LiveObject, LiveState, SecretSummary, secretSummary } from './cluster-read';
import { boundedQuote } from './kubectl';
import { describeLastEvent, workloadName } from './rollout';
import { HubUrlState, HUB_URL_CONFIG_MAP, HUB_URL_KEY } from '../deployment/hub-url';
import { CLUSTER_ISSUER } from '../deployment/ingress';
import { ManifestObject, providedSecret } from '../output/manifest-check';

export type CheckStatus = 'ok' | 'warning' | 'failing';

/** One line of the report. */
export interface StatusCheck {
  /** What was checked: `objects`, `rollout`, `proxy-public`, `hub-url`, `dns`, `tls`, `builds`, `user-servers`, `image-pulls`, `registry-login`, `sealed-secrets`. */
  readonly check: string;
  readonly status: CheckStatus;
  /** What was found, and the fix when something is wrong. */
  readonly evidence: string;
}

/** What the checks decide from. */
export interface StatusInputs {
  readonly deployment: string;
  readonly namespace: string;
  /** The files the expected objects come from, as the report names them. */
  readonly files: string[];
  /** The objects of the deployment's applied files. */
  readonly expected: ManifestObject[];
  /** The workloads `npm run apply` waits for (its plan's: not those that update only when their pods are deleted). */
  readonly workloads: ReadonlyArray<Workload>;
  readonly live: LiveState;
  /** What the deployment's manifest says of its hub URL. */
  readonly hubUrl: HubUrlState;
  /** The hub URL recorded in hub-urls/, if any, and that file. */
  readonly record?: { readonly file: string; readonly url?: string };
  /** The addresses each host name of the checks resolves to (none: it does not resolve). */
  readonly resolved: Readonly<Record<string, readonly string[]>>;
  /** The last lines of each failed build pod's log, by pod name, when kubectl could read them. */
  readonly buildLogs: Readonly<Record<string, string>>;
  /** Now, in milliseconds since the epoch. */
  readonly now: number;
}

/** The label BinderHub gives build pods (`component`), and KubeSpawner user servers. */
export const BUILD_COMPONENT = 'binderhub-build';
export const USER_SERVER_COMPONENT = 'singleuser-server';

/** How far back failed builds count. */
const BUILD_WINDOW_MS = 60 * 60 * 1000;
/** How long a user server may be pending before it is named: pulling a large image takes minutes. */
const PENDING_USER_SERVER_MS = 5 * 60 * 1000;
/** The Secret BinderHub's build pods push with (the chart's name). */
const REGISTRY_LOGIN_SECRET = 'binder-build-docker-config';

const ok = (check: string, evidence: string): StatusCheck => ({ check, status: 'ok', evidence });
const warning = (check: string, evidence: string): StatusCheck => ({ check, status: 'warning', evidence });
const failing = (check: string, evidence: string): StatusCheck => ({ check, status: 'failing', evidence });

const idOf = (o: { kind: string; metadata: { namespace?: string; name: string } }) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** `items` named, the first five, and how many more. */
function listed(items: string[]): string {
  return items.length <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')} and ${items.length - 5} more`;
}

/** The last event about `name` (or its pods), as one line, bounded. */
function lastEvent(events: LiveObject[], name: string, namespace: string): string | undefined {
  const event = describeLastEvent(events, { resource: '', name, namespace });
  return event === undefined ? undefined : boundedQuote(event);
}

/** Every check, in report order. */
export function statusChecks(inputs: StatusInputs): StatusCheck[] {
  if (!inputs.live.namespaceExists) {
    return [failing('objects', `namespace ${inputs.namespace} does not exist: the deployment is not applied; run \`npm run apply -- --deployment ${inputs.deployment}\``)];
  }
  const proxy = proxyPublicCheck(inputs);
  return [
    objectsCheck(inputs), ...rolloutChecks(inputs), proxy.check, ...hubUrlChecks(inputs, proxy.address), ...tlsChecks(inputs),
    ...buildChecks(inputs), userServerCheck(inputs), imagePullCheck(inputs), ...registryLoginChecks(inputs), ...sealedSecretChecks(inputs),
  ];
}

/** Every object of the files exists; a kind the cluster does not serve is named as such. */
function objectsCheck(inputs: StatusInputs): StatusCheck {
  const live = new Set(inputs.live.objects.map(idOf));
  const unserved = new Set(inputs.live.unservedKinds);
  const missing = inputs.expected.filter(o => !unserved.has(o.kind) && !live.has(idOf(o))).map(idOf);
  const problems = [
    ...(unserved.size > 0 ? [`the cluster serves no ${[...unserved].join(', ')} (install its CRD and controller)`] : []),
    ...(missing.length > 0 ? [`missing: ${listed(missing)}; run \`npm run apply -- --deployment ${inputs.deployment}\``] : []),
  ];
  return problems.length > 0 ? failing('objects', problems.join('; '))
    : ok('objects', `all ${inputs.expected.length} objects of ${inputs.files.join(' and ')} exist`);
}

/** Why a workload is not rolled out, from its status as its controller reports it; undefined when it is. */
export function rolloutProblem(workload: LiveObject): string | undefined {
  const status = workload.status ?? {};
  const generation = workload.metadata.generation;
  if (generation !== undefined && (status.observedGeneration ?? 0) < generation) return `its controller has not seen generation ${generation} yet`;
  if (workload.kind === 'DaemonSet') {
    const desired = status.desiredNumberScheduled ?? 0;
    if ((status.updatedNumberScheduled ?? 0) < desired) return `${status.updatedNumberScheduled ?? 0} of ${desired} pods updated`;
    return (status.numberAvailable ?? 0) < desired ? `${status.numberAvailable ?? 0} of ${desired} updated pods are available` : undefined;
  }
  const desired = workload.spec?.replicas ?? 1;
  const stalled = (status.conditions ?? []).find((c: any) => c.type === 'Progressing' && c.status === 'False');
  if (stalled) return `${stalled.reason}: ${stalled.message ?? ''}`.trim();
  if ((status.updatedReplicas ?? 0) < desired) return `${status.updatedReplicas ?? 0} of ${desired} replicas updated`;
  const available = workload.kind === 'StatefulSet' ? status.readyReplicas ?? 0 : status.availableReplicas ?? 0;
  if (available < desired) return `${available} of ${desired} updated replicas are available`;
  if (workload.kind === 'StatefulSet' && status.updateRevision && status.currentRevision !== status.updateRevision) return 'its rolling update is not done';
  return undefined;
}

/** One failing line per workload that is not rolled out, with its last event (as `apply` names a stuck one); else one ok line. */
function rolloutChecks(inputs: StatusInputs): StatusCheck[] {
  // The live object of each; one missing is the objects check's to name.
  const live = inputs.workloads.flatMap(workload => inputs.live.objects
    .filter(o => o.apiVersion === 'apps/v1' && o.kind.toLowerCase() === workload.resource && o.metadata.name === workload.name
      && (o.metadata.namespace ?? inputs.namespace) === workload.namespace)
    .map(object => ({ workload, object })));
  const stuck = live.flatMap(({ workload, object }) => {
    const problem = rolloutProblem(object);
    if (problem === undefined) return [];
    const event = lastEvent(inputs.live.events, workload.name, workload.namespace);
    return [failing('rollout', `${workloadName(workload)}: ${boundedQuote(problem)}; ${event ? `last event: ${event}` : 'no event names it'}; `
      + `see kubectl describe ${workload.resource} ${workload.name} --namespace ${workload.namespace}`)];
  });
  return stuck.length > 0 ? stuck : [ok('rollout', `${live.length} workloads rolled out`)];
}

/** The external address of a LoadBalancer Service (its IP, else its host name), if it has one. */
export function serviceAddress(service: LiveObject | undefined): string | undefined {
  const ingress = service?.status?.loadBalancer?.ingress?.[0];
  return ingress?.ip || ingress?.hostname || undefined;
}

/** Service proxy-public's address, when it is a LoadBalancer. */
function proxyPublicCheck(inputs: StatusInputs): { check: StatusCheck; address?: string } {
  const service = inputs.live.services.find(s => s.metadata.name === 'proxy-public');
  if (!service) return { check: failing('proxy-public', `Service proxy-public does not exist in namespace ${inputs.namespace}`) };
  if (service.spec?.type !== 'LoadBalancer') {
    return { check: ok('proxy-public', `Service proxy-public is of type ${service.spec?.type ?? 'ClusterIP'}: users reach JupyterHub through the ingress or gateway`) };
  }
  const address = serviceAddress(service);
  if (address) return { check: ok('proxy-public', `LoadBalancer address ${boundedQuote(address)}`), address };
  const event = lastEvent(inputs.live.events, 'proxy-public', inputs.namespace);
  return {
    check: failing('proxy-public', `LoadBalancer EXTERNAL-IP pending${event ? ` (last event: ${event})` : ''}; the cluster may have no load-balancer controller `
      + '(bare metal, kubeadm, minikube: use MetalLB or `minikube tunnel`), or its cloud quota of addresses is used up'),
  };
}

/** The host of a URL, without an IPv6 address's brackets. */
function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
}

/** The addresses `host` stands for: itself when it is an IP address, else what it resolves to. */
function addressesOf(host: string, resolved: StatusInputs['resolved']): readonly string[] {
  return isIP(host) ? [host] : resolved[host] ?? [];
}

/** Whether `host` (a name or an IP address) reaches `target` (the address a load balancer reports). */
function reaches(host: string, target: string, resolved: StatusInputs['resolved']): boolean {
  const targets = addressesOf(target, resolved);
  return host === target || addressesOf(host, resolved).some(a => targets.includes(a));
}

/** The host names of the deployment's Ingresses and HTTPRoutes. */
function publicHosts(live: LiveState): string[] {
  return [...new Set<string>([
    ...live.objects.filter(o => o.kind === 'Ingress').flatMap(i => (i.spec?.rules ?? []).map((r: any) => r.host).filter(Boolean)),
    ...live.objects.filter(o => o.kind === 'HTTPRoute').flatMap(r => r.spec?.hostnames ?? []),
  ])];
}

/** The names the hub URL checks compare addresses of: the hub URL's host, the public hosts, and load balancers' host names. */
export function namesToResolve(live: LiveState, hubUrl: string): string[] {
  const addresses = [...live.services.filter(s => s.metadata.name === 'proxy-public'), ...live.objects.filter(o => o.kind === 'Ingress')].map(serviceAddress);
  const names = [...(hubUrl ? [hostOf(hubUrl)] : []), ...publicHosts(live), ...addresses.filter((a): a is string => a !== undefined)];
  return [...new Set(names)].filter(name => !isIP(name));
}

/** A DNS check of `host`: it resolves to `target` (the address users must reach), else the record to create or change. */
function dnsCheck(host: string, target: string | undefined, resolved: StatusInputs['resolved']): StatusCheck {
  const found = resolved[host] ?? [];
  if (target === undefined) {
    return warning('dns', `${host} ${found.length > 0 ? `resolves to ${found.join(', ')}` : 'does not resolve'}; the address it must resolve to is not known yet`);
  }
  const record = isIP(target) ? `${isIP(target) === 6 ? 'AAAA' : 'A'} record ${host} -> ${target}` : `CNAME record ${host} -> ${target}`;
  if (found.length === 0) return failing('dns', `${host} does not resolve: create the DNS ${record}`);
  if (!reaches(host, target, resolved)) return failing('dns', `${host} resolves to ${found.join(', ')}, not to ${target}: change it to the DNS ${record}`);
  return ok('dns', `${host} resolves to ${target}`);
}

/**
 * The hub URL chain: the manifest's URL is set (not pending), the cluster's ConfigMap binder-hub-url holds it (what the
 * binder pod reads), hub-urls/ records it, and its host reaches proxy-public's address, or with ingress the
 * Ingress controller's; every Ingress or HTTPRoute host resolves.
 */
export function hubUrlChecks(inputs: StatusInputs, proxyAddress: string | undefined): StatusCheck[] {
  const { deployment, hubUrl, resolved } = inputs;
  const patch = `run \`npm run patch-hub-url -- --deployment ${deployment} --apply\``;
  const ingresses = inputs.live.objects.filter(o => o.kind === 'Ingress');
  const ingressAddress = ingresses.map(serviceAddress).find(a => a !== undefined);
  const target = ingresses.length > 0 ? ingressAddress : proxyAddress;
  const hosts = publicHosts(inputs.live);
  const dns = hosts.map(host => dnsCheck(host, inputs.live.objects.some(o => o.kind === 'HTTPRoute') && ingresses.length === 0 ? undefined : target, resolved));

  if (hubUrl.source === 'pending') {
    return [failing('hub-url', proxyAddress ? `pending in the manifest, while proxy-public has the address ${proxyAddress}: ${patch}` : 'pending in the manifest: proxy-public has no address yet'), ...dns];
  }
  const problems: StatusCheck[] = [];
  const live = inputs.live.objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === HUB_URL_CONFIG_MAP);
  const liveUrl = live?.data?.[HUB_URL_KEY];
  if (live && liveUrl !== hubUrl.url) {
    problems.push(failing('hub-url', `the binder pod is configured with ${liveUrl ? boundedQuote(liveUrl) : 'no hub URL'} (ConfigMap ${HUB_URL_CONFIG_MAP}), `
      + `the manifest with ${hubUrl.url}: run \`npm run apply -- --deployment ${deployment}\``));
  }
  if (hubUrl.source === 'discovered' && inputs.record && inputs.record.url !== hubUrl.url) {
    problems.push(warning('hub-url', `${inputs.record.file} records ${inputs.record.url ?? 'no URL'}, the manifest ${hubUrl.url}: `
      + `run \`npm run synth\` (it renders the record) or ${patch.slice(4)}`));
  }
  const host = hostOf(hubUrl.url);
  if (ingresses.length === 0 && !hosts.includes(host)) {
    if (isIP(host) || hubUrl.source === 'discovered') {
      if (proxyAddress !== undefined && !reaches(host, proxyAddress, resolved)) {
        problems.push(failing('hub-url', `the hub URL ${hubUrl.url} is not proxy-public's address ${proxyAddress}: `
          + `${hubUrl.source === 'discovered' ? patch : 'change hubUrl in main.ts, synth and apply'}`));
      }
    } else {
      dns.push(dnsCheck(host, proxyAddress, resolved));
    }
  }
  return [...(problems.length > 0 ? problems : [ok('hub-url', `${hubUrl.url}, as the binder pod is configured${hubUrl.source === 'discovered' ? ' and hub-urls/ records it' : ''}`)]), ...dns];
}

/** cert-manager Certificates in the namespace are Ready, or why not; Let's Encrypt mode's autohttps pod is ready. */
function tlsChecks(inputs: StatusInputs): StatusCheck[] {
  const checks: StatusCheck[] = [];
  const asksCertManager = inputs.live.objects.some(o => o.kind === 'Ingress' && o.metadata.annotations && CLUSTER_ISSUER in (o.metadata.annotations as object));
  if (inputs.live.certificates === undefined) {
    if (asksCertManager) checks.push(failing('tls', `the Ingress asks cert-manager (${CLUSTER_ISSUER}) for certificates, but the cluster serves no Certificate: install cert-manager`));
  } else {
    for (const certificate of inputs.live.certificates) {
      const ready = (certificate.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
      const name = `Certificate ${certificate.metadata.name}`;
      if (ready?.status === 'True') {
        checks.push(ok('tls', `${name} is Ready`));
      } else {
        const why = ready ? `${ready.reason ?? 'not Ready'}: ${ready.message ?? ''}`.trim() : 'cert-manager has not reported on it yet';
        const event = lastEvent(inputs.live.events, certificate.metadata.name, inputs.namespace);
        checks.push(failing('tls', `${name} is not Ready: ${boundedQuote(why)}${event ? `; last event: ${event}` : ''}; see kubectl describe certificate ${certificate.metadata.name} --namespace ${inputs.namespace}`));
      }
    }
    if (asksCertManager && inputs.live.certificates.length === 0) checks.push(warning('tls', 'the Ingress asks cert-manager for certificates, but no Certificate exists yet: is cert-manager\'s ingress-shim running?'));
  }
  const autohttps = inputs.live.objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'autohttps');
  if (autohttps) {
    checks.push(rolloutProblem(autohttps) === undefined ? ok('tls', 'Let\'s Encrypt: the autohttps pod is ready') : failing('tls', 'Let\'s Encrypt: the autohttps pod is not ready (see its rollout line)'));
  }
  return checks;
}

/** How long ago `object` was created, in milliseconds. */
const age = (now: number, object: LiveObject) => now - (Date.parse(object.metadata.creationTimestamp ?? '') || now);

/** A log line that names a push or pull failing: what an operator needs of a failed build's log. */
const REGISTRY_ERROR = /push|pull|denied|unauthori[sz]ed|authentication required|manifest unknown|name unknown|toomanyrequests/i;

/** The lines of a failed build's log worth showing: those naming a push or pull error, else the last three. */
export function buildLogEvidence(log: string): string {
  const lines = log.split('\n').map(l => l.trim()).filter(Boolean);
  const errors = lines.filter(l => REGISTRY_ERROR.test(l));
  return boundedQuote((errors.length > 0 ? errors.slice(-3) : lines.slice(-3)).join(' | '));
}

/** The build pods of the last hour, and those of them that failed: their logs are worth reading. */
export function recentBuilds(pods: LiveObject[], now: number): { all: LiveObject[]; failed: LiveObject[] } {
  const all = pods.filter(p => p.metadata.labels?.component === BUILD_COMPONENT && age(now, p) <= BUILD_WINDOW_MS);
  return { all, failed: all.filter(p => p.status?.phase === 'Failed') };
}

/** Build pods of the last hour that failed, with their log's push or pull error. */
function buildChecks(inputs: StatusInputs): StatusCheck[] {
  const builds = recentBuilds(inputs.live.pods, inputs.now);
  if (builds.failed.length === 0) return [ok('builds', `no build failed in the last hour (${builds.all.length} build pods)`)];
  return builds.failed.map(p => {
    const log = inputs.buildLogs[p.metadata.name];
    return failing('builds', `build pod ${p.metadata.name} failed: ${log ? buildLogEvidence(log) : 'its log is gone'}`);
  });
}

/** User servers pending longer than PENDING_USER_SERVER_MS, with the scheduler's event. */
export function userServerCheck(inputs: StatusInputs): StatusCheck {
  const servers = inputs.live.pods.filter(p => p.metadata.labels?.component === USER_SERVER_COMPONENT);
  const pending = servers.filter(p => p.status?.phase === 'Pending' && age(inputs.now, p) > PENDING_USER_SERVER_MS);
  if (pending.length === 0) return ok('user-servers', `${servers.length} user servers, none pending for more than ${PENDING_USER_SERVER_MS / 60000} minutes`);
  return warning('user-servers', pending.map(p => {
    const event = lastEvent(inputs.live.events, p.metadata.name, inputs.namespace);
    return `${p.metadata.name} pending for ${Math.round(age(inputs.now, p) / 60000)} minutes${event ? ` (${event})` : ''}`;
  }).join('; '));
}

/** The waiting reasons of a container that cannot get its image. */
const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/** Pods of the namespace whose containers cannot get their image. */
function imagePullCheck(inputs: StatusInputs): StatusCheck {
  const failures = inputs.live.pods.flatMap(p => [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]
    .filter((c: any) => PULL_FAILURES.has(c.state?.waiting?.reason))
    .map((c: any) => `${p.metadata.name}: ${c.state.waiting.reason}: ${boundedQuote(String(c.state.waiting.message ?? c.image ?? ''))}`));
  return failures.length > 0 ? failing('image-pulls', listed(failures)) : ok('image-pulls', 'no pod is failing to pull its image');
}

/** The docker config Secret of the files (a Secret itself, or what a SealedSecret or ExternalSecret makes), if the deployment pushes anywhere. */
function expectedRegistryLogin(inputs: StatusInputs): ManifestObject | undefined {
  return inputs.expected.find(o => (o.kind === 'Secret' && o.metadata.name === REGISTRY_LOGIN_SECRET)
    || providedSecret(o) === `Secret/${inputs.namespace}/${REGISTRY_LOGIN_SECRET}`);
}

/** `binder-build-docker-config` exists and logs in to the registry the files name (when they hold the Secret itself). */
export function registryLoginChecks(inputs: StatusInputs): StatusCheck[] {
  const expected = expectedRegistryLogin(inputs);
  if (!expected) return [];
  const live: SecretSummary | undefined = inputs.live.secrets.find(s => s.name === REGISTRY_LOGIN_SECRET);
  if (!live) return [failing('registry-login', `Secret ${REGISTRY_LOGIN_SECRET} does not exist: builds cannot push their images`)];
  const hosts = live.registryHosts ?? [];
  if (hosts.length === 0) return [failing('registry-login', `Secret ${REGISTRY_LOGIN_SECRET} holds no docker config with a registry login: builds cannot push`)];
  const wanted = expected.kind === 'Secret' ? secretSummary(expected).registryHosts ?? [] : [];
  const absent = wanted.filter(h => !hosts.includes(h));
  if (absent.length > 0) {
    return [failing('registry-login', `Secret ${REGISTRY_LOGIN_SECRET} logs in to ${hosts.join(', ')}, not to ${absent.join(', ')} as the files do: `
      + `run \`npm run apply -- --deployment ${inputs.deployment}\``)];
  }
  return [ok('registry-login', `Secret ${REGISTRY_LOGIN_SECRET} logs in to ${hosts.join(', ')}`)];
}

/** Every SealedSecret and ExternalSecret of the deployment has made its Secret; a missing one with the controller's word. */
function sealedSecretChecks(inputs: StatusInputs): StatusCheck[] {
  const makers = inputs.live.objects.filter(o => providedSecret(o as ManifestObject) !== undefined);
  if (makers.length === 0) return [];
  const secrets = new Set(inputs.live.secrets.map(s => s.name));
  const missing = makers.flatMap(maker => {
    const secret = providedSecret(maker as ManifestObject)!.split('/').pop()!;
    if (secrets.has(secret)) return [];
    const condition = (maker.status?.conditions ?? []).find((c: any) => c.status === 'False');
    const event = lastEvent(inputs.live.events, maker.metadata.name, inputs.namespace);
    const why = condition ? `${condition.type} False: ${boundedQuote(String(condition.message ?? condition.reason ?? ''))}` : event ? `last event: ${event}` : 'its controller has not made it (is the controller running?)';
    return [`${maker.kind} ${maker.metadata.name}: Secret ${secret} is missing; ${why}`];
  });
  return missing.length > 0 ? missing.map(m => failing('sealed-secrets', m))
    : [ok('sealed-secrets', `the ${makers.length} Secrets of the deployment's ${[...new Set(makers.map(m => m.kind))].join(' and ')}s exist`)];
}

/** The exit status of a report: 1 when a check fails, else 0 (warnings do not fail). */
export function statusExitCode(checks: StatusCheck[]): number {
  return checks.some(c => c.status === 'failing') ? 1 : 0;
}

/** The report as text: one line a check, `ok`, `warning` or `failing`, padded, then the check and its evidence. */
export function formatStatus(checks: StatusCheck[]): string {
  return checks.map(c => `${c.status.padEnd(7)} ${c.check}: ${c.evidence}\n`).join('');
}
