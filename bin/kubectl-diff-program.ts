/**
 * Not a command of its own: `npm run diff -- --live` has kubectl run this as its external diff program
 * (KUBECTL_EXTERNAL_DIFF) with two folders, the live objects and the objects as the apply would leave them, one
 * file each. Prints their object diff as JSON (Secret values never in it); exits 0 when nothing changes, 1 when
 * something does, 2 on an error, as kubectl expects of a diff program.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, diffLiveObjects, isEmptyDiff, MAX_KUBECTL_OBJECT_FILE_BYTES, readInputText, redact, runMain } from '../lib/internal';

/** The files kubectl wrote, one object each: only regular files of a bounded size (a FIFO or /dev/zero put there is refused). */
const folderTexts = (folder: string) => new Map(fs.readdirSync(folder).map(name => [name, readInputText(path.join(folder, name), { maxBytes: MAX_KUBECTL_OBJECT_FILE_BYTES })]));

runMain(() => {
  const folders = process.argv.slice(2);
  if (folders.length !== 2) throw new ConfigError('kubectl-diff-program is run by kubectl diff with two folders; use `npm run diff -- --live`');
  const diff = diffLiveObjects(folderTexts(folders[0]), folderTexts(folders[1]));
  process.stdout.write(redact(JSON.stringify(diff)));
  process.exitCode = isEmptyDiff(diff) ? 0 : 1;
}, 2);
