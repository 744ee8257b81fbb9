import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { sha256 } from '../core/hash';
import { ChartSource, chartOverrideFromEnvironment } from '../chart/chart-source';
import { ConfigError } from '../core/errors';
import { readInputText } from '../core/input-files';
import { HubUrlRecords } from '../deployment/hub-url-records';
import { setProjectContext } from '../deployment/project-context';
import { ManifestObject } from '../output/manifest-check';
import { CredentialName, DeploymentSecrets, requiredCredential, SecretStore } from '../secrets/secret-store';
import { BinderHubTokens, TOKEN_NAMES } from '../secrets/tokens';

/** What a project's deployments read from its folder: the files that `init-secrets`, `patch-hub-url` and `synth` keep. */
export interface ProjectInputs {
  /** The deployments' secrets files (secrets/). */
  readonly secrets: SecretStore;
  /** Discovered hub URLs (hub-urls/). */
  readonly hubUrls: HubUrlRecords;
  /**
   * The chart every deployment renders instead of its own (BINDERHUB_CHART).
   * @default - each deployment's own chart
   */
  readonly chart?: ChartSource;
  /**
   * The previous synth's objects (dist/), so unchanged sealed values keep their ciphertext; read only when a sealed
   * deployment asks (it may be a getter that reads them then).
   * @default []
   */
  readonly previous?: ManifestObject[];
}

/**
 * Whether a scope hands out the secrets files' tokens and credentials ('synth'), or stand-ins ('discover': to find out
 * which deployments and credentials an app has, and for tests).
 */
export type ScopeMode = 'synth' | 'discover';

/**
 * The cdk8s App that a BinderHubApp's deployments are defined in. It gives each BinderHub under it what the project
 * folder holds for it (its discovered hub URL, the previous synth for stable sealed values, the chart that
 * BINDERHUB_CHART sets; see ProjectContext), hands out each deployment's tokens and credentials, and remembers which
 * deployments and credentials were asked for, so that `init-secrets` and the placeholder warnings follow the app.
 */
export class DeploymentsScope extends App {
  /**
   * A scope for a project's tests: stand-in tokens and credentials (no secrets/ needed, nothing secret in a
   * snapshot), no recorded hub URL or previous synth, the chart that BINDERHUB_CHART names if set, and output into a
   * fresh temporary folder. Its deployments render with helm as in a synth.
   */
  public static forTesting(env: NodeJS.ProcessEnv = process.env): DeploymentsScope {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'binderhub-cdk8s-'));
    const inputs = { secrets: new SecretStore(path.join(outdir, 'secrets')), hubUrls: new HubUrlRecords(path.join(outdir, 'hub-urls')) };
    return new DeploymentsScope({ ...inputs, chart: chartOverrideFromEnvironment(env) }, 'discover', outdir);
  }

  /**
   * The secrets files asked for, in order, each read once (or stood in for), with the credentials asked of it: what
   * the commands warn about and check after the synth, without reading the files again. @internal
   */
  public readonly requested = new Map<string, { readonly secrets: DeploymentSecrets; readonly credentials: Set<CredentialName> }>();

  /** What the project folder holds for the deployments. @internal */
  public readonly inputs: ProjectInputs;
  /** Whether secrets are read or stood in for. @internal */
  public readonly mode: ScopeMode;

  /** Made by the commands (and `forTesting`), never by a project's own code. @internal */
  constructor(inputs: ProjectInputs, mode: ScopeMode = 'synth', outdir?: string) {
    super(outdir === undefined ? {} : { outdir });
    this.inputs = inputs;
    this.mode = mode;
    setProjectContext(this, { chart: inputs.chart, previous: () => inputs.previous ?? [], discoveredHubUrl: name => inputs.hubUrls.load(name) });
  }

  /**
   * The tokens and credentials of `deployment` (secrets/<deployment>.json, which `init-secrets` writes). While the
   * app is only being discovered, stand-ins.
   */
  public secrets(deployment: string): DeploymentSecrets {
    return this.request(deployment).secrets;
  }

  /**
   * The credential `name` of `deployment`, which it cannot do without: `init-secrets` writes a placeholder for it
   * and the synth warns while the placeholder is there.
   */
  public credential(deployment: string, name: CredentialName): string {
    const { secrets, credentials } = this.request(deployment);
    credentials.add(name);
    return this.mode === 'discover' ? `stand-in ${name}` : requiredCredential(secrets, name);
  }

  /** The secrets file of `deployment`, read (or stood in for) the first time it is asked for. */
  private request(deployment: string): { readonly secrets: DeploymentSecrets; readonly credentials: Set<CredentialName> } {
    let entry = this.requested.get(deployment);
    if (!entry) {
      const secrets = this.mode === 'discover' ? standInSecrets(this.inputs.secrets.fileFor(deployment)) : this.inputs.secrets.load(deployment);
      entry = { secrets, credentials: new Set() };
      this.requested.set(deployment, entry);
    }
    return entry;
  }

  /**
   * The text of a file the project keeps (a sealed-secrets certificate), relative to the project folder, read as
   * every input file is (readInputText); missing or unfit, a one-line error naming it and `hint`, what to do.
   */
  public readFile(file: string, hint: string): string {
    if (!fs.existsSync(file)) throw new ConfigError(`${file} does not exist; ${hint}`);
    return readInputText(file, { fix: hint });
  }
}

/** Secrets that let a deployment be defined without its file: nothing is rendered from them. */
function standInSecrets(file: string): DeploymentSecrets {
  // Distinct, as the tokens' own checks want; derived from the token's name, so they hold nothing.
  const standIn = (name: string) => sha256(`stand-in ${name}`);
  return {
    file,
    tokens: BinderHubTokens.fromValues(Object.fromEntries(TOKEN_NAMES.map(name => [name, standIn(name)])), file),
    credentials: {},
    chartValues: {},
    placeholders: [],
  };
}
