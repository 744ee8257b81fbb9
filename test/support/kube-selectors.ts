/**
 * The label and field selectors of list and watch requests, for the fake Kubernetes API server
 * (fake-kube-api.ts). Labels: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`. Fields: `path=v`,
 * `path==v`, `path!=v` on any dotted path of the object (`metadata.name`, `involvedObject.kind`); the real server
 * allows only some paths per kind, which this does not check.
 */

/** A selector as a test on an object. */
export type Selector = (object: any) => boolean;

/** The requirements of a selector: split on the commas that are not inside `in (...)`. */
function requirements(text: string): string[] {
  return text.split(/,(?![^(]*\))/).map(part => part.trim()).filter(Boolean);
}

/** The label selector `text`; throws on syntax it does not know. */
export function labelSelector(text: string | undefined): Selector {
  const tests = requirements(text ?? '').map((part): Selector => {
    const labels = (o: any): Record<string, string> => o.metadata?.labels ?? {};
    const set = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (set) {
      const [, key, op, list] = set;
      const values = list.split(',').map(v => v.trim());
      return o => (op === 'in') === (key in labels(o) && values.includes(labels(o)[key]));
    }
    const equality = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(part);
    if (equality) {
      const [, key, op, value] = equality;
      return o => (op === '!=') !== (labels(o)[key] === value);
    }
    const exists = /^(!?)([\w./-]+)$/.exec(part);
    if (exists) return o => (exists[1] === '!') !== (exists[2] in labels(o));
    throw new Error(`unable to parse requirement: ${JSON.stringify(part)}`);
  });
  return o => tests.every(t => t(o));
}

/** The field selector `text`; throws on syntax it does not know. */
export function fieldSelector(text: string | undefined): Selector {
  const tests = requirements(text ?? '').map((part): Selector => {
    const match = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!match) throw new Error(`invalid selector: '${part}'; can't understand '${part}'`);
    const [, fieldPath, op, value] = match;
    const field = (o: any) => String(fieldPath.split('.').reduce((v, k) => v?.[k], o) ?? '');
    return o => (op === '!=') !== (field(o) === value);
  });
  return o => tests.every(t => t(o));
}
