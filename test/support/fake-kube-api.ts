/**
 * An in-memory fake Kubernetes API server for tests: plain http on 127.0.0.1 (a free port), which the real pinned
 * kubectl works against for `apply` (client-side, with `--prune`, and `--server-side`), `diff --server-side`, `get`,
 * `rollout status`, `get events`, `logs` and `delete` (with `--wait`). test/fake-kube-api.test.ts shows each of those working.
 *
 * What it serves:
 * - Discovery: /version, /api, /apis, /apis/<group>, /api/v1, /apis/<group>/<version> (kube-resources.ts lists the
 *   resources). kubectl asks for aggregated discovery first and, getting plain JSON, reads these instead.
 * - OpenAPI v3 documents that tell kubectl the server validates fields, so kubectl validates nothing itself. This
 *   fake validates nothing either: fields are stored as sent. /openapi/v2 is not served (kubectl then computes
 *   strategic merge patches from its compiled-in types, and JSON merge patches for custom resources).
 * - GET, LIST (labelSelector, fieldSelector on any dotted path, all namespaces or one), WATCH, POST (409 when the
 *   object exists, 404 when its namespace does not), PUT (409 on a stale resourceVersion), DELETE, and PATCH as JSON
 *   merge patch, strategic merge patch (an approximation: kube-patch.ts; refused for custom resources, as the real
 *   server does) and server-side apply. `dryRun=All` answers as if, storing nothing.
 * - Server-side apply merges the applied object into the live one (maps key by key, lists whole), removing the fields
 *   the same field manager applied before and no longer does. Field ownership is not tracked further: an apply never
 *   conflicts (with `force` or without), and what other managers set stays. As on the real server, an apply by the
 *   field manager `kubectl` rewrites the last-applied annotation of client-side apply, when the object has one.
 *
 * Bookkeeping: uid, creationTimestamp, resourceVersion (one counter for all objects), metadata.generation on objects
 * with a spec (bumped when anything outside metadata and status changes), managedFields (one entry per manager and
 * operation, without field sets). A write through the API never sets status (as if every kind had a status
 * subresource); seeded objects keep theirs, and `setStatus` changes it as a controller would. Deployments,
 * DaemonSets and StatefulSets get the defaults `kubectl rollout status` relies on (replicas 1, RollingUpdate
 * strategies) and a status that follows their rollout state (kube-workloads.ts): `ready`, `stuck` or `failed`,
 * `ready` unless the options say otherwise, and `setRollout` changes it as pods would. Namespaces are Active and
 * labelled `kubernetes.io/metadata.name`; deleting one deletes its objects at once. A Secret's stringData is
 * encoded into its data.
 *
 * Pods' logs (`kubectl logs`) are what the `logs` option gives them.
 *
 * Not modelled: admission, finalizers, garbage collection, pagination (`limit` is ignored), Table output (lists are
 * plain JSON, so `kubectl get` without `-o` prints only names and ages), subresources but a log, JSON patch.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { mergePatch, strategicMergePatch } from './kube-patch';
import { discoveryDocument, groupVersion, KubeResource, KUBE_RESOURCES, openApiDocument, resourceOfKind } from './kube-resources';
import { fieldSelector, labelSelector, Selector } from './kube-selectors';
import { defaultWorkload, isWorkload, RolloutState, workloadStatus } from './kube-workloads';

export type { RolloutState } from './kube-workloads';

/** Requests the fake refuses with 403 Forbidden, as RBAC would; a field left out matches anything. */
export interface ForbiddenRule {
  /** The RBAC verb: get, list, watch, create, update, patch or delete. @default - any */
  readonly verb?: string;
  /** The resource (plural) such as `secrets` or `deployments`. @default - any */
  readonly resource?: string;
  /** @default - any namespace, and cluster-scoped requests */
  readonly namespace?: string;
  /** The object's name; for a create, the name in its body. @default - any */
  readonly name?: string;
}

