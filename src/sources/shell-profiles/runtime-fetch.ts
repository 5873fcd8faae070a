// Which secret store a computed value reads from. A profile that fetches the key at run time keeps
// it out of the file: that is the practice keyguard recommends, so it is named, not flagged.

const HELPERS: readonly [RegExp, string][] = [
  [/\bop\s+read\b/, 'op read'],
  [/\bop\s+item\s+get\b/, 'op item get'],
  [/\bop\s+inject\b/, 'op inject'],
  [/\bsecurity\s+find-generic-password\b/, 'security find-generic-password'],
  [/\bsecurity\s+find-internet-password\b/, 'security find-internet-password'],
  [/\bsecret-tool\s+lookup\b/, 'secret-tool'],
  [/\bgopass\b/, 'gopass'],
  [/(?:^|[\s(;|&`])pass\s+(?:show\s+)?[\w./-]/, 'pass'],
  [/\bkeychain\b/i, 'keychain'],
  [/\bkeyring\s+get\b/, 'keyring get'],
  [/\bbw\s+get\b/, 'bw get'],
  [/\blpass\s+show\b/, 'lpass show'],
  [/\bvault\s+(?:kv\s+get|read)\b/, 'vault'],
  [/\baws\s+secretsmanager\b/, 'aws secretsmanager'],
  [/\baws\s+ssm\s+get-parameter\b/, 'aws ssm get-parameter'],
  [/\bgcloud\s+secrets\b/, 'gcloud secrets'],
  [/\baz\s+keyvault\b/, 'az keyvault'],
  [/\bdoppler\s+secrets\b/, 'doppler secrets'],
  [/\bsops\b/, 'sops'],
  [/\bgpg2?\b[^)]*(?:\s-d\b|--decrypt)/, 'gpg --decrypt'],
  [/\bage\b[^)]*(?:\s-d\b|--decrypt)/, 'age --decrypt'],
  [/\bGet-Secret\b/i, 'Get-Secret'],
  [/\bGet-StoredCredential\b/i, 'Get-StoredCredential'],
  [/\bGet-SecretValue\b/i, 'Get-SecretValue'],
];

/**
 * A word each helper above holds, in lower case. Most values name no secret store; a value holding
 * none of these is let go without running the 24 expressions (compiling them cost 1.5 ms of every run
 * that reads a profile, the hooks' own-key discovery included; one expression of all 24 cost more).
 */
const HELPER_WORDS = ['op', 'pass', 'secur', 'secret', 'key', 'bw', 'vault', 'aws', 'az', 'gpg', 'age', 'credential'];

/** The helper named in a computed value, e.g. `op read` in `$(op read op://vault/openai/key)`. */
export function runtimeFetchOf(raw: string): string | undefined {
  const lower = raw.toLowerCase();
  if (!HELPER_WORDS.some((w) => lower.includes(w))) return undefined;
  for (const [re, name] of HELPERS) if (re.test(raw)) return name;
  return undefined;
}
