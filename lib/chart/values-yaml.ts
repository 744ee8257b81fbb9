import * as yaml from 'js-yaml';
import { ConfigError } from '../core/errors';

/**
 * The YAML 1.1 schema helm's reader (Go YAML into map[string]interface{}) matches, without the types JavaScript reads
 * otherwise: a plain date stays a string (no timestamp tag), and `!!binary`, `!!set`, `!!omap`, `!!pairs` (a Set would
 * become `{}`) are refused.
 */
const HELM_SCHEMA = new yaml.Schema(yaml.YAML11_SCHEMA.tags.filter(tag => ![yaml.timestampTag, yaml.binaryTag, yaml.setTag, yaml.omapTag, yaml.pairsTag].includes(tag)));

/**
 * Parses the YAML documents of the values file `file` as helm reads them, or fails with one line naming the file and
 * the line (never quoting the text, which may hold tokens): aliases that expand past Go YAML's bound, a `!!binary`
 * value, an integer beyond what helm holds exactly, and a `__proto__` key (JavaScript objects cannot hold it) are
 * refused naming the setting.
 */
export function parseValuesYaml(text: string, file: string): unknown[] {
  try {
    const events = yaml.parseEvents(text, {});
    checkValuesEvents(events, text, file);
    return yaml.constructFromEvents(events, { source: text, schema: HELM_SCHEMA });
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // js-yaml's message quotes the lines around the error, which could be a token: say where only.
    const mark = (error as { mark?: { line?: number } }).mark;
    const where = mark?.line === undefined ? '' : ` (line ${mark.line + 1})`;
    if (/^unknown .*tag/.test((error as { reason?: string }).reason ?? '')) {
      throw new ConfigError(`values file ${file} line ${(mark?.line ?? 0) + 1}: a YAML tag adopt does not read (such as !!timestamp or !!set); write the value without it`);
    }
    throw new ConfigError(`values file ${file} is not valid YAML${where}; fix it (a tab, or a missing quote or colon?)`);
  }
}

/** A map or list being read: where it sits, what it has counted, and where its next node goes. */
interface Frame {
  readonly setting: string;
  readonly kind: 'map' | 'list' | 'document';
  readonly anchor?: string;
  /** The nodes in it, itself and aliases expanded included (as Go YAML counts them). */
  nodes: number;
  /** Of a map: whether the next node is a key; and the last key read. */
  expectKey: boolean;
  key: string;
  /** Of a list: the index of the next item. */
  index: number;
}

/**
 * Walks the parser's events once: counts the nodes aliases expand to, as Go YAML (helm's) does, and refuses what
 * helm would refuse or read otherwise than the values JavaScript gets, naming the setting and the line.
 */
