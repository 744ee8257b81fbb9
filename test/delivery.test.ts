/**
 * Delivery by Argo CD and Flux (#35) on what the real chart renders: the controllers' objects validate against their
 * schemas, the sync waves (Argo CD) and the Kustomizations' dependency (Flux, built by kubectl's kustomize) order the
 * objects as `npm run apply`'s plan does, the controller never prunes what `prune-command` keeps, a deployment
 * without the prop is unchanged, and check-dist and diff see the controller's file.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Testing } from 'cdk8s';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import {
  applyPlan, ArgoCdDeliveryProps, DEPLOYMENT_LABEL, deploymentOfFile, BinderHub, BinderHubProps, checkManifests, ChartSource, DEFAULT_TARGETS, Delivery, diffDeployments, formatDeploymentDiffs,
  knownKindChecker, kubernetesModel, ManifestObject, parseManifest, plannedFiles, pruneCommand, SecretsMode, synthesizeFiles, SYNC_OPTIONS_ANNOTATION, SYNC_WAVE_ANNOTATION,
  FLUX_PRUNE_ANNOTATION, Tls, toolPath,
} from '../lib/internal';
import { configErrorMessage, fakeTokens, TEST_REGISTRY } from './helpers';
import { describeWithRealChart } from './real-chart';
import { controllerKeys } from './sealing';

const ARGO_CD: ArgoCdDeliveryProps = { repoURL: 'https://github.com/example/binder-deploy.git', targetRevision: 'main' };
const EXTERNAL = SecretsMode.external({ storeName: 'vault' });

/** The files of an app with one deployment `prod` of the real chart, by file name. */
function synthFiles(chart: string, props: Partial<BinderHubProps>): Map<string, string> {
  const app = Testing.app();
  new BinderHub(app, 'prod', { chart: ChartSource.local(chart), tokens: fakeTokens('prod'), registry: TEST_REGISTRY, secrets: EXTERNAL, ...props });
  return new Map(synthesizeFiles(app));
}

/** The objects of one synthesized file. */
function objectsOf(files: Map<string, string>, name: string): ManifestObject[] {
  return parseManifest(files.get(name)!, name);
}

const id = (o: ManifestObject) => `${o.kind} ${o.metadata.name}`;
/** The object's annotations (ManifestObject does not type them). */
const annotations = (o: ManifestObject): Record<string, string> => (o.metadata as { annotations?: Record<string, string> }).annotations ?? {};
const annotation = (o: ManifestObject, key: string): string | undefined => annotations(o)[key];

/** The objects as Argo CD syncs them: wave by wave (0 unless annotated), in file order within a wave. */
function inWaveOrder(objects: ManifestObject[]): ManifestObject[] {
  const wave = (o: ManifestObject) => Number(annotation(o, SYNC_WAVE_ANNOTATION) ?? 0);
  return [...objects].sort((a, b) => wave(a) - wave(b));
}

/** The objects without the annotations delivery adds (an emptied annotations object dropped). */
function withoutArgoCdAnnotations(objects: ManifestObject[]): ManifestObject[] {
  return objects.map(o => {
    const kept = Object.fromEntries(Object.entries(annotations(o)).filter(([k]) => !k.startsWith('argocd.argoproj.io/')));
    const { annotations: _dropped, ...metadata } = o.metadata as { annotations?: object; name: string };
    return { ...o, metadata: Object.keys(kept).length > 0 ? { ...metadata, annotations: kept } : metadata };
  });
}

