import { createHash } from 'crypto';

/** The SHA-256 of `data` (text as UTF-8), in hex. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
