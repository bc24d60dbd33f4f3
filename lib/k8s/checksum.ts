import { createHash } from 'node:crypto';

/** The pod-template annotation whose change rolls the pods when their config changes. */
export const CONFIG_CHECKSUM_ANNOTATION = 'checksum/config';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
