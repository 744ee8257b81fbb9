import { Yaml } from 'cdk8s';

/**
 * cdk8s's `Yaml.stringify` (the `yaml` package's `stringify(doc, { keepUndefined: true, lineWidth: 0, version: '1.1' })`
 * for each document, joined by `---`), byte for byte, several times faster on plain JSON data such as
 * `Chart.toJson()` gives. It writes what it has been shown to write as `yaml` does (the rules are those of
 * node_modules/cdk8s/node_modules/yaml/dist/stringify, cited by function below) and hands everything else to
 * `Yaml.stringify`: a scalar of another kind, in a wrapper that gives it the same context, or a whole document that is
 * not plain JSON data (or shares an object, which `yaml` would write as an alias).
 */
export function stringifyManifests(...documents: unknown[]): string {
  return documents.map(stringifyDocument).join('---\n');
}

/** Why the document goes to `Yaml.stringify` whole. */
class NotPlainData extends Error {}

/** A document: a map or a sequence of plain JSON data is written here, anything else by `Yaml.stringify`. */
function stringifyDocument(document: unknown): string {
  try {
    if (!isCollection(document)) throw new NotPlainData();
    return `${new DocumentWriter().node(document, '')}\n`;
  } catch (error) {
    if (error instanceof NotPlainData) return Yaml.stringify(document);
    throw error;
  }
}

/** The step of each block level (`indentStep`). */
const STEP = '  ';

/** Writes one document's collections as stringifyCollection's block style does; indents are a scalar's `ctx.indent`. */
class DocumentWriter {
  /** Objects seen: `yaml` writes an object met twice as an anchor and an alias (createNode's aliasDuplicateObjects). */
  private readonly seen = new Set<object>();

  /** A collection or scalar whose context has `indent` (stringify). */
  node(value: unknown, indent: string): string {
    if (!isCollection(value)) return scalar(value, indent);
    if (this.seen.has(value)) throw new NotPlainData();
    this.seen.add(value);
    return Array.isArray(value) ? this.sequence(value, indent) : this.map(value, indent);
  }

  /** YAMLSeq.toString: items indented one step, lines joined at the sequence's indent; `[]` when empty. */
  private sequence(items: unknown[], indent: string): string {
    if (items.length === 0) return '[]';
    const itemIndent = indent + STEP;
    let text = '';
    for (let i = 0; i < items.length; i++) {
      text += `${i === 0 ? '' : `\n${indent}`}- ${this.node(items[i], itemIndent)}`;
    }
    return text;
  }

  /** YAMLMap.toString: pairs at the map's indent; `{}` when empty. */
  private map(map: object, indent: string): string {
    const keys = Object.keys(map);
    if (keys.length === 0) return '{}';
    let text = '';
    for (let i = 0; i < keys.length; i++) {
      text += `${i === 0 ? '' : `\n${indent}`}${this.pair(keys[i], (map as Record<string, unknown>)[keys[i]], indent)}`;
    }
    return text;
  }

  /** stringifyPair: key and value get one step more indent; a non-empty collection starts on the next line. */
  private pair(key: string, value: unknown, indent: string): string {
    const inner = indent + STEP;
    const keyText = `${implicitKey(key, inner)}:`;
    const text = this.node(value, inner);
    // A map here never has all-null values (which yaml writes as `? key`): each value is a node, never null.
    const nonEmptyCollection = typeof value === 'object' && value !== null && text !== '{}' && text !== '[]';
    return nonEmptyCollection ? `${keyText}\n${inner}${text}` : `${keyText} ${text}`;
  }
}

/** Whether `value` is a map or a sequence; fails (to `Yaml.stringify`) on any object that is not plain data. */
function isCollection(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  if (Array.isArray(value) ? prototype === Array.prototype : prototype === Object.prototype || prototype === null) return true;
  throw new NotPlainData();
}

/** A scalar value (not a key) at `indent`: null (undefined too, as keepUndefined makes it), booleans, numbers, strings. */
function scalar(value: unknown, indent: string): string {
  switch (typeof value) {
    case 'undefined':
    case 'object': return 'null';
    case 'boolean': return value ? 'true' : 'false';
    case 'number': return finiteNumber(value);
    case 'string': return stringValue(value, indent);
    default: throw new NotPlainData();
  }
}

