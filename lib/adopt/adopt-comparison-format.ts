import type { AdoptionComparison, Difference } from './adopt-comparison';
import { formatManifestDiff } from '../review/manifest-diff-format';
import type { BinderHubTokenValues } from '../secrets/tokens';

/** How much of the differences on purpose and of Secrets the lines show before they count the rest. */
interface Shown {
  /** Objects that share one difference are counted, not named, from this many on. */
  readonly counted: number;
  /** Paths listed per object before the rest are counted. */
  readonly listed: number;
}

/** The comparison as adopt shows it, and with --all: every object and path named. */
const SHORT: Shown = { counted: 5, listed: 6 };
const EVERY: Shown = { counted: Infinity, listed: Infinity };

/**
 * The comparison as lines, indented under a heading the caller writes: the differences on purpose, grouped by
 * reason (their field paths, not values), the Secrets kept apart, the tokens adopt generated, what to review (with
 * values, but of a Secret only its keys and the paths of the settings in them), the workloads that restart, and a
 * count. Objects sharing a difference on purpose are counted and long lists of paths cut short (saying that --all
 * shows them), unless `all`. Never a Secret value: the comparison holds none.
 */
export function formatAdoptionComparison(comparison: AdoptionComparison, secretsFile: string, all = false): string[] {
  const shown = all ? EVERY : SHORT;
  const lines: string[] = [];
  for (const group of comparison.onPurpose) {
    lines.push(`on purpose: ${group.reason}`, ...briefLines(group.differences, shown).map(line => `  ${line}`));
  }
  if (comparison.separateSecrets.length > 0) {
    lines.push(`on purpose: the Secrets go to ${secretsFile}, not dist/ (SecretsMode.separate(), the default; docs/secrets.md#secrets-in-gitops)`,
      `  ${comparison.separateSecrets.join(', ')}`);
  }
  if (comparison.newTokens.length > 0) lines.push(newTokensHeading(comparison.generatedTokens), ...briefLines(comparison.newTokens, shown).map(line => `  ${line}`));
  lines.push(comparison.review.length > 0 ? 'to review: not on purpose' : 'to review: nothing', ...reviewLines(comparison.review, shown).map(line => `  ${line}`));
  for (const restart of comparison.restarts) lines.push(`restarts on the first apply: ${restart.workload} (${restart.annotations.join(', ')} differ)`);
  for (const id of comparison.replaceFirst) {
    lines.push(`delete before the first apply: ${id}: its selector differs, which Kubernetes never changes in place (kubectl apply would fail on it); `
      + 'the apply creates it anew');
  }
  const onPurpose = comparison.onPurpose.reduce((sum, group) => sum + group.differences.length, 0);
  lines.push(`${onPurpose} difference(s) on purpose, ${comparison.newTokens.length} new token(s), ${comparison.review.length} to review; `
    + `${comparison.restarts.length} workload(s) restart`);
  return lines;
}

/** What generating each chart-minted token costs a running release (the others, such as BinderHub's build token secret, cost nothing). */
const GENERATED_COSTS: Partial<Record<keyof BinderHubTokenValues, string>> = {
  cookieSecret: 'a new cookieSecret signs users out once',
  cryptKeeperKey: 'a new CryptKeeper key makes stored auth state unreadable',
};

/**
 * The heading of the new tokens: which ones adopt generated and what that costs; a token read from the live release
 * (--from-cluster) is no new one, and is not named.
 */
function newTokensHeading(generated: ReadonlyArray<keyof BinderHubTokenValues>): string {
  const costs = generated.flatMap(token => GENERATED_COSTS[token] ?? []);
  return 'new tokens: the values files lack them, so helm\'s render shows tokens of its own (a live release keeps the ones its install made, '
    + `and BinderHub makes a build token secret at each start); adopt generated ${generated.join(', ')}`
    + (costs.length > 0 ? `: ${costs.join(', ')} (--from-cluster reads the live ones)` : '');
}

/** One line per object: what only one side has, or the paths that differ; objects sharing one path are counted. */
function briefLines(differences: Difference[], shown: Shown): string[] {
  const byObject = new Map<string, Difference[]>();
  for (const difference of differences) byObject.set(difference.id, [...(byObject.get(difference.id) ?? []), difference]);
  const whats = new Map([...byObject].map(([id, mine]) => [id, brief(mine, shown)]));
  const counts = new Map<string, number>();
  for (const what of whats.values()) counts.set(what, (counts.get(what) ?? 0) + 1);
  const counted = (what: string) => (counts.get(what) ?? 0) >= shown.counted && !ONE_SIDE.includes(what);
  return [
    ...[...counts.keys()].filter(counted).map(what => `changed: ${what}, on ${counts.get(what)} objects (--all names them)`),
    ...[...whats].filter(([, what]) => !counted(what)).map(([id, what]) => ONE_SIDE.includes(what) ? `${what}: ${id}` : `changed: ${id}: ${what}`),
  ];
}

const ONE_SIDE = ['ours alone', 'helm\'s alone'];

/** The differences of one object without values: which side alone has it, or its paths, keys and settings. */
function brief(differences: Difference[], shown: Shown): string {
  const only = differences.find(d => d.type === 'added' || d.type === 'removed');
  if (only) return only.type === 'added' ? ONE_SIDE[0] : ONE_SIDE[1];
  const parts = differences.flatMap(d => d.type === 'field' ? [d.field.path] : d.type === 'key' ? [`key ${d.key.key} ${d.key.change}`]
    : d.type === 'images' ? ['images'] : []);
  const settingKeys = [...new Set(differences.flatMap(d => d.type === 'setting' ? [d.setting.key] : []))];
  for (const key of settingKeys) {
    const settings = differences.flatMap(d => d.type === 'setting' && d.setting.key === key ? [`${d.setting.path} ${d.setting.change}`] : []);
    parts.push(`key ${key} settings ${listed(settings, shown)}`);
  }
  return listed(parts, shown);
}

function listed(items: string[], shown: Shown): string {
  return items.length <= shown.listed ? items.join(', ') : `${items.slice(0, shown.listed).join(', ')} and ${items.length - shown.listed} more (--all lists them)`;
}

/** The differences to review as `npm run diff` shows them, helm's render before ours; Secrets by key and setting path. */
function reviewLines(differences: Difference[], shown: Shown): string[] {
  const ids = [...new Set(differences.map(d => d.id))];
  return ids.flatMap(id => {
    const mine = differences.filter(d => d.id === id);
    const fields = mine.flatMap(d => d.type === 'field' ? [d.field] : []);
    const only = mine.find(d => d.type === 'added' || d.type === 'removed');
    if (only) return [`${only.type === 'added' ? 'ours alone' : 'helm\'s alone'}: ${id}`];
    return [
      ...formatManifestDiff({ objects: fields.length > 0 ? [{ change: 'changed', id, fields, keys: [] }] : [], restarts: [] }),
      ...mine.flatMap(d => d.type === 'images' ? [`changed: ${id} images: ${d.before.join(', ')} → ${d.after.join(', ')}`]
        : d.type === 'key' || d.type === 'setting' ? [`changed: ${id} ${brief([d], shown)}`] : []),
    ];
  });
}
