import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { SealedSecret } from '../../imports/bitnami.com';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy } from '../../imports/external-secrets.io';
import { ConfigError } from '../core/errors';
import { ManifestObject } from '../output/manifest-check';
import { checkObjectName, isGoDuration } from '../core/names';
import { SECRETS_CHART_SUFFIX } from '../output/publish-journal';
import { checkSealingScope, encryptionLabel, scopeAnnotations, SealingCertificate, SealingScope } from './seal';
import { SealedValueKeys } from './sealed-values';
import { isPlainObject } from '../core/values';

/** The SealedSecret annotation with one keyed hash per sealed value: an unchanged value keeps its ciphertext. */
export const SEALED_FINGERPRINTS_ANNOTATION = 'binderhub-cdk8s.io/sealed-fingerprints';

/** One Secret of a deployment, read from its synthesized object. */
export interface SecretContent {
  readonly name: string;
  readonly namespace: string;
  readonly type?: string;
  readonly immutable?: boolean;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** Each key's plaintext bytes (`data` decoded, `stringData` as UTF-8). */
  readonly values: Record<string, Buffer>;
}

/** What a secrets mode needs from the deployment it applies to. */
export interface SecretsModeContext {
  /** The deployment's chart: replacements go here. */
  readonly chart: Chart;
  /** A secret key of the deployment's, for keyed hashes of sealed values. */
  readonly fingerprintKey: Buffer;
  /**
   * The previous synth's objects, for a sealed mode not given its own (`SealedSecretsProps.previous`); called only
   * by a mode that seals.
   * @default - none
   */
  readonly previous?: () => ManifestObject[];
}

/** Props for `SecretsMode.sealed`. */
export interface SealedSecretsProps {
  /** The sealed-secrets controller's certificate, PEM (`kubeseal --fetch-cert`). */
  readonly certificate: string;
  /**
   * Where the certificate came from, for messages.
   * @default 'certificate'
   */
  readonly certificateSource?: string;
  /**
   * Which Secrets a sealed value may become.
   * @default 'strict' - only the Secret of the same name in the same namespace
   */
  readonly scope?: SealingScope;
  /**
   * The objects of the previous synth (dist/), whose SealedSecrets keep their ciphertext for unchanged values, each
   * only if it holds that value (see SealedValueKeys); others are sealed anew and named in
   * `BinderHub.foreignCiphertexts`. Sealing is randomized; without this every synth re-seals every value and every
   * GitOps diff shows them all.
   * @default [] - seal everything
   */
  readonly previous?: ManifestObject[];
}

/** Props for `SecretsMode.external`. */
export interface ExternalSecretsProps {
  /** The SecretStore (or ClusterSecretStore) the External Secrets Operator reads from. */
  readonly storeName: string;
  /**
   * The store's kind.
   * @default ExternalSecretSpecSecretStoreRefKind.SECRET_STORE
   */
  readonly storeKind?: ExternalSecretSpecSecretStoreRefKind;
  /**
   * Prefix of the remote keys; each value lives at `<prefix><namespace>/<secret>/<key>`.
   * @default ''
   */
  readonly remoteKeyPrefix?: string;
  /**
   * How often the operator reads the store again.
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/** Apps whose deployments share one mode unless a deployment sets its own. */
const appDefaults = new WeakMap<object, SecretsMode>();

/**
 * How a deployment's Secrets (tokens, registry credentials, GitHub/GitLab tokens) reach the cluster, so that
 * `dist/` can go into a GitOps repository.
 */
export abstract class SecretsMode {
  /**
   * Secrets as plain Secret objects in dist/: for `kubectl apply` from a private workspace. Never the default: a
   * deployment (or `useForApp`) must choose it, and `check-dist` names plaintext Secret data anywhere else in dist/.
   */
  public static inline(): SecretsMode {
    return new InlineMode();
  }

  /**
   * Every Secret goes to `dist-secrets/<deployment>-secrets.k8s.yaml` (git-ignored); the rest stays in dist/. The
   * default.
   */
  public static separate(): SecretsMode {
    return new SeparateMode();
  }

  /** Every Secret becomes a Bitnami SealedSecret, sealed offline for the controller's certificate. */
  public static sealed(props: SealedSecretsProps): SecretsMode {
    return new SealedMode(props);
  }

