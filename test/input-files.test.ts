import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { decodeUtf8, formatBytes, readInputBytes, readInputText } from '../lib/internal';
import { configErrorMessage } from './helpers';

// The real fstatSync unless a test makes the open file something else, as a swap after the check would.
jest.mock('fs', () => {
  const actual = jest.requireActual('fs');
  return { ...actual, fstatSync: jest.fn(actual.fstatSync) };
});

/** The file descriptors this process has open. */
const openFiles = () => fs.readdirSync('/proc/self/fd').length;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'input-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));


describe('readInputBytes', () => {
  test('reads a regular file whole, also through a link', () => {
    const file = path.join(dir, 'plain.txt');
    fs.writeFileSync(file, 'x'.repeat(200 * 1024));
    fs.symlinkSync(file, path.join(dir, 'link.txt'));
    expect(readInputBytes(file).length).toBe(200 * 1024);
    expect(readInputBytes(path.join(dir, 'link.txt')).length).toBe(200 * 1024);
  });

  test('a file of exactly the limit is read; one byte more is refused naming the file, the limit and the fix', () => {
    const file = path.join(dir, 'limit.txt');
    fs.writeFileSync(file, 'y'.repeat(1024));
    expect(readInputBytes(file, { maxBytes: 1024 }).length).toBe(1024);
    fs.appendFileSync(file, 'y');
    expect(configErrorMessage(() => readInputBytes(file, { maxBytes: 1024, fix: 'shorten it' })))
      .toBe(`${file} is larger than 1 KiB, the most this file may hold; shorten it`);
  });

  test('the default limit is the largest Kubernetes object, 1 MiB', () => {
    const file = path.join(dir, 'big.txt');
    fs.writeFileSync(file, Buffer.alloc(1024 * 1024, 'a'));
    expect(readInputBytes(file).length).toBe(1024 * 1024);
    fs.appendFileSync(file, 'a');
    expect(configErrorMessage(() => readInputBytes(file))).toMatch(/is larger than 1 MiB/);
  });

  test('a FIFO is refused at once instead of waiting for a writer', () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(configErrorMessage(() => readInputBytes(fifo))).toBe(`${fifo} is a FIFO (named pipe), not a regular file`);
  });

  test('a device such as /dev/zero, a folder and a socket are refused', async () => {
    expect(configErrorMessage(() => readInputBytes('/dev/zero'))).toBe('/dev/zero is a device, not a regular file');
    expect(configErrorMessage(() => readInputBytes(dir, { fix: 'remove it' }))).toBe(`${dir} is a folder, not a regular file; remove it`);
    const socket = path.join(dir, 'socket');
    const server = net.createServer();
    await new Promise<void>(resolve => server.listen(socket, resolve));
    try {
      expect(configErrorMessage(() => readInputBytes(socket))).toBe(`${socket} is a socket, not a regular file`);
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });

  test('a file that became a FIFO between the check and the open is refused (and closed)', () => {
    const file = path.join(dir, 'swapped.txt');
    fs.writeFileSync(file, 'text\n');
    const fifo = path.join(dir, 'swapped-pipe');
    execFileSync('mkfifo', [fifo]);
    const before = openFiles();
    (fs.fstatSync as jest.Mock).mockImplementationOnce(() => fs.statSync(fifo));
    expect(configErrorMessage(() => readInputBytes(file))).toBe(`${file} changed into something other than a regular file while it was read`);
    expect(openFiles()).toBe(before);
  });

  test('a file refused for its size is closed', () => {
    const file = path.join(dir, 'closed.txt');
    fs.writeFileSync(file, 'z'.repeat(2048));
    const before = openFiles();
    for (let i = 0; i < 3; i++) configErrorMessage(() => readInputBytes(file, { maxBytes: 1024 }));
    readInputBytes(file);
    expect(openFiles()).toBe(before);
  });
});

describe('readInputText', () => {
  test('UTF-8 text, a genuine U+FFFD included, is read as it is', () => {
    const file = path.join(dir, 'utf8.txt');
    fs.writeFileSync(file, 'pässwörd \ufffd ✓\n');
    expect(readInputText(file)).toBe('pässwörd \ufffd ✓\n');
  });

  test('a Latin-1 byte is refused naming the line it is on', () => {
    const file = path.join(dir, 'latin1.txt');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('one\ntwo \ufffd\nthree '), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(configErrorMessage(() => readInputText(file, { fix: 'retype it' })))
      .toBe(`${file} line 3: a byte that is no UTF-8 (Latin-1?); save the file as UTF-8; retype it`);
  });

  test('a mark alone is refused as such; bytes that only start like one are no UTF-8', () => {
    expect(configErrorMessage(() => decodeUtf8(Buffer.from([0xff, 0xfe]), 'a.json'))).toBe('a.json is UTF-16; save it as UTF-8');
    expect(configErrorMessage(() => decodeUtf8(Buffer.from([0xfe, 0xff]), 'a.json'))).toBe('a.json is UTF-16; save it as UTF-8');
    expect(configErrorMessage(() => decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf]), 'a.json'))).toBe('a.json starts with a byte-order mark; save it as UTF-8 without one');
    for (const bytes of [[0xff, 0x41], [0x41, 0xfe], [0xfe, 0x41], [0xef, 0xbb, 0x41], [0xef, 0x41, 0xbf], [0x41, 0xbb, 0xbf]]) {
      expect(configErrorMessage(() => decodeUtf8(Buffer.from(bytes), 'a.json'))).toMatch(/^a\.json line 1: a byte that is no UTF-8/);
    }
  });

  test('an invalid sequence that ends like U+FFFD is not taken for it: the line is the invalid byte\'s', () => {
    // 0xbf 0xbd are continuation bytes without a lead byte: invalid, though the last two bytes of U+FFFD's encoding.
    const bytes = Buffer.concat([Buffer.from('ok \ufffd\nnext '), Buffer.from([0xbf, 0xbd]), Buffer.from('\n')]);
    expect(configErrorMessage(() => decodeUtf8(bytes, 'b.txt'))).toMatch(/^b\.txt line 2: /);
    const lead = Buffer.concat([Buffer.from('one\n'), Buffer.from([0xef, 0x41, 0xbd]), Buffer.from('\n')]);
    expect(configErrorMessage(() => decodeUtf8(lead, 'c.txt'))).toMatch(/^c\.txt line 2: /);
  });

  test('UTF-16 in either byte order and a UTF-8 byte-order mark are refused', () => {
    expect(configErrorMessage(() => decodeUtf8(Buffer.from([0xff, 0xfe, 0x7b, 0x00]), 'a.json'))).toBe('a.json is UTF-16; save it as UTF-8');
    expect(configErrorMessage(() => decodeUtf8(Buffer.from([0xfe, 0xff, 0x00, 0x7b]), 'a.json'))).toBe('a.json is UTF-16; save it as UTF-8');
    expect(configErrorMessage(() => decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x7b]), 'a.json')))
      .toBe('a.json starts with a byte-order mark; save it as UTF-8 without one');
  });

  test('a character cut short at the end of the file is no UTF-8', () => {
    expect(configErrorMessage(() => decodeUtf8(Buffer.from([0x61, 0x0a, 0xe2, 0x9c]), 'cut.txt'))).toMatch(/^cut.txt line 2: /);
  });
});

test('formatBytes', () => {
  expect([formatBytes(1024 * 1024), formatBytes(3 * 1024 * 1024), formatBytes(65536), formatBytes(1000), formatBytes(1536)])
    .toEqual(['1 MiB', '3 MiB', '64 KiB', '1000 bytes', '1536 bytes']);
});