export interface FakeKubeApiOptions {
  /**
   * Objects in the cluster before the test starts: apiVersion, kind, metadata.name, metadata.namespace when
   * namespaced (the Namespace itself need not be among them), and status if a test wants one. @default []
   */
  readonly objects?: readonly object[];
  /** The rollout state of every workload that `rollouts` does not name. @default 'ready' */
  readonly rollout?: RolloutState;
  /** Rollout states of single workloads, by `Kind/namespace/name`. @default {} */
  readonly rollouts?: Readonly<Record<string, RolloutState>>;
  /** Requests answered with 403 Forbidden. @default [] */
  readonly forbidden?: readonly ForbiddenRule[];
  /** The user name that Forbidden messages give. @default 'tester' */
  readonly user?: string;
  /** Called with each request before it is answered, so a test can change the cluster in between. @default - none */
  readonly beforeRequest?: (request: RecordedRequest, api: FakeKubeApi) => void;
  /**
   * A validating admission webhook: called with each create, update and patch and the object sent; a message it
   * returns denies the request with 400 BadRequest, as the real server passes a webhook's denial on. @default - none
   */
  readonly admission?: (request: RecordedRequest, body: any) => string | undefined;
  /** The logs of pods, by `namespace/name`, that `kubectl logs` reads (the pods/log subresource, `tailLines` honoured). @default {} */
  readonly logs?: Readonly<Record<string, string>>;
}

/** One request the fake received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly contentType?: string;
  /** The RBAC verb of a resource request (get, list, watch, create, update, patch, delete); none for discovery. */
  readonly verb?: string;
  /** The resource (plural) of a resource request. */
  readonly resource?: string;
  readonly namespace?: string;
  /** The object's name: from the path, or for a create from the body. */
  readonly name?: string;
}

/** A resource request's target. */
interface Target {
  readonly resource: KubeResource;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

/** An answer: the HTTP status and the JSON body. */
type Reply = [code: number, body: object];

class ApiError extends Error {
  constructor(readonly reply: Reply) {
    super((reply[1] as any).message);
  }
}

/** A Status body as the real API server sends with an error. */
function statusReply(code: number, reason: string, message: string, details?: object): Reply {
  return [code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code }];
}

/** `deployments.apps`, or `secrets` for the core group: how the real server names a resource in messages. */
const qualified = (r: KubeResource) => (r.group ? `${r.plural}.${r.group}` : r.plural);

const details = (r: KubeResource, name?: string) => ({ ...(name ? { name } : {}), ...(r.group ? { group: r.group } : {}), kind: r.plural });

const notFound = (r: KubeResource, name: string) => new ApiError(statusReply(404, 'NotFound', `${qualified(r)} "${name}" not found`, details(r, name)));

const badRequest = (message: string) => new ApiError(statusReply(400, 'BadRequest', message));

const NAMESPACES = resourceOfKind('v1', 'Namespace')!;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const timestamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Everything but metadata and status: what a generation counts changes of. */
const specOf = (object: any) => JSON.stringify({ ...object, metadata: undefined, status: undefined });

/** A change, as a watch reports it. */
interface Change {
  readonly resourceVersion: number;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly resource: KubeResource;
  readonly object: any;
}

/** An open watch: what it selects, and the response it streams to. */
interface Watch {
  readonly matches: (change: Change) => boolean;
  readonly response: http.ServerResponse;
}

/** The fake API server; `FakeKubeApi.start` starts one. */
export class FakeKubeApi {
  /** Starts a fake API server with `options`, listening on a free port of 127.0.0.1. */
  static async start(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
    const api = new FakeKubeApi(options);
    await new Promise<void>(resolve => api.server.listen(0, '127.0.0.1', resolve));
    api.port = (api.server.address() as AddressInfo).port;
    return api;
  }

  /** Objects by `group/plural/namespace/name`, in the order they were created. */
  private readonly store = new Map<string, any>();
  /** What each field manager last server-side applied to each object (same keys as the store), to remove what it drops. */
  private readonly applied = new Map<string, Map<string, any>>();
  private readonly changes: Change[] = [];
  private readonly watches = new Set<Watch>();
  private readonly recorded: RecordedRequest[] = [];
  private readonly waiting: Array<{ test: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }> = [];
  private readonly rollouts: Map<string, RolloutState>;
  private resourceVersion = 0;
  private uids = 0;
  private port = 0;
  private readonly server: http.Server;

