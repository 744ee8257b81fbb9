/** A registered secret value as `redact` looks for it. */
interface KnownSecret {
  /** The value itself and its base64 form, replaced wherever they appear. */
  readonly whole: readonly string[];
  /** Its base64 form without padding: a base64 run that is part of it quotes part of the value. */
  readonly base64: string;
  /**
   * The base64 characters that encode only the value's own bytes when it starts 0, 1 or 2 bytes into a 3-byte group:
   * the base64 of any larger value that holds it (a values.yaml holding a token) contains one of them.
   */
  readonly cores: readonly string[];
}

/**
 * Secret values known to this process (tokens, passwords, keys, whole Secret values). Anything we print that could
 * echo input (helm's stderr, kubectl's and the API server's errors, an unexpected exception) goes through `redact` first.
 */
const knownSecrets = new Map<string, KnownSecret>();

/** Remembers values that must never be printed. Short values are ignored: they would redact ordinary words. */
export function registerSecrets(...values: Array<string | undefined>): void {
  for (const value of values) {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH && !knownSecrets.has(value)) {
      knownSecrets.set(value, knownSecret(value));
    }
  }
}

export const MIN_SECRET_LENGTH = 6;

function knownSecret(value: string): KnownSecret {
  const bytes = Buffer.from(value);
  const base64 = bytes.toString('base64');
  const cores = [0, 1, 2].map(shift => {
    const shifted = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Characters mixing the value's bits with the bytes around it differ with those bytes: only whole ones count.
    return shifted.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6));
  });
  return { whole: [value, base64], base64: base64.replace(/=+$/, ''), cores };
}

/**
 * A run of base64 characters as long as the shortest registered value's base64 (8 characters of its 6 bytes) or
 * longer: shorter runs are ordinary words. Such a run that is part of a registered value's base64 (a server quoting
 * "the first part" of a Secret's data), or that holds a registered value encoded at any offset, is redacted whole.
 */
const BASE64_RUN = /[A-Za-z0-9+/]{8,}={0,2}/g;

/** Remembers the values of a Secret (`data`, decoded, and `stringData`) that must never be printed. */
export function registerSecretValues(secret: { readonly [key: string]: unknown }): void {
  // A missing field holds no values; a scalar's characters are too short to register.
  const entries = (value: unknown) => Object.values(value ?? {}).map(String);
  registerSecrets(...entries(secret.data).map(value => Buffer.from(value, 'base64').toString('utf8')), ...entries(secret.stringData));
}

/**
 * Replaces every known secret value in `text`, and its base64 form, with `***`; then every base64 run that quotes
 * part of one, or holds one inside a larger encoded value (BASE64_RUN).
 */
export function redact(text: string): string {
  let result = text;
  for (const secret of knownSecrets.values()) {
    for (const form of secret.whole) {
      result = result.split(form).join('***');
    }
  }
  return result.replace(BASE64_RUN, run => (quotesSecret(run.replace(/=+$/, '')) ? '***' : run));
}

/** Whether the base64 run `run` is part of a registered value's base64, or holds a registered value's bytes. */
function quotesSecret(run: string): boolean {
  for (const secret of knownSecrets.values()) {
    if (secret.base64.includes(run) || secret.cores.some(core => core.length > 0 && run.includes(core))) return true;
  }
  return false;
}

/**
 * `url` as a message may quote it: whatever stands before its last `@` (a user name, a password, a token) becomes
 * `***`, so `https://bot:pw@host/path` reads `https://***@host/path`. Works on text that does not parse as a URL too.
 */
export function redactUrl(url: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url)?.[0] ?? '';
  const at = url.lastIndexOf('@');
  return at < scheme.length ? url : `${scheme}***${url.slice(at)}`;
}
