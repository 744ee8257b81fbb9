import * as crypto from 'crypto';
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Auth } from '../service/auth';
import { binderHubValues } from './binderhub-values';
import { Builder, builderHostOverlap, BuilderHostPaths } from './builder';
import { ChartSource } from '../chart/chart-source';
import { ConfigError } from '../core/errors';
import { Delivery, DELIVERY_CHART_SUFFIX } from './delivery';
import { GatewayOptions, GatewayRoutes, gatewaySetup } from './gateway';
import { HelmChart } from '../chart/helm-chart';
import { IngressOptions, ingressSetup } from './ingress';
import { isClusterScoped, WORKLOAD_KINDS } from '../core/kinds';
import { DEPLOYMENT_LABEL } from '../core/labels';
import { checkDnsLabel } from '../core/names';
import { HubUrlConfig, HubUrlSource, hubUrlChartValues, needsHubUrlLocal, resolveHubUrl } from './hub-url';
import { registerSecrets } from '../core/redact';
import { checkRenderedBinderHub } from '../chart/rendered-output-check';
import { ImagePullSecret } from './image-pull-secret';
import { Monitoring } from './monitoring';
import { projectContext } from './project-context';
import { podsReadSecret, RenderedObject, secretValueOutsideSecrets, splitSecretEnv } from './secret-chart-values';
import { IMAGE_PULL_SECRET_NAME, Registry } from './registry';
import { SECRETS_CHART_SUFFIX } from '../output/publish-journal';
import { secretContent, SecretsMode } from '../secrets/secrets-mode';
import { ServicePolicy } from '../service/service-policy';
import { unservedObjects } from '../chart/served-apis';
import { BinderHubTokens } from '../secrets/tokens';
import { deepMerge, Values, valueTexts } from '../core/values';