function checkValuesEvents(events: ReadonlyArray<yaml.Event>, text: string, file: string): void {
  const anchors = new Map<string, number>();
  const stack: Frame[] = [];
  let decoded = 0;
  let aliased = 0;
  const refuse = (offset: number, what: string) => new ConfigError(`values file ${file} line ${lineAt(text, offset)}: ${what}`);
  const frame = (kind: Frame['kind'], setting: string, anchor?: string): Frame => ({ kind, setting, anchor, nodes: 1, expectKey: true, key: '', index: 0 });
  for (const event of events) {
    if (event.type === yaml.EVENT_ID.DOCUMENT) {
      [decoded, aliased] = [0, 0];
      stack.push(frame('document', ''));
      continue;
    }
    if (event.type === yaml.EVENT_ID.POP) {
      const done = stack.pop()!;
      if (done.anchor !== undefined) anchors.set(done.anchor, done.nodes);
      if (stack.length > 0) stack[stack.length - 1].nodes += done.nodes;
      continue;
    }
    const parent = stack[stack.length - 1];
    const { setting, isKey } = place(parent);
    const anchor = event.type === yaml.EVENT_ID.ALIAS || event.anchorStart < 0 ? undefined : text.slice(event.anchorStart, event.anchorEnd);
    if (event.type === yaml.EVENT_ID.ALIAS) {
      const expanded = anchors.get(text.slice(event.anchorStart, event.anchorEnd));
      if (expanded === undefined) throw refuse(event.anchorStart, `${settingName(setting)} is an alias of no anchor before it (or of the anchor it is inside of); fix the alias`);
      parent.nodes += 1 + expanded;
      decoded += 1 + expanded;
      aliased += expanded;
      if (excessiveAliasing(decoded, aliased)) {
        throw refuse(event.anchorStart, `the alias at ${settingName(setting)} expands to more values than helm's YAML reader allows (it refuses the file: excessive aliasing); write the values out without it`);
      }
      if (isKey) parent.key = '*';
    } else if (event.type === yaml.EVENT_ID.SCALAR) {
      decoded += 1;
      parent.nodes += 1;
      if (anchor !== undefined) anchors.set(anchor, 1);
      const value = yaml.getScalarValue(text, event);
      const tag = event.tagStart < 0 ? undefined : text.slice(event.tagStart, event.tagEnd);
      const here = isKey ? `${settingName(setting)}, a key,` : settingName(setting);
      if (isKey) parent.key = value;
      if (isKey && value === '__proto__') throw refuse(event.valueStart, `${settingName(childSetting(setting, value))}: a key named __proto__, which a JavaScript object cannot hold as a key; rename it`);
      if (tag === '!!binary' || tag === '!<tag:yaml.org,2002:binary>') throw refuse(event.valueStart, `${here} is !!binary, which helm reads as text, not bytes; give the text it stands for`);
      if ((tag === undefined && event.style === yaml.SCALAR_STYLE.PLAIN) || tag === '!!int') {
        const number = yaml.intYaml11Tag.resolve(value, tag !== undefined, yaml.intYaml11Tag.tagName);
        if (typeof number === 'number' && !Number.isSafeInteger(number)) {
          throw refuse(event.valueStart, `${here} is an integer beyond 2^53 - 1, which helm (as this project) holds only approximately, as a float; quote it to keep it as text`);
        }
      }
    } else {
      decoded += 1;
      stack.push(frame(event.type === yaml.EVENT_ID.MAPPING ? 'map' : 'list', setting, anchor));
      if (isKey) parent.key = '?';
    }
    advance(parent);
  }
}

/** The setting of the next node in `parent`, and whether that node is a key of it. */
function place(parent: Frame): { setting: string; isKey: boolean } {
  if (parent.kind === 'list') return { setting: `${parent.setting}[${parent.index}]`, isKey: false };
  if (parent.kind === 'document') return { setting: '', isKey: false };
  return parent.expectKey ? { setting: parent.setting, isKey: true } : { setting: childSetting(parent.setting, parent.key), isKey: false };
}

/** Moves `parent` past the node just read. */
function advance(parent: Frame): void {
  if (parent.kind === 'map') parent.expectKey = !parent.expectKey;
  else parent.index += 1;
}

const childSetting = (setting: string, key: string) => setting ? `${setting}.${key}` : key;
const settingName = (setting: string) => setting ? `setting ${setting}` : 'the top level';

/** The 1-based line of `offset` in `text`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
}

/**
 * Go YAML's (gopkg.in/yaml's) bound on alias expansion: past 100 nodes from aliases and 1,000 in all, refuse when the
 * share from aliases exceeds 99% for documents up to 400,000 nodes, falling to 10% at 4,000,000.
 */
export function excessiveAliasing(decoded: number, aliased: number): boolean {
  if (aliased <= 100 || decoded <= 1000) return false;
  const [low, high] = [400_000, 4_000_000];
  const allowed = decoded <= low ? 0.99 : decoded >= high ? 0.10 : 0.99 - 0.89 * ((decoded - low) / (high - low));
  return aliased / decoded > allowed;
}
