import { describe, expect, it } from 'vitest';
import { murmur3, murmur3Bytes } from '../src/data/murmur3.js';
import {
  CONSTANT_HASH,
  checkBits,
  constantFeatureIndex,
  featureIndex,
  namespaceSeed,
} from '../src/data/hashing.js';
import { TOKEN_PATTERN, MAX_TOKEN_LENGTH, tokenize, tokenizeMail, splitMail } from '../src/data/tokenize.js';
import fc from 'fast-check';
import { hashedBagOfWords } from '../src/data/features.js';
import { mulberry32, shuffleInPlace } from '../src/data/random.js';

describe('murmur3 (MurmurHash3_x86_32)', () => {
  // Published vectors: SMHasher-derived tables used by many ports (C, Go, Rust, Python mmh3).
  it.each([
    ['', 0, 0x00000000],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['a', 0, 0x3c2569b2],
    ['abc', 0, 0xb3dd93fa],
    ['test', 0, 0xba6bd213],
    ['test', 0x9747b28c, 0x704b81dc],
    ['hello', 0, 0x248bfa47],
    ['Hello, world!', 0, 0xc0363e43],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
    ['special characters açb↓c', 0, 0xbe83b140],
  ])('murmur3(%j, %d)', (text, seed, expected) => {
    expect(murmur3(text, seed)).toBe(expected);
  });

  it('hashes raw bytes, every tail length', () => {
    expect(murmur3Bytes(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 0)).toBe(0x76293b50);
    expect(murmur3Bytes(new Uint8Array([0x21, 0x43, 0x65, 0x87]), 0)).toBe(0xf55b516b);
    expect(murmur3Bytes(new Uint8Array([0x21, 0x43, 0x65, 0x87]), 0x5082edee)).toBe(0x2362f9de);
    expect(murmur3Bytes(new Uint8Array([0x21, 0x43, 0x65]), 0)).toBe(0x7e4a8634);
  });

  it('passes the SMHasher verification value 0xB0F57EE3', () => {
    // Hash keys [0], [0,1], ..., [0..254] with seed 256 - i; hash the 1024 little-endian results.
    const key = new Uint8Array(256);
    const results = new Uint8Array(1024);
    const view = new DataView(results.buffer);
    for (let i = 0; i < 256; i++) {
      key[i] = i;
      view.setUint32(i * 4, murmur3Bytes(key, 256 - i, 0, i), true);
    }
    expect(murmur3Bytes(results, 0)).toBe(0xb0f57ee3);
  });

  it('hashes a sub-range of a buffer like the bytes alone', () => {
    const bytes = new TextEncoder().encode('xxhelloyy');
    expect(murmur3Bytes(bytes, 0, 2, 7)).toBe(0x248bfa47);
  });

  it('encodes astral characters and lone surrogates as TextEncoder does', () => {
    for (const text of ['😀 emoji', 'a\ud800b', '\udc00', 'ünïcødé', '日本語']) {
      expect(murmur3(text, 7)).toBe(murmur3Bytes(new TextEncoder().encode(text), 7));
    }
  });
});

describe('feature hashing', () => {
  it('seeds the name hash with the namespace hash', () => {
    expect(namespaceSeed('')).toBe(0);
    expect(namespaceSeed('title')).toBe(murmur3('title', 0));
    expect(featureIndex('', 'hello', 32 - 4)).toBe(0x248bfa47 & ((1 << 28) - 1));
    expect(featureIndex('title', 'hello', 18)).toBe(murmur3('hello', murmur3('title', 0)) & 0x3ffff);
  });

  it('is stable: fixed values that must never change (models depend on them)', () => {
    // 0x248bfa47 & (2^18 - 1) = 0x3fa47 = 260679; the other values follow from the vectors above.
    expect(featureIndex('', 'hello', 18)).toBe(260679);
    expect(featureIndex('', 'The quick brown fox jumps over the lazy dog', 18)).toBe(0x2e4ff723 & 0x3ffff);
    expect(featureIndex('', 'test', 10)).toBe(0xba6bd213 & 0x3ff);
  });

  it('separates namespaces', () => {
    expect(featureIndex('a', 'word', 18)).not.toBe(featureIndex('b', 'word', 18));
  });

  it('rejects bits outside 1..28 with a clear message', () => {
    expect(() => featureIndex('', 'x', 0)).toThrow(/bits must be an integer from 1 to 28.*got 0/);
    expect(() => featureIndex('', 'x', 29)).toThrow(/got 29/);
    expect(() => checkBits(2.5, '--bits')).toThrow(/--bits must be/);
    expect(checkBits(28)).toBe(28);
  });

  it('places the constant feature at VW’s hash', () => {
    expect(CONSTANT_HASH).toBe(11650396);
    expect(constantFeatureIndex(18)).toBe(11650396 % 262144);
    expect(constantFeatureIndex(4)).toBe(11650396 % 16);
  });
});

