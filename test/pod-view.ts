import { secretValue } from './helpers';

/** What one container of a synthesized Deployment sees when it starts: its environment and its mounted files. */
export interface ContainerView {
  /** The config file its command line names (`--config <file>`), if any. */
  readonly configFile?: string;
  /** The environment: service links, then the container's own env, with every reference resolved. */
  readonly env: Record<string, string>;
  /** The files of its Secret and ConfigMap mounts, by absolute path. */
  readonly files: Record<string, string>;
  /** The mount points of those files (a directory, or one file for a subPath mount). */
  readonly mounts: string[];
}

/** The address Kubernetes would give a Service, which a synth cannot know (a documentation address, RFC 5737). */
const PLACEHOLDER_CLUSTER_IP = '192.0.2.1';

/**
 * Resolves what container `container` (default: the first) of Deployment `deployment` sees, from the objects of
 * one synth, the way the kubelet does: env values, `valueFrom` references to ConfigMaps, Secrets and the pod's
 * namespace, the Services' link variables, and the files of Secret and ConfigMap volumes. A reference to an object
 * or key the output lacks fails, as the pod would not start (unless the reference is optional).
 */
export function containerView(objects: any[], deployment: string, container?: string): ContainerView {
  const found = objects.find(o => o.kind === 'Deployment' && o.metadata.name === deployment);
  if (!found) throw new Error(`no Deployment ${deployment} in the output`);
  const namespace: string = found.metadata.namespace;
  const pod = found.spec.template.spec;
  const spec = container === undefined ? pod.containers[0] : pod.containers.find((c: any) => c.name === container);
  if (!spec) throw new Error(`Deployment ${deployment} has no container ${container}`);
  const inNamespace = (kind: string, name: string) =>
    objects.find(o => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
  const sources = {
    configMap: (name: string): Record<string, string> | undefined => {
      const configMap = inNamespace('ConfigMap', name);
      return configMap && (configMap.data ?? {});
    },
    secret: (name: string): Record<string, string> | undefined => {
      const secret = inNamespace('Secret', name);
      if (!secret) return undefined;
      const keys = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
      return Object.fromEntries([...keys].map(k => [k, secretValue(secret, k)]));
    },
  };

  const args: string[] = [...(spec.command ?? []), ...(spec.args ?? [])];
  const configIndex = args.indexOf('--config');

  const env: Record<string, string> = pod.enableServiceLinks === false ? {} : serviceLinks(objects.filter(o => o.kind === 'Service' && o.metadata.namespace === namespace));
  for (const entry of spec.env ?? []) {
    const value = envValue(entry, namespace, sources);
    if (value !== undefined) env[entry.name] = value;
  }

  const files: Record<string, string> = {};
  const mounts: string[] = [];
  for (const mount of spec.volumeMounts ?? []) {
    const volume = pod.volumes.find((v: any) => v.name === mount.name);
    const content = volumeFiles(volume, sources);
    if (content === undefined) continue;
    mounts.push(mount.mountPath);
    for (const [file, text] of Object.entries(content)) {
      if (mount.subPath === undefined) files[`${mount.mountPath.replace(/\/$/, '')}/${file}`] = text;
      else if (mount.subPath === file) files[mount.mountPath] = text;
    }
  }
  return { configFile: configIndex < 0 ? undefined : args[configIndex + 1], env, files, mounts };
}

type Sources = Record<'configMap' | 'secret', (name: string) => Record<string, string> | undefined>;

/** One env entry's value, or undefined when an optional reference finds nothing. */
function envValue(entry: any, namespace: string, sources: Sources): string | undefined {
  if (entry.valueFrom === undefined) return entry.value ?? '';
  const { configMapKeyRef, secretKeyRef, fieldRef } = entry.valueFrom;
  if (fieldRef) {
    if (fieldRef.fieldPath !== 'metadata.namespace') throw new Error(`env ${entry.name}: fieldRef ${fieldRef.fieldPath} is not resolved here`);
    return namespace;
  }
  const [kind, ref] = configMapKeyRef ? ['configMap', configMapKeyRef] as const : secretKeyRef ? ['secret', secretKeyRef] as const : [];
  if (!kind) throw new Error(`env ${entry.name}: ${Object.keys(entry.valueFrom).join(', ')} is not resolved here`);
  const value = sources[kind](ref.name)?.[ref.key];
  if (value === undefined && !ref.optional) {
    throw new Error(`env ${entry.name} reads key ${ref.key} of ${kind} ${ref.name}, which the output lacks: the pod would not start`);
  }
  return value;
}

/** The files a Secret or ConfigMap volume holds, by their path in the volume; undefined for other volume types. */
function volumeFiles(volume: any, sources: Sources): Record<string, string> | undefined {
  const [kind, name, source] = volume.secret ? ['secret', volume.secret.secretName, volume.secret] as const
    : volume.configMap ? ['configMap', volume.configMap.name, volume.configMap] as const : [];
  if (!kind) return undefined;
  const data = sources[kind](name);
  if (data === undefined) {
    if (source.optional) return {};
    throw new Error(`volume ${volume.name} mounts ${kind} ${name}, which the output lacks: the pod would not start`);
  }
  if (!source.items) return data;
  return Object.fromEntries(source.items.filter((i: any) => data[i.key] !== undefined).map((i: any) => [i.path, data[i.key]]));
}

/** The variables Kubernetes sets for each Service of the namespace (enableServiceLinks), without docker links. */
function serviceLinks(services: any[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const service of services) {
    if (service.spec.clusterIP === 'None' || service.spec.type === 'ExternalName' || !service.spec.ports?.length) continue;
    const prefix = service.metadata.name.toUpperCase().replace(/-/g, '_');
    env[`${prefix}_SERVICE_HOST`] = service.spec.clusterIP ?? PLACEHOLDER_CLUSTER_IP;
    env[`${prefix}_SERVICE_PORT`] = String(service.spec.ports[0].port);
    for (const port of service.spec.ports.filter((p: any) => p.name)) {
      env[`${prefix}_SERVICE_PORT_${port.name.toUpperCase().replace(/-/g, '_')}`] = String(port.port);
    }
  }
  return env;
}
