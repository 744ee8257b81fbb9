import * as yaml from 'js-yaml';
import { ConfigError } from '../core/errors';

/** What Go YAML (gopkg.in/yaml.v2, which helm reads values files with) makes of a scalar. */
export interface GoYamlScalar {
  readonly tag: 'null' | 'bool' | 'int' | 'float' | 'str';
  readonly value: null | boolean | number | string;
}

/** yaml.v2's table of words, looked up before numbers (YAML 1.1's, minus the ones it left out). */
const GO_YAML_WORDS = new Map<string, GoYamlScalar>([
  ...words('bool', true, 'y Y yes Yes YES true True TRUE on On ON'),
  ...words('bool', false, 'n N no No NO false False FALSE off Off OFF'),
  ...words('null', null, '~ null Null NULL'),
  ['', { tag: 'null', value: null }],
  ...words('float', NaN, '.nan .NaN .NAN'),
  ...words('float', Infinity, '.inf .Inf .INF +.inf +.Inf +.INF'),
  ...words('float', -Infinity, '-.inf -.Inf -.INF'),
]);

function words(tag: GoYamlScalar['tag'], value: GoYamlScalar['value'], list: string): Array<[string, GoYamlScalar]> {
  return list.split(' ').map(word => [word, { tag, value }]);
}

/** Go's strconv.ParseInt(text, 0, 64) syntax: sign, then a hex, 0o, binary, leading-0 octal or decimal number. */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;
/** yaml.v2's yamlStyleFloat, which guards strconv.ParseFloat for text that starts like a number. */
const GO_YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What strconv.ParseFloat reads of a text that starts with a dot (underscores only between digits). */
const GO_DOT_FLOAT = /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/;

/**
 * Resolves a plain scalar as yaml.v2 does: its table of words (y, on, ~, .inf...); then, for text starting with a
 * digit, sign or dot, with every underscore dropped, an integer Go's ParseInt or ParseUint reads (0x1F, 017, 0o17,
 * 0b101, 1_000), else a float (40e9, .5, 1.) unless it overflows; anything else stays the text ("1:20", "1e400").
 */
export function resolveGoYamlScalar(text: string): GoYamlScalar {
  const word = GO_YAML_WORDS.get(text);
  if (word) return word;
  if (text.startsWith('.')) return GO_DOT_FLOAT.test(text) ? { tag: 'float', value: Number(text.replace(/_/g, '')) } : { tag: 'str', value: text };
  if (!/^[-+0-9]/.test(text)) return { tag: 'str', value: text };
  const plain = text.replace(/_/g, '');
  const integer = goInteger(plain);
  if (integer !== undefined) return { tag: 'int', value: integer };
  const float = GO_YAML_FLOAT.test(plain) ? Number(plain) : NaN;
  return Number.isFinite(float) ? { tag: 'float', value: float } : { tag: 'str', value: text };
}

/** The integer ParseInt (int64) or, unsigned, ParseUint (uint64) reads from `plain`, as a number; else undefined. */
function goInteger(plain: string): number | undefined {
  const match = GO_INT.exec(plain);
  if (!match) return undefined;
  const [, sign, hex, octal, binary, leadingZeroOctal, decimal] = match;
  const magnitude = hex !== undefined ? BigInt(`0x${hex}`) : octal !== undefined ? BigInt(`0o${octal}`)
    : binary !== undefined ? BigInt(`0b${binary}`) : leadingZeroOctal !== undefined ? BigInt(`0o0${leadingZeroOctal}`) : BigInt(decimal);
  const value = sign === '-' ? -magnitude : magnitude;
  const fits = sign === '' ? value < 2n ** 64n : value >= -(2n ** 63n) && value < 2n ** 63n;
  return fits ? Number(value) : undefined;
}

/**
 * One of the tags yaml.v2 resolves plain scalars to. An explicit tag is read the same way and must fit, except that
 * `!!float` takes an integer (as yaml.v2 does).
 */
function goYamlTag(tag: 'null' | 'bool' | 'int' | 'float'): yaml.ScalarTagDefinition {
  return yaml.defineScalarTag(`tag:yaml.org,2002:${tag}`, {
    implicit: true,
    resolve: (source, isExplicit) => {
      const scalar = resolveGoYamlScalar(source);
      return scalar.tag === tag || (isExplicit && tag === 'float' && scalar.tag === 'int') ? scalar.value : yaml.NOT_RESOLVED;
    },
    identify: () => false,
  });
}

/**
 * The schema helm's reader (Go YAML into map[string]interface{}) matches: yaml.v2's scalars, without the types
 * JavaScript reads otherwise: a plain date stays a string (no timestamp tag), and `!!binary`, `!!set`, `!!omap`,
 * `!!pairs` (a Set would become `{}`) are refused.
 */
const HELM_SCHEMA = new yaml.Schema(yaml.YAML11_SCHEMA.withTags(goYamlTag('null'), goYamlTag('bool'), goYamlTag('int'), goYamlTag('float')).tags
  .filter(tag => ![yaml.timestampTag, yaml.binaryTag, yaml.setTag, yaml.omapTag, yaml.pairsTag].includes(tag)));

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
    const reason = (error as { reason?: string }).reason ?? '';
    const at = `values file ${file} line ${(mark?.line ?? 0) + 1}`;
    if (/^unknown .*tag/.test(reason)) throw new ConfigError(`${at}: a YAML tag adopt does not read (such as !!timestamp or !!set); write the value without it`);
    if (/^cannot resolve a node with .* explicit tag/.test(reason)) {
      throw new ConfigError(`${at}: a value its YAML tag does not fit (such as !!int 1.5), which helm refuses; fix the value or drop the tag`);
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
      const resolved = tag === undefined ? event.style === yaml.SCALAR_STYLE.PLAIN : RESOLVED_TAGS.has(tag);
      const refusal = resolved ? scalarRefusal(resolveGoYamlScalar(value), isKey) : undefined;
      if (refusal) throw refuse(event.valueStart, `${here} ${refusal}`);
    } else {
      decoded += 1;
      stack.push(frame(event.type === yaml.EVENT_ID.MAPPING ? 'map' : 'list', setting, anchor));
      if (isKey) parent.key = '?';
    }
    advance(parent);
  }
}

/** Tags whose scalars Go YAML resolves as it does plain ones. */
const RESOLVED_TAGS = new Set(['null', 'bool', 'int', 'float'].flatMap(tag => [`!!${tag}`, `!<tag:yaml.org,2002:${tag}>`]));

/**
 * Why helm reads a scalar otherwise than adopt could keep it, or undefined: an integer past what a float holds
 * exactly, an infinity or NaN (helm refuses the file: values go through JSON), and keys that are null (helm refuses)
 * or floats (helm writes them back in a float32 form such as 1e+06).
 */
function scalarRefusal(scalar: GoYamlScalar, isKey: boolean): string | undefined {
  if (scalar.tag === 'int' && !Number.isSafeInteger(scalar.value)) {
    return 'is an integer beyond 2^53 - 1, which helm (as this project) holds only approximately, as a float; quote it to keep it as text';
  }
  if (scalar.tag === 'float' && !Number.isFinite(scalar.value)) return 'is .inf or .nan, which helm refuses (values pass through JSON); quote it or give a number';
  if (isKey && scalar.tag === 'null') return 'is null (empty, ~ or null), which helm refuses as a key; quote it or remove it';
  if (isKey && scalar.tag === 'float') return 'is a number helm turns into text of its own (1e+06 for 1000000.0); quote the key';
  return undefined;
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