describe('tokenize', () => {
  it('lowercases and keeps joined words, $ and !', () => {
    expect(tokenize("Don't MISS: FREE $$$ offer!!! at www.Example.com, e-mail me@x.org 3.14")).toEqual([
      "don't",
      'miss',
      'free',
      '$',
      '$',
      '$',
      'offer',
      '!',
      '!',
      '!',
      'at',
      'www.example.com',
      'e-mail',
      'me@x.org',
      '3.14',
    ]);
  });

  it('splits on trailing joiners and handles Unicode letters', () => {
    expect(tokenize('end. Ünïcode—日本語 ...')).toEqual(['end', 'ünïcode', '日本語']);
  });

  it('scans exactly as the documented regular expression matches', () => {
    const alphabet = fc.constantFrom(..."aZ9 .-_@'$!\n\tÄéß日😀İ\u0301-,;:".split(''), 'ǅ', '𝟘');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 80 }), (text) => {
        const expected = [...text.toLowerCase().matchAll(TOKEN_PATTERN)]
          .map((m) => m[0])
          .filter((t) => t.length <= MAX_TOKEN_LENGTH);
        expect(tokenize(text)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('drops over-long tokens (encoded junk)', () => {
    expect(tokenize(`short ${'a'.repeat(41)} ${'b'.repeat(40)}`)).toEqual(['short', 'b'.repeat(40)]);
  });

  it('tokenizes mail headers with their field name and the body plainly', () => {
    const mail = 'From someone@x.org Thu Aug 22\nSubject: Win MONEY\n  now\nTo: a@b.c\n\nHello World';
    expect(splitMail(mail).headers).toEqual([
      ['from_', 'someone@x.org Thu Aug 22'],
      ['Subject', ' Win MONEY now'],
      ['To', ' a@b.c'],
    ]);
    expect(tokenizeMail(mail)).toEqual([
      'from_:someone@x.org',
      'from_:thu',
      'from_:aug',
      'from_:22',
      'subject:win',
      'subject:money',
      'subject:now',
      'to:a@b.c',
      'hello',
      'world',
    ]);
  });

  it('treats text without a header block as body', () => {
    expect(tokenizeMail('just some words\nand more')).toEqual(['just', 'some', 'words', 'and', 'more']);
  });
});

describe('hashedBagOfWords', () => {
  it('uses unit-length log counts on sorted unique indices', () => {
    const row = hashedBagOfWords(['a', 'b', 'a', 'a'], 18);
    const ia = featureIndex('', 'a', 18);
    const ib = featureIndex('', 'b', 18);
    expect(Array.from(row.indices)).toEqual([Math.min(ia, ib), Math.max(ia, ib)]);
    const xa = 1 + Math.log(3);
    const norm = Math.hypot(xa, 1);
    const va = row.values[row.indices[0] === ia ? 0 : 1];
    const vb = row.values[row.indices[0] === ib ? 0 : 1];
    expect(va).toBeCloseTo(xa / norm, 6);
    expect(vb).toBeCloseTo(1 / norm, 6);
  });

  it('gives an empty row for no tokens', () => {
    expect(hashedBagOfWords([], 18).indices.length).toBe(0);
  });
});

describe('mulberry32', () => {
  it('matches the published reference code for 1000 outputs', () => {
    // The published reference code (bryc/code, PRNGs.md), transcribed independently of ours.
    const reference = (a: number) => () => {
      let t = (a = (a + 0x6d2b79f5) | 0);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const ours = mulberry32(1);
    const theirs = reference(1);
    for (let i = 0; i < 1000; i++) expect(ours()).toBe(theirs());
  });

  it('is uniform enough and reproducible', () => {
    const random = mulberry32(42);
    let sum = 0;
    for (let i = 0; i < 10000; i++) sum += random();
    expect(sum / 10000).toBeGreaterThan(0.48);
    expect(sum / 10000).toBeLessThan(0.52);
    const a = shuffleInPlace([...Array(20).keys()], mulberry32(7));
    const b = shuffleInPlace([...Array(20).keys()], mulberry32(7));
    const c = shuffleInPlace([...Array(20).keys()], mulberry32(8));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
  });
});
