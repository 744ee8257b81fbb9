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
