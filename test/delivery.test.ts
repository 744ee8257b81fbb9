/**
 * Delivery by Argo CD (#35) on what the real chart renders: the Application validates against Argo CD's schema, the
 * sync waves order the objects as `npm run apply`'s plan does, the controller never prunes what `prune-command`
 * keeps, a deployment without the prop is unchanged, and check-dist and diff see the Application's file.
 */
import { Testing } from 'cdk8s';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import {
  applyPlan, ArgoCdDeliveryProps, DEPLOYMENT_LABEL, deploymentOfFile, BinderHub, BinderHubProps, checkManifests, ChartSource, DEFAULT_TARGETS, Delivery, diffDeployments, formatDeploymentDiffs,
  knownKindChecker, kubernetesModel, ManifestObject, parseManifest, plannedFiles, pruneCommand, SecretsMode, synthesizeFiles, SYNC_OPTIONS_ANNOTATION, SYNC_WAVE_ANNOTATION,
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
