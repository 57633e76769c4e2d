/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby, public domain; SMHasher's `MurmurHash3_x86_32`).
 * Strings are hashed as their UTF-8 bytes, so the result matches the C reference, Python's mmh3 and
 * Vowpal Wabbit for the same text. Browser-safe: no Node built-ins.
 *
 * For each 4-byte little-endian block k:   k *= c1; k = rotl(k, 15); k *= c2;
 *                                          h ^= k;  h = rotl(h, 13); h = h*5 + 0xe6546b64
 * the 1-3 tail bytes get the same k mixing and are xored in; then h ^= length and fmix32(h).
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Hash of `bytes[start, end)` with `seed`, as an unsigned 32-bit integer. */
export function murmur3Bytes(bytes: Uint8Array, seed = 0, start = 0, end = bytes.length): number {
  let h = seed | 0;
  const length = end - start;
  const blocksEnd = start + (length & ~3);
  let i = start;
  for (; i < blocksEnd; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = bytes[i];
    if (tail > 1) k ^= bytes[i + 1] << 8;
    if (tail > 2) k ^= bytes[i + 2] << 16;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length;
  return fmix32(h);
}

/** The finalizer: forces every input bit to affect every output bit (avalanche). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// Reused UTF-8 scratch buffer: hashing millions of tokens must not allocate per token.
let scratch = new Uint8Array(256);

/** Hash of the UTF-8 encoding of `text` with `seed`, as an unsigned 32-bit integer. */
export function murmur3(text: string, seed = 0): number {
  const length = encodeUtf8(text);
  return murmur3Bytes(scratch, seed, 0, length);
}

/** Writes `text` as UTF-8 into `scratch` (growing it when needed) and returns the byte length. */
function encodeUtf8(text: string): number {
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  const out = scratch;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
    } else {
      // A valid surrogate pair is one code point of 4 bytes; a lone surrogate encodes as U+FFFD,
      // as TextEncoder does.
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          out[n++] = 0xf0 | (c >> 18);
          out[n++] = 0x80 | ((c >> 12) & 63);
          out[n++] = 0x80 | ((c >> 6) & 63);
          out[n++] = 0x80 | (c & 63);
          continue;
        }
        c = 0xfffd;
      }
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    }
  }
  return n;
}
