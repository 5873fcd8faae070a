import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { detect, fingerprint, OwnKeyIndex, redact } from '../src/engine/index.js';
import { sha256Hex } from '../src/engine/sha256.js';
import { FAMILIES, MARKER, fakeKey, keyFor, randomString, rng, type KeyFamily } from './helpers/keys.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function only(text: string) {
  const m = detect(text);
  expect(m).toHaveLength(1);
  return m[0]!;
}

describe('every family is found exactly, and named', () => {
  const contexts: Array<[string, (k: string) => string, number]> = [
    ['alone', (k) => k, 1],
    ['env line', (k) => `OPENAI_API_KEY=${k}\n`, 16],
    ['double quotes', (k) => `key = "${k}"`, 8],
    ['JSON newline escape glued', (k) => `{"text": "line\\n${k}"}`, 17],
    ['libedit \\040 glued', (k) => `export\\040OPENAI_API_KEY=\\040${k}`, 30],
    ['percent-encoded space glued', (k) => `Authorization: Bearer%20${k}%26x`, 25],
    ['unicode escape glued', (k) => `{\\u0022key\\u0022:\\u0022${k}\\u0022}`, 24],
    ['URL query', (k) => `https://x.test/v1?api_key=${k}&model=gpt`, 27],
    ['CSV cell', (k) => `name,${k},2024`, 6],
    ['HTML', (k) => `<code>${k}</code>`, 7],
    ['HTML entity quotes', (k) => `&quot;${k}&quot;`, 7],
    ['notebook escaped quotes', (k) => `"os.environ[\\"KEY\\"] = \\"${k}\\"\\n",`, 26],
    ['backticks', (k) => `\`${k}\``, 2],
    ['parentheses', (k) => `client(${k})`, 8],
  ];
  for (const family of FAMILIES) {
    for (const [name, wrap, column] of contexts) {
      it(`${family} in ${name}`, () => {
        const key = keyFor(family, 11);
        const m = only(wrap(key));
        expect(m.secret).toBe(key);
        expect(m.family).toBe(family);
        expect(m.line).toBe(1);
        expect(m.column).toBe(column);
      });
    }
  }

  it('keys that end in - or _ keep their last character', () => {
    for (const end of ['-', '_', '-_', '__']) {
      const key = fakeKey('project_164', rng(3), { endWith: end });
      expect(only(`"${key}"`).secret).toBe(key);
      expect(only(`${key}\\"`).secret).toBe(key);
    }
  });

  it('reports the right line and column on later lines, CRLF included', () => {
    const key = keyFor('svcacct_167', 5);
    const m = only(`first\r\nsecond line\r\n  token: ${key}\r\n`);
    expect([m.line, m.column]).toEqual([3, 10]);
  });

  it('finds a key in the middle of a 2 MB minified line', () => {
    const key = keyFor('admin_133', 8);
    const pad = 'x'.repeat(1_000_000);
    const m = only(`${pad};var k="${key}";${pad}`);
    expect(m.column).toBe(1_000_000 + 9);
  });

  it('counts columns in characters when the text is raw bytes', () => {
    const key = keyFor('project_164', 9);
    const latin1 = Buffer.from(`é→ ${key}`, 'utf8').toString('latin1');
    const m = detect(latin1, { bytes: true });
    expect(m[0]!.column).toBe(4);
  });

  it('counts raw-byte columns of many keys on one long line, invalid bytes and characters of every width between them', () => {
    const next = rng(31);
    const fillers = ['é', '→', '😀', 'テスト', 'plain text ', '\u{10348}'].map((f) => Buffer.from(f, 'utf8'));
    const invalid = [Buffer.from([0xff]), Buffer.from([0xe2, 0x82]), Buffer.from([0xc3]), Buffer.from([0xf0, 0x9f, 0x98])];
    const parts: Buffer[] = [];
    const keys: string[] = [];
    for (let k = 0; k < 40; k++) {
      for (let n = Math.floor(next() * 3000); n > 0; n--) parts.push(fillers[Math.floor(next() * fillers.length)]!);
      // (an incomplete sequence right before a key, every other time)
      parts.push(invalid[k % invalid.length]!, Buffer.from(k % 2 === 0 ? ' ' : ''));
      keys.push(keyFor('project_164', 300 + k));
      parts.push(Buffer.from(`${keys[k]} `));
    }
    parts.push(Buffer.from('\nsecond line é '), Buffer.from([0xff]), Buffer.from(` ${keyFor('admin_133', 3)}`));
    const bytes = Buffer.concat(parts);
    const text = bytes.toString('latin1');
    const found = detect(text, { bytes: true });
    expect(found).toHaveLength(41);
    for (const m of found) {
      const lineStart = text.lastIndexOf('\n', m.start) + 1;
      expect(m.column, m.secret).toBe(bytes.subarray(lineStart, m.start).toString('utf8').length + 1);
    }
    expect(found.map((m) => m.line)).toEqual([...Array(40).fill(1), 2]);
  });

  it('finds several keys on one line and keeps them apart', () => {
    const a = keyFor('project_164', 1);
    const b = keyFor('legacy_user_51', 2);
    const m = detect(`${a},${b} ${a}`);
    expect(m.map((x) => x.secret)).toEqual([a, b, a]);
    expect(m.map((x) => x.column)).toEqual([1, a.length + 2, a.length + b.length + 3]);
  });

  it('reports the named service account with its name', () => {
    const m = only(`key=${keyFor('named_svcacct_2024', 4)}`);
    expect(m.secret.startsWith('sk-build-bot-')).toBe(true);
    expect(m.ruleId).toBe('openai-service-account-key');
  });

  it('gives session keys low confidence', () => {
    const m = only(`cookie: ${keyFor('session_45', 6)};`);
    expect(m.confidence).toBe('low');
    expect(m.ruleId).toBe('openai-session-key');
  });

  it('reports an unknown shape with the marker as an unrecognised OpenAI key', () => {
    const next = rng(21);
    const key = `sk-proj-${randomString(next, 30, ALNUM)}${MARKER}${randomString(next, 30, ALNUM)}`;
    const m = only(`k=${key}`);
    expect(m.secret).toBe(key);
    expect(m.family).toBe('unrecognised');
    expect(m.confidence).toBe('medium');
  });

  it('keeps a key intact when its right half holds "sk-" by chance', () => {
    const next = rng(5);
    const left = randomString(next, 74, ALNUM);
    const right = `${randomString(next, 30, ALNUM)}sk-${randomString(next, 40, ALNUM)}A`;
    const key = `sk-proj-${left}${MARKER}${right}`;
    expect(only(key).secret).toBe(key);
  });
});