  /**
   * Every Secret becomes an External Secrets Operator ExternalSecret that reads each value from your store.
   * The Secrets themselves go to `dist-secrets/` (git-ignored), as what to load into the store.
   */
  public static external(props: ExternalSecretsProps): SecretsMode {
    checkObjectName('SecretsMode.external storeName', props.storeName);
    if (props.refreshInterval !== undefined && !isGoDuration(props.refreshInterval)) {
      throw new ConfigError(`SecretsMode.external refreshInterval "${props.refreshInterval}" is not a Go duration; give one such as 1h, 30m, 1h30m, or 0 to read the store once`);
    }
    return new ExternalMode(props);
  }

  /** Makes `mode` the mode of every deployment in `app` that sets none. */
  public static useForApp(app: Construct, mode: SecretsMode): void {
    appDefaults.set(app.node.root, mode);
  }

  /** The mode for a deployment in `scope`: the app's, else separate, so no plaintext reaches dist/ unchosen. @internal */
  public static forScope(scope: Construct): SecretsMode {
    return appDefaults.get(scope.node.root) ?? SecretsMode.separate();
  }

  /** The mode's name. @internal */
  public abstract readonly name: 'inline' | 'separate' | 'sealed' | 'external';

  /** Whether dist/ may hold Secret objects with data. @internal */
  public get allowsSecretsInDist(): boolean {
    return this.name === 'inline';
  }

  /** The certificate the mode seals for (its SHA-256 fingerprint and where it came from); undefined when it seals nothing. @internal */
  public get sealingCertificate(): { readonly fingerprint: string; readonly source: string } | undefined {
    return undefined;
  }

  /**
   * Replaces the deployment's Secret objects, already removed from its chart. Returns the values whose previous
   * ciphertext did not belong to them and were sealed anew, as `SealedSecret <namespace>/<name> key <key>`. @internal
   */
  public abstract replace(secrets: SecretContent[], context: SecretsModeContext): string[];
}

class InlineMode extends SecretsMode {
  public readonly name = 'inline';
  public replace(): string[] {
    throw new Error('inline mode keeps the Secrets where they are');
  }
}

/** Writes the Secrets, unchanged, into the deployment's `.secrets` chart. */
function writeSeparately(secrets: SecretContent[], chart: Chart): void {
  const separate = new Chart(chart.node.scope!, `${chart.node.id}${SECRETS_CHART_SUFFIX}`, { namespace: chart.namespace, labels: chart.labels });
  for (const secret of secrets) {
    new ApiObject(separate, secret.name, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secret.name, labels: secret.labels, annotations: secret.annotations },
      type: secret.type,
      immutable: secret.immutable,
      data: Object.fromEntries(Object.entries(secret.values).map(([k, v]) => [k, v.toString('base64')])),
    });
  }
}

class SeparateMode extends SecretsMode {
  public readonly name = 'separate';
  public replace(secrets: SecretContent[], context: SecretsModeContext): string[] {
    writeSeparately(secrets, context.chart);
    return [];
  }
}

class SealedMode extends SecretsMode {
  public readonly name = 'sealed';
  private readonly certificate: SealingCertificate;
  /** Where the certificate came from, for messages. */
  private readonly source: string;

  constructor(private readonly props: SealedSecretsProps) {
    super();
    this.source = props.certificateSource ?? 'certificate';
    this.certificate = SealingCertificate.fromPem(props.certificate, this.source);
    checkSealingScope('SecretsMode.sealed scope', this.scope);
  }

  private get scope(): SealingScope {
    return this.props.scope ?? 'strict';
  }

  public override get sealingCertificate(): { readonly fingerprint: string; readonly source: string } {
    return { fingerprint: this.certificate.fingerprint, source: this.source };
  }

