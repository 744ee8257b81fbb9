/**
 * Secret values known to this process (tokens, passwords, keys). Anything we print that could echo input
 * (helm's stderr, an unexpected exception) goes through `redact` first.
 */
const knownSecrets = new Set<string>();

/** Remembers values that must never be printed. Short values are ignored: they would redact ordinary words. */
export function registerSecrets(...values: Array<string | undefined>): void {
  for (const value of values) {
    if (value !== undefined && value.length >= 6) {
      knownSecrets.add(value);
    }
  }
}

/** Remembers the values of a Secret (`data`, decoded, and `stringData`) that must never be printed. */
export function registerSecretValues(secret: { readonly [key: string]: unknown }): void {
  // A missing field holds no values; a scalar's characters are too short to register.
  const entries = (value: unknown) => Object.values(value ?? {}).map(String);
  registerSecrets(...entries(secret.data).map(value => Buffer.from(value, 'base64').toString('utf8')), ...entries(secret.stringData));
}

/** Replaces every known secret value in `text`, and its base64 form, with `***`. */
export function redact(text: string): string {
  let result = text;
  for (const secret of knownSecrets) {
    for (const form of [secret, Buffer.from(secret).toString('base64')]) {
      result = result.split(form).join('***');
    }
  }
  return result;
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