  private constructor(private readonly options: FakeKubeApiOptions) {
    this.rollouts = new Map(Object.entries(options.rollouts ?? {}));
    for (const object of options.objects ?? []) this.seed(clone(object));
    this.server = http.createServer((req, res) => {
      this.serve(req, res).catch(error => this.reply(res, statusReply(500, 'InternalError', `fake API server: ${error.stack}`)));
    });
  }

  /** The server's URL, as a kubeconfig's `server` takes it; after `close`, nothing listens there. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every request so far, in the order received. */
  requests(): RecordedRequest[] {
    return [...this.recorded];
  }

  /** The first request, past or future, for which `test` holds. */
  whenRequest(test: (request: RecordedRequest) => boolean): Promise<RecordedRequest> {
    const seen = this.recorded.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise(resolve => this.waiting.push({ test, resolve }));
  }

  /** Copies of every stored object, in the order they were created. */
  objects(): any[] {
    return [...this.store.values()].map(clone);
  }

  /** A copy of the object of `kind` named `name` in `namespace` (undefined for cluster-scoped kinds), if stored. */
  get(kind: string, namespace: string | undefined, name: string): any {
    const object = this.find(kind, namespace, name);
    return object && clone(object);
  }

  /** Sets the object's status, as its controller would, and tells the watches. */
  setStatus(kind: string, namespace: string | undefined, name: string, status: object): void {
    const object = this.find(kind, namespace, name);
    if (!object) throw new Error(`fake API server: no ${kind} ${namespace ?? ''}/${name} to set the status of`);
    this.save(this.resourceOf(object), { ...clone(object), status }, 'MODIFIED');
  }

  /** Changes a workload's rollout state; its status follows, and the watches are told. */
  setRollout(kind: string, namespace: string, name: string, state: RolloutState): void {
    this.rollouts.set(`${kind}/${namespace}/${name}`, state);
    const object = this.find(kind, namespace, name);
    if (object) this.setStatus(kind, namespace, name, workloadStatus(object, state));
  }

