import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeUtf8, formatBytes, readInputBytes, readInputText } from '../lib';
import { configErrorMessage } from './helpers';

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

  test('a device such as /dev/zero, and a folder, are refused', () => {
    expect(configErrorMessage(() => readInputBytes('/dev/zero'))).toBe('/dev/zero is a device, not a regular file');
    expect(configErrorMessage(() => readInputBytes(dir, { fix: 'remove it' }))).toBe(`${dir} is a folder, not a regular file; remove it`);
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
