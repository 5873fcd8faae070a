// Content fingerprints: from the secret alone, never from where it was found, so a suppression
// survives edits and moves. 64 bits of SHA-256 of a 150+ bit random key: safe to print and commit.
import { nodeCrypto } from '../builtin.js';

export function fingerprint(secret: string): string {
  return nodeCrypto().createHash('sha256').update('keyguard:v1:').update(secret).digest('hex').slice(0, 16);
}
