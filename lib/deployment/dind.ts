import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ConfigError } from '../core/errors';
import { checkHostFolder, checkImageReference, checkLabels } from '../core/names';

/** The dind image: the binderhub chart's current default, pinned. */
export const DEFAULT_DIND_IMAGE = 'docker.io/library/docker:28.3.3-dind';

/** The socket's file name in the socket folder; BinderHub's chart hard-codes it too. */
export const DIND_SOCKET_NAME = 'docker.sock';

/** dockerd's one-letter flags that take no value, so that `-DH tcp://…` is `-D -H tcp://…` (its flag parser, pflag). */
const DOCKERD_SWITCHES = new Set(['D', 'h', 'v']);

/** One `--host` (`-H`) of dockerd's arguments: as written (one or two arguments), and the address it listens on. */
interface DockerdHost {
  readonly written: string;
  readonly address: string;
}

/**
 * Reads `arg` as dockerd's `--host` (`-H`), in each spelling its flag parser reads: `--host=a`, `-Ha`, `-H=a`,
 * and `-H` after other one-letter switches (`-DHa`), with the address inline; `--host`, `-H`, `-DH`, with the
 * address in the next argument (`address` undefined).
 */
function hostFlag(arg: string): { readonly address?: string } | undefined {
  if (arg === '--host') return {};
  if (arg.startsWith('--host=')) return { address: arg.slice('--host='.length) };
  if (!/^-[^-]/.test(arg)) return undefined;
  const letters = arg.slice(1);
  const at = [...letters].findIndex(letter => !DOCKERD_SWITCHES.has(letter));
  if (letters[at] !== 'H') return undefined;
  return at + 1 === letters.length ? {} : { address: letters.slice(at + 1).replace(/^=/, '') };
}

/** The addresses that `args` make dockerd listen on, each with the argument(s) that say so. */
function dockerdHosts(args: readonly string[]): DockerdHost[] {
  const hosts: DockerdHost[] = [];
  for (let i = 0; i < args.length && args[i] !== '--'; i++) { // after `--`, no flags
    const flag = hostFlag(args[i]);
    if (flag?.address !== undefined) {
      hosts.push({ written: args[i], address: flag.address });
    } else if (flag && i + 1 < args.length) {
      hosts.push({ written: `${args[i]} ${args[i + 1]}`, address: args[i + 1] });
      i++;
    }
  }
  return hosts;
}

/**
 * Fails if `args` make dockerd listen anywhere but on a unix socket: on TCP (an address without a scheme is TCP too)
 * it is a privileged daemon that asks no one for credentials, open to every pod on the network.
 */
export function checkDockerdArgs(setting: string, args: readonly string[]): void {
  const listener = dockerdHosts(args).find(host => !host.address.startsWith('unix://'));
  if (listener) {
    throw new ConfigError(`${setting} "${listener.written}" makes dockerd listen on ${listener.address}, not on a unix socket: a privileged `
      + 'Docker daemon with no authentication, open to every pod; builds reach it through its socket in hostSocketDir, so remove that argument');
  }
}

/** Props for `DindDaemonSet`. */
export interface DindDaemonSetProps {
  /** The helm release this builder serves: it names the DaemonSet (`<release>-dind`) and labels its pods. */
  readonly releaseName: string;
  /** The node folder that holds the dockerd socket (mounted at the same path in the pod). */
  readonly hostSocketDir: string;
  /** The node folder that holds dockerd's images and layers (mounted at /var/lib/docker). */
  readonly hostLibDir: string;
  /**
   * The dind image.
   * @default DEFAULT_DIND_IMAGE
   */
  readonly image?: string;
  /**
   * dockerd's storage driver.
   * @default 'overlay2'
   */
  readonly storageDriver?: string;
  /**
   * More dockerd arguments, such as `--mtu=1450` or `--max-concurrent-uploads=32`. A `--host` other than a unix
   * socket is refused: dockerd on TCP would be open to every pod without authentication.
   * @default []
   */
  readonly extraArgs?: string[];
  /**
   * CPU and memory of the dockerd container, which runs every build on its node.
   * @default - no requests or limits, as in the binderhub chart
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Node labels the builder nodes carry; build pods go to the same nodes (`build_node_selector`).
   * @default - every node
   */
  readonly nodeSelector?: Record<string, string>;
}