describeWithRealChart('delivery by Argo CD', chart => {
  const sealed = SecretsMode.sealed({ certificate: controllerKeys().certificate });

  test('the Application validates against Argo CD\'s Application schema and syncs only its deployment\'s file, automated with prune and self-heal', () => {
    const files = synthFiles(chart, { secrets: sealed, delivery: Delivery.argoCd(ARGO_CD) });
    const [application] = objectsOf(files, 'prod-delivery.k8s.yaml');
    expect(() => new Application(application as any).validate()).not.toThrow();
    expect(() => new (kubernetesModel(application.apiVersion, application.kind)!)(application).validate()).not.toThrow();
    expect(application.metadata).toEqual({ name: 'prod', namespace: 'argocd', labels: { [DEPLOYMENT_LABEL]: 'prod' } });
    expect(application.spec.source).toEqual({ repoURL: ARGO_CD.repoURL, targetRevision: 'main', path: 'dist', directory: { include: 'prod.k8s.yaml' } });
    expect(application.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'prod' });
    expect(application.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(application.spec.syncPolicy.retry.limit).toBe(5);
  });

  test('an Application synced by hand (automated: false) with other settings validates too', () => {
    const delivery = Delivery.argoCd({ ...ARGO_CD, automated: false, path: 'deploy/dist', project: 'binder', argoCdNamespace: 'gitops', retryLimit: 0 });
    const [application] = objectsOf(synthFiles(chart, { delivery }), 'prod-delivery.k8s.yaml');
    expect(() => new Application(application as any).validate()).not.toThrow();
    expect(application.spec.syncPolicy.automated).toBeUndefined();
    expect([application.metadata.namespace, application.spec.project, application.spec.source.path]).toEqual(['gitops', 'binder', 'deploy/dist']);
  });

  test.each([['sealed', sealed], ['external', EXTERNAL]])('with %s Secrets, the sync waves order the objects as npm run apply\'s plan does', (_, secrets) => {
    const objects = objectsOf(synthFiles(chart, { secrets, delivery: Delivery.argoCd(ARGO_CD) }), 'prod.k8s.yaml');
    const plan = applyPlan({ manifests: { file: 'dist/prod.k8s.yaml', objects } }, false);
    const planOrder = [...plan.first, ...plan.objects.filter(o => !plan.first.includes(o))];
    expect(plan.first.map(o => o.kind)).toEqual(expect.arrayContaining(['Namespace', secrets === sealed ? 'SealedSecret' : 'ExternalSecret']));
    expect(objects.map(id)).not.toEqual(planOrder.map(id)); // the file alone does not give that order: the waves do
    expect(inWaveOrder(objects).map(id)).toEqual(planOrder.map(id));
  });

  test('the controller never prunes what prune-command keeps: the Namespace and the hub database claim hub-db-dir', () => {
    const objects = objectsOf(synthFiles(chart, { delivery: Delivery.argoCd(ARGO_CD) }), 'prod.k8s.yaml');
    const protectedObjects = objects.filter(o => annotation(o, SYNC_OPTIONS_ANNOTATION) === 'Prune=false').map(id);
    expect(protectedObjects).toEqual(['Namespace prod', 'PersistentVolumeClaim hub-db-dir']);
    const kept = pruneCommand({ manifests: { file: 'dist/prod.k8s.yaml', objects } }).kept;
    expect(kept.map(k => k.kind)).toEqual(protectedObjects.map(o => o.split(' ')[0]));
  });

  test('a deployment without delivery carries no Argo CD annotation and gets no delivery file; with it, only the annotations and that file differ', () => {
    const without = synthFiles(chart, {});
    const delivered = synthFiles(chart, { delivery: Delivery.argoCd(ARGO_CD) });
    expect([...without.keys()]).toEqual(['prod.k8s.yaml', 'prod-secrets.k8s.yaml']);
    expect([...delivered.keys()].sort()).toEqual(['prod-delivery.k8s.yaml', 'prod-secrets.k8s.yaml', 'prod.k8s.yaml']);
    expect(without.get('prod.k8s.yaml')).not.toContain('argocd.argoproj.io');
    expect(delivered.get('prod-secrets.k8s.yaml')).toBe(without.get('prod-secrets.k8s.yaml'));
    expect(withoutArgoCdAnnotations(objectsOf(delivered, 'prod.k8s.yaml'))).toEqual(objectsOf(without, 'prod.k8s.yaml'));
  });

  test('check-dist and diff cover the delivery file: it goes to dist/, its kind is known and apply-ready, and a change shows in its deployment\'s diff', () => {
    const files = synthFiles(chart, { delivery: Delivery.argoCd(ARGO_CD) });
    const planned = plannedFiles(files, DEFAULT_TARGETS).find(f => f.target === 'dist/prod-delivery.k8s.yaml');
    expect(planned?.secret).toBe(false);
    expect(checkManifests(objectsOf(files, 'prod-delivery.k8s.yaml'), { isKnownKind: knownKindChecker() })).toEqual([]);
    const moved = synthFiles(chart, { delivery: Delivery.argoCd({ ...ARGO_CD, targetRevision: 'release' }) });
    const texts = (f: Map<string, string>) => new Map([['dist/prod-delivery.k8s.yaml', f.get('prod-delivery.k8s.yaml')!]]);
    const lines = formatDeploymentDiffs(diffDeployments(texts(files), texts(moved), DEFAULT_TARGETS)).join('\n');
    expect(deploymentOfFile('dist/prod-delivery.k8s.yaml', DEFAULT_TARGETS)).toBe('prod');
    expect(lines).toMatch(/^deployment prod:/);
    expect(lines).toContain('Application');
    expect(lines).toContain('targetRevision');
  });

  test.each([
    ['separate', SecretsMode.separate(), /keeps its Secrets in dist-secrets\/, which git ignores/],
    ['inline', SecretsMode.inline(), /writes its Secrets into dist\/ in plain text/],
  ])('delivery with %s Secrets is refused, naming sealed and external', (_, secrets, why) => {
    const message = configErrorMessage(() => synthFiles(chart, { secrets, delivery: Delivery.argoCd(ARGO_CD) }));
    expect(message).toMatch(why);
    expect(message).toMatch(/^deployment "prod" is delivered by Argo CD but its secrets mode .*: set secrets to SecretsMode\.sealed\(\.\.\.\) or SecretsMode\.external\(\.\.\.\)$/);
  });
});

