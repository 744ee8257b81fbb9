import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkDockerdArgs, DEFAULT_DIND_IMAGE, DIND_SOCKET_NAME, DindDaemonSet } from './dind';
import { ConfigError } from '../core/errors';
import { imageTagProblem } from '../chart/image-tags';
import { checkHostFolder, checkImageReference, checkLabels } from '../core/names';
import { deepMerge, Values } from '../core/values';

/** A node path that a builder owns: no builder of another deployment may use it, a path inside it, or one around it. */
export interface BuilderHostRegion {
  /** The setting it comes from, given or defaulted, for messages: `Builder.dind hostSocketDir`. */
  readonly setting: string;
  /** The path on the node. */
  readonly path: string;
}

/** The folders a builder uses on every node it runs on. */
export interface BuilderHostPaths {
  /** The builder's socket. */
  readonly socket: string;
  /** The folder with the builder's socket. */
  readonly socketDir: string;
  /** The folder with the builder's images and layers. */
  readonly libDir: string;
  /** What the builder owns on the node: its socket folder and image store (for the node's Docker, its socket). */
  readonly regions: readonly BuilderHostRegion[];
}

/** How a region of one builder overlaps a region of another. */
export interface BuilderHostOverlap {
  readonly mine: BuilderHostRegion;
  readonly relation: 'is the same path as' | 'is inside' | 'contains';
  readonly theirs: BuilderHostRegion;
}

/**
 * The first region of `mine` that is, is inside or contains a region of `theirs`, if any. Paths are normalized
 * (checkHostFolder), so comparing whole steps as strings is enough.
 */
export function builderHostOverlap(mine: BuilderHostPaths, theirs: BuilderHostPaths): BuilderHostOverlap | undefined {
  for (const a of mine.regions) {
    for (const b of theirs.regions) {
      if (a.path === b.path) return { mine: a, relation: 'is the same path as', theirs: b };
      if (a.path.startsWith(`${b.path}/`)) return { mine: a, relation: 'is inside', theirs: b };
      if (b.path.startsWith(`${a.path}/`)) return { mine: a, relation: 'contains', theirs: b };
    }
  }
  return undefined;
}

/** Options every builder shares. */
export interface BuilderCommonProps {
  /**
   * Node labels of the nodes that build (`config.BinderHub.build_node_selector`): build pods, the builder
   * and the image cleaner go there.
   * @default - every node
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Whether the chart's image cleaner prunes the builder's images when its disk fills up.
   * @default true
   */
  readonly imageCleaner?: boolean;
}

/** Props for `Builder.dind`. */
export interface DindBuilderProps extends BuilderCommonProps {
  /**
   * The node folder for the dockerd socket.
   * @default - /var/run/dind/<release name>
   */
  readonly hostSocketDir?: string;
  /**
   * The node folder for dockerd's images and layers.
   * @default - /var/lib/dind/<release name>
   */
  readonly hostLibDir?: string;
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
   * More dockerd arguments (mybinder.org uses `--mtu=1450` and `--max-concurrent-uploads=32`). A `--host` other than
   * a unix socket is refused: dockerd on TCP would be open to every pod without authentication.
   * @default []
   */
  readonly extraArgs?: string[];
  /**
   * CPU and memory of dockerd.
   * @default - no requests or limits
   */
  readonly resources?: kplus.ContainerResources;
}

/** Props for `Builder.pink`. */
export interface PinkBuilderProps extends BuilderCommonProps {
  /**
   * The node folder for the podman socket.
   * @default - /var/run/pink/<release name>
   */
  readonly hostSocketDir?: string;
  /**
   * The node folder for podman's storage.
   * @default - /var/lib/pink/<release name>
   */
  readonly hostStorageDir?: string;
}

/** Props for `Builder.host`. */
export interface HostBuilderProps extends BuilderCommonProps {}

/** How BinderHub builds images: which daemon runs the builds, and where on the node it keeps its socket and data. */
export abstract class Builder {
  /**
   * Docker-in-Docker: this project's own dind DaemonSet (`<release>-dind`), with host folders of this
   * deployment's own. The chart runs no builder of its own (`imageBuilderType: host`); builds and the image
   * cleaner are pointed at this socket. Works on containerd-only nodes.
   */
  public static dind(props: DindBuilderProps = {}): Builder {
    return new DindBuilder(props);
  }

  /** Podman-in-Kubernetes: the chart's own podman DaemonSet (`<release>-pink`), with host folders of this deployment's own. */
  public static pink(props: PinkBuilderProps = {}): Builder {
    return new PinkBuilder(props);
  }

  /**
   * The node's own Docker daemon (`/var/run/docker.sock`), as the chart does by default. Only for nodes that
   * run Docker; two deployments with host builders would share it.
   */
  public static host(props: HostBuilderProps = {}): Builder {
    return new HostBuilder(props);
  }

  /** Checks the options every builder shares; `factory` names the builder in messages. @internal */
  protected constructor(protected readonly common: BuilderCommonProps, factory: string) {
    if (common.nodeSelector !== undefined) checkLabels(`${factory} nodeSelector`, common.nodeSelector);
  }

  /** The factory that made this builder, for messages. @internal */
  public abstract readonly description: string;

  /**
   * Whether the images this builder makes live in a store of its own that the kubelet cannot run them from,
   * so that user pods can start them only from a registry.
   * @internal
   */
  public abstract readonly keepsImagesPrivate: boolean;