/**
 * Defines a Docker-in-Docker builder: one privileged dockerd per node, listening on a socket in a host folder
 * of its own, so that two BinderHubs on one cluster never share a dockerd, a socket or an image store.
 *
 * It mirrors the binderhub chart's own dind DaemonSet: the user-node tolerations, the init container that
 * removes a directory left where the socket belongs (a build pod that mounted the socket path before dockerd
 * created it), and `DirectoryOrCreate` host folders.
 */
export class DindDaemonSet extends Construct {
  /** The socket's path on the node. */
  public readonly socketPath: string;
  /** The DaemonSet. */
  public readonly daemonSet: kplus.DaemonSet;

  constructor(scope: Construct, id: string, props: DindDaemonSetProps) {
    super(scope, id);
    checkHostFolder('DindDaemonSet hostSocketDir', props.hostSocketDir, '/var/run/dind/<release>');
    checkHostFolder('DindDaemonSet hostLibDir', props.hostLibDir, '/var/lib/dind/<release>');
    if (props.image !== undefined) checkImageReference('DindDaemonSet image', props.image, DEFAULT_DIND_IMAGE);
    if (props.nodeSelector !== undefined) checkLabels('DindDaemonSet nodeSelector', props.nodeSelector);
    checkDockerdArgs('DindDaemonSet extraArgs', props.extraArgs ?? []);
    this.socketPath = `${props.hostSocketDir}/${DIND_SOCKET_NAME}`;
    const name = `${props.releaseName}-dind`;
    const image = props.image ?? DEFAULT_DIND_IMAGE;

    this.daemonSet = new kplus.DaemonSet(this, 'Resource', {
      metadata: { name, labels: { app: 'binder', component: 'image-builder', release: props.releaseName } },
      podMetadata: { labels: { name, app: 'binder', component: 'image-builder', release: props.releaseName } },
      // dockerd needs root; it is the point of this pod. It talks to no Kubernetes API.
      securityContext: { ensureNonRoot: false },
      automountServiceAccountToken: false,
      terminationGracePeriod: Duration.seconds(30),
    });
    const lib = kplus.Volume.fromHostPath(this, 'lib', 'dockerlib-dind', { path: props.hostLibDir, type: kplus.HostPathVolumeType.DIRECTORY_OR_CREATE });
    const run = kplus.Volume.fromHostPath(this, 'run', 'run-dind', { path: props.hostSocketDir, type: kplus.HostPathVolumeType.DIRECTORY_OR_CREATE });

    this.daemonSet.addInitContainer({
      name: 'filesystem',
      image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      // The socket path is the script's argument ($1), never part of its text: no prop becomes shell code.
      command: ['/bin/sh', '-c', 'if [ -d "$1" ]; then rmdir "$1"; fi', 'sh', this.socketPath],
      securityContext: { ensureNonRoot: false, user: 0, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
      resources: {},
      volumeMounts: [{ volume: run, path: props.hostSocketDir }],
    });
    this.daemonSet.addContainer({
      name: 'dind',
      image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      args: ['dockerd', `--storage-driver=${props.storageDriver ?? 'overlay2'}`, `--host=unix://${this.socketPath}`, ...(props.extraArgs ?? [])],
      // privileged with allowPrivilegeEscalation false is refused by the API server: say both explicitly.
      securityContext: { privileged: true, allowPrivilegeEscalation: true, ensureNonRoot: false, user: 0, readOnlyRootFilesystem: false },
      resources: props.resources ?? {},
      volumeMounts: [{ volume: lib, path: '/var/lib/docker' }, { volume: run, path: props.hostSocketDir }],
    });

    for (const key of ['hub.jupyter.org/dedicated', 'hub.jupyter.org_dedicated']) {
      this.daemonSet.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is(key, 'user', { effect: kplus.TaintEffect.NO_SCHEDULE })));
    }
    const selector = Object.entries(props.nodeSelector ?? {}).map(([key, value]) => kplus.NodeLabelQuery.is(key, value));
    if (selector.length > 0) {
      this.daemonSet.scheduling.attract(kplus.Node.labeled(...selector));
    }
  }
}