/** stringifyNumber, for the finite numbers JSON has (the int and float tags both write them so). */
function finiteNumber(value: number): string {
  if (!Number.isFinite(value)) throw new NotPlainData();
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

/**
 * The plain scalars `yaml` 1.1 would read as something other than a string (the default tags' `test`, merge's
 * included, of schema/common/null.js and schema/yaml-1.1): plainString quotes them. test/manifest-yaml.test.ts holds
 * this list equal to the package's.
 */
export const NON_STRING_PLAIN_SCALARS: readonly RegExp[] = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^<<$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\.[0-9]+)?)(?:[ \t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
];

/** stringifyString: these force double quotes (control characters, unpaired surrogates). */
const FORCED_DOUBLE_QUOTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** plainString: what a plain scalar cannot hold (indicators, `: `, ` #`, spaces at an end...). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** containsDocumentMarker (`^` also matches after \r, \u2028 and \u2029): plainString treats these by position. */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

/** Single-line strings written other than by the rules below: document markers, and `<<`, which gets the merge tag. */
function hasOtherRules(value: string): boolean {
  return DOCUMENT_MARKER.test(value) || value === '<<';
}

/** A key (implicit), single-line and up to 1024 characters as stringifyPair keeps it implicit; others are delegated. */
function implicitKey(key: string, indent: string): string {
  if (FORCED_DOUBLE_QUOTES.test(key) || key.includes('\n') || hasOtherRules(key)) return delegatedKey(key, indent);
  const text = singleLine(key);
  if (text.length > 1024) throw new NotPlainData();
  return text;
}

/** A string value: single-line ones as plainString writes them, multi-line ones as a block literal (blockString). */
function stringValue(value: string, indent: string): string {
  if (FORCED_DOUBLE_QUOTES.test(value)) return delegatedValue(value, indent);
  if (!value.includes('\n')) return hasOtherRules(value) ? delegatedValue(value, indent) : singleLine(value);
  // blockString quotes a string whose last line is only spaces or tabs.
  return /\n[\t ]+$/.test(value) ? delegatedValue(value, indent) : blockLiteral(value, indent);
}

/** plainString, for a string of one line without control characters: plain, unless an indicator or another type. */
function singleLine(value: string): string {
  if (NOT_PLAIN.test(value) || NON_STRING_PLAIN_SCALARS.some(test => test.test(value))) return quoted(value);
  return value;
}

/**
 * quotedString: single quotes if the value has a double quote and no single one, else double quotes, which for one
 * line without control characters are JSON's (doubleQuotedString rewrites only \u escapes and line breaks).
 */
function quoted(value: string): string {
  return value.includes('"') && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
}

/** blockString's run of line breaks at the end that needs indenting (the package's own regular expression). */
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/**
 * blockString as it runs here (lineWidth 0, so literal, never folded; `indent` never empty; no comment): the
 * chomping indicator from the trailing whitespace, the indentation indicator when the text starts with a space.
 */
function blockLiteral(text: string, indent: string): string {
  let value = text;
  let endStart = value.length;
  while (endStart > 0 && (value[endStart - 1] === '\n' || value[endStart - 1] === '\t' || value[endStart - 1] === ' ')) endStart--;
  let end = value.substring(endStart);
  const endNewline = end.indexOf('\n');
  const chomp = endNewline === -1 ? '-' : value === end || endNewline !== end.length - 1 ? '+' : '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNewline = -1;
  for (; startEnd < value.length; ++startEnd) {
    if (value[startEnd] === ' ') startWithSpace = true;
    else if (value[startEnd] === '\n') startNewline = startEnd;
    else break;
  }
  let start = value.substring(0, startNewline < startEnd ? startNewline + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}

/**
 * What `yaml` writes for `value` as a map value whose context has `indent`, read off `Yaml.stringify` of maps nested
 * to that depth: a scalar's text depends on its context only through the indent and whether it is a key (a sequence
 * item's context is a map value's).
 */
function delegatedValue(value: string, indent: string): string {
  return delegatedPair(indent, 'k', value).slice('k: '.length, -'\n'.length);
}

/** What `yaml` writes for `key` as an implicit key whose context has `indent`, read off as `delegatedValue` is. */
function delegatedKey(key: string, indent: string): string {
  const pair = delegatedPair(indent, key, null);
  // An explicit key (`? `) changes the pair's layout, not only the key: the whole document goes then.
  if (pair.startsWith('? ')) throw new NotPlainData();
  return pair.slice(0, -': null\n'.length);
}

/** The last line(s) of `Yaml.stringify` of `{ key: value }` nested in maps so that its key and value have `indent`. */
function delegatedPair(indent: string, key: string, value: unknown): string {
  const depth = indent.length / STEP.length - 1;
  let wrapped: unknown = { [key]: value };
  let prefix = '';
  for (let level = 0; level < depth; level++) {
    wrapped = { a: wrapped };
    prefix += `${STEP.repeat(level)}a:\n`;
  }
  const text = Yaml.stringify(wrapped);
  return text.slice(prefix.length + STEP.repeat(depth).length);
}