/** Props for `BinderHub`. */
export interface BinderHubProps {
  /**
   * The tokens that must not change between synths (`npm run init-secrets` writes them; `SecretStore.load`
   * reads them).
   */
  readonly tokens: BinderHubTokens;
  /**
   * The helm release name. It prefixes cluster-wide objects (the image cleaner's ClusterRole), so it must be
   * unique in the cluster.
   * @default - the construct id
   */
  readonly releaseName?: string;
  /**
   * The namespace. The jupyterhub chart's object names carry no release prefix, so each BinderHub needs its own.
   * @default - the release name
   */
  readonly namespace?: string;
  /**
   * Whether the output creates the namespace (as the first object, so one `kubectl apply` of the file works on a
   * fresh cluster). Turn it off when the namespace is managed elsewhere.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Where the binderhub chart comes from. In a BinderHubApp, BINDERHUB_CHART (a local chart directory or .tgz)
   * replaces it.
   * @default ChartSource.repository() - the public chart repository, at the version charts.lock locks
   */
  readonly chart?: ChartSource;
  /**
   * The Kubernetes version of the cluster (`kubectl version`): helm renders for it and the APIs it serves, and the
   * synth refuses any object of an API it does not serve. Clusters differ: set it per deployment.
   * @default DEFAULT_KUBE_VERSION
   */
  readonly kubeVersion?: string;
  /**
   * The helm binary.
   * @default - the HELM environment variable, else the pinned helm in .tools/
   */
  readonly helmExecutable?: string;
  /**
   * Where built images are pushed and pulled from: a registry (`Registry.dockerHub`, `.gcr`, `.acr`, `.harbor`,
   * `.custom`) that every node can pull from, or `Registry.none()` for one node whose container runtime is Docker
   * (minikube), where images stay on the node that built them. No default: no choice works on every cluster.
   */
  readonly registry: Registry;
  /**
   * How images are built.
   * @default - Builder.dind() (a dind DaemonSet with host folders of this deployment's own) when the registry
   * pushes images, else Builder.host() (the node's own Docker, the only builder whose images a node can start
   * without a registry)
   */
  readonly builder?: Builder;
  /**
   * Public DNS names for BinderHub and JupyterHub behind an Ingress controller, with TLS: services become
   * ClusterIP and the hub URL is known at synth, so no post-step is needed.
   * @default - none: both services are LoadBalancers (the guide's quick start), and the hub URL is discovered
   */
  readonly ingress?: IngressOptions;
  /**
   * Public DNS names for BinderHub and JupyterHub through the Gateway API (the successor to Ingress): HTTPRoutes
   * attached to an existing Gateway, which terminates TLS. Services become ClusterIP and the hub URL is known at
   * synth, as with `ingress`; give one or the other.
   * @default - none
   */
  readonly gateway?: GatewayOptions;
  /**
   * The public URL of JupyterHub (`config.BinderHub.hub_url`) when it is known up front, such as
   * `https://hub.example.org` behind DNS. `npm run patch-hub-url` leaves such a deployment alone.
   * A trailing `/` is added.
   * @default - see discoveredHubUrl
   */
  readonly hubUrl?: string;
  /**
   * The hub URL that `npm run patch-hub-url` discovered from Service proxy-public and recorded
   * (`HubUrlRecords.load`), so a synth after the patch renders the same manifests.
   * @default - in a BinderHubApp without hubUrl, ingress or gateway, the URL recorded in hub-urls/; else pending:
   * BinderHub runs but cannot launch until the URL is patched in
   */
  readonly discoveredHubUrl?: string;
  /**
   * A GitHub access token (`config.GitHubRepoProvider.access_token`): raises GitHub's rate limit from 60 to
   * 5000 requests an hour.
   * @default - none
   */
  readonly githubAccessToken?: string;
  /**
   * A GitLab private token (`config.GitLabRepoProvider.private_token`), for private GitLab repositories.
   * @default - none
   */
  readonly gitlabPrivateToken?: string;
  /**
   * How the deployment's Secrets reach the cluster: separate from dist/, sealed, external, or (only when chosen)
   * inline in dist/.
   * @default - the app's mode (SecretsMode.useForApp), else SecretsMode.separate(): no Secret in the deployment's file
   */
  readonly secrets?: SecretsMode;
  /**
   * Login: JupyterHub authenticates users with an OAuth provider (`Auth.github`, `.gitlab`, `.oauth2`) and BinderHub
   * launches only for logged-in users. Needs the public URLs at synth (ingress, gateway, or hubUrl with the auth's
   * binderUrl), over https; the client secret reaches the hub only inside Secret hub, through the secrets mode.
   * @default - none: anyone with the URL may launch, as a temporary user
   */
  readonly auth?: Auth;
  /**
   * What users may do: user server and build resources, idle culling, launch quotas, network egress. A public
   * policy fills in safe values for what it is not given, and the synth refuses a deployment whose values (chartValues
   * included) still lack a quota, a memory limit for user servers or builds, culling, or close the cloud metadata
   * address; a private one sets only what it is given and warns once about those.
   * @default ServicePolicy.public()
   */
  readonly policy?: ServicePolicy;
  /**
   * Further chart values, deep-merged over what the typed props produce. Settings that a typed prop owns,
   * and the 2019 guide's settings that today's chart refuses, are rejected with the prop to use instead.
   * @default - none
   */
  readonly chartValues?: Values;
  /**
   * Chart values that are secret (a database URL with its password, an OAuth client secret), read from the
   * deployment's secrets file (`app.secrets(name).chartValues`, its `"chartValues"`): merged like `chartValues`
   * (which may not set the same settings), never printed, and refused where the chart renders one into an object
   * other than a Secret, which the secrets mode could not keep out of dist/. Their `extraEnv` entries (the binder's,
   * the image cleaner's, the hub's, the proxy's) join chartValues' entries with their texts in Secret
   * `<releaseName>-extra-env`, which the variables read through valueFrom.secretKeyRef.
   * @default - none
   */
  readonly secretChartValues?: Values;
  /**
   * Delivery by a GitOps controller from the git repository that holds dist/ (`Delivery.argoCd`): the synth writes
   * the controller's object into `dist/<id>-delivery.k8s.yaml` and marks this deployment's objects with the order
   * `npm run apply` applies them in. Needs a secrets mode whose Secrets reach git (sealed or external).
   * @default - none: dist/ is applied with `npm run apply`, and its objects carry no controller's annotations
   */
  readonly delivery?: Delivery;
  /**
   * Monitoring by Prometheus: the binder's, the hub's and the proxy's metrics scrapable, by annotations
   * (`Monitoring.annotations()`) or by prometheus-operator's ServiceMonitors with a PrometheusRule of alerts
   * (`Monitoring.prometheusOperator()`).
   * @default - none: the chart's own (the binder's and the hub's Services annotated; the hub's metrics need a token)
   */
  readonly monitoring?: Monitoring;
}

