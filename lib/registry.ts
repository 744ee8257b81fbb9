import { Values } from './values';

/**
 * Where BinderHub pushes the images it builds, and how user pods pull them.
 *
 * Each variant produces the chart values the guide prescribes for that registry.
 */
export abstract class Registry {
  /**
   * No registry: images stay on the node that built them (`use_registry: false`). For single-node setups
   * such as minikube; on a cluster with several nodes, launches on other nodes rebuild.
   */
  public static none(): Registry {
    return new NoRegistry();
  }

  /** The chart values for this registry. */
  public abstract chartValues(): Values;
}

class NoRegistry extends Registry {
  public chartValues(): Values {
    return { config: { BinderHub: { use_registry: false } } };
  }
}