describe('never reported as OpenAI', () => {
  const next = rng(99);
  const negatives: Array<[string, string]> = [
    ['Stripe live', `sk_live_${randomString(next, 24, ALNUM)}`],
    ['Stripe test', `sk_test_${randomString(next, 24, ALNUM)}`],
    ['Anthropic', `sk-ant-api03-${randomString(next, 93, ALNUM)}AA`],
    ['OpenRouter', `sk-or-v1-${randomString(next, 64, '0123456789abcdef')}`],
    ['sk- + 48 without marker', `sk-${randomString(next, 48, ALNUM)}`],
    ['organization id', `org-${randomString(next, 24, ALNUM)}`],
    ['project id', `proj_${randomString(next, 24, ALNUM)}`],
    ['dashboard redaction', 'sk-proj-****************************************MxYA'],
    ['short redaction', 'sk-abc...xyz'],
    ['X placeholder with marker', `sk-${'X'.repeat(20)}${MARKER}${'X'.repeat(20)}`],
    ['x placeholder project', `sk-proj-${'x'.repeat(74)}${MARKER}${'x'.repeat(74)}`],
    ['sequence placeholder', `sk-abcdefghijklmnopqrst${MARKER}01234567890123456789`],
    ['lower-cased marker', `sk-${randomString(next, 20, ALNUM)}${MARKER.toLowerCase()}${randomString(next, 20, ALNUM)}`],
    ['upper-cased marker', `sk-${randomString(next, 20, ALNUM)}${MARKER.toUpperCase()}${randomString(next, 20, ALNUM)}`],
    ['changed marker', `sk-${randomString(next, 20, ALNUM)}T4BlbkFJ${randomString(next, 20, ALNUM)}`],
    ['marker without sk-', `data${randomString(next, 20, ALNUM)}${MARKER}${randomString(next, 20, ALNUM)}`],
    ['your-key placeholder', `sk-proj-YOUR_KEY_HERE_your_key_here_${MARKER}_your_key_here_YOUR_KEY_HERE`],
    ['session-like low entropy', `sess-${'ab'.repeat(20)}`],
  ];
  for (const [name, text] of negatives) {
    it(name, () => {
      expect(detect(`OPENAI_API_KEY="${text}"\n`)).toEqual([]);
    });
  }
});