  /** The node folders this builder uses for release `releaseName` (given folders were checked by the factory). @internal */
  public hostPaths(releaseName: string): BuilderHostPaths {
    return this.folders(releaseName);
  }

  /** Adds what the builder needs to `scope` and returns the chart values that wire it up. @internal */
  public bind(scope: Construct, releaseName: string): Values {
    const paths = this.hostPaths(releaseName);
    const common: Values = { imageCleaner: { enabled: this.common.imageCleaner ?? true } };
    if (this.common.nodeSelector) {
      common.config = { BinderHub: { build_node_selector: this.common.nodeSelector } };
    }
    return deepMerge(common, this.wire(scope, releaseName, paths));
  }

  /** The node folders, as given or defaulted. @internal */
  protected abstract folders(releaseName: string): BuilderHostPaths;

  /** The builder's own constructs and values. @internal */
  protected abstract wire(scope: Construct, releaseName: string, paths: BuilderHostPaths): Values;
}

class DindBuilder extends Builder {
  public readonly description = 'Builder.dind()';
  public readonly keepsImagesPrivate = true;

  constructor(private readonly props: DindBuilderProps) {
    super(props, 'Builder.dind');
    if (props.image !== undefined) {
      checkImageReference('Builder.dind image', props.image, DEFAULT_DIND_IMAGE);
      const problem = imageTagProblem(props.image);
      if (problem) throw new ConfigError(`builder image "${props.image}" has ${problem}; pin a tag in Builder.dind({ image }), such as ${DEFAULT_DIND_IMAGE}`);
    }
    checkOptionalFolder('Builder.dind hostSocketDir', props.hostSocketDir, '/var/run/dind/<deployment>');
    checkOptionalFolder('Builder.dind hostLibDir', props.hostLibDir, '/var/lib/dind/<deployment>');
    checkDockerdArgs('Builder.dind extraArgs', props.extraArgs ?? []);
  }

  protected folders(releaseName: string): BuilderHostPaths {
    const socketDir = this.props.hostSocketDir ?? `/var/run/dind/${releaseName}`;
    const libDir = this.props.hostLibDir ?? `/var/lib/dind/${releaseName}`;
    return {
      socket: `${socketDir}/${DIND_SOCKET_NAME}`, socketDir, libDir,
      regions: [{ setting: 'Builder.dind hostSocketDir', path: socketDir }, { setting: 'Builder.dind hostLibDir', path: libDir }],
    };
  }

  protected wire(scope: Construct, releaseName: string, paths: BuilderHostPaths): Values {
    const dind = new DindDaemonSet(scope, 'dind', {
      releaseName,
      hostSocketDir: paths.socketDir,
      hostLibDir: paths.libDir,
      image: this.props.image,
      storageDriver: this.props.storageDriver,
      extraArgs: this.props.extraArgs,
      resources: this.props.resources,
      nodeSelector: this.props.nodeSelector,
    });
    return {
      // The chart's own dind would be a second dockerd; ours is the only one.
      imageBuilderType: 'host',
      config: { KubernetesBuildExecutor: { docker_host: `unix://${dind.socketPath}` } },
      imageCleaner: { host: { dockerSocketDir: paths.socketDir, dockerSocketName: DIND_SOCKET_NAME, dockerLibDir: paths.libDir } },
    };
  }
}

class PinkBuilder extends Builder {
  public readonly description = 'Builder.pink()';
  public readonly keepsImagesPrivate = true;

  constructor(private readonly props: PinkBuilderProps) {
    super(props, 'Builder.pink');
    checkOptionalFolder('Builder.pink hostSocketDir', props.hostSocketDir, '/var/run/pink/<deployment>');
    checkOptionalFolder('Builder.pink hostStorageDir', props.hostStorageDir, '/var/lib/pink/<deployment>');
  }

  protected folders(releaseName: string): BuilderHostPaths {
    const socketDir = this.props.hostSocketDir ?? `/var/run/pink/${releaseName}`;
    const libDir = this.props.hostStorageDir ?? `/var/lib/pink/${releaseName}`;
    return {
      socket: `${socketDir}/podman.sock`, socketDir, libDir,
      regions: [{ setting: 'Builder.pink hostSocketDir', path: socketDir }, { setting: 'Builder.pink hostStorageDir', path: libDir }],
    };
  }

  protected wire(_scope: Construct, _releaseName: string, paths: BuilderHostPaths): Values {
    // The chart renders <release>-pink and points builds and the cleaner at its socket.
    return { imageBuilderType: 'pink', pink: { hostSocketDir: paths.socketDir, hostStorageDir: paths.libDir } };
  }
}

class HostBuilder extends Builder {
  public readonly description = 'Builder.host()';
  // The node's own Docker is the runtime the kubelet starts user pods with.
  public readonly keepsImagesPrivate = false;

  constructor(props: HostBuilderProps) {
    super(props, 'Builder.host');
  }

  protected folders(): BuilderHostPaths {
    // The node's Docker owns its socket, not all of /var/run, where other builders' folders may live.
    return {
      socket: '/var/run/docker.sock', socketDir: '/var/run', libDir: '/var/lib/docker',
      regions: [{ setting: 'Builder.host socket', path: '/var/run/docker.sock' }, { setting: 'Builder.host image store', path: '/var/lib/docker' }],
    };
  }

  protected wire(): Values {
    return { imageBuilderType: 'host' };
  }
}

function checkOptionalFolder(setting: string, value: string | undefined, example: string): void {
  if (value !== undefined) checkHostFolder(setting, value, example);
}