/**
 * Defines one BinderHub deployment: the binderhub chart (with its jupyterhub subchart) rendered by helm for
 * one release in one namespace, from typed and validated settings. It synthesizes to `<id>.k8s.yaml`.
 */
export class BinderHub extends Chart {
  /** The helm release name. */
  public readonly releaseName: string;
  /** The namespace of every namespaced object. */
  public readonly namespace: string;
  /** The hub URL as rendered, with its trailing slash, or '' while pending. */
  public readonly hubUrl: string;
  /** Where the hub URL came from. */
  public readonly hubUrlSource: HubUrlSource;
  /** The rendered chart. */
  public readonly helmChart: HelmChart;

  /** What the synth warns about this deployment, one line each. @internal */
  public readonly warnings: ReadonlyArray<string>;
  /** How the deployment's Secrets reach the cluster. @internal */
  public readonly secretsMode: SecretsMode;
  /** The node folders of this deployment's builder. @internal */
  public readonly builderHostPaths: BuilderHostPaths;
  /**
   * The sealed values whose ciphertext in the previous synth did not belong to them (swapped, or sealed by someone
   * with the public certificate), sealed anew by this synth: `SealedSecret <namespace>/<name> key <key>` each.
   * @internal
   */
  public readonly foreignCiphertexts: ReadonlyArray<string>;

