// What users see instead of the key: the family prefix, the first and last four characters.
const PREFIX = /^(sk-(?:proj|None|svcacct|admin)-|sess-|sk-[A-Za-z0-9_-]{1,64}?-(?=[A-Za-z0-9]{20}T3BlbkFJ)|sk-)/;

export function redact(secret: string): string {
  const prefix = PREFIX.exec(secret)?.[1] ?? '';
  const body = secret.slice(prefix.length);
  if (body.length < 12) return `${prefix}${'*'.repeat(Math.min(body.length, 4))}…`;
  return `${prefix}${body.slice(0, 4)}…${body.slice(-4)}`;
}
