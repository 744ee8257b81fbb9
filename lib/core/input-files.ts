import * as fs from 'fs';
import { ConfigError } from './errors';

/** How a file we read as input is checked before and while it is read. */
export interface InputFileOptions {
  /**
   * The most bytes the file may hold; a larger one is refused naming the file and the limit.
   * @default 1 MiB (the largest Kubernetes object)
   */
  readonly maxBytes?: number;
  /**
   * What to do about it, appended to a refusal ("remove it", "pass another --secret").
   * @default no advice
   */
  readonly fix?: string;
}

/** The largest object the Kubernetes API server stores (etcd's default request limit): nothing larger can be applied. */
export const MAX_OBJECT_BYTES = 1024 * 1024;

/**
 * Reads `file` whole as bytes, but only a regular file (through links) of at most `maxBytes`: a FIFO, a device such
 * as /dev/zero or a folder is refused in one line instead of hanging or reading forever. The size is checked both
 * before and while reading, so a file that grows meanwhile is still refused.
 */
export function readInputBytes(file: string, options: InputFileOptions = {}): Buffer {
  const maxBytes = options.maxBytes ?? MAX_OBJECT_BYTES;
  const refuse = (what: string) => new ConfigError(`${file} ${what}${options.fix ? `; ${options.fix}` : ''}`);
  const stats = fs.statSync(file);
  if (!stats.isFile()) throw refuse(`is ${describeFileKind(stats)}, not a regular file`);
  // O_NONBLOCK: if a FIFO took the file's place since the check, opening it does not wait for a writer.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    if (!fs.fstatSync(fd).isFile()) throw refuse('changed into something other than a regular file while it was read');
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(64 * 1024);
    for (let read = fs.readSync(fd, chunk); read > 0; read = fs.readSync(fd, chunk)) {
      total += read;
      if (total > maxBytes) throw refuse(`is larger than ${formatBytes(maxBytes)}, the most this file may hold`);
      chunks.push(Buffer.from(chunk.subarray(0, read)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads `file` as `readInputBytes` does and decodes it as UTF-8, refusing bytes that are no UTF-8 (a Latin-1 `é`
 * would otherwise become U+FFFD, and a password holding it would silently no longer match), a UTF-16 file and a
 * byte-order mark, each naming the file and the line.
 */
export function readInputText(file: string, options: InputFileOptions = {}): string {
  return decodeUtf8(readInputBytes(file, options), file, options.fix);
}

/** `bytes` as UTF-8 text; anything else is refused naming `file` and the line it starts on. */
export function decodeUtf8(bytes: Buffer, file: string, fix?: string): string {
  const advice = fix ? `; ${fix}` : '';
  if (UTF16_MARKS.some(mark => bytes.subarray(0, 2).equals(mark))) throw new ConfigError(`${file} is UTF-16; save it as UTF-8${advice}`);
  if (bytes.subarray(0, 3).equals(UTF8_MARK)) throw new ConfigError(`${file} starts with a byte-order mark; save it as UTF-8 without one${advice}`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).filter(byte => byte === 0x0a).length + 1;
    throw new ConfigError(`${file} line ${line}: a byte that is no UTF-8 (Latin-1?); save the file as UTF-8${advice}`);
  }
}

/** The byte-order marks of UTF-16, little- and big-endian, and of UTF-8. */
const UTF16_MARKS = [Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];
const UTF8_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

/** U+FFFD as UTF-8: what a file holding the replacement character itself holds. */
const REPLACEMENT_CHARACTER = Buffer.from('\ufffd');

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  let offset = 0;
  for (const character of bytes.toString('utf8')) {
    // Node decodes each invalid sequence as U+FFFD; a genuine one is the bytes EF BF BD.
    if (character === '\ufffd' && !bytes.subarray(offset, offset + 3).equals(REPLACEMENT_CHARACTER)) return offset;
    offset += Buffer.byteLength(character);
  }
  return offset;
}

/** What kind of thing a stat of no regular file describes, as a refusal names it: "a folder", "a device". */
export function describeFileKind(stats: fs.Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

/** A size limit (at least one byte) as it is written: 1 MiB, 64 KiB, 1000 bytes. */
export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * The text of `file` if it is a regular file (not a link) of this user that only this user can read, of at most
 * `maxBytes`, else undefined: a file a command of ours kept for the next one (a cache), never one from git or a pull
 * request, since git writes no such mode. What such a file holds is trusted, so nothing else may be.
 */
export function readPrivateFile(file: string, maxBytes: number): string | undefined {
  try {
    const stats = fs.lstatSync(file);
    if (!stats.isFile() || stats.uid !== process.getuid?.() || (stats.mode & 0o077) !== 0 || stats.size > maxBytes) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // none yet (the first synth), or gone meanwhile
  }
}
