/**
 * The folders of lib/ are layers: a module imports only from its own folder and the folders below it, so each
 * concern can be read (and tested) without the ones built on it.
 */
import * as fs from 'fs';
import * as path from 'path';

/** lib/'s folders, lowest first. */
const LAYERS = ['core', 'output', 'chart', 'secrets', 'service', 'deployment', 'review', 'cluster', 'adopt', 'cli', 'app'];

const lib = path.join(__dirname, '..', 'lib');

/** The lib/ folders that `file` (in lib/) imports from, by relative import. */
function importedFolders(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)]
    .map(match => path.relative(lib, path.resolve(path.dirname(file), match[1])).split(path.sep))
    .filter(parts => parts.length > 1 && parts[0] !== '..')
    .map(parts => parts[0]);
}

test('lib/ holds only the layer folders, the public API (index.ts) and what the commands and tests use (internal.ts)', () => {
  expect(fs.readdirSync(lib).sort()).toEqual(['index.ts', 'internal.ts', ...LAYERS].sort());
});

test.each(LAYERS)('lib/%s imports only from itself and the layers below it, and holds at most 15 files', layer => {
  const files = fs.readdirSync(path.join(lib, layer));
  expect(files.length).toBeLessThanOrEqual(15);
  const allowed = LAYERS.slice(0, LAYERS.indexOf(layer) + 1);
  const upward = files.flatMap(file => importedFolders(path.join(lib, layer, file))
    .filter(folder => !allowed.includes(folder)).map(folder => `${file} imports from lib/${folder}`));
  expect(upward).toEqual([]);
});