  constructor(scope: Construct, id: string, props: BinderHubProps) {
    if (id.endsWith(SECRETS_CHART_SUFFIX)) {
      throw new ConfigError(`deployment id "${id}" ends with ${SECRETS_CHART_SUFFIX}, which names the file of another deployment's Secrets; pick another id`);
    }
    if (id.endsWith(DELIVERY_CHART_SUFFIX)) {
      throw new ConfigError(`deployment id "${id}" ends with ${DELIVERY_CHART_SUFFIX}, which names the file of another deployment's GitOps controller object; pick another id`);
    }
    const releaseName = props.releaseName ?? id;
    const namespace = props.namespace ?? releaseName;
    checkDnsLabel('releaseName', releaseName, 53);
    checkDnsLabel('namespace', namespace);
    checkOptionalToken(id, 'githubAccessToken', props.githubAccessToken);
    checkOptionalToken(id, 'gitlabPrivateToken', props.gitlabPrivateToken);
    registerSecrets(...valueTexts(props.secretChartValues));
    // The label marks every object of this deployment, so `kubectl apply --prune -l` removes exactly its stale objects.
    super(scope, id, { namespace, labels: { [DEPLOYMENT_LABEL]: releaseName } });
    this.releaseName = releaseName;
    this.namespace = namespace;
    if (props.ingress && props.gateway) {
      throw new ConfigError(`deployment "${id}" has both ingress and gateway; keep one (gateway makes HTTPRoutes, the successor to ingress's Ingress objects)`);
    }
    if (!props.auth && !props.ingress && !props.gateway && needsHubUrlLocal(props.chartValues)) {
      throw new ConfigError('chartValues.config.BinderHub.auth_enabled needs chartValues.config.BinderHub.hub_url_local (such as http://proxy-public/): '
        + 'with auth the chart renders the hub API address into the binder pod at synth, before the public hub URL is known');
    }
    const project = projectContext(scope);
    const hosts = props.ingress ? ingressSetup(props.ingress, releaseName) : props.gateway ? gatewaySetup(props.gateway) : undefined;
    const hubUrl = resolveHubUrl(id, {
      fixed: props.hubUrl, discovered: props.discoveredHubUrl ?? (props.hubUrl || hosts ? undefined : project?.discoveredHubUrl(id)),
      fromHost: hosts && { url: hosts.hubUrl, prop: hosts.prop },
    });
    this.hubUrl = hubUrl.url;
    this.hubUrlSource = hubUrl.source;
    const auth = props.auth?.setup(hosts ? { ...hosts, hostsProp: hosts.prop } : { hubUrl: hubUrl.source === 'fixed' ? hubUrl.url : undefined });
    const registry = props.registry;
    const builder = props.builder ?? (registry.pushesImages ? Builder.dind() : Builder.host());
    checkCanLaunch(id, registry, builder);
    this.builderHostPaths = builder.hostPaths(releaseName);
    checkIsolation(this);
    if (props.createNamespace ?? true) {
      new k8s.KubeNamespace(this, 'namespace', { metadata: { name: namespace } });
    }

    const pullAuth = registry.pullAuth();
    if (pullAuth) {
      new ImagePullSecret(this, 'image-pull-secret', { name: IMAGE_PULL_SECRET_NAME, auth: pullAuth });
    }
    const builderValues = builder.bind(this, releaseName);
    new HubUrlConfig(this, 'hub-url', { hubUrl: this.hubUrl, source: this.hubUrlSource });

    // Secret env texts go into a Secret of ours, which the env entries reference: the chart renders env in plain text.
    const envSecret = `${releaseName}-${EXTRA_ENV_SECRET_SUFFIX}`;
    const env = splitSecretEnv(props.chartValues ?? {}, props.secretChartValues ?? {}, envSecret);
    if (Object.keys(env.data).length > 0) {
      new k8s.KubeSecret(this, 'extra-env', { metadata: { name: envSecret }, stringData: env.data });
    }

    const chart = project?.chart ?? props.chart ?? ChartSource.repository();
    const policy = props.policy ?? ServicePolicy.public();
    const values = binderHubValues({
      tokens: props.tokens,
      registryValues: registry.chartValues(),
      builderValues,
      hubUrlValues: hubUrlChartValues(this.hubUrl, env.chartValues.extraEnv),
      publicHosts: hosts,
      auth,
      githubAccessToken: props.githubAccessToken,
      gitlabPrivateToken: props.gitlabPrivateToken,
      chartValues: env.chartValues,
      secretChartValues: env.secretChartValues,
      policy: policy.setup(),
      monitoring: props.monitoring?.setup(),
    });
    this.warnings = policyWarnings(id, policy, values);
    this.helmChart = new HelmChart(this, 'binderhub', {
      chart,
      releaseName,
      namespace,
      kubeVersion: props.kubeVersion,
      helmExecutable: props.helmExecutable,
      values,
    });
    if (this.helmChart.rendered) {
      // On helm's own output, before the secrets mode replaces its Secrets: an empty or broken render must never reach dist/.
      // Only objects that run pods need their whole (resolved, so costly) JSON; the others are checked by kind and name.
      const rendered = this.helmChart.apiObjects.map(o => WORKLOAD_KINDS.has(o.kind)
        ? o.toJson()
        : { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name } });
      checkRenderedBinderHub(rendered, { deployment: id, chart: chart.description, helm: this.helmChart.helmExecutable });
      // The env texts by their keys (a setting and a variable): the variables' names are no secret, and the chart renders them.
      // The auth prop's client secret is looked for too.
      checkSecretValuesStayInSecrets(id, this.helmChart.apiObjects, rendered, deepMerge({ ...env.secretChartValues, ...env.data }, auth?.secretValues ?? {}));
      if (Object.keys(env.data).length > 0) {
        // A changed value must restart the pods that read it, as the chart's own checksums do for its Secrets: a keyed
        // hash (the key derived from the tokens), so the committed manifest shows only that the values changed.
        const checksum = crypto.createHmac('sha256', props.tokens.deriveKey('extra-env-checksum')).update(JSON.stringify(env.data)).digest('hex');
        this.helmChart.apiObjects.forEach((object, i) => {
          if (WORKLOAD_KINDS.has(object.kind) && podsReadSecret(rendered[i], envSecret)) addPodAnnotation(object, rendered[i], EXTRA_ENV_CHECKSUM_ANNOTATION, checksum);
        });
      }
      // The routes point at the ports of the Services helm rendered (not there yet in a first, recording pass).
      if (props.gateway) new GatewayRoutes(this, 'gateway', { options: props.gateway, rendered: this.helmChart.apiObjects });
    }
    props.monitoring?.bind(this, { id, namespace, releaseName, values, rendered: this.helmChart.rendered ? this.helmChart.apiObjects : undefined });
    this.unnamespaceClusterScopedObjects();
    this.refuseUnservedApis();
    this.secretsMode = props.secrets ?? SecretsMode.forScope(scope);
    this.foreignCiphertexts = this.applySecretsMode(props.tokens);
    props.delivery?.bind(this, this.secretsMode);
  }

  /** Takes every Secret object out of the chart and lets the secrets mode replace it; see foreignCiphertexts. */
  private applySecretsMode(tokens: BinderHubTokens): string[] {
    if (this.secretsMode.allowsSecretsInDist) return [];
    const secrets = this.node.findAll().filter(ApiObject.isApiObject).filter(o => o.kind === 'Secret');
    const contents = secrets.map(o => secretContent(o.toJson(), this.namespace));
    for (const secret of secrets) {
      secret.node.scope!.node.tryRemoveChild(secret.node.id);
    }
    const project = projectContext(this);
    return this.secretsMode.replace(contents, {
      chart: this, fingerprintKey: tokens.deriveKey('sealed-fingerprint'), previous: project && (() => project.previous()),
    });
  }

  /** Fails on any object the target Kubernetes version would reject for its API version, naming the one to use. */
  private refuseUnservedApis(): void {
    const objects = this.node.findAll().filter(ApiObject.isApiObject).map(o => ({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name } }));
    const problems = unservedObjects(objects, this.helmChart.kubeVersion.minor);
    if (problems.length > 0) {
      throw new ConfigError(`deployment "${this.node.id}" renders objects that Kubernetes ${this.helmChart.kubeVersion.version} (kubeVersion) `
        + `does not serve: ${problems.join('; ')}; set kubeVersion to your cluster's version, or use a chart that supports it`);
    }
  }

  /** cdk8s gives every object of a chart the chart's namespace; cluster-scoped objects must have none. */
  private unnamespaceClusterScopedObjects(): void {
    for (const object of this.node.findAll().filter(ApiObject.isApiObject)) {
      if (isClusterScoped(object.kind)) {
        object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      }
    }
  }
}

