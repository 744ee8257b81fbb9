import { MIN_SECRET_LENGTH } from '../core/redact';
import { leafEntries, Values, valueTexts } from '../core/values';

/** A rendered object, as far as the check needs it. */
export interface RenderedObject {
  readonly kind: string;
  readonly metadata?: { readonly name?: string };
}

/**
 * The first secret chart value that the chart rendered into an object other than a Secret, as `[setting, object]`:
 * the secrets mode keeps only Secret objects out of dist/, so such a value would reach dist/ in plain text. Texts
 * shorter than a secret can be (MIN_SECRET_LENGTH) are not looked for: they match anywhere.
 */
export function secretValueOutsideSecrets(objects: Iterable<RenderedObject>, secretValues: Values): [string, string] | undefined {
  const texts = leafEntries(secretValues)
    .flatMap(([setting, value]) => valueTexts(value).filter(text => text.length >= MIN_SECRET_LENGTH)
      // As it stands inside a JSON string: quotes, backslashes and line breaks escaped.
      .map((text): [string, string] => [setting, JSON.stringify(text).slice(1, -1)]));
  if (texts.length === 0) return undefined;
  for (const object of objects) {
    if (object.kind === 'Secret') continue;
    const json = JSON.stringify(object);
    const found = texts.find(([, text]) => json.includes(text));
    if (found) return [found[0], `${object.kind}/${object.metadata?.name ?? ''}`];
  }
  return undefined;
}