  public replace(secrets: SecretContent[], context: SecretsModeContext): string[] {
    const scope = this.scope;
    const keys = new SealedValueKeys(context.fingerprintKey, this.certificate, scope);
    const foreign: string[] = [];
    for (const secret of secrets) {
      const previous = this.previousSeal(secret, this.props.previous ?? context.previous?.() ?? []);
      const label = encryptionLabel(secret.namespace, secret.name, scope);
      const fingerprints: Record<string, string> = {};
      const encryptedData: Record<string, string> = {};
      for (const key of Object.keys(secret.values).sort()) {
        const slot = { namespace: secret.namespace, name: secret.name, key };
        const value = secret.values[key];
        fingerprints[key] = keys.fingerprint(slot, value);
        const sessionKey = keys.sessionKey(slot, value);
        // The recorded fingerprint says the value is unchanged; only the ciphertext's own check says it holds that value.
        const candidate = previous?.fingerprints[key] === fingerprints[key] ? previous.encryptedData[key] : undefined;
        const kept = this.certificate.sealsValue(candidate, value, sessionKey) ? candidate as string : undefined;
        if (candidate !== undefined && kept === undefined) foreign.push(`SealedSecret ${secret.namespace}/${secret.name} key ${key}`);
        encryptedData[key] = kept ?? this.certificate.seal(value, label, sessionKey);
      }
      new SealedSecret(context.chart, `sealed-${secret.name}`, {
        metadata: {
          name: secret.name,
          labels: secret.labels,
          annotations: { ...scopeAnnotations(scope), [SEALED_FINGERPRINTS_ANNOTATION]: JSON.stringify(fingerprints) },
        },
        spec: {
          encryptedData,
          template: {
            metadata: { name: secret.name, namespace: secret.namespace, labels: secret.labels, annotations: { ...secret.annotations, ...scopeAnnotations(scope) } },
            type: secret.type,
            immutable: secret.immutable,
          },
        },
      });
    }
    return foreign;
  }

  /** What the previous synth sealed for `secret`: its recorded fingerprints and its ciphertexts, each unchecked. */
  private previousSeal(secret: SecretContent, previous: ManifestObject[]): { fingerprints: Record<string, unknown>; encryptedData: Record<string, unknown> } | undefined {
    const found = previous.find(o =>
      o?.kind === 'SealedSecret' && o.metadata?.name === secret.name && o.metadata.namespace === secret.namespace);
    const recorded = (found?.metadata as any)?.annotations?.[SEALED_FINGERPRINTS_ANNOTATION];
    if (!found || typeof recorded !== 'string') return undefined;
    let fingerprints: unknown;
    try {
      fingerprints = JSON.parse(recorded);
    } catch {
      // an unreadable record only costs a re-seal: fingerprints stay undefined, which is no record
    }
    const encryptedData = found.spec?.encryptedData;
    return isPlainObject(fingerprints) && isPlainObject(encryptedData) ? { fingerprints, encryptedData } : undefined;
  }
}

class ExternalMode extends SecretsMode {
  public readonly name = 'external';

  constructor(private readonly props: ExternalSecretsProps) {
    super();
  }

  public replace(secrets: SecretContent[], context: SecretsModeContext): string[] {
    for (const secret of secrets) {
      new ExternalSecret(context.chart, `external-${secret.name}`, {
        metadata: { name: secret.name, labels: secret.labels },
        spec: {
          refreshInterval: this.props.refreshInterval ?? '1h',
          secretStoreRef: { name: this.props.storeName, kind: this.props.storeKind ?? ExternalSecretSpecSecretStoreRefKind.SECRET_STORE },
          target: { name: secret.name, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER, template: { type: secret.type, metadata: { labels: secret.labels, annotations: secret.annotations } } },
          // One remote key per value: key names such as hub.services.binder.apiToken would read as paths in a property.
          data: Object.keys(secret.values).sort().map(key => ({
            secretKey: key,
            remoteRef: { key: `${this.props.remoteKeyPrefix ?? ''}${secret.namespace}/${secret.name}/${key}` },
          })),
        },
      });
    }
    writeSeparately(secrets, context.chart);
    return [];
  }
}

/** Reads a synthesized Secret object into its content. */
export function secretContent(json: any, namespace: string): SecretContent {
  const values: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries<string>(json.data ?? {})) values[key] = Buffer.from(value, 'base64');
  for (const [key, value] of Object.entries<string>(json.stringData ?? {})) values[key] = Buffer.from(value, 'utf8');
  return {
    name: json.metadata.name,
    namespace: json.metadata.namespace ?? namespace,
    type: json.type,
    immutable: json.immutable,
    labels: json.metadata.labels ?? {},
    annotations: json.metadata.annotations ?? {},
    values,
  };
}
