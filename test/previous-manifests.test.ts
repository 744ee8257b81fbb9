/** Reading a previous synth's dist/ that a merge or a crash damaged: the synth goes on without the damaged file. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseManifest, readPreviousManifests } from '../lib';

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
});