  /** Stops the server and ends every open watch: from then on, connections are refused. */
  close(): Promise<void> {
    for (const watch of this.watches) watch.response.end();
    const closed = new Promise<void>(resolve => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    return closed;
  }

  private find(kind: string, namespace: string | undefined, name: string): any {
    const resource = KUBE_RESOURCES.find(r => r.kind === kind);
    if (!resource) throw new Error(`fake API server: it serves no kind ${kind}`);
    return this.store.get(this.key(resource, namespace, name));
  }

  private key(resource: KubeResource, namespace: string | undefined, name: string): string {
    return `${resource.group}/${resource.plural}/${resource.namespaced ? namespace : ''}/${name}`;
  }

  private resourceOf(object: any): KubeResource {
    const resource = resourceOfKind(object.apiVersion, object.kind);
    if (!resource) throw new Error(`fake API server: it serves no ${object.kind} of ${object.apiVersion}`);
    return resource;
  }

  private seed(object: any): void {
    const resource = this.resourceOf(object);
    if (resource.namespaced !== (object.metadata.namespace !== undefined)) {
      throw new Error(`fake API server: seeded ${object.kind} ${object.metadata.name} ${resource.namespaced ? 'needs' : 'takes no'} metadata.namespace`);
    }
    const status = object.status;
    const stored = this.finish(resource, object, undefined, undefined);
    if (status !== undefined) stored.status = status;
    this.save(resource, stored, 'ADDED');
  }

  private rolloutOf(object: any): RolloutState {
    return this.rollouts.get(`${object.kind}/${object.metadata.namespace}/${object.metadata.name}`) ?? this.options.rollout ?? 'ready';
  }

  /**
   * `object` as the server stores it after a write that replaces `previous` (undefined for a create): bookkeeping
   * kept or set, status kept, defaults and workload status filled in. `manager` is the field manager of the write.
   */
  private finish(resource: KubeResource, object: any, previous: any, manager: { name: string; operation: string } | undefined): any {
    const metadata = object.metadata;
    const now = timestamp();
    metadata.uid = previous?.metadata.uid ?? `00000000-0000-4000-8000-${String(++this.uids).padStart(12, '0')}`;
    metadata.creationTimestamp = previous?.metadata.creationTimestamp ?? now;
    delete metadata.resourceVersion;
    if (object.spec !== undefined) {
      metadata.generation = previous?.metadata.generation === undefined ? 1 : previous.metadata.generation + (specOf(previous) === specOf(object) ? 0 : 1);
    }
    const fields = (previous?.metadata.managedFields ?? []).filter((f: any) => !(f.manager === manager?.name && f.operation === manager?.operation));
    if (manager) fields.push({ manager: manager.name, operation: manager.operation, apiVersion: object.apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: {} });
    if (fields.length) metadata.managedFields = fields;
    else delete metadata.managedFields;
    delete object.status;
    if (previous?.status !== undefined) object.status = previous.status;
    if (object.kind === 'Secret' && object.stringData) {
      const encoded = Object.entries(object.stringData as Record<string, string>).map(([k, v]) => [k, Buffer.from(v).toString('base64')]);
      object.data = { ...object.data, ...Object.fromEntries(encoded) };
      delete object.stringData;
    }
    if (resource === NAMESPACES) {
      metadata.labels = { ...metadata.labels, 'kubernetes.io/metadata.name': metadata.name };
      object.status = { phase: 'Active' };
    }
    if (isWorkload(object)) {
      object.spec ??= {};
      defaultWorkload(object);
      object.status = workloadStatus(object, this.rolloutOf(object));
    }
    return object;
  }

  /** Stores `object` (or deletes it) with a new resourceVersion, and tells the watches. */
  private save(resource: KubeResource, object: any, type: Change['type']): void {
    object.metadata.resourceVersion = String(++this.resourceVersion);
    const key = this.key(resource, object.metadata.namespace, object.metadata.name);
    if (type === 'DELETED') {
      this.store.delete(key);
      this.applied.delete(key);
    } else {
      this.store.set(key, object);
    }
    const change: Change = { resourceVersion: this.resourceVersion, type, resource, object: clone(object) };
    this.changes.push(change);
    for (const watch of this.watches) if (watch.matches(change)) this.send(watch.response, change.type, change.object);
  }

  private send(response: http.ServerResponse, type: string, object: object): void {
    response.write(`${JSON.stringify({ type, object })}\n`);
  }

  private reply(res: http.ServerResponse, [code, body]: Reply): void {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const target = parseTarget(url.pathname);
    const text = await new Promise<string>(resolve => {
      let body = '';
      req.on('data', chunk => { body += chunk; });
      req.on('end', () => resolve(body));
    });
    const contentType = req.headers['content-type']?.split(';')[0];
    let body: any;
    try {
      body = text ? (contentType === 'application/apply-patch+yaml' ? yaml.load(text) : JSON.parse(text)) : undefined;
    } catch (error) {
      return this.reply(res, statusReply(400, 'BadRequest', `the body of the request could not be read: ${(error as Error).message}`));
    }
    const verb = target && verbOf(req.method ?? 'GET', target, query);
    const request: RecordedRequest = {
      method: req.method ?? 'GET', path: url.pathname, query, ...(contentType ? { contentType } : {}),
      ...(target ? { verb, resource: target.resource.plural, namespace: target.namespace, name: target.name ?? body?.metadata?.name } : {}),
    };
    this.recorded.push(request);
    for (const waiter of this.waiting.filter(w => w.test(request))) {
      this.waiting.splice(this.waiting.indexOf(waiter), 1);
      waiter.resolve(request);
    }
    this.options.beforeRequest?.(request, this);
    if (!target) return this.serveDocument(url.pathname, res);
    const rule = (this.options.forbidden ?? []).find(r => (r.verb ?? verb) === verb && (r.resource ?? target.resource.plural) === target.resource.plural
      && (r.namespace ?? target.namespace) === target.namespace && (r.name ?? request.name) === request.name);
    if (rule) return this.reply(res, this.forbidden(verb!, target, request.name));
    const denial = ['create', 'update', 'patch'].includes(verb!) ? this.options.admission?.(request, body) : undefined;
    if (denial !== undefined) return this.reply(res, statusReply(400, 'BadRequest', `admission webhook "fake.example.org" denied the request: ${denial}`));
    if (target.subresource === 'log' && target.resource.kind === 'Pod' && verb === 'get') return this.serveLog(target, query, res);
    try {
      if (verb === 'watch') return this.watch(target, query, res);
      this.reply(res, this.handle(verb!, target, query, contentType, body));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.reply(res, error.reply);
    }
  }

  /** A pod's log as plain text, its last `tailLines` lines when asked; 404 for a pod that does not exist. */
  private serveLog(target: Target, query: Record<string, string>, res: http.ServerResponse): void {
    if (!this.store.has(this.key(target.resource, target.namespace, target.name!))) return this.reply(res, notFound(target.resource, target.name!).reply);
    const lines = (this.options.logs?.[`${target.namespace}/${target.name}`] ?? '').split('\n').filter(Boolean);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(lines.slice(query.tailLines ? -Number(query.tailLines) : 0).map(line => `${line}\n`).join(''));
  }

  private serveDocument(urlPath: string, res: http.ServerResponse): void {
    const version = { major: '1', minor: '35', gitVersion: 'v1.35.2', platform: 'linux/amd64' };
    const document = urlPath === '/version' ? version : discoveryDocument(urlPath, this.url.slice('http://'.length)) ?? openApiDocument(urlPath);
    if (document) return this.reply(res, [200, document]);
    // The real server's answer to a path it does not serve.
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('404 page not found\n');
  }

  /** The 403 that the real server sends when RBAC denies the request. */
  private forbidden(verb: string, target: Target, name: string | undefined): Reply {
    const { resource, namespace } = target;
    const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    const why = `User "${this.options.user ?? 'tester'}" cannot ${verb} resource "${resource.plural}" in API group "${resource.group}" ${scope}`;
    const subject = name && verb !== 'create' ? `${qualified(resource)} "${name}"` : qualified(resource);
    return statusReply(403, 'Forbidden', `${subject} is forbidden: ${why}`, details(resource, verb === 'create' ? undefined : name));
  }

  private handle(verb: string, target: Target, query: Record<string, string>, contentType: string | undefined, body: any): Reply {
    const { resource, namespace, name } = target;
    if (target.subresource) throw new ApiError(statusReply(404, 'NotFound', 'the server could not find the requested resource'));
    if (resource.namespaced && name !== undefined && namespace === undefined) throw notFound(resource, name);
    const current = name === undefined ? undefined : this.store.get(this.key(resource, namespace, name));
    const dryRun = query.dryRun === 'All';
    const manager = (operation: string) => ({ name: query.fieldManager ?? 'kubectl', operation });
    switch (verb) {
      case 'get':
        if (!current) throw notFound(resource, name!);
        return [200, current];
      case 'list':
        return [200, this.list(target, query)];
      case 'create': {
        const object = this.checked(resource, namespace, body, undefined);
        if (this.store.has(this.key(resource, namespace, object.metadata.name))) {
          throw new ApiError(statusReply(409, 'AlreadyExists', `${qualified(resource)} "${object.metadata.name}" already exists`, details(resource, object.metadata.name)));
        }
        return [201, this.write(resource, this.finish(resource, object, undefined, manager('Update')), 'ADDED', dryRun)];
      }
      case 'update': {
        if (!current) throw notFound(resource, name!);
        const object = this.checked(resource, namespace, body, name);
        if (object.metadata.resourceVersion !== undefined && object.metadata.resourceVersion !== current.metadata.resourceVersion) {
          throw new ApiError(statusReply(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified; `
            + 'please apply your changes to the latest version and try again', details(resource, name)));
        }
        return [200, this.write(resource, this.finish(resource, object, current, manager('Update')), 'MODIFIED', dryRun)];
      }
      case 'patch':
        return this.patch(target, current, query, contentType, body, dryRun);
      case 'delete': {
        if (!current) throw notFound(resource, name!);
        if (!dryRun && resource === NAMESPACES) {
          for (const object of [...this.store.values()].filter(o => o.metadata.namespace === name)) this.save(this.resourceOf(object), clone(object), 'DELETED');
        }
        return [200, this.write(resource, clone(current), 'DELETED', dryRun)];
      }
      default:
        throw new ApiError(statusReply(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
    }
  }

  /**
   * Stores `object` unless `dryRun`; returns what the server answers with. A dry run keeps the resourceVersion of the
   * stored object (none for a create), so `kubectl diff` shows no change there.
   */
  private write(resource: KubeResource, object: any, type: Change['type'], dryRun: boolean): any {
    if (dryRun) {
      const stored = this.store.get(this.key(resource, object.metadata.namespace, object.metadata.name));
      if (stored) object.metadata.resourceVersion = stored.metadata.resourceVersion;
      return object;
    }
    this.save(resource, object, type);
    return clone(object);
  }

  private patch(target: Target, current: any, query: Record<string, string>, contentType: string | undefined, body: any, dryRun: boolean): Reply {
    const { resource, namespace, name } = target;
    if (contentType === 'application/apply-patch+yaml') {
      if (!query.fieldManager) throw badRequest('PATCH, fieldManager is required for apply requests');
      const object = this.checked(resource, namespace, body, name);
      const key = this.key(resource, namespace, name!);
      const before = this.applied.get(key)?.get(query.fieldManager);
      const merged: any = current ? mergePatch(withoutDropped(clone(current), before, object), object) : object;
      // The real server keeps client-side apply's record in step with what kubectl (that manager only) applies.
      if (query.fieldManager === 'kubectl' && merged.metadata.annotations?.[LAST_APPLIED]) merged.metadata.annotations[LAST_APPLIED] = lastApplied(object);
      const stored = this.finish(resource, merged, current, { name: query.fieldManager, operation: 'Apply' });
      if (!dryRun) this.applied.set(key, new Map(this.applied.get(key) ?? []).set(query.fieldManager, object));
      return [current ? 200 : 201, this.write(resource, stored, current ? 'MODIFIED' : 'ADDED', dryRun)];
    }
    if (!current) throw notFound(resource, name!);
    let patched: any;
    if (contentType === 'application/merge-patch+json') {
      patched = mergePatch(clone(current), body);
    } else if (contentType === 'application/strategic-merge-patch+json' && !resource.custom) {
      patched = strategicMergePatch(clone(current), body);
    } else {
      throw new ApiError(statusReply(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: `
        + `application/merge-patch+json, ${resource.custom ? '' : 'application/strategic-merge-patch+json, '}application/apply-patch+yaml`));
    }
    if (patched.metadata?.name !== name) throw badRequest(`the name of the object (${patched.metadata?.name}) does not match the name on the URL (${name})`);
    return [200, this.write(resource, this.finish(resource, patched, current, { name: query.fieldManager ?? 'kubectl', operation: 'Update' }), 'MODIFIED', dryRun)];
  }

  /**
   * The body of a create, update or apply, checked as the real server checks it: its apiVersion, kind, name and
   * namespace fit the URL, and a namespaced object's namespace exists.
   */
  private checked(resource: KubeResource, namespace: string | undefined, body: any, name: string | undefined): any {
    if (!body || body.apiVersion !== groupVersion(resource) || body.kind !== resource.kind) {
      throw badRequest(`the API version in the data (${body?.apiVersion}) and kind (${body?.kind}) do not match ${groupVersion(resource)} ${resource.kind}`);
    }
    const object = clone(body);
    object.metadata ??= {};
    if (!object.metadata.name) throw new ApiError(statusReply(422, 'Invalid', `${resource.kind} "" is invalid: metadata.name: Required value: name is required`));
    if (name !== undefined && object.metadata.name !== name) {
      throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (!resource.namespaced) {
      delete object.metadata.namespace;
      return object;
    }
    if (object.metadata.namespace !== undefined && object.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    object.metadata.namespace = namespace;
    if (!this.store.has(this.key(NAMESPACES, undefined, namespace!))) {
      throw new ApiError(statusReply(404, 'NotFound', `namespaces "${namespace}" not found`, details(NAMESPACES, namespace)));
    }
    return object;
  }

  private selector(query: Record<string, string>): Selector {
    try {
      const labels = labelSelector(query.labelSelector);
      const fields = fieldSelector(query.fieldSelector);
      return object => labels(object) && fields(object);
    } catch (error) {
      throw badRequest((error as Error).message);
    }
  }

  /** The objects a list or watch selects, ordered by namespace and name as the real server's storage orders them. */
  private selected(target: Target, selects: Selector): any[] {
    return [...this.store.values()]
      .filter(o => this.resourceOf(o) === target.resource && (target.namespace === undefined || o.metadata.namespace === target.namespace) && selects(o))
      .sort((a, b) => (storageKey(a) < storageKey(b) ? -1 : 1));
  }

  private list(target: Target, query: Record<string, string>): object {
    const { resource } = target;
    return {
      kind: `${resource.kind}List`, apiVersion: groupVersion(resource), metadata: { resourceVersion: String(this.resourceVersion) },
      items: this.selected(target, this.selector(query)),
    };
  }

  /**
   * Streams the changes to what the watch selects, one JSON event a line, until the client goes, `timeoutSeconds`
   * pass, or the server closes. It starts with the changes after `resourceVersion`; without one (or with "0") it
   * starts with an ADDED event per object; with `sendInitialEvents=true` it sends those and then the bookmark that
   * marks their end.
   */
  private watch(target: Target, query: Record<string, string>, res: http.ServerResponse): void {
    let selects: Selector;
    try {
      selects = this.selector(query);
    } catch (error) {
      return this.reply(res, (error as ApiError).reply);
    }
    const matches = (change: Change) => change.resource === target.resource && selects(change.object)
      && (target.namespace === undefined || change.object.metadata.namespace === target.namespace);
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const since = Number(query.resourceVersion ?? '0');
    if (query.sendInitialEvents === 'true' || since === 0) {
      for (const object of this.selected(target, selects)) this.send(res, 'ADDED', object);
    } else {
      for (const change of this.changes.filter(c => c.resourceVersion > since && matches(c))) this.send(res, change.type, change.object);
    }
    if (query.sendInitialEvents === 'true') {
      this.send(res, 'BOOKMARK', {
        kind: target.resource.kind, apiVersion: groupVersion(target.resource),
        metadata: { resourceVersion: String(this.resourceVersion), annotations: { 'k8s.io/initial-events-end': 'true' } },
      });
    }
    const watch: Watch = { matches, response: res };
    this.watches.add(watch);
    const timer = query.timeoutSeconds ? setTimeout(() => res.end(), Number(query.timeoutSeconds) * 1000) : undefined;
    res.on('close', () => {
      clearTimeout(timer);
      this.watches.delete(watch);
    });
  }
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The last-applied annotation the real server writes for an applied object: the object without that annotation
 * (an emptied annotations map stays, an absent one stays absent), encoded as Go's encoder does (keys sorted, <, >
 * and & escaped, a newline at the end). kubectl's own client-side apply writes `"annotations":{}` always, so the
 * two differ for an object without annotations.
 */
function lastApplied(object: any): string {
  const copy = clone(object);
  if (copy.metadata.annotations) delete copy.metadata.annotations[LAST_APPLIED];
  const sorted = (value: any): any => (Array.isArray(value) ? value.map(sorted)
    : typeof value === 'object' && value !== null ? Object.fromEntries(Object.keys(value).sort().map(k => [k, sorted(value[k])])) : value);
  return `${JSON.stringify(sorted(copy)).replace(/[<>&]/g, c => `\\u00${c.charCodeAt(0).toString(16)}`)}\n`;
}

/** `live` without the fields that the manager's previous apply `before` held and its new apply `after` does not. */
function withoutDropped(live: any, before: any, after: any): any {
  if (typeof before !== 'object' || before === null || Array.isArray(before)) return live;
  for (const key of Object.keys(before)) {
    if (!(key in (after ?? {}))) delete live[key];
    else if (typeof live[key] === 'object' && live[key] !== null) withoutDropped(live[key], before[key], after[key]);
  }
  return live;
}

/** Where the real server's storage keeps an object: lists come in this order. */
const storageKey = (object: any) => `${object.metadata.namespace ?? ''}/${object.metadata.name}`;

/** The resource, namespace, name and subresource of a resource URL; undefined for other URLs. */
function parseTarget(urlPath: string): Target | undefined {
  const segments = urlPath.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (segments[0] === 'api' && segments[1] === 'v1' && segments.length > 2) [group, rest] = ['', segments.slice(2)];
  else if (segments[0] === 'apis' && segments.length > 3) [group, rest] = [segments[1], segments.slice(3)];
  else return undefined;
  const version = segments[group ? 2 : 1];
  const resource = (plural: string) => KUBE_RESOURCES.find(r => r.group === group && r.version === version && r.plural === plural);
  const inNamespace = rest[0] === 'namespaces' && rest.length > 2 ? resource(rest[2]) : undefined;
  if (inNamespace?.namespaced) return { resource: inNamespace, namespace: rest[1], name: rest[3], subresource: rest[4] };
  const found = resource(rest[0]);
  return found && { resource: found, name: rest[1], subresource: rest[2] };
}

/** The RBAC verb of a request. */
function verbOf(method: string, target: Target, query: Record<string, string>): string {
  const watching = query.watch === 'true' || query.watch === '1';
  switch (method) {
    case 'GET': return target.name !== undefined ? 'get' : watching ? 'watch' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return target.name !== undefined ? 'delete' : 'deletecollection';
    default: return method.toLowerCase();
  }
}

/**
 * For a test file: a `start` that runs a fake for the current test, closed after it (jest's afterEach), so no test
 * leaves a server behind for the next.
 */
export function fakeKubeApiPerTest(): (options?: FakeKubeApiOptions) => Promise<FakeKubeApi> {
  let running: FakeKubeApi | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });
  return async (options = {}) => {
    running = await FakeKubeApi.start(options);
    return running;
  };
}

/**
 * An Event about `involved`, to seed: what `kubectl get events` lists (and `kubectl events --for`, which selects on
 * the involved object's apiVersion too). Its name is derived from the rest, so the same event twice is one object.
 */
export function kubeEvent(
  involved: { apiVersion: string; kind: string; namespace: string; name: string },
  event: { reason: string; message: string; type?: 'Normal' | 'Warning'; lastTimestamp?: string },
): object {
  const hash = createHash('sha256').update(JSON.stringify([involved, event])).digest('hex').slice(0, 16);
  const lastTimestamp = event.lastTimestamp ?? '2025-01-01T00:00:00Z';
  return {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: `${involved.name}.${hash}`, namespace: involved.namespace },
    involvedObject: involved, reason: event.reason, message: event.message, type: event.type ?? 'Warning',
    firstTimestamp: lastTimestamp, lastTimestamp, count: 1, source: { component: 'fake' },
  };
}

/**
 * Writes a kubeconfig for `server` into `dir`, with one context (current) whose user has a token; returns its path.
 * With the URL of a closed fake, it names a cluster that refuses connections.
 */
export function writeKubeconfig(dir: string, server: string): string {
  const file = path.join(dir, 'kubeconfig');
  fs.writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', 'current-context: fake',
    `clusters: [{name: fake, cluster: {server: "${server}"}}]`,
    'users: [{name: fake, user: {token: fake-token}}]',
    'contexts: [{name: fake, context: {cluster: fake, user: fake}}]', '',
  ].join('\n'));
  return file;
}
