import { App, Names } from 'cdk8s';
import { ConfigError } from '../core/errors';
import { stringifyManifests } from './manifest-yaml';

/** The files of a synthesized app, by file name, as `App.synth()` would write them (one file per chart). */
export type SynthesizedFiles = ReadonlyMap<string, string>;

/**
 * Synthesizes `app` in memory: the same bytes `app.synth()` writes for one file per chart, but no file is written,
 * so a synth killed at any point leaves no copy of a Secret behind, and nothing is written only to be read back.
 */
export function synthesizeFiles(app: App): SynthesizedFiles {
  const files = new Map<string, string>();
  for (const chart of app.charts) {
    // Charts that depend on others get numbered files from cdk8s; no deployment of ours adds such dependencies.
    if (chart.node.dependencies.length > 0) {
      throw new ConfigError(`chart ${chart.node.path} depends on another chart, which this synth does not order; remove the dependency`);
    }
    // chart.toJson() validates the app and resolves each object, as app.synth() does.
    files.set(`${Names.toDnsLabel(chart)}${app.outputFileExtension}`, stringifyManifests(...chart.toJson()));
  }
  return files;
}
