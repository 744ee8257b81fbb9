import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../core/errors';
import { checkDnsLabel } from '../core/names';
import { normalizeHubUrl } from './hub-url';
import { formatBytes, readInputText } from '../core/input-files';
import { writeFileAtomic } from '../output/publish';

/**
 * The most a hub URL record may hold. A hub URL is a scheme, a host name (at most 253 characters) and a short path;
 * 2 KiB is also the longest URL that browsers and proxies are all known to take. A larger record is no URL of ours
 * (a file put in its place), and would make a ConfigMap the API server may refuse.
 */
export const MAX_HUB_URL_RECORD_BYTES = 2 * 1024;

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

  /**
   * The recorded URL, or undefined if none was recorded yet. The record is one URL on one line (a final line break
   * allowed). Refusals never quote the file: it may be anything put in its place, such as a link to a secrets file.
   */
  public load(deployment: string): string | undefined {
    const file = this.fileFor(deployment);
    if (!fs.existsSync(file)) {
      return undefined;
    }
    const fix = `remove it and run \`npm run patch-hub-url -- --deployment ${deployment}\` again (it should hold the deployment's recorded hub URL, at most ${formatBytes(MAX_HUB_URL_RECORD_BYTES)})`;
    const lines = readInputText(file, { maxBytes: MAX_HUB_URL_RECORD_BYTES, fix }).replace(/\r?\n$/, '').split(/\r?\n|\r/);
    if (lines.length > 1) throw new ConfigError(`${file} line 2: a hub URL record is one URL on one line; ${fix}`);
    const url = lines[0].trim();
    normalizeHubUrl(url, file, false);
    return url;
  }

  /** Records `url` for `deployment` (written whole, then renamed into place). Returns whether it changed. @internal */
  public save(deployment: string, url: string): boolean {
    if (this.load(deployment) === url) {
      return false;
    }
    checkDnsLabel('deployment name', deployment);
    this.createFolder();
    writeFileAtomic(this.fileFor(deployment), this.content(url));
    return true;
  }

  /** What the record file of `url` holds. @internal */
  public content(url: string): string {
    return `${url}\n`;
  }

  /** Fails, naming the folder, if records cannot be written there (it, or the nearest folder above it, must be a writable folder). @internal */
  public checkWritable(): void {
    let dir = path.resolve(this.directory);
    while (!fs.existsSync(dir)) dir = path.dirname(dir);
    if (!fs.statSync(dir).isDirectory()) {
      throw new ConfigError(`${dir} is a file where the hub URL records folder ${this.directory} should be; move it away or pass --records`);
    }
    fs.accessSync(dir, fs.constants.W_OK);
  }

  /** Creates the folder and those above it, writable by the owner only (0755, less what the umask takes away). @internal */
  public createFolder(): void {
    fs.mkdirSync(this.directory, { recursive: true, mode: 0o755 });
  }
}
