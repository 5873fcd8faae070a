// Content fingerprints: from the secret alone, never from where it was found, so a suppression
// survives edits and moves. 64 bits of SHA-256 of a 150+ bit random key: safe to print and commit.
import { sha256Hex } from './sha256.js';

export function fingerprint(secret: string): string {
  return sha256Hex(`keyguard:v1:${secret}`).slice(0, 16);
}
