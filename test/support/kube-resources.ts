/**
 * The API resources the fake Kubernetes API server (fake-kube-api.ts) serves, and the discovery and OpenAPI
 * documents kubectl reads to find them. The table holds every kind our synthesized files hold (the binderhub chart
 * and its jupyterhub subchart, plus what lib/ adds), Events (which kubectl reads when a rollout fails), the
 * cert-manager kinds that Ingress annotations name, and the custom resources of crds/, read from the CRD files
 * themselves so the fake serves exactly the versions and names they declare.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

/** One resource the fake serves, at one group version. */
export interface KubeResource {
  /** The API group: '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The resource name in URLs and RBAC rules, such as `deployments`. */
  readonly plural: string;
  readonly namespaced: boolean;
  /** Whether a CustomResourceDefinition defines it: the real API server takes no strategic merge patch for those. */
  readonly custom: boolean;
  /** The abbreviations `kubectl get` accepts. @default [] */
  readonly shortNames: readonly string[];
}

/** `group/version` as apiVersion spells it: `v1` alone for the core group. */
export function groupVersion(resource: { group: string; version: string }): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

type Row = [groupVersion: string, kind: string, plural: string, namespaced: boolean, shortNames?: string[]];

/**
 * The built-in kinds, and cert-manager's, as the real API server (with cert-manager installed) serves them.
 * CustomResourceDefinition is here also because kubectl looks for its OpenAPI document when it meets a kind the
 * server does not serve, and then reports the kind as unknown rather than failing validation.
 */
const BUILT_IN: readonly Row[] = [
  ['v1', 'Namespace', 'namespaces', false, ['ns']],
  ['v1', 'ServiceAccount', 'serviceaccounts', true, ['sa']],
  ['v1', 'Pod', 'pods', true, ['po']],
  ['v1', 'Secret', 'secrets', true],
  ['v1', 'ConfigMap', 'configmaps', true, ['cm']],
  ['v1', 'Service', 'services', true, ['svc']],
  ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, ['pvc']],
  ['v1', 'Event', 'events', true, ['ev']],
  ['apps/v1', 'Deployment', 'deployments', true, ['deploy']],
  ['apps/v1', 'DaemonSet', 'daemonsets', true, ['ds']],
  ['apps/v1', 'StatefulSet', 'statefulsets', true, ['sts']],
  ['rbac.authorization.k8s.io/v1', 'Role', 'roles', true],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', true, ['netpol']],
  ['networking.k8s.io/v1', 'Ingress', 'ingresses', true, ['ing']],
  ['policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, ['pdb']],
  ['scheduling.k8s.io/v1', 'PriorityClass', 'priorityclasses', false, ['pc']],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, ['crd', 'crds']],
  ['cert-manager.io/v1', 'Certificate', 'certificates', true, ['cert', 'certs']],
  ['cert-manager.io/v1', 'Issuer', 'issuers', true],
  ['cert-manager.io/v1', 'ClusterIssuer', 'clusterissuers', false],
];

const CRDS = path.join(__dirname, '..', '..', 'crds');

/** The served versions of the CRDs in crds/. */
function crdResources(): KubeResource[] {
  return fs.readdirSync(CRDS).filter(f => /\.ya?ml$/.test(f)).sort().flatMap(file => {
    const crd = yaml.load(fs.readFileSync(path.join(CRDS, file), 'utf8')) as any;
    const { group, names, scope } = crd.spec;
    return crd.spec.versions.filter((v: any) => v.served).map((v: any): KubeResource => ({
      group, version: v.name, kind: names.kind, plural: names.plural, namespaced: scope === 'Namespaced', custom: true, shortNames: names.shortNames ?? [],
    }));
  });
}

/** Every resource the fake serves. */
export const KUBE_RESOURCES: readonly KubeResource[] = [
  ...BUILT_IN.map(([gv, kind, plural, namespaced, shortNames = []]): KubeResource => {
    const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
    return { group, version, kind, plural, namespaced, custom: false, shortNames };
  }),
  ...crdResources(),
];

/** The resource of `apiVersion` and `kind`, if the fake serves it. */
export function resourceOfKind(apiVersion: string, kind: string): KubeResource | undefined {
  return KUBE_RESOURCES.find(r => groupVersion(r) === apiVersion && r.kind === kind);
}

/** The group versions, grouped by API group, in table order; the core group is not among them (it is /api). */
function apiGroups(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const r of KUBE_RESOURCES.filter(r => r.group)) {
    const versions = groups.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    groups.set(r.group, versions);
  }
  return groups;
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** `/apis/<group>` as discovery serves it, for one group's versions (the first one preferred). */
function apiGroup(name: string, versions: string[]) {
  const entries = versions.map(version => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

/**
 * The legacy (unaggregated) discovery document at `urlPath` (/api, /apis, /apis/<group>, /api/v1 or
 * /apis/<group>/<version>), or undefined when it is none of those. kubectl asks for aggregated discovery first;
 * a plain application/json answer tells it to walk these documents instead.
 */
export function discoveryDocument(urlPath: string, serverAddress: string): object | undefined {
  if (urlPath === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  const groups = apiGroups();
  if (urlPath === '/apis') return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups].map(([name, versions]) => apiGroup(name, versions)) };
  const group = /^\/apis\/([^/]+)$/.exec(urlPath)?.[1];
  if (group !== undefined) return groups.has(group) ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, groups.get(group)!) } : undefined;
  const gv = urlPath === '/api/v1' ? 'v1' : /^\/apis\/([^/]+\/[^/]+)$/.exec(urlPath)?.[1];
  const resources = KUBE_RESOURCES.filter(r => groupVersion(r) === gv);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv,
    resources: resources.map(r => ({
      name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: VERBS,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    })),
  };
}

/** The OpenAPI v3 path of a group version: `api/v1` or `apis/<group>/<version>`. */
const openApiPath = (r: KubeResource) => (r.group ? `apis/${r.group}/${r.version}` : 'api/v1');

/**
 * The OpenAPI v3 documents kubectl reads at `urlPath`, or undefined. The root (/openapi/v3) lists one document per
 * group version; each of those holds, for every kind, only the PATCH operation of an object with its
 * `x-kubernetes-group-version-kind` and a `fieldValidation` query parameter. That is what kubectl looks for to
 * decide that the server validates fields itself (so it sends `fieldValidation=Strict` and validates nothing on
 * its side); without a request body schema it computes strategic merge patches from its compiled-in types.
 */
export function openApiDocument(urlPath: string): object | undefined {
  if (urlPath === '/openapi/v3') {
    const paths = [...new Set(KUBE_RESOURCES.map(openApiPath))];
    return { paths: Object.fromEntries(paths.map(p => [p, { serverRelativeURL: `/openapi/v3/${p}` }])) };
  }
  const resources = KUBE_RESOURCES.filter(r => `/openapi/v3/${openApiPath(r)}` === urlPath);
  if (resources.length === 0) return undefined;
  const patch = (r: KubeResource) => ({
    patch: {
      operationId: `patch${r.kind}`,
      'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
      parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
      responses: { 200: { description: 'OK' } },
    },
  });
  const objectPath = (r: KubeResource) => `/${openApiPath(r)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.35.2' },
    paths: Object.fromEntries(resources.map(r => [objectPath(r), patch(r)])),
    components: { schemas: {} },
  };
}
