import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ConfigError } from './errors';

/** CPU and memory as a container spec writes them (`500m`, `2`, `1Gi`), requests and limits. */
export interface ResourceQuantities {
  /** CPU in cores (`2`, `0.5`) or millicores (`500m`). */
  readonly cpu?: { readonly request?: string | number; readonly limit?: string | number };
  /** Memory in bytes, or with a suffix: binary `Ki` to `Ei`, decimal `k` to `E`. */
  readonly memory?: { readonly request?: string | number; readonly limit?: string | number };
}

const SUFFIXES: Readonly<Record<string, number>> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A Kubernetes quantity (`500m`, `1Gi`, `2`, `1e3`) in its base unit (cores, bytes), or undefined if it is none. */
export function parseQuantity(quantity: unknown): number | undefined {
  if (typeof quantity === 'number') return Number.isFinite(quantity) ? quantity : undefined;
  if (typeof quantity !== 'string') return undefined;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(quantity.trim());
  return match ? Number(match[1]) * SUFFIXES[match[2] ?? ''] : undefined;
}

/** Whether two values are the same quantity written alike or not (`1Gi` and `1024Mi`, `2` and `"2"`). */
export function sameQuantity(a: unknown, b: unknown): boolean {
  const [x, y] = [parseQuantity(a), parseQuantity(b)];
  return x !== undefined && y !== undefined && Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

/**
 * The resources of a container (as `Builder.dind({ resources })` takes them) from quantities as a values file writes
 * them: CPU as given, memory in whole mebibytes (the unit cdk8s-plus writes). A quantity it cannot take fails,
 * naming `setting`.
 */
export function containerResources(quantities: ResourceQuantities, setting = 'resources'): kplus.ContainerResources {
  const cpu = (value: string | number | undefined, name: string) => {
    if (value === undefined) return undefined;
    const text = String(value).trim();
    if (/^\d+m$/.test(text)) return kplus.Cpu.millis(Number(text.slice(0, -1)));
    if (/^\d+(\.\d+)?$/.test(text)) return kplus.Cpu.units(Number(text));
    throw new ConfigError(`${setting}.${name} "${text}" is no CPU quantity; give cores (2, 0.5) or millicores (500m)`);
  };
  const memory = (value: string | number | undefined, name: string) => {
    if (value === undefined) return undefined;
    const mebibytes = (parseQuantity(value) ?? NaN) / 2 ** 20;
    if (!Number.isInteger(mebibytes) || mebibytes <= 0) {
      throw new ConfigError(`${setting}.${name} "${value}" is not a whole number of mebibytes, which the container's memory takes; write it in Mi or Gi, such as 4Gi`);
    }
    return Size.mebibytes(mebibytes);
  };
  const pair = <T>(make: (v: string | number | undefined, n: string) => T | undefined, kind: 'cpu' | 'memory') => {
    const given = quantities[kind];
    if (given === undefined) return {};
    return { [kind]: { request: make(given.request, `${kind}.request`), limit: make(given.limit, `${kind}.limit`) } };
  };
  return { ...pair(cpu, 'cpu'), ...pair(memory, 'memory') };
}
