// The characters keys are made of, as lookup tables: every reader of key text (detection, escapes,
// joining split keys, window cuts) asks here.
export const KEY_CHAR = new Uint8Array(128);
export const ALNUM_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(ch)) ALNUM_CHAR[c] = 1;
  if (/[A-Za-z0-9_-]/.test(ch)) KEY_CHAR[c] = 1;
}

/** A character of the base64url key alphabet (`A-Z a-z 0-9 - _`). */
export function isKeyChar(code: number): boolean {
  return code < 128 && KEY_CHAR[code] === 1;
}

export function isAlnum(code: number): boolean {
  return code < 128 && ALNUM_CHAR[code] === 1;
}