/**
 * The repository files a GitRepository's `ignore` leaves in its artifact, as git reads the same patterns (Flux reads
 * `.sourceignore` texts with a gitignore matcher).
 */
function filesLeft(ignore: string, files: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-source-'));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), '');
  }
  fs.writeFileSync(path.join(dir, '.gitignore'), ignore);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return execFileSync('git', ['ls-files', '--others', '--exclude-standard'], { cwd: dir, encoding: 'utf8' }).split('\n').filter(f => f !== '' && f !== '.gitignore').sort();
}

/** What a Flux Kustomization applies of `files` (name to text, the folder's files): kubectl's kustomize with its patches. */
function kustomizeBuild(kustomization: ManifestObject, files: Map<string, string>): ManifestObject[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-kustomize-'));
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), yaml.dump({
    apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...files.keys()], patches: kustomization.spec.patches ?? [],
  }));
  return parseManifest(execFileSync(toolPath('kubectl'), ['kustomize', dir], { encoding: 'utf8' }), `kustomize of ${kustomization.metadata.name}`);
}

describeWithRealChart('delivery by Flux', chart => {
  const FLUX = { url: 'https://github.com/example/binder-deploy.git' };
  const sealed = SecretsMode.sealed({ certificate: controllerKeys().certificate });

  test('the GitRepository and Kustomizations validate against Flux\'s schemas; the second depends on the first', () => {
    const objects = objectsOf(synthFiles(chart, { secrets: sealed, delivery: Delivery.flux({ ...FLUX, secretName: 'deploy-key', interval: '1m' }) }), 'prod-delivery.k8s.yaml');
    expect(objects.map(o => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['GitRepository flux-system/prod', 'Kustomization flux-system/prod-first', 'Kustomization flux-system/prod']);
    for (const object of objects) expect(() => new (kubernetesModel(object.apiVersion, object.kind)!)(object).validate()).not.toThrow();
    expect(checkManifests(objects, { isKnownKind: knownKindChecker() })).toEqual([]);
    expect(objects[0].spec).toMatchObject({ url: FLUX.url, ref: { branch: 'main' }, interval: '1m', secretRef: { name: 'deploy-key' } });
    expect(objects[2].spec.dependsOn).toEqual([{ name: 'prod-first' }]);
    expect(objects.slice(1).map(o => [o.spec.sourceRef, o.spec.path, o.spec.prune, o.spec.wait])).toEqual([
      [{ kind: 'GitRepository', name: 'prod' }, './dist', true, true], [{ kind: 'GitRepository', name: 'prod' }, './dist', true, true],
    ]);
  });

  test.each([['dist', 'dist/'], ['deploy/dist', 'deploy/dist/']])('the GitRepository of path %s leaves the deployment\'s file alone in the artifact', (folder, prefix) => {
    const [repository] = objectsOf(synthFiles(chart, { delivery: Delivery.flux({ ...FLUX, path: folder }), secrets: EXTERNAL }), 'prod-delivery.k8s.yaml');
    const files = ['main.ts', 'README.md', 'dist/staging.k8s.yaml', 'deploy/other.yaml', 'hub-urls/prod.url',
      ...['prod.k8s.yaml', 'prod-delivery.k8s.yaml', 'staging.k8s.yaml', 'README.md', 'nested/prod.k8s.yaml'].map(f => `${prefix}${f}`)];
    expect(filesLeft(repository.spec.ignore, files)).toEqual([`${prefix}prod.k8s.yaml`]);
  });

  test.each([['sealed', sealed], ['external', EXTERNAL]])('with %s Secrets, the Kustomizations apply the objects in the steps of npm run apply\'s plan', (_, secrets) => {
    const files = synthFiles(chart, { secrets, delivery: Delivery.flux(FLUX) });
    const objects = objectsOf(files, 'prod.k8s.yaml');
    const [, first, rest] = objectsOf(files, 'prod-delivery.k8s.yaml');
    const plan = applyPlan({ manifests: { file: 'dist/prod.k8s.yaml', objects } }, false);
    const built = (kustomization: ManifestObject) => kustomizeBuild(kustomization, new Map([['prod.k8s.yaml', files.get('prod.k8s.yaml')!]])).map(id).sort();
    expect(built(first)).toEqual(plan.first.map(id).sort());
    expect(built(rest)).toEqual(plan.objects.filter(o => !plan.first.includes(o)).map(id).sort());
  });

  test('the Flux objects name no kind the chart renders: a deployment that renders more kinds (an Ingress) gets the same delivery file', () => {
    const ingress = {
      binderHost: 'binder.example.org', hubHost: 'hub.example.org', ingressClassName: 'nginx',
      binderTls: Tls.certManager({ clusterIssuer: 'letsencrypt' }), hubTls: Tls.certManager({ clusterIssuer: 'letsencrypt' }),
    };
    const plain = synthFiles(chart, { secrets: EXTERNAL, delivery: Delivery.flux(FLUX) });
    const withIngress = synthFiles(chart, { secrets: EXTERNAL, delivery: Delivery.flux(FLUX), ingress });
    expect(objectsOf(withIngress, 'prod.k8s.yaml').map(o => o.kind)).toContain('Ingress');
    expect(withIngress.get('prod-delivery.k8s.yaml')).toBe(plain.get('prod-delivery.k8s.yaml'));
  });

  test('Flux never prunes what prune-command keeps; a deployment delivered by Flux carries no Argo CD annotation', () => {
    const files = synthFiles(chart, { delivery: Delivery.flux(FLUX), secrets: EXTERNAL });
    const objects = objectsOf(files, 'prod.k8s.yaml');
    expect(objects.filter(o => annotation(o, FLUX_PRUNE_ANNOTATION) === 'disabled').map(id)).toEqual(['Namespace prod', 'PersistentVolumeClaim hub-db-dir']);
    expect(files.get('prod.k8s.yaml')).not.toContain('argocd.argoproj.io');
  });

  test('delivery by Flux with separate Secrets is refused, naming sealed and external', () => {
    expect(configErrorMessage(() => synthFiles(chart, { secrets: SecretsMode.separate(), delivery: Delivery.flux(FLUX) })))
      .toMatch(/^deployment "prod" is delivered by Flux but its secrets mode separate .*: set secrets to SecretsMode\.sealed\(\.\.\.\) or SecretsMode\.external\(\.\.\.\)$/);
  });
});