/** What names the Secret of a deployment's secret env variables, after its release name. */
export const EXTRA_ENV_SECRET_SUFFIX = 'extra-env';

/** The pod template annotation of the workloads that read Secret `<release>-extra-env`: it changes with its values. */
export const EXTRA_ENV_CHECKSUM_ANNOTATION = 'checksum/extra-env';

/** Adds an annotation to a rendered workload's pod template (`rendered` is its JSON), creating the annotations if need be. */
function addPodAnnotation(workload: ApiObject, rendered: any, key: string, value: string): void {
  if (rendered.spec?.template?.metadata?.annotations) {
    workload.addJsonPatch(JsonPatch.add(`/spec/template/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, value));
  } else {
    workload.addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations', { [key]: value }));
  }
}

/** The deployments defined so far in each app, to check new ones against. */
const deploymentsByApp = new WeakMap<object, BinderHub[]>();

/**
 * Fails if `deployment` would share something with another deployment of the same app that two BinderHubs
 * cannot share: a release name (cluster-wide RBAC carries it), a namespace (the jupyterhub chart's object
 * names carry no prefix) or a builder's node path (its socket folder or image store, the same, inside or around
 * another's: one builder could then reach the other's daemon or images).
 */
function checkIsolation(deployment: BinderHub): void {
  const root = deployment.node.root;
  const others = deploymentsByApp.get(root) ?? [];
  for (const other of others) {
    const both = `deployments "${other.node.id}" and "${deployment.node.id}"`;
    if (other.releaseName === deployment.releaseName) {
      throw new ConfigError(`${both} share the release name "${deployment.releaseName}"; cluster-wide objects such as the ClusterRole `
        + `${deployment.releaseName}-image-cleaner would collide: give each its own releaseName`);
    }
    if (other.namespace === deployment.namespace) {
      throw new ConfigError(`${both} share the namespace "${deployment.namespace}"; the jupyterhub chart's objects (hub, proxy-public) `
        + 'carry no release prefix and would collide: give each its own namespace');
    }
    const overlap = builderHostOverlap(deployment.builderHostPaths, other.builderHostPaths);
    if (overlap) {
      throw new ConfigError(`${both} overlap on the nodes: ${overlap.mine.setting} ${overlap.mine.path} of "${deployment.node.id}" ${overlap.relation} `
        + `${overlap.theirs.setting} ${overlap.theirs.path} of "${other.node.id}"; one builder would reach the other's daemon or images: `
        + 'give each deployment builder folders of its own, none inside another\'s');
    }
  }
  deploymentsByApp.set(root, [...others, deployment]);
}

