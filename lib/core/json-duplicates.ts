/** Where a JSON text gives a key twice in one object: JSON.parse keeps the last silently. */
export interface DuplicateJsonKey {
  /** The keys from the top down to the duplicated one; an array item is its index. */
  readonly path: ReadonlyArray<string | number>;
  /** The line (from 1) of the second occurrence. */
  readonly line: number;
}

/** An object or array the scan is inside, and the key or index its current value has. */
interface Frame {
  readonly keys?: Set<string>;
  at: string | number;
  expectingKey: boolean;
}

/**
 * The first key that `text`, valid JSON, gives twice in one object, or undefined. A scan of its tokens, since the
 * parsed value no longer holds the first occurrence.
 */
export function findDuplicateJsonKey(text: string): DuplicateJsonKey | undefined {
  const stack: Frame[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const top = stack[stack.length - 1];
    if (char === '\n') line++;
    else if (char === '{') stack.push({ keys: new Set(), at: '', expectingKey: true });
    else if (char === '[') stack.push({ at: 0, expectingKey: false });
    else if (char === '}' || char === ']') stack.pop();
    else if (char === ',' && top) {
      if (top.keys) top.expectingKey = true;
      else top.at = (top.at as number) + 1;
    } else if (char === '"') {
      const end = stringEnd(text, i);
      if (top?.keys && top.expectingKey) {
        const key: string = JSON.parse(text.slice(i, end + 1));
        if (top.keys.has(key)) return { path: [...stack.slice(0, -1).map(frame => frame.at), key], line };
        top.keys.add(key);
        top.at = key;
        top.expectingKey = false;
      }
      i = end;
    }
  }
  return undefined;
}

/** The index of the quote that closes the JSON string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
}
