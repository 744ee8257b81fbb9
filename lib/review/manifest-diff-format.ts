import { DeploymentDiff } from './dist-diff';
import { lineDiff } from './line-diff';
import { FieldChange, isEmptyDiff, KeyChange, ManifestDiff, ObjectDiff } from './manifest-diff';

/** How diff lines are coloured: each function wraps a piece of text. */
export interface DiffStyle {
  readonly added: (text: string) => string;
  readonly removed: (text: string) => string;
  readonly changed: (text: string) => string;
  readonly restart: (text: string) => string;
  readonly dim: (text: string) => string;
}

const same = (text: string) => text;

/** No colour: for files, pipes and CI logs. */
export const PLAIN_STYLE: DiffStyle = { added: same, removed: same, changed: same, restart: same, dim: same };

const sgr = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;

/** ANSI colours: green added, red removed, yellow changed, cyan restarts. */
export const COLOR_STYLE: DiffStyle = { added: sgr(32), removed: sgr(31), changed: sgr(33), restart: sgr(36), dim: sgr(2) };

/** Colour on a terminal unless NO_COLOR is set (https://no-color.org), plain otherwise. */
export function styleFor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): DiffStyle {
  return stream.isTTY && !env.NO_COLOR ? COLOR_STYLE : PLAIN_STYLE;
}

/** Strings longer than this, or with a line break, are shown as a line diff. */
const LONG_STRING = 80;

/**
 * The diff as lines: `added: <id>`, `removed: <id>`, `changed: <id>` followed by its fields (`  path: old → new`,
 * or a line diff for long strings), `changed: <id> key <key>` for each Secret key or sealed value (never a value),
 * and `restarts: <workload> (<annotations>)`.
 */
export function formatManifestDiff(diff: ManifestDiff, style: DiffStyle = PLAIN_STYLE): string[] {
  return [
    ...diff.objects.flatMap(object => formatObject(object, style)),
    ...diff.restarts.map(r => style.restart(`restarts: ${r.workload} (${r.annotations.join(', ')} changed)`)),
  ];
}

/** Each deployment that changes: a line `deployment <name>:`, then its diff indented by two spaces. */
export function formatDeploymentDiffs(diffs: ReadonlyArray<DeploymentDiff>, style: DiffStyle = PLAIN_STYLE): string[] {
  return diffs.filter(d => !isEmptyDiff(d.diff))
    .flatMap(d => [`deployment ${d.deployment}:`, ...formatManifestDiff(d.diff, style).map(line => `  ${line}`)]);
}

/** One line that counts the changes: `3 changed, 1 added, 0 removed; 2 restart`. */
export function diffSummary(diffs: ReadonlyArray<DeploymentDiff>): string {
  const objects = diffs.flatMap(d => d.diff.objects);
  const count = (change: ObjectDiff['change']) => objects.filter(o => o.change === change).length;
  const restarts = diffs.reduce((sum, d) => sum + d.diff.restarts.length, 0);
  return `${count('changed')} changed, ${count('added')} added, ${count('removed')} removed; ${restarts} workload(s) restart`;
}

function formatObject(object: ObjectDiff, style: DiffStyle): string[] {
  if (object.change === 'added') return [style.added(`added: ${object.id}`)];
  if (object.change === 'removed') return [style.removed(`removed: ${object.id}`)];
  const fields = object.fields.length > 0
    ? [style.changed(`changed: ${object.id}`), ...object.fields.flatMap(field => formatField(field, style))]
    : [];
  return [...fields, ...object.keys.map(key => style.changed(`changed: ${object.id} ${formatKey(key)}`))];
}

function formatKey({ key, change }: KeyChange): string {
  return change === 'changed' ? `key ${key}` : `key ${key} ${change}`;
}

function formatField({ path, before, after }: FieldChange, style: DiffStyle): string[] {
  if ((isLong(before) || isLong(after)) && [before, after].every(v => v === undefined || typeof v === 'string')) {
    const lines = before === undefined || after === undefined
      ? String(before ?? after).split('\n').map(text => ({ op: before === undefined ? '+' : '-', text }))
      : lineDiff(String(before), String(after));
    return [`  ${path}:${before === undefined ? ' (added)' : after === undefined ? ' (removed)' : ''}`, ...lines.map(({ op, text }) => {
      if (op === '…') return style.dim('    …');
      const line = `    ${op} ${text}`;
      return op === '+' ? style.added(line) : op === '-' ? style.removed(line) : line;
    })];
  }
  return [`  ${path}: ${style.removed(formatValue(before))} → ${style.added(formatValue(after))}`];
}

function isLong(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('\n') || value.length > LONG_STRING);
}

/** A value on one line: JSON, or `(none)` for a field that does not exist on that side. */
function formatValue(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}