/**
 * Fails on a registry and builder that can build an image but never start it: without a registry BinderHub
 * looks for the image through the node's Docker socket and the kubelet runs it from the node's runtime, while a
 * dind or pink builder keeps it in a store of its own that neither can see.
 */
function checkCanLaunch(deployment: string, registry: Registry, builder: Builder): void {
  if (registry.pushesImages || !builder.keepsImagesPrivate) return;
  throw new ConfigError(`deployment "${deployment}" has Registry.none() with ${builder.description}: the images it builds stay in the builder's `
    + 'own store, which the kubelet cannot start user pods from, so no repository could ever launch; set registry to a '
    + 'registry (Registry.dockerHub, .gcr, .acr, .harbor or .custom), or use builder: Builder.host() on nodes whose container runtime is Docker');
}

/**
 * Fails if the chart rendered a secret chart value of `deployment` outside a Secret object. `rendered` holds the
 * workloads' JSON already resolved (and the others' kind and name), in the order of `objects`.
 */
function checkSecretValuesStayInSecrets(deployment: string, objects: ReadonlyArray<ApiObject>, rendered: ReadonlyArray<RenderedObject>, secretValues: Values): void {
  // Resolved one at a time, only while there is something to look for: toJson of a whole chart is costly.
  const resolved = (function* () {
    for (const [i, object] of objects.entries()) {
      if (object.kind !== 'Secret') yield WORKLOAD_KINDS.has(object.kind) ? rendered[i] : object.toJson() as RenderedObject;
    }
  })();
  const leak = secretValueOutsideSecrets(resolved, secretValues);
  if (leak) {
    throw new ConfigError(`secretChartValues.${leak[0]} of deployment "${deployment}" is rendered by the chart into ${leak[1]}, which dist/ would `
      + 'hold in plain text (the secrets mode keeps only Secret objects out of it): give the value through a Secret of your own (an env '
      + 'variable\'s valueFrom.secretKeyRef) and leave it out of the secrets file');
  }
}

/**
 * Fails, naming what is missing, when a public service's final chart values lack what one needs; for a private one,
 * a warning line instead (none when nothing is missing).
 */
function policyWarnings(deployment: string, policy: ServicePolicy, values: Values): string[] {
  const gaps = policy.gaps(values);
  if (gaps.length === 0) return [];
  if (policy.publicService) {
    throw new ConfigError(`deployment "${deployment}" is a public service (ServicePolicy.public()) with ${gaps.join(', ')}; set those in its policy `
      + '(and remove chartValues that undo them), or use ServicePolicy.private() for a BinderHub behind login or on a private network');
  }
  return [`deployment "${deployment}" (ServicePolicy.private()) would not be safe to open to the public: ${gaps.join(', ')}`];
}

function checkOptionalToken(deployment: string, prop: string, value: string | undefined): void {
  if (value !== undefined && value.trim() === '') {
    throw new ConfigError(`${prop} of deployment "${deployment}" is empty; leave it out or give the token`);
  }
  registerSecrets(value);
}