describe('decoding', () => {
  it('finds a key inside a Kubernetes Secret data value, at the line of the value', () => {
    const key = keyFor('project_164', 31);
    const yaml = `apiVersion: v1\nkind: Secret\ndata:\n  OPENAI_API_KEY: ${Buffer.from(key).toString('base64')}\n`;
    const m = only(yaml);
    expect(m.secret).toBe(key);
    expect(m.decoded).toBe('base64');
    expect([m.line, m.column]).toEqual([4, 19]);
  });

  it('finds a key in a base64-encoded .env file at every byte alignment', () => {
    for (const pad of ['', 'a', 'ab']) {
      const key = keyFor('legacy_user_51', 40 + pad.length);
      const blob = Buffer.from(`# env\n${pad}OPENAI_API_KEY=${key}\nOTHER=1\n`).toString('base64');
      expect(only(`payload: "${blob}"`).secret).toBe(key);
    }
  });

  it('can be switched off', () => {
    const key = keyFor('project_164', 32);
    expect(detect(Buffer.from(key).toString('base64'), { decode: false })).toEqual([]);
  });
});

describe('allow comments', () => {
  it('marks a match on a line with keyguard:allow', () => {
    const key = keyFor('project_164', 2);
    const [a, b] = detect(`x = "${key}"  # keyguard:allow\ny = "${key}"\n`);
    expect(a!.allowed).toBe(true);
    expect(b!.allowed).toBe(false);
  });
});

describe('own keys', () => {
  it('recognises a configured key of any shape, and labels a known-shape one', () => {
    const custom = `corp-gw-${randomString(rng(4), 40, ALNUM)}`;
    const shaped = keyFor('project_164', 77);
    const index = new OwnKeyIndex([
      { secret: custom, label: 'the key in your OPENAI_API_KEY' },
      { secret: shaped, label: 'the key in ~/.codex/auth.json' },
    ]);
    const m = detect(`a=${custom}\nb=${shaped}\n`, { ownKeys: index });
    expect(m.map((x) => [x.family, x.ownKey])).toEqual([
      ['own_key', 'the key in your OPENAI_API_KEY'],
      ['project_164', 'the key in ~/.codex/auth.json'],
    ]);
    expect(m[0]!.ruleId).toBe('openai-own-key');
  });
});

describe('redaction and fingerprints', () => {
  it('shows the prefix and four characters at each end, never the middle', () => {
    for (const family of FAMILIES) {
      const key = keyFor(family, 13);
      const r = redact(key);
      expect(r).toMatch(/…/);
      expect(r.length).toBeLessThan(40);
      expect(key.startsWith(r.slice(0, r.indexOf('…')))).toBe(true);
      expect(key.endsWith(r.slice(r.indexOf('…') + 1))).toBe(true);
      expect(r).not.toContain(MARKER);
    }
    expect(redact(keyFor('project_164', 1)).startsWith('sk-proj-')).toBe(true);
    expect(redact(keyFor('named_svcacct_2024', 1)).startsWith('sk-build-bot-')).toBe(true);
  });

  it('fingerprints by content only: stable, 16 hex, different per key', () => {
    const a = keyFor('project_164', 1);
    expect(fingerprint(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint(a)).toBe(fingerprint(a));
    expect(fingerprint(a)).not.toBe(fingerprint(keyFor('project_164', 2)));
  });
});

export function familiesForFuzz(): KeyFamily[] {
  return FAMILIES;
}

describe('SHA-256 in WebAssembly', () => {
  const node = (text: string) => createHash('sha256').update(text).digest('hex');
  it('gives the digests node:crypto gives, so fingerprints in baselines stay the same', () => {
    const next = rng(256);
    // every length across the padding's edges (55, 56, 63, 64 bytes) and several blocks, in UTF-8 of one to four bytes a character
    const texts = ['', 'abc', 'é ü 中文 🔑'];
    for (let n = 0; n < 300; n++) texts.push('x'.repeat(n), randomString(next, n, 'abcXYZ019-_ \n\u00e9\u4e2d'));
    for (let i = 0; i < 20; i++) texts.push(keyFor('project_164', i), keyFor('session_45', i));
    // past the module's page: node:crypto
    texts.push('k'.repeat(21_800), 'k'.repeat(100_000), '中'.repeat(30_000));
    for (const t of texts) expect(sha256Hex(t), `${t.length} characters`).toBe(node(t));
    const key = keyFor('admin_133', 1);
    expect(fingerprint(key)).toBe(node(`keyguard:v1:${key}`).slice(0, 16));
  });
});
