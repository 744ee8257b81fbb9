import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readTarFiles } from '../lib/core/tar';

/** One 512-byte tar header, as tar tools write it; `fields` overrides raw fields by byte offset. */
interface Entry {
  readonly name: string;
  readonly data?: string;
  /** The type flag: '0' a file, '\0' a file of old tars, '5' a folder, '2' a symlink, 'L', 'x', 'g' extra headers. */
  readonly type?: string;
  /** Bytes 257-264: 'ustar\0' + '00' (POSIX), 'ustar  \0' (GNU), nothing (v7). */
  readonly magic?: string;
  readonly prefix?: string;
  /** The size field as written (default: 11 octal digits and a NUL). */
  readonly sizeField?: string;
  /** Other bytes by offset (such as GNU's atime at 345). */
  readonly raw?: Record<number, string>;
}

function header(entry: Entry): Buffer {
  const block = Buffer.alloc(512);
  const size = Buffer.byteLength(entry.data ?? '');
  block.write(entry.name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 'latin1');
  block.write(entry.sizeField ?? `${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write('00000000000\0', 136, 'latin1');
  block.write(entry.type ?? '0', 156, 'latin1');
  block.write(entry.magic ?? 'ustar\u000000', 257, 'latin1');
  if (entry.prefix) block.write(entry.prefix, 345, 'utf8');
  for (const [offset, text] of Object.entries(entry.raw ?? {})) block.write(text, Number(offset), 'latin1');
  // The checksum: the sum of all bytes with its own field counted as spaces, as 6 octal digits, a NUL and a space.
  block.fill(0x20, 148, 156);
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

/** Entries with their data padded to whole blocks, then the two zero blocks that end an archive (unless `end` is false). */
function archive(entries: Entry[], end = true): Buffer {
  const parts = entries.flatMap(entry => {
    const data = Buffer.from(entry.data ?? '', 'utf8');
    return [header(entry), data, Buffer.alloc((512 - (data.length % 512)) % 512)];
  });
  return Buffer.concat([...parts, ...(end ? [Buffer.alloc(1024)] : [])]);
}

/** A pax extended header's record: its length counts itself. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let length = rest.length;
  while (String(length).length + rest.length !== length) length = String(length).length + rest.length;
  return `${length}${rest}`;
}

const all = () => true;
const text = (files: Map<string, Buffer>) => Object.fromEntries([...files].map(([name, data]) => [name, data.toString('utf8')]));

describe('readTarFiles reads the files of a chart package', () => {
  test('regular files only: folders, symlinks, hard links and devices are skipped', () => {
    const tar = archive([
      { name: 'chart/', type: '5' },
      { name: 'chart/Chart.yaml', data: 'name: binderhub\n' },
      { name: 'chart/link.yaml', type: '2', raw: { 157: 'Chart.yaml' } },
      { name: 'chart/hard.yaml', type: '1', raw: { 157: 'chart/Chart.yaml' } },
      { name: 'chart/fifo', type: '6' },
      { name: 'chart/old.yaml', type: '\0', data: 'old tars mark files with a NUL type\n' },
    ]);
    expect(text(readTarFiles(tar, all))).toEqual({
      'chart/Chart.yaml': 'name: binderhub\n',
      'chart/old.yaml': 'old tars mark files with a NUL type\n',
    });
  });

  test('only the files the caller wants are kept', () => {
    const tar = archive([
      { name: 'chart/Chart.yaml', data: 'name: binderhub\n' },
      { name: 'chart/templates/big.yaml', data: 'kind: ConfigMap\n' },
    ]);
    expect(text(readTarFiles(tar, name => name.endsWith('Chart.yaml')))).toEqual({ 'chart/Chart.yaml': 'name: binderhub\n' });
  });

  test('an empty file, a file of whole blocks, and an archive without its end-of-archive blocks', () => {
    const tar = archive([
      { name: 'chart/empty.yaml' },
      { name: 'chart/block.yaml', data: 'x'.repeat(512) },
    ], false);
    // The last file's data ends exactly where the archive does.
    expect(tar.length).toBe(3 * 512);
    expect(text(readTarFiles(tar, all))).toEqual({ 'chart/empty.yaml': '', 'chart/block.yaml': 'x'.repeat(512) });
  });

  test('a truncated package is refused, naming where its last entry starts', () => {
    const whole = archive([{ name: 'chart/Chart.yaml', data: 'name: binderhub\n' }, { name: 'chart/values.yaml', data: 'y'.repeat(600) }], false);
    expect(() => readTarFiles(whole.subarray(0, 3 * 512), all)).toThrow('truncated tar archive: an entry at byte 1024 runs past the end');
    expect(() => readTarFiles(Buffer.alloc(0), all)).toThrow('not a tar archive: 0 bytes, not a whole number of 512-byte blocks');
  });

  test('sizes are octal, also padded with spaces as older tars write them; any other size is refused', () => {
    const data = 'twelve bytes';
    expect(text(readTarFiles(archive([{ name: 'a', data, sizeField: '         14 ' }]), all))).toEqual({ a: data });
    expect(text(readTarFiles(archive([{ name: 'a', data, sizeField: '00000000014\0' }]), all))).toEqual({ a: data });
    for (const sizeField of ['0000000014x\0', 'x0000000014\0', '00000000018\0']) {
      expect(() => readTarFiles(archive([{ name: 'a', data, sizeField }]), all)).toThrow('not a tar archive: bad number field at byte 0');
    }
  });

  test('names: a name filling all 100 bytes of its field, a ustar prefix, and a leading ./ dropped', () => {
    const hundred = `chart/${'n'.repeat(94)}`;
    const tar = archive([
      { name: hundred, data: '1' },
      { name: 'Chart.yaml', prefix: 'long-folder/chart', data: '2' },
      { name: './chart/values.yaml', data: '3' },
      { name: 'chart/odd./name.yaml', data: '4' },
    ]);
    expect(text(readTarFiles(tar, all))).toEqual({
      [hundred]: '1',
      'long-folder/chart/Chart.yaml': '2',
      'chart/values.yaml': '3',
      'chart/odd./name.yaml': '4',
    });
  });

  test('bytes 345 on are a folder prefix only in POSIX ustar headers, not in GNU (atime there) or v7 ones', () => {
    const tar = archive([
      { name: 'chart/Chart.yaml', data: 'gnu', magic: 'ustar  \0', raw: { 345: '15302035521\0' } },
      { name: 'chart/values.yaml', data: 'v7', magic: '\0\0\0\0\0\0\0\0', raw: { 345: 'something' } },
    ]);
    expect(text(readTarFiles(tar, all))).toEqual({ 'chart/Chart.yaml': 'gnu', 'chart/values.yaml': 'v7' });
  });

  test('GNU long names and pax paths name the entry that follows, past a pax global header', () => {
    const long = `chart-${'x'.repeat(200)}/Chart.yaml`;
    const paxData = paxRecord('mtime', '1700000000.5') + paxRecord('path', long);
    const tar = archive([
      { name: '././@LongLink', type: 'L', data: `${long}\0` },
      { name: 'cut-short-1', data: 'gnu' },
      { name: 'PaxHeaders/x', type: 'x', data: paxData },
      { name: 'pax_global_header', type: 'g', data: paxRecord('comment', 'made by a test') },
      { name: 'cut-short-2', data: 'pax' },
      { name: 'chart/values.yaml', data: 'plain' },
    ]);
    // The same path twice: the later entry wins, as tar extracts it.
    expect(text(readTarFiles(tar, all))).toEqual({ [long]: 'pax', 'chart/values.yaml': 'plain' });
    expect(text(readTarFiles(archive([
      { name: '././@LongLink', type: 'L', data: `${long}\0` },
      { name: 'cut-short-1', data: 'gnu' },
    ]), all))).toEqual({ [long]: 'gnu' });
  });

  test('a pax header without a path record, or with a broken record, leaves the entry its own name', () => {
    for (const paxData of [paxRecord('mtime', '1700000000.5'), '0 path=never\n', 'garbage']) {
      const tar = archive([{ name: 'PaxHeaders/x', type: 'x', data: paxData }, { name: 'chart/Chart.yaml', data: 'own' }]);
      expect(text(readTarFiles(tar, all))).toEqual({ 'chart/Chart.yaml': 'own' });
    }
  });

  test.each(['v7', 'ustar', 'gnu', 'pax'])('reads what tar writes in %s format, paths longer than 100 bytes where the format has them', format => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tar-format-'));
    // v7 has 100 bytes for a path; ustar splits one into a folder of up to 155 bytes and a name of up to 100; gnu and pax have no limit.
    const folder = { v7: 'chart', ustar: `chart-${'u'.repeat(90)}`, gnu: `chart-${'g'.repeat(200)}`, pax: `chart-${'p'.repeat(200)}` }[format]!;
    fs.mkdirSync(path.join(dir, folder, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(dir, folder, 'Chart.yaml'), 'name: binderhub\n');
    fs.writeFileSync(path.join(dir, folder, 'templates', `${'t'.repeat(70)}.yaml`), '');
    fs.symlinkSync('Chart.yaml', path.join(dir, folder, 'link.yaml'));
    const tarFile = path.join(dir, 'chart.tar');
    execFileSync('tar', [`--format=${format}`, '-cf', tarFile, '-C', dir, folder]);
    expect(text(readTarFiles(fs.readFileSync(tarFile), all))).toEqual({
      [`${folder}/Chart.yaml`]: 'name: binderhub\n',
      [`${folder}/templates/${'t'.repeat(70)}.yaml`]: '',
    });
  });
});
