/** Whole numbers given as options (seconds, counts): digits only, within bounds. */
import { ConfigError } from './errors';

/** The value of `option` as a whole number of seconds from 1 to `max` (`maxMeaning` says what the maximum is). */
export function wholeSeconds(option: string, value: string, max: number, maxMeaning: string): number {
  if (!isWholeNumber(value, max)) {
    throw new ConfigError(`${option} must be a whole number of seconds from 1 to ${max} (${maxMeaning}), got "${value}"`);
  }
  return Number(value);
}

/**
 * Whether an option's `value` is a whole number from 1 to `max`, in digits only: Number() also reads 1e21, 0x3c,
 * " 60" and "" (as 0).
 */
export function isWholeNumber(value: string, max = Number.MAX_SAFE_INTEGER): boolean {
  return /^[0-9]+$/.test(value) && Number(value) >= 1 && Number(value) <= max;
}
