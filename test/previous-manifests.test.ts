/** Reading a previous synth's dist/ that a merge or a crash damaged: the synth goes on without the damaged file. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseManifest, readManifests, readPreviousManifests } from '../lib/internal';

// A copy of fs whose functions a test can replace: neither Node's module nor the imports of it can be redefined.
jest.mock('fs', () => ({ ...jest.requireActual('fs') }));
const replaceableFs = jest.requireMock<typeof fs>('fs');

const GOOD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ns\n';
/** A merge conflict inside an object, as git writes it. */
const CONFLICT = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n<<<<<<< HEAD\n  namespace: x\n=======\n  namespace: y\n>>>>>>> other\n';

function distWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'previous-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

describe('readPreviousManifests', () => {
  test('a file with a merge conflict is left out and named with its line; the other files are read', () => {
    const dir = distWith({ 'a.k8s.yaml': GOOD, 'b.k8s.yaml': CONFLICT, 'notes.txt': 'ignored' });
    const previous = readPreviousManifests(dir);
    expect(previous.objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/a']);
    expect(previous.unreadable).toEqual([`${path.join(dir, 'b.k8s.yaml')} is not valid YAML (line 6)`]);
  });

  test('conflict markers that parse as YAML text are not taken for an object', () => {
    const dir = distWith({ 'c.k8s.yaml': `${GOOD}---\n<<<<<<< HEAD\n---\n${GOOD}` });
    expect(readPreviousManifests(dir)).toEqual({
      objects: [],
      unreadable: [`${path.join(dir, 'c.k8s.yaml')} document 2 (line 6) is not a Kubernetes object with apiVersion, kind and metadata.name`],
    });
  });

  test('a file the file system will not read is named with the error code', () => {
    const dir = distWith({ 'a.k8s.yaml': GOOD });
    fs.mkdirSync(path.join(dir, 'd.k8s.yaml'));
    expect(readPreviousManifests(dir).unreadable).toEqual([`${path.join(dir, 'd.k8s.yaml')} cannot be read (EISDIR)`]);
  });

  test('an error that is no parse or file-system problem is not hidden as an unreadable file', () => {
    const dir = distWith({ 'a.k8s.yaml': GOOD });
    const read = jest.spyOn(replaceableFs, 'readFileSync').mockImplementation(() => { throw new Error('not a file problem'); });
    try {
      expect(() => readPreviousManifests(dir)).toThrow('not a file problem');
    } finally {
      read.mockRestore();
    }
  });

  test('a missing folder is an empty previous synth', () => {
    expect(readPreviousManifests(path.join(os.tmpdir(), 'no-such-dist-folder'))).toEqual({ objects: [], unreadable: [] });
  });
});

describe('parseManifest', () => {
  test.each([
    ['a bare string', 'just text\n', /^f\.k8s\.yaml document 1 \(line 1\) is not a Kubernetes object/],
    ['a list', '- a\n- b\n', /^f\.k8s\.yaml document 1 \(line 1\) is not a Kubernetes object/],
    ['an object without metadata.name', 'apiVersion: v1\nkind: Secret\nmetadata: {}\n', /^f\.k8s\.yaml document 1 \(line 1\) is not a Kubernetes object/],
    ['an object without kind, after an empty document', '---\n---\napiVersion: v1\nmetadata:\n  name: x\n', /^f\.k8s\.yaml document 2 \(line 2\) is not/],
  ])('refuses %s, with the fix', (_, text, message) => {
    expect(() => parseManifest(text, 'f.k8s.yaml')).toThrow(message);
    expect(() => parseManifest(text, 'f.k8s.yaml')).toThrow(/; run `npm run synth` to write it again$/);
  });

  test('reads Kubernetes objects, and a List without a name', () => {
    expect(parseManifest(`${GOOD}---\napiVersion: v1\nkind: List\nmetadata: {}\nitems: []\n`, 'f').map(o => o.kind)).toEqual(['ConfigMap', 'List']);
  });

  test.each([
    ['without apiVersion', 'kind: ConfigMap\nmetadata:\n  name: a\n'],
    ['whose kind only begins with List', 'apiVersion: v1\nkind: ListenerSet\nmetadata: {}\n'],
  ])('refuses an object %s', (_, text) => {
    expect(() => parseManifest(text, 'f')).toThrow('f document 1 (line 1) is not a Kubernetes object with apiVersion, kind and metadata.name');
  });

  test('skips empty documents', () => {
    expect(parseManifest(`---\n---\n${GOOD}---\n`, 'f').map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/a']);
  });

  // GOOD takes lines 1-5; the refused document is the last one each time, and starts at its --- if it has one.
  test.each([
    ['after a document whose value ends in ---', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  note: see above ---\n---\njust text\n', 7],
    ['after a document whose value ends in ...', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  note: wait...\n  other: x\n---\njust text\n', 8],
    ['after a --- that carries a comment', `${GOOD}--- # second\njust text\n`, 6],
    ['after the end marker ...', `${GOOD}...\njust text\n`, 7],
    ['after an end marker with a comment', `${GOOD}... # end\njust text\n`, 7],
    ['after blank lines and comments', '\n  # indented\n# comment\njust text\n', 4],
    ['after a directive', '%YAML 1.2\n---\njust text\n', 2],
  ])('names the line of a refused document %s', (_, text, line) => {
    expect(() => parseManifest(text, 'f')).toThrow(` (line ${line}) is not a Kubernetes object`);
  });
});

describe('readManifests', () => {
  test('reads the *.k8s.yaml and *.k8s.yml files of a folder in name order, and no other file', () => {
    const named = (name: string) => GOOD.replace('name: a', `name: ${name}`);
    const dir = distWith({
      'b.k8s.yaml': named('b'), 'a.k8s.yml': named('a'), 'c.k8s.yaml.orig': named('c'), 'notes.txt': named('d'), 'e.yaml': named('e'),
    });
    expect(readManifests(dir).map(o => o.metadata.name)).toEqual(['a', 'b']);
  });
});
