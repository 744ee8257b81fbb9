const BLOCK = 512;

/**
 * The regular files of a (decompressed) tar archive whose path `wanted` accepts, by path. Minimal on purpose: it
 * reads what helm's chart packages and common tar tools write (ustar names with their prefix, GNU long names, pax
 * `path` records) and skips everything else, so reading a chart's Chart.yaml needs no extra process.
 * Throws an Error on anything that is not such an archive.
 */
export function readTarFiles(archive: Buffer, wanted: (path: string) => boolean): Map<string, Buffer> {
  if (archive.length === 0 || archive.length % BLOCK !== 0) {
    throw new Error(`not a tar archive: ${archive.length} bytes, not a whole number of ${BLOCK}-byte blocks`);
  }
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  // Stryker disable next-line ArithmeticOperator: offset stays a whole number of blocks up to the end, where the header read is empty and ends the loop too
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every(byte => byte === 0)) break; // the end-of-archive marker
    checkHeader(header, offset);
    const size = octal(header.subarray(124, 136), offset);
    const start = offset + BLOCK;
    if (start + size > archive.length) {
      throw new Error(`truncated tar archive: an entry at byte ${offset} runs past the end`);
    }
    const data = archive.subarray(start, start + size);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    const type = String.fromCharCode(header[156]);
    if (type === 'L') { // GNU: the next entry's long name
      longName = cString(data);
      continue;
    }
    if (type === 'x') { // pax: the next entry's extended header
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === 'g') continue; // pax global header
    const name = (longName ?? ustarName(header)).replace(/^\.\//, '');
    longName = undefined;
    if ((type === '0' || type === '\0') && wanted(name)) {
      files.set(name, Buffer.from(data));
    }
  }
  return files;
}

/** A header's checksum is the sum of its bytes with the checksum field read as spaces: it tells tar from anything else. */
function checkHeader(header: Buffer, offset: number): void {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  if (sum !== octal(header.subarray(148, 156), offset)) {
    throw new Error(`not a tar archive: bad header checksum at byte ${offset}`);
  }
}

function octal(field: Buffer, offset: number): number {
  const text = cString(field).trim();
  if (!/^[0-7]+$/.test(text)) {
    throw new Error(`not a tar archive: bad number field at byte ${offset}`);
  }
  return parseInt(text, 8);
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
}

/**
 * POSIX ustar splits long paths into a prefix (bytes 345-500) and a name (bytes 0-100). Only its magic is `ustar\0`:
 * GNU headers (`ustar  \0`) keep times there, v7 ones nothing.
 */
function ustarName(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const prefix = header.subarray(257, 263).toString('latin1') === 'ustar\0' ? cString(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** The `path` of a pax extended header: records of the form `<length> <key>=<value>\n`. */
function paxPath(data: Buffer): string | undefined {
  let path: string | undefined;
  let offset = 0;
  // Stryker disable next-line EqualityOperator: at the end no space follows, so the loop ends below all the same
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a record read on without a space starts at byte 0, with the first length's digits, so it is never the path; a space at byte 0 leaves no length
    if (space < 0) break;
    const length = parseInt(data.subarray(offset, space).toString('latin1'), 10);
    if (!(length > 0)) break; // a broken record: reading on would not move on
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (record.slice(0, equals) === 'path') path = record.slice(equals + 1);
    offset += length;
  }
  return path;
}
