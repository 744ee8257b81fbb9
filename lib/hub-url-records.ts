import * as fs from 'fs';
import * as path from 'path';
import { checkDnsLabel } from './names';
import { normalizeHubUrl } from './hub-url';
import { writeFileAtomic } from './publish';

/**
 * The hub URLs that `npm run patch-hub-url` discovered, one small committed file per deployment
 * (`<directory>/<deployment>.url`), so that the next synth renders them instead of dropping them.
 */
export class HubUrlRecords {
  /** @param directory where the files live; relative paths resolve from the working directory */
  constructor(public readonly directory: string = 'hub-urls') {}

  /** The file that records `deployment`'s hub URL. */
  public fileFor(deployment: string): string {
    return path.join(this.directory, `${deployment}.url`);
  }

  /** The recorded URL, or undefined if none was recorded yet. */
  public load(deployment: string): string | undefined {
    const file = this.fileFor(deployment);
    if (!fs.existsSync(file)) {
      return undefined;
    }
    const url = fs.readFileSync(file, 'utf8').trim();
    normalizeHubUrl(url, file);
    return url;
  }

  /** Records `url` for `deployment` (written whole, then renamed into place). Returns whether it changed. */
  public save(deployment: string, url: string): boolean {
    if (this.load(deployment) === url) {
      return false;
    }
    checkDnsLabel('deployment name', deployment);
    fs.mkdirSync(this.directory, { recursive: true, mode: 0o755 }); // not 0777 under umask 000
    writeFileAtomic(this.fileFor(deployment), `${url}\n`);
    return true;
  }
}
